"""Sorting by deadline: dated commitments first either way, undated last; pages read in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.commitments.models import Commitment
from kizuna.commitments.selectors import CommitmentFilters, commitments_visible, page_ids

pytestmark = pytest.mark.django_db

ACTOR = Actor(name="wt-o", government="USA", agency="wt-doc", role="coordinator")


@pytest.fixture
def mixed_deadlines(load_workspace: Callable[..., None]) -> None:
    """62 commitments of one dialogue: 31 dated (a few sharing a day), the rest undated."""
    load_workspace(extra_commitments=60)
    extras = sorted(
        Commitment.objects.filter(pk__startswith="wt-bulk-").values_list("pk", flat=True)
    )
    for n, pk in enumerate(extras[:30]):
        day = dt.date(2027, 1, 1) + dt.timedelta(days=n // 3)
        Commitment.objects.filter(pk=pk).update(deadline_latest=day)


@pytest.mark.parametrize("sort", ["deadline", "-deadline"])
def test_a_page_is_the_slice_of_the_whole_sorted_list(mixed_deadlines: None, sort: str) -> None:
    commitments = commitments_visible(
        actor=ACTOR, filters=CommitmentFilters(dialogue="wt-dlg", sort=sort)
    )
    whole = list(commitments.values_list("pk", flat=True))
    deadlines = dict(commitments.values_list("pk", "deadline_latest"))
    dated = [pk for pk in whole if deadlines[pk] is not None]
    assert len(whole) == 62 and len(dated) == 31
    assert whole[: len(dated)] == dated, "undated commitments come last"
    in_order = [deadlines[pk] for pk in dated]
    assert in_order == sorted(in_order, reverse=sort.startswith("-"))
    # Pages inside the dated run, across its end, past it, and past everything.
    for start, stop in [(0, 7), (25, 40), (30, 32), (31, 50), (40, 62), (60, 80), (70, 90)]:
        assert page_ids(commitments, sort, start, stop) == whole[start:stop], (start, stop)


def test_the_first_page_sorted_by_deadline_shows_dates(mixed_deadlines: None) -> None:
    client = Client()
    client.force_login(
        User.objects.create(username="wt-o", government="USA", agency="wt-doc", role="desk-officer")
    )
    for sort in ("deadline", "-deadline"):
        rows = client.get(f"/commitments/?dialogue=wt-dlg&sort={sort}").context["page"].object_list
        first = Commitment.objects.get(pk=rows[0].pk)
        assert first.deadline_latest is not None, sort
