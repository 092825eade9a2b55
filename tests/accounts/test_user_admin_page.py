"""The users page (/accounts/users/): an admin manages its own government's users.

Add (the password generated and shown once), change a role, disable (after a question),
enable again, reset a password: each through the services, each one audit entry. Every other role is
refused; another government's users are never listed nor changed; an admin cannot disable
or demote itself; bad input is said beside its field and writes nothing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.accounts.services import user_add, user_disable, user_enable
from kizuna.audit.models import AuditEntry
from kizuna.registry.models import Agency

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
PAGE = "/accounts/users/"
ROLE = "/accounts/users/role/"
DISABLE = "/accounts/users/disable/"
ENABLE = "/accounts/users/enable/"
RESET = "/accounts/users/password/"
SECOND_FACTOR = "/accounts/users/second-factor/"


@pytest.fixture(autouse=True)
def _quick(settings: Any) -> None:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []  # the second factor has its own tests
    # Argon2 costs a good part of a second per password; these tests check who may do what.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # sign-in failure counters outlive each test's rolled-back transaction


def _user(agencies: dict[str, str], username: str, agency: str, role: str) -> User:
    user, _password = user_add(
        actor=Actor.operator(),
        username=username,
        government=agencies[agency],
        agency=agency,
        role=role,
        password=PASSWORD,
        known_agencies=agencies,
    )
    return user


@pytest.fixture
def people(agencies: dict[str, str]) -> dict[str, User]:
    return {
        "admin": _user(agencies, "t-ua-admin", "white-house", "admin"),
        "coordinator": _user(agencies, "t-ua-coord", "white-house", "coordinator"),
        "desk-officer": _user(agencies, "t-ua-desk", "commerce", "desk-officer"),
        "reader": _user(agencies, "t-ua-reader", "state", "reader"),
        "jpn-admin": _user(agencies, "t-ua-jpn-admin", "kantei", "admin"),
        "jpn-reader": _user(agencies, "t-ua-jpn-reader", "meti", "reader"),
    }


def signed_in(user: User, **options: Any) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def _snapshot() -> list[tuple[Any, ...]]:
    return list(
        User.objects.order_by("username").values_list(
            "username", "government", "agency", "role", "is_active", "password"
        )
    )


def _user_entries(after: int) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(sequence__gt=after, action__startswith="user.").order_by(
            "sequence"
        )
    )


def _head() -> int:
    last = AuditEntry.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def _shown_password(html: str) -> str:
    found = re.search(r'<code class="secret">([^<]+)</code>', html)
    assert found, "no password shown"
    return found.group(1)


def _once(html: str) -> str:
    found = re.search(r'name="once" value="([^"]+)"', html)
    assert found
    return found.group(1)


def _signs_in(username: str, password: str) -> bool:
    response = Client().post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def test_an_admin_lists_only_its_own_governments_users(people: dict[str, User]) -> None:
    response = signed_in(people["admin"]).get(PAGE)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    table = html.split("<table>", 1)[1].split("</table>", 1)[0]
    assert "<caption>" in table
    for name in ("t-ua-admin", "t-ua-coord", "t-ua-desk", "t-ua-reader"):
        assert f'<th scope="row">{name}' in table
    assert "t-ua-jpn" not in html
    for user in User.objects.exclude(government="USA"):
        assert f'<th scope="row">{user.username}<' not in table
        assert f'<th scope="row">{user.username} ' not in table
    # Agencies by name, roles and states in words, sign-in times in UTC.
    assert "U.S. Department of Commerce" in table or "commerce" in table
    assert "desk officer" in table and "active" in table and "Last sign-in (UTC)" in table
    # The add form offers this government's agencies only.
    agency_select = html.split('name="agency"', 1)[1].split("</select>", 1)[0]
    assert 'value="white-house"' in agency_select and 'value="commerce"' in agency_select
    assert 'value="meti"' not in agency_select and 'value="kantei"' not in agency_select


def test_the_header_links_the_page_for_admins_only(people: dict[str, User]) -> None:
    link = f'<a href="{PAGE}">Users</a>'
    assert link in signed_in(people["admin"]).get("/concerns/").content.decode()
    for role in ("coordinator", "desk-officer", "reader"):
        assert link not in signed_in(people[role]).get("/concerns/").content.decode()


@pytest.mark.parametrize("role", ["coordinator", "desk-officer", "reader"])
def test_other_roles_are_refused(people: dict[str, User], role: str) -> None:
    client = signed_in(people[role])
    before, head = _snapshot(), _head()
    response = client.get(PAGE)
    assert response.status_code == 403
    assert "administrators only" in response.content.decode()
    forged = {"username": "t-ua-reader", "role": "admin", "confirm": "yes"}
    for address in (PAGE, ROLE, DISABLE, ENABLE, RESET):
        data = {**forged, "agency": "state"} if address == PAGE else forged
        assert client.post(address, data).status_code == 403, address
    assert _snapshot() == before and _user_entries(head) == []
    denied = AuditEntry.objects.filter(sequence__gt=head, action="web.denied")
    assert denied.count() == 6


def test_an_anonymous_visitor_is_sent_to_sign_in(people: dict[str, User]) -> None:
    client = Client()
    for address in (PAGE, ROLE, DISABLE, ENABLE, RESET):
        for method in ("get", "post"):
            response = getattr(client, method)(address)
            assert response.status_code == 302, (address, method)
            assert response["Location"].startswith("/accounts/login/")


def test_a_get_of_a_form_address_leads_to_the_page(people: dict[str, User]) -> None:
    client = signed_in(people["admin"])
    user_disable(actor=Actor.operator(), username="t-ua-desk")
    before, head = _snapshot(), _head()
    for address, username in (
        (ROLE, "t-ua-reader"),
        (DISABLE, "t-ua-reader"),
        (ENABLE, "t-ua-desk"),
        (RESET, "t-ua-reader"),
    ):
        response = client.get(address, {"username": username, "confirm": "yes"})
        assert response.status_code == 302 and response["Location"] == PAGE
    assert _snapshot() == before and _user_entries(head) == []


def test_adding_a_user_shows_the_password_once_and_it_signs_them_in(
    people: dict[str, User],
) -> None:
    client = signed_in(people["admin"])
    once = _once(client.get(PAGE).content.decode())
    head = _head()
    data = {"username": "t-ua-new", "agency": "commerce", "role": "desk-officer", "once": once}
    response = client.post(PAGE, data)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    password = _shown_password(html)
    assert 'role="status"' in html and 'tabindex="-1" autofocus' in html
    assert "securely" in html and "cannot be shown again" in html
    new = User.objects.get(username="t-ua-new")
    assert (new.government, new.agency, new.role, new.is_active) == (
        "USA",
        "commerce",
        "desk-officer",
        True,
    )
    (entry,) = _user_entries(head)
    assert entry.action == "user.add" and entry.actor_name == "t-ua-admin"
    assert entry.after["username"] == "t-ua-new" and password not in str(entry.after)
    # The password is not stored in the clear, nor shown again.
    assert password not in client.get(PAGE).content.decode()
    assert _signs_in("t-ua-new", password)
    # The same form sent again (a reload) adds nobody and shows no password.
    again = client.post(PAGE, data)
    assert again.status_code == 409 and 'class="secret"' not in again.content.decode()
    assert "already sent" in again.content.decode()
    assert len(_user_entries(head)) == 1


def test_changing_a_role(people: dict[str, User]) -> None:
    client = signed_in(people["admin"])
    head = _head()
    response = client.post(ROLE, {"username": "t-ua-reader", "role": "desk-officer"}, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "The role of t-ua-reader is now desk officer." in response.content.decode()
    assert User.objects.get(username="t-ua-reader").role == "desk-officer"
    (entry,) = _user_entries(head)
    assert entry.action == "user.set-role" and entry.object_id == "t-ua-reader"
    assert (entry.before["role"], entry.after["role"]) == ("reader", "desk-officer")
    # The same role again changes and records nothing.
    client.post(ROLE, {"username": "t-ua-reader", "role": "desk-officer"})
    assert len(_user_entries(head)) == 1


def test_disabling_asks_first_then_disables(people: dict[str, User]) -> None:
    client = signed_in(people["admin"])
    head = _head()
    question = client.post(DISABLE, {"username": "t-ua-desk"})
    assert question.status_code == 200
    html = question.content.decode()
    # The question takes the focus (a keyboard user lands on it, then on its button).
    assert (
        '<h1 tabindex="-1" autofocus>Disable t-ua-desk?</h1>' in html
        and 'name="confirm" value="yes"' in html
    )
    assert User.objects.get(username="t-ua-desk").is_active and _user_entries(head) == []
    response = client.post(DISABLE, {"username": "t-ua-desk", "confirm": "yes"}, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "t-ua-desk is disabled" in response.content.decode()
    assert not User.objects.get(username="t-ua-desk").is_active
    (entry,) = _user_entries(head)
    assert entry.action == "user.disable" and entry.after["is_active"] is False
    assert not _signs_in("t-ua-desk", PASSWORD)
    # Sent again: already disabled, nothing more recorded.
    client.post(DISABLE, {"username": "t-ua-desk", "confirm": "yes"})
    assert len(_user_entries(head)) == 1


def test_disabling_ends_the_users_open_sessions_for_good(people: dict[str, User]) -> None:
    # The desk officer is signed in on two browsers; the reader on one.
    desk_laptop, desk_phone = signed_in(people["desk-officer"]), signed_in(people["desk-officer"])
    reader = signed_in(people["reader"])
    assert desk_laptop.get("/").status_code == desk_phone.get("/").status_code == 200
    signed_in(people["admin"]).post(DISABLE, {"username": "t-ua-desk", "confirm": "yes"})
    # Enabled again before the old sessions would have timed out: they stay ended.
    user_enable(actor=Actor.operator(), username="t-ua-desk")
    for client in (desk_laptop, desk_phone):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert reader.get("/").status_code == 200  # nobody else is signed out
    assert _signs_in("t-ua-desk", PASSWORD)


def test_enabling_a_disabled_user_lets_them_sign_in_again(people: dict[str, User]) -> None:
    client = signed_in(people["admin"])
    user_disable(actor=Actor.operator(), username="t-ua-desk")
    assert not _signs_in("t-ua-desk", PASSWORD)
    # A disabled user's row offers "Enable" (and nothing else); an active one's does not.
    page = client.get(PAGE).content.decode()
    row = page.split('<th scope="row">t-ua-desk<', 1)[1].split("</tr>", 1)[0]
    assert 'action="/accounts/users/enable/"' in row and 'aria-label="Enable t-ua-desk"' in row
    assert "accounts/users/disable/" not in row and "accounts/users/password/" not in row
    active_row = page.split('<th scope="row">t-ua-reader<', 1)[1].split("</tr>", 1)[0]
    assert "accounts/users/enable/" not in active_row
    head = _head()
    response = client.post(ENABLE, {"username": "t-ua-desk"}, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "t-ua-desk is enabled and can sign in again" in response.content.decode()
    assert User.objects.get(username="t-ua-desk").is_active
    (entry,) = _user_entries(head)
    assert entry.action == "user.enable" and entry.object_id == "t-ua-desk"
    assert entry.actor_name == "t-ua-admin"
    assert (entry.before["is_active"], entry.after["is_active"]) == (False, True)
    assert _signs_in("t-ua-desk", PASSWORD)
    # Sent again: already active, nothing more recorded.
    again = client.post(ENABLE, {"username": "t-ua-desk"}, follow=True)
    assert "t-ua-desk is already active; nothing was changed." in again.content.decode()
    assert len(_user_entries(head)) == 1


def test_resetting_a_password(people: dict[str, User]) -> None:
    client = signed_in(people["admin"])
    once = _once(client.get(PAGE).content.decode())
    head = _head()
    response = client.post(RESET, {"username": "t-ua-reader", "once": once})
    assert response.status_code == 200
    html = response.content.decode()
    password = _shown_password(html)
    assert "A new password for t-ua-reader" in html and "securely" in html
    (entry,) = _user_entries(head)
    assert entry.action == "user.set-password" and entry.object_id == "t-ua-reader"
    assert _signs_in("t-ua-reader", password)
    assert not _signs_in("t-ua-reader", PASSWORD)
    # A reload replaces nothing: the password just shown still works.
    again = client.post(RESET, {"username": "t-ua-reader", "once": once})
    assert again.status_code == 409 and 'class="secret"' not in again.content.decode()
    assert len(_user_entries(head)) == 1
    assert User.objects.get(username="t-ua-reader").check_password(password)


def test_an_admin_resetting_its_own_password_stays_signed_in(people: dict[str, User]) -> None:
    client = signed_in(people["admin"])
    response = client.post(RESET, {"username": "t-ua-admin"})
    password = _shown_password(response.content.decode())
    assert client.get(PAGE).status_code == 200
    assert _signs_in("t-ua-admin", password)


def test_an_admin_cannot_act_on_another_governments_user(people: dict[str, User]) -> None:
    client = signed_in(people["admin"])
    user_disable(actor=Actor.operator(), username="t-ua-jpn-admin")
    before, head = _snapshot(), _head()
    for address, data in (
        (ROLE, {"username": "t-ua-jpn-reader", "role": "admin"}),
        (DISABLE, {"username": "t-ua-jpn-reader", "confirm": "yes"}),
        (DISABLE, {"username": "t-ua-jpn-admin"}),
        (ENABLE, {"username": "t-ua-jpn-admin"}),
        (ENABLE, {"username": "nobody-at-all"}),
        (RESET, {"username": "t-ua-jpn-reader"}),
        (RESET, {"username": "nobody-at-all"}),
    ):
        response = client.post(address, data)
        assert response.status_code == 403, (address, data)
        assert "no user of that name" in response.content.decode()
        assert 'class="secret"' not in response.content.decode()
    assert _snapshot() == before and _user_entries(head) == []
    assert AuditEntry.objects.filter(sequence__gt=head, action="web.denied").count() == 7
    assert not User.objects.get(username="t-ua-jpn-admin").is_active
    # Nor add one to another government, through an agency of it.
    response = client.post(PAGE, {"username": "t-ua-x", "agency": "meti", "role": "reader"})
    assert response.status_code == 400 and _snapshot() == before


def test_resetting_a_lost_authenticator(people: dict[str, User]) -> None:
    coordinator = people["coordinator"]
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    their_browser = signed_in(coordinator)
    assert their_browser.get("/").status_code == 200
    admin = signed_in(people["admin"])
    row = admin.get(PAGE).content.decode().split('<th scope="row">t-ua-coord<', 1)[1]
    assert 'aria-label="Reset the authenticator of t-ua-coord"' in row.split("</tr>", 1)[0]
    head = _head()
    response = admin.post(SECOND_FACTOR, {"username": "t-ua-coord"}, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "The authenticator of t-ua-coord is forgotten" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    (entry,) = _user_entries(head)
    assert (entry.action, entry.object_id) == ("user.reset-second-factor", "t-ua-coord")
    # Their sessions ended: they sign in again, with their password, and set up a new one.
    assert their_browser.get("/")["Location"].startswith("/accounts/login/")
    assert _signs_in("t-ua-coord", PASSWORD)
    # Nothing to forget now: said so, nothing recorded.
    again = admin.post(SECOND_FACTOR, {"username": "t-ua-coord"}, follow=True)
    assert "has no authenticator set up; nothing was changed" in again.content.decode()
    assert len(_user_entries(head)) == 1
    # Not another government's user (refused as unknown), nor one's own.
    TOTPDevice.objects.create(user=people["jpn-admin"], name="phone", confirmed=True)
    assert admin.post(SECOND_FACTOR, {"username": "t-ua-jpn-admin"}).status_code == 403
    TOTPDevice.objects.create(user=people["admin"], name="phone", confirmed=True)
    own = admin.post(SECOND_FACTOR, {"username": "t-ua-admin"})
    assert own.status_code == 400 and "reset your own authenticator" in own.content.decode()
    assert (
        TOTPDevice.objects.filter(user__username__in=["t-ua-jpn-admin", "t-ua-admin"]).count() == 2
    )
    assert len(_user_entries(head)) == 1
    assert admin.get(SECOND_FACTOR).status_code == 302  # a GET of the form's address


def test_an_admin_cannot_disable_or_demote_itself(people: dict[str, User]) -> None:
    client = signed_in(people["admin"])
    page = client.get(PAGE).content.decode()
    own_row = page.split('<th scope="row">t-ua-admin', 1)[1].split("</tr>", 1)[0]
    assert "accounts/users/disable/" not in own_row and "accounts/users/role/" not in own_row
    before, head = _snapshot(), _head()
    for address, data, words in (
        (DISABLE, {"username": "t-ua-admin"}, "you may not disable yourself"),
        (DISABLE, {"username": "t-ua-admin", "confirm": "yes"}, "you may not disable yourself"),
        (ROLE, {"username": "t-ua-admin", "role": "coordinator"}, "your own role"),
    ):
        response = client.post(address, data)
        assert response.status_code == 400, (address, data)
        html = response.content.decode()
        assert 'role="alert"' in html and "Nothing was changed for t-ua-admin" in html
        assert words in html
    assert _snapshot() == before and _user_entries(head) == []


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"username": "t-ua-reader"}, "username", "is taken"),
        # Another case of a name in use would be a second account taken for the first.
        ({"username": "T-UA-Reader"}, "username", "is taken"),
        ({"username": "bad name!"}, "username", "etters, digits"),
        # Latin letters only, as the hint says: kana and other scripts' letters are refused.
        ({"username": "ユーザー"}, "username", "etters, digits"),
        ({"username": ""}, "username", "This field is required"),
        ({"agency": "no-such-agency"}, "agency", "Choose one of your government"),
        ({"agency": "meti"}, "agency", "Choose one of your government"),
        ({"role": "superuser"}, "role", "Choose one of the roles"),
    ],
    ids=[
        "taken",
        "taken-in-another-case",
        "characters",
        "not-latin",
        "empty",
        "unknown-agency",
        "foreign-agency",
        "unknown-role",
    ],
)
def test_bad_input_is_said_beside_its_field_and_writes_nothing(
    people: dict[str, User], data: dict[str, str], field: str, words: str
) -> None:
    client = signed_in(people["admin"])
    before, head = _snapshot(), _head()
    sent = {"username": "t-ua-fresh", "agency": "state", "role": "reader", **data}
    response = client.post(PAGE, sent)
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(
        rf'<span class="error" id="id_{field}_error" role="alert">([^<]*)</span>', html
    )
    assert error and words in error.group(1), html
    described = re.search(rf'<(?:input|select)[^>]*id="id_{field}"[^>]*>', html)
    assert described and f"id_{field}_error" in described.group(0)
    assert 'aria-invalid="true"' in described.group(0) and "autofocus" in described.group(0)
    assert 'class="secret"' not in html
    assert _snapshot() == before and _user_entries(head) == []


def test_every_mistake_is_said_at_once_and_the_first_takes_the_focus(
    people: dict[str, User],
) -> None:
    client = signed_in(people["admin"])
    html = client.post(PAGE, {"username": "bad name!", "agency": "", "role": "x"}).content.decode()
    for field in ("username", "agency", "role"):
        assert f'id="id_{field}_error" role="alert"' in html, field
    assert re.search(r'<input[^>]*autofocus[^>]*id="id_username"', html)
    assert len(re.findall(r"\bautofocus\b", html)) == 1


def test_a_form_without_its_csrf_token_is_refused(people: dict[str, User]) -> None:
    client = signed_in(people["admin"], enforce_csrf_checks=True)
    before = _snapshot()
    data = {"username": "t-ua-csrf", "agency": "state", "role": "reader"}
    assert client.post(PAGE, data).status_code == 403
    assert client.post(DISABLE, {"username": "t-ua-reader", "confirm": "yes"}).status_code == 403
    assert _snapshot() == before


def test_the_page_is_in_japanese(people: dict[str, User]) -> None:
    Agency.objects.filter(pk="white-house").update(name_ja="ホワイトハウス")
    user_disable(actor=Actor.operator(), username="t-ua-reader")
    client = signed_in(people["admin"])
    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<html lang="ja">' in html
    for words in (
        "ユーザーを追加",
        "ユーザー名",
        "役割",
        "省庁",
        "無効にする",
        "パスワードを再設定",
        "t-ua-reader を有効にする",
    ):
        assert words in html, words
    assert "ホワイトハウス" in html  # the agency's Japanese name
    assert "Add a user" not in html
    # A refusal by the service is said in Japanese too.
    response = client.post(
        PAGE,
        {"username": "bad name!", "agency": "state", "role": "reader"},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert "etters, digits" not in response.content.decode()
