from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from kizuna.core.requests import JsonLineFormatter, current_request_id


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client: Client) -> None:
    response = client.get("/healthz")
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_a_plain_request_id_from_the_proxy_is_kept_and_a_hostile_one_replaced(
    client: Client,
) -> None:
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_log_lines_are_json_with_the_request_id() -> None:
    token = current_request_id.set("req-1")
    try:
        record = logging.LogRecord(
            "kizuna", logging.WARNING, __file__, 1, "hello %s", ("world",), None
        )
        line = json.loads(JsonLineFormatter().format(record))
    finally:
        current_request_id.reset(token)
    assert line["message"] == "hello world"
    assert line["request_id"] == "req-1"
    assert line["level"] == "WARNING"
