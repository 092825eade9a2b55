"""Defects found walking the write workflows in a browser, as U.S. and Japanese officials."""

from __future__ import annotations

import re

import pytest
from django.test import Client

JA = {"HTTP_ACCEPT_LANGUAGE": "ja"}

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_each_side_of_a_commitment_is_headed_by_its_government_not_its_code(
    jpn_client: Client,
) -> None:
    """A Japanese desk officer read "USA" and "JPN: 異議あり" where the governments' names
    belong: on each side's heading, on the counterpart's review and in the history."""
    html = jpn_client.get("/commitments/wt-c1/", **JA).content.decode()
    sides = re.findall(r'<h3 id="side-(\w+)">([^<]*)</h3>', html)
    assert sides == [("USA", "アメリカ合衆国"), ("JPN", "日本")] or sides == [
        ("JPN", "日本"),
        ("USA", "アメリカ合衆国"),
    ]
    counterparts = [part.split("</dd>")[0] for part in html.split("相手国</dt><dd>")[1:]]
    assert any(c.startswith("日本: 異議あり") for c in counterparts), counterparts
    english = _text(
        jpn_client.get("/commitments/wt-c1/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert "Japan: contested (Not yet producing.)" in english
    assert "JPN:" not in english


def test_a_commitment_seen_on_an_earlier_date_shows_no_contest_recorded_later(
    jpn_client: Client,
) -> None:
    """Japan contested the U.S. assessment on 2023-02-01: the page as of 2023-01-20 showed the
    contest (and flagged a divergence) before it was made."""
    before = _text(jpn_client.get("/commitments/wt-c1/?as_of=2023-01-20", **JA).content.decode())
    after = _text(jpn_client.get("/commitments/wt-c1/?as_of=2023-02-02", **JA).content.decode())
    assert "異議あり" in after
    assert "異議あり" not in before
