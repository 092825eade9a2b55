"""The API stores a commitment's words tidied as the review path does (`core.text.as_sentence`):
runs of whitespace and line breaks are one space, none beside a Japanese character, the ends
trimmed; words that are blank once tidied are refused and nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kizuna.audit.models import AuditEntry
from kizuna.commitments.models import Commitment

from .conftest import Persona

pytestmark = pytest.mark.django_db
Api = Callable[..., Any]

BODY = {
    "dialogue": "api-partnership",
    "made_on": "2024-06",
    "parties": ["USA", "JPN"],
    "owners": {"USA": ["commerce"], "JPN": ["meti"]},
}


def test_created_text_and_deadline_are_stored_tidied(
    api: Api, personas: dict[str, Persona]
) -> None:
    body = {
        **BODY,
        "text": "  Launch a joint\n critical-minerals\t\tfund\r\n  by  2026.  \n",
        "deadline": {"text": "\n by the end\nof   2026 ", "latest": "2026-12-31"},
    }
    response = api("post", "/commitments", personas["api-usa-desk"], json=body)
    assert response.status_code == 201, response.content
    created = response.json()
    stored = Commitment.objects.get(pk=created["id"])
    assert stored.text == "Launch a joint critical-minerals fund by 2026."
    assert stored.deadline_text == "by the end of 2026"
    assert created["text"] == stored.text


def test_created_japanese_text_loses_its_line_breaks_as_on_review(
    api: Api, personas: dict[str, Persona]
) -> None:
    body = {
        **BODY,
        "text": "両国は重要鉱物の\n共同基金を\n 設立する。",
        "deadline": {"text": "2026年\n末までに"},
    }
    response = api("post", "/commitments", personas["api-jpn-desk"], json=body)
    assert response.status_code == 201, response.content
    stored = Commitment.objects.get(pk=response.json()["id"])
    assert stored.text == "両国は重要鉱物の共同基金を設立する。"
    assert stored.deadline_text == "2026年末までに"


@pytest.mark.parametrize(
    "text",
    [
        " \n\t ",  # refused by the body's schema
        "\x1c\x1d \x1e\n\x1f",  # separators Python counts as whitespace: blank only once tidied
    ],
)
def test_created_text_blank_once_tidied_is_refused_and_nothing_stored(
    api: Api, personas: dict[str, Persona], text: str
) -> None:
    before_commitments = Commitment.objects.count()
    before_entries = AuditEntry.objects.count()
    response = api("post", "/commitments", personas["api-usa-desk"], json={**BODY, "text": text})
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == "invalid"
    assert body["error"]["field"] == "text"
    assert Commitment.objects.count() == before_commitments
    assert AuditEntry.objects.count() == before_entries


def test_changed_text_is_tidied_and_blank_refused(api: Api, personas: dict[str, Persona]) -> None:
    usa = personas["api-usa-desk"]
    version = Commitment.objects.get(pk="api-c-shared").version
    blank = api(
        "patch", "/commitments/api-c-shared", usa, json={"version": version, "text": "\x1c \x1f"}
    )
    assert blank.status_code == 422 and blank.json()["error"]["field"] == "text"
    assert Commitment.objects.get(pk="api-c-shared").text == (
        "Map semiconductor supply chains together."
    )
    changed = api(
        "patch", "/commitments/api-c-shared", usa,
        json={"version": version, "text": " Map  chip\nsupply chains. ", "deadline_text": " by\n2027 "},
    )  # fmt: skip
    assert changed.status_code == 200, changed.content
    stored = Commitment.objects.get(pk="api-c-shared")
    assert (stored.text, stored.deadline_text) == ("Map chip supply chains.", "by 2027")
