"""A briefing book leaving the site is an export, and the log keeps it (docs/audit.md):
what it covers, its language and format, under the brief's own marking. A refused or
invalid request takes nothing away and records no export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.audit.models import AuditEntry
from kizuna.briefings.build import build_brief

SUMMIT = "leaders-summits-2025-10-28"  # "Trump–Takaichi summit (Tokyo)" in the demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_totp(settings: pytest.FixtureRequest) -> None:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []  # type: ignore[attr-defined]


def _signed_in(name: str, role: str = "coordinator") -> tuple[Client, User]:
    user = User.objects.create(username=name, government="USA", agency="white-house", role=role)
    client = Client()
    client.force_login(user)
    return client, user


def _exports() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="brief.export").order_by("sequence"))


def test_each_download_is_recorded_with_what_it_covers_and_its_marking() -> None:
    client, user = _signed_in("t-ba-coord")
    pdf = client.get(f"/coordination/brief.pdf?meeting={SUMMIT}")
    html = client.get(
        "/coordination/brief.html?as_of=2024-03-01&title=March+book", HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert pdf.status_code == 200 and html.status_code == 200
    by_meeting, by_date = _exports()
    assert by_meeting.header["actor_id"] == user.pk
    assert by_meeting.object_kind == "brief" and by_meeting.object_id == SUMMIT
    assert by_meeting.after["format"] == "pdf" and by_meeting.after["meeting"] == SUMMIT
    assert by_meeting.after["language"] == "en"
    summit_brief = build_brief(
        actor=Actor.from_user(user), as_of=dt.date(2025, 10, 28), title="", meeting_id=SUMMIT
    )
    assert by_meeting.marking == summit_brief["marking"]
    assert by_date.object_id == "2024-03-01"
    assert by_date.after["format"] == "html" and by_date.after["title"] == "March book"
    assert by_date.after["as_of"] == "2024-03-01" and by_date.after["language"] == "ja"


def test_a_refused_or_invalid_request_records_no_export() -> None:
    reader, _ = _signed_in("t-ba-reader", role="reader")
    assert reader.get("/coordination/brief.pdf?as_of=2024-03-01").status_code == 403
    coord, _ = _signed_in("t-ba-coord2")
    assert coord.get("/coordination/brief.html?as_of=2099-99-99").status_code == 400
    assert coord.get("/coordination/brief.pdf?meeting=no-such-meeting").status_code == 400
    assert _exports() == []
