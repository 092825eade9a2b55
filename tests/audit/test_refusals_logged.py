"""A page refused to a signed-in user (403) is a denial, and the log keeps it as
`web.denied` (docs/audit.md), as the API keeps `api.denied`. Other answers through the same
page are not denials: a form that lost its CSRF token, a refusal with another status, and a
visitor who has not signed in (nobody to name, and no way for such a client to write to the
log)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from kizuna.accounts.models import User
from kizuna.audit.models import AuditEntry
from kizuna.web.refusals import refused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_totp(settings: Any) -> None:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []


def _signed_in(name: str, role: str, **client_options: Any) -> tuple[Client, User]:
    user = User.objects.create(username=name, government="USA", agency="commerce", role=role)
    client = Client(**client_options)
    client.force_login(user)
    return client, user


def _denials() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="web.denied").order_by("sequence"))


def test_a_refused_page_is_recorded_once_in_the_users_name() -> None:
    reader, user = _signed_in("t-rl-reader", "reader")
    assert reader.get("/commitments.csv?q=steel").status_code == 403
    (entry,) = _denials()
    assert entry.header["actor_id"] == user.pk and entry.actor_name == "t-rl-reader"
    assert entry.government == "USA" and entry.marking == "government-internal"
    assert entry.object_kind == "web-request" and entry.object_id == "/commitments.csv"
    assert entry.after == {"method": "GET", "path": "/commitments.csv"}
    assert entry.reason  # the words the reader was shown


def test_each_role_rule_is_recorded() -> None:
    desk, _ = _signed_in("t-rl-desk", "desk-officer")
    for path in ("/coordination/", "/audit/", "/coordination/brief.pdf"):
        assert desk.get(path).status_code == 403, path
    assert [e.after["path"] for e in _denials()] == [
        "/coordination/",
        "/audit/",
        "/coordination/brief.pdf",
    ]


def test_a_form_without_its_csrf_token_is_not_a_denial() -> None:
    desk, _ = _signed_in("t-rl-csrf", "desk-officer", enforce_csrf_checks=True)
    response = desk.post("/commitments/t-rl-any/assess/", {"status": "delivered"})
    assert response.status_code == 403
    assert "The form was not sent" in response.content.decode()
    assert _denials() == []


def test_a_refusal_of_an_anonymous_visitor_is_not_recorded(rf: RequestFactory) -> None:
    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    assert refused(request, "Sign in first.").status_code == 403
    assert _denials() == []
