"""Every API failure answers the one documented error body, a method the path does not take
included (docs/api.md, "Errors")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .conftest import Persona

pytestmark = pytest.mark.django_db
Api = Callable[..., Any]


def test_a_method_the_path_does_not_take_answers_405_in_the_error_body(
    api: Api, personas: dict[str, Persona]
) -> None:
    response = api("get", "/commitments/api-c-shared/assessments", personas["api-jpn-desk"])
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response["Allow"] == "POST"
    assert response.json() == {
        "error": {"code": "method-not-allowed", "message": "GET is not allowed here; use POST"}
    }


def test_a_405_names_every_method_the_path_takes(api: Api, personas: dict[str, Persona]) -> None:
    response = api("delete", "/commitments/api-c-shared", personas["api-usa-desk"])
    assert response.status_code == 405
    assert response["Allow"] == "GET, PATCH"
    assert response.json()["error"]["code"] == "method-not-allowed"
    assert response["Cache-Control"] == "no-store"
