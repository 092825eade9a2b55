"""A session that ended mid-work: the sign-in page says so and leads back to the page the user
was on; a form refused for its CSRF token, or a sign-out address opened, gets a real page."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from kizuna.accounts.models import User

from .conftest import PASSWORD
from .test_login import sign_in

pytestmark = pytest.mark.django_db

ENDED = "Your session ended; sign in again to continue."
REVIEW = "/assessments/t-a1/review/"  # POST-only: no way back after signing in


def _signed_in_then_ended(client: Client) -> None:
    sign_in(client, "t-desk")
    assert client.get("/dialogues/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date="2000-01-01T00:00Z"  # as if the idle time had passed
    )


def test_a_form_sent_in_place_after_the_session_ended_opens_the_sign_in_page_saying_why(
    client: Client, desk_officer: User
) -> None:
    """The sign-in form was swapped into the page under the form's address, with no word of
    the session, and signing in led to that POST-only address (an empty 405)."""
    _signed_in_then_ended(client)
    response = client.post(
        REVIEW,
        {"verdict": "confirmed"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/commitments/t-c1/"},
    )
    # A whole page (HX-Redirect), not a piece swapped in, returning to the commitment.
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"] == "/accounts/login/?next=/commitments/t-c1/"
    page = client.get(response["HX-Redirect"]).content.decode()
    assert ENDED in page and 'name="next" value="/commitments/t-c1/"' in page
    signed_in = client.post(
        response["HX-Redirect"],
        {"username": "t-desk", "password": PASSWORD, "next": "/commitments/t-c1/"},
    )
    assert signed_in["Location"] == "/commitments/t-c1/"


def test_a_plain_form_sent_after_the_session_ended_returns_to_its_page(
    client: Client, desk_officer: User
) -> None:
    _signed_in_then_ended(client)
    response = client.post(
        REVIEW, {"verdict": "confirmed"}, headers={"Referer": "http://testserver/commitments/t-c1/"}
    )
    assert response["Location"] == "/accounts/login/?next=/commitments/t-c1/"
    # A referrer on another site is no way back: the home page is.
    elsewhere = client.post(REVIEW, {}, headers={"Referer": "https://evil.example/x"})
    assert elsewhere["Location"] == "/accounts/login/?next=/"


def test_a_page_opened_after_the_session_ended_says_so_once(
    client: Client, desk_officer: User
) -> None:
    _signed_in_then_ended(client)
    response = client.get("/dialogues/?as_of=2024-01-01", headers={"accept-language": "ja"})
    assert response["Location"] == "/accounts/login/?next=/dialogues/%3Fas_of%3D2024-01-01"
    page = client.get(response["Location"], headers={"accept-language": "ja"}).content.decode()
    assert "セッションが終了しました" in page
    assert ENDED not in client.get("/accounts/login/").content.decode()


def test_a_first_visit_is_not_told_that_a_session_ended(client: Client) -> None:
    response = client.get("/dialogues/")
    assert ENDED not in client.get(response["Location"]).content.decode()
    in_place = client.get("/dialogues/", headers={"HX-Request": "true"})
    assert in_place["HX-Redirect"] == "/accounts/login/?next=/"


def test_the_sign_out_address_opened_leads_home(client: Client, desk_officer: User) -> None:
    sign_in(client, "t-desk")
    response = client.get("/accounts/logout/")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/dialogues/").status_code == 200  # still signed in: a GET signs nobody out


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "The form had expired or came from elsewhere"),
        ("ja", "フォームの有効期限が切れている"),
    ],
)
def test_a_form_without_its_csrf_token_is_refused_in_kizunas_page_and_language(
    desk_officer: User, language: str, words: str
) -> None:
    """Django's bare English "403 Forbidden" page, with no site layout, answered a page left
    open across a restart."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk_officer)
    response = client.post("/commitments/t-c1/assess/", {}, headers={"accept-language": language})
    html = response.content.decode()
    assert response.status_code == 403
    assert words in html and "<nav" in html and 'role="alert"' in html
    assert "CSRF" not in html
