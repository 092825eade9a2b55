"""Signing in and out: Argon2, lockout, session rotation, TOTP, CSRF, no-store."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import now as django_now
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kizuna.accounts.middleware import SESSION_REFRESHED
from kizuna.accounts.models import User

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str = PASSWORD, token: str = "") -> Any:
    return client.post(
        "/accounts/login/", {"username": username, "password": password, "otp_token": token}
    )


def test_passwords_are_hashed_with_argon2(desk_officer: User) -> None:
    assert identify_hasher(desk_officer.password).algorithm == "argon2"


def test_pages_need_a_signed_in_user(client: Client) -> None:
    response = client.get("/dialogues/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_desk_officer_signs_in_and_the_session_key_rotates(
    client: Client, desk_officer: User
) -> None:
    client.get("/accounts/login/")
    before = client.session.session_key
    response = sign_in(client, "t-desk")
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.get("/dialogues/").status_code == 200


def test_private_pages_are_not_stored(client: Client, desk_officer: User) -> None:
    sign_in(client, "t-desk")
    assert client.get("/dialogues/")["Cache-Control"] == "no-store"


def test_sign_out_ends_the_session_on_the_server(client: Client, desk_officer: User) -> None:
    sign_in(client, "t-desk")
    old_key = client.session.session_key
    assert client.post("/accounts/logout/").status_code == 200
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=old_key).exists()
    assert client.get("/dialogues/").status_code == 302


def test_a_wrong_password_is_refused_in_plain_words(client: Client, desk_officer: User) -> None:
    response = sign_in(client, "t-desk", "wrong-password-123")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_repeated_failures_lock_the_account(
    client: Client, desk_officer: User, settings: Any
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "t-desk", "wrong-password-123")
    response = sign_in(client, "t-desk")  # even the right password, now
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()


def test_repeated_failures_from_one_address_lock_other_accounts_too(
    client: Client, desk_officer: User, coordinator: User, settings: Any
) -> None:
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"nobody-{i}", "wrong-password-123")
    assert sign_in(client, "t-desk").status_code == 429


def test_a_coordinator_must_set_up_totp_before_anything_else(
    client: Client, coordinator: User
) -> None:
    sign_in(client, "t-coord")
    response = client.get("/dialogues/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/totp/"
    page = client.get("/accounts/totp/")
    assert "Set up your authenticator app" in page.content.decode()
    device = TOTPDevice.objects.get(user=coordinator)
    code = f"{totp(device.bin_key):06d}"
    assert client.post("/accounts/totp/", {"otp_token": code}).status_code == 302
    assert client.get("/dialogues/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_user_with_totp_must_give_the_code_to_sign_in(client: Client, coordinator: User) -> None:
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    response = sign_in(client, "t-coord")
    assert "six-digit code" in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = sign_in(client, "t-coord", token=f"{totp(device.bin_key):06d}")
    assert response.status_code == 302
    assert client.get("/dialogues/").status_code == 200


def test_roles_needing_totp_are_a_setting(client: Client, coordinator: User, settings: Any) -> None:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []
    sign_in(client, "t-coord")
    assert client.get("/dialogues/").status_code == 200


def test_forms_refuse_a_post_without_the_csrf_token(desk_officer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "t-desk", "password": PASSWORD})
    assert response.status_code == 403


def test_sessions_end_after_the_idle_timeout(
    client: Client, desk_officer: User, settings: Any
) -> None:
    sign_in(client, "t-desk")
    client.get("/dialogues/")
    assert 0 < client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date="2000-01-01T00:00Z"  # as if the idle time had passed
    )
    assert client.get("/dialogues/").status_code == 302


def _session_writes(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum('UPDATE "django_session"' in q["sql"] for q in queries.captured_queries)


def _expiry(client: Client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_pages_read_within_the_refresh_interval_do_not_write_the_session(
    client: Client, desk_officer: User
) -> None:
    sign_in(client, "t-desk")  # signing in saves the session with a fresh expiry
    expiry = _expiry(client)
    assert [_session_writes(client, "/dialogues/") for _ in range(3)] == [0, 0, 0]
    assert _expiry(client) == expiry


def test_a_page_read_after_the_refresh_interval_pushes_the_expiry_forward(
    client: Client, desk_officer: User, settings: Any
) -> None:
    sign_in(client, "t-desk")
    interval = settings.KIZUNA_SESSION_REFRESH_SECONDS
    session = client.session
    # The last refresh a full interval ago, and the expiry as that refresh left it.
    session[SESSION_REFRESHED] = int(time.time()) - interval
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=django_now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - interval)
    )
    expiry = _expiry(client)
    assert _session_writes(client, "/dialogues/") == 1
    pushed = _expiry(client)
    assert pushed > expiry
    remaining = (pushed - django_now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < remaining <= settings.SESSION_COOKIE_AGE
    assert _session_writes(client, "/dialogues/") == 0  # and not again for another interval
