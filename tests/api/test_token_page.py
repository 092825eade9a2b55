"""The personal API tokens page: make (shown once), list, revoke; CSRF, audit, Japanese."""

from __future__ import annotations

import pytest
from django.test import Client

from kizuna.api.models import ApiToken
from kizuna.api.tokens import token_authenticate
from kizuna.audit.models import AuditEntry

from .conftest import Persona

pytestmark = pytest.mark.django_db
PAGE = "/accounts/tokens/"


def signed_in(persona: Persona, **options: bool) -> Client:
    client = Client(**options)
    client.force_login(persona.user)
    return client


def test_the_page_needs_a_signed_in_user(client: Client, personas: dict[str, Persona]) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_token_is_made_shown_once_and_audited(personas: dict[str, Persona]) -> None:
    usa = personas["api-usa-desk"]
    client = signed_in(usa)
    page = client.get(PAGE).content.decode()
    assert f'href="{PAGE}"' in page  # the header link
    before = AuditEntry.objects.count()
    response = client.post(PAGE, {"name": "report script", "scope": "read-write", "days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    secret = html.split('<code class="secret">')[1].split("</code>")[0]
    assert 'tabindex="-1" autofocus>' in html.split('<code class="secret">')[0]  # read out
    assert "Last used (UTC)" in html  # the times are the server's, in UTC
    token = token_authenticate(secret)
    assert token.user == usa.user and token.scope == "read-write" and token.name == "report script"
    assert round((token.expires_at - token.created_at).total_seconds() / 86400) == 30
    entry = AuditEntry.objects.get(sequence__gt=before)
    assert entry.header["action"] == "api-token.create" and secret not in str(entry.header)
    again = client.get(PAGE).content.decode()
    assert secret not in again and f"kzn_{token.prefix}" in again and "report script" in again


def test_bad_input_is_refused_and_nothing_is_stored(personas: dict[str, Persona]) -> None:
    client = signed_in(personas["api-usa-desk"])
    tokens = ApiToken.objects.count()
    for data in (
        {"name": "", "scope": "read-only", "days": "30"},
        {"name": "x" * 101, "scope": "read-only", "days": "30"},
        {"name": "x", "scope": "admin", "days": "30"},
        {"name": "x", "scope": "read-only", "days": "5000"},
    ):
        response = client.post(PAGE, data)
        assert response.status_code == 400, data
        assert 'class="secret"' not in response.content.decode()
    assert ApiToken.objects.count() == tokens


def test_a_post_without_the_csrf_token_is_refused(personas: dict[str, Persona]) -> None:
    client = signed_in(personas["api-usa-desk"], enforce_csrf_checks=True)
    tokens = ApiToken.objects.count()
    response = client.post(PAGE, {"name": "x", "scope": "read-only", "days": "30"})
    assert response.status_code == 403 and ApiToken.objects.count() == tokens


def test_revoke_own_tokens_only(personas: dict[str, Persona]) -> None:
    usa, jpn = personas["api-usa-desk"], personas["api-jpn-desk"]
    client = signed_in(usa)
    mine = ApiToken.objects.filter(user=usa.user).first()
    theirs = ApiToken.objects.filter(user=jpn.user).first()
    assert mine is not None and theirs is not None
    response = client.post(f"{PAGE}{mine.pk}/revoke/", follow=True)
    assert "revoked" in response.content.decode()
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert AuditEntry.objects.order_by("-sequence")[0].header["action"] == "api-token.revoke"
    refused = client.post(f"{PAGE}{theirs.pk}/revoke/", follow=True)
    assert "No such token of yours." in refused.content.decode()
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    # The revoke address opened, not sent: the tokens page, nothing revoked.
    opened = client.get(f"{PAGE}{theirs.pk}/revoke/")
    assert opened.status_code == 302 and opened["Location"] == PAGE
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_page_is_in_japanese(personas: dict[str, Persona]) -> None:
    client = signed_in(personas["api-usa-desk"])
    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "APIトークン" in html and "トークンを作成" in html and "読み取りのみ" in html
