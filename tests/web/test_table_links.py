"""A page's links are the addresses `reverse` gives, though reversed once per request."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.template import Context
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from kizuna.web.templatetags.kizuna_web import href

IDS = ["c-2024-001", "wt_c1", "a b", "日米-1", "x%2Fy", "record_id"]


def _expected(name: str, record_id: str, as_of: dt.date | None) -> str | None:
    """The address, or None where the page's converter refuses the id (a slug: no spaces)."""
    try:
        url = reverse(f"web:{name}", args=[record_id])
    except NoReverseMatch:
        return None
    return url + ("?" + urlencode({"as_of": as_of.isoformat()}) if as_of else "")


@pytest.mark.parametrize("as_of", [None, dt.date(2022, 1, 20)])
@pytest.mark.parametrize("name", ["commitment", "dialogue", "meeting", "agency"])
def test_each_link_is_the_address_reverse_gives(name: str, as_of: dt.date | None) -> None:
    request = RequestFactory().get("/")
    context = Context({"as_of": as_of, "request": request})
    # Twice over: the first call of each page name reverses, the later ones reuse it.
    for record_id in IDS + IDS:
        expected = _expected(name, record_id, as_of)
        if expected is None:
            with pytest.raises(NoReverseMatch):
                href(context, name, record_id)
        else:
            assert href(context, name, record_id) == expected
    # Every plain id went through one address reversed for the request.
    assert set(request._kizuna_addresses) == {name}  # type: ignore[attr-defined]


def test_without_a_request_each_link_is_reversed() -> None:
    context = Context({"as_of": None})
    assert href(context, "dialogue", "jucip") == "/dialogues/jucip/"
    assert href(context, "commitment-list") == reverse("web:commitment-list")


def test_a_link_keeps_the_as_of_date() -> None:
    context = Context({"as_of": dt.date(2022, 1, 20), "request": RequestFactory().get("/")})
    assert href(context, "dialogue", "jucip") == "/dialogues/jucip/?as_of=2022-01-20"
