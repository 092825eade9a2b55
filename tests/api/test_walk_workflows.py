"""Defects found walking the API tokens page in a browser."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kizuna.api.models import ApiToken

from .conftest import Persona

pytestmark = pytest.mark.django_db
PAGE = "/accounts/tokens/"


def _once(html: str) -> str:
    found = re.search(r'name="once" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_reloading_the_page_that_shows_a_new_token_makes_no_second_token(
    personas: dict[str, Persona],
) -> None:
    """The new token is shown in the answer to the POST: reloading that page sent the POST
    again and made a second live token, whose secret the user never kept."""
    client = Client()
    client.force_login(personas["api-usa-desk"].user)
    data = {"name": "report script", "scope": "read-only", "days": "30"}
    data["once"] = _once(client.get(PAGE).content.decode())
    before = ApiToken.objects.count()
    made = client.post(PAGE, data)
    assert made.status_code == 200 and 'class="secret"' in made.content.decode()
    assert ApiToken.objects.count() == before + 1
    again = client.post(PAGE, data)  # the browser's reload of that answer
    html = again.content.decode()
    assert again.status_code == 409 and 'class="secret"' not in html
    assert "no new token was made" in html
    assert ApiToken.objects.count() == before + 1
    # The form it shows makes a token as usual.
    data["once"] = _once(html)
    assert client.post(PAGE, data).status_code == 200
    assert ApiToken.objects.count() == before + 2


def test_two_open_token_pages_each_make_their_token(personas: dict[str, Persona]) -> None:
    client = Client()
    client.force_login(personas["api-jpn-desk"].user)
    first, second = (_once(client.get(PAGE).content.decode()) for _ in range(2))
    before = ApiToken.objects.count()
    for once in (first, second):
        data = {"name": f"tab {once[:4]}", "scope": "read-only", "days": "30", "once": once}
        assert client.post(PAGE, data).status_code == 200
    assert ApiToken.objects.count() == before + 2
