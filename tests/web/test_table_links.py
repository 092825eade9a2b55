"""A table's links are the addresses `href` gives, though reversed once per table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context

from kizuna.web.templatetags.kizuna_web import _hrefs, href


@pytest.mark.parametrize("record_id", ["c-2024-001", "wt_c1", "a b", "日米-1", "x%2Fy"])
@pytest.mark.parametrize("as_of", [None, dt.date(2022, 1, 20)])
def test_each_link_is_the_address_href_gives(record_id: str, as_of: dt.date | None) -> None:
    context = Context({"as_of": as_of})
    address = _hrefs(context, "commitment")
    assert address(record_id) == href(context, "commitment", record_id)


def test_a_link_keeps_the_as_of_date() -> None:
    context = Context({"as_of": dt.date(2022, 1, 20)})
    assert _hrefs(context, "dialogue")("jucip") == "/dialogues/jucip/?as_of=2022-01-20"
