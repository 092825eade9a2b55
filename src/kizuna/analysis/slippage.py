"""Slippage: overdue commitments, stale assessments and divergent views, as of a date.

- overdue: a live commitment whose latest deadline has passed while a committing party's
  latest status is not `delivered`; one row per such party.
- stale: a party's latest assessment older than the threshold (setting
  KIZUNA_STALE_DAYS, default 180 days) while the party has not finished (delivered or
  withdrawn need no fresh word).
- divergent: a live commitment whose committing parties' latest statuses differ, or one
  of whose latest assessments another party has contested by the date; one row per
  committing party with a latest assessment, so each side's view is on the table.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable
from typing import TypedDict

from django.conf import settings
from django.db.models import F

from kizuna.access.actor import Actor
from kizuna.analysis.asof import DELIVERED, assessments_by, latest_assessments, live_commitments
from kizuna.analysis.bulk import cycle_collector_paused
from kizuna.commitments.models import Status, Verdict
from kizuna.core.dates import days_from

DEFAULT_STALE_DAYS = 180
FINISHED = (Status.DELIVERED, Status.WITHDRAWN)


class Overdue(TypedDict):
    commitment: str
    dialogue: str
    party: str
    date: str
    status: str | None
    days_overdue: int


class Stale(TypedDict):
    commitment: str
    dialogue: str
    party: str
    date: str
    status: str
    age_days: int


class Divergent(TypedDict):
    commitment: str
    dialogue: str
    party: str
    date: str
    status: str
    reasons: list[str]
    contested_by: list[str]


class Slippage(TypedDict):
    as_of: str
    stale_days: int
    overdue: list[Overdue]
    stale: list[Stale]
    divergent: list[Divergent]
    overdue_by_party: dict[str, int]


def stale_days_setting() -> int:
    return int(getattr(settings, "KIZUNA_STALE_DAYS", DEFAULT_STALE_DAYS))


@cycle_collector_paused()
def slippage(*, actor: Actor, as_of: dt.date, stale_days: int | None = None) -> Slippage:
    """What is slipping on `as_of`, as `actor` sees it.

    Three reads, whatever the size: the live commitments past their deadline with their
    committing parties, the latest views of the live commitments (one window pass, with
    each one's dialogue), and the contested reviews; the three lists are drawn from them here.
    """
    threshold = stale_days_setting() if stale_days is None else stale_days
    live = live_commitments(actor, as_of)
    # Only commitments already past their latest deadline can be overdue.
    due = sorted(
        live.filter(deadline_latest__lt=as_of, parties__isnull=False)
        .values_list("deadline_latest", "id", "parties", "dialogue_id")
        .order_by()
    )
    # Plain tuples in _View's field order, straight from the cursor: at 200,000 commitments
    # building a named object per row costs more than the query. Unsorted: each list below
    # sorts only its own rows.
    views: list[_View] = list(
        latest_assessments(actor, as_of, live)
        .annotate(dialogue=F("commitment__dialogue_id"))
        .values_list("commitment_id", "party_id", "id", "dialogue", "as_of", "status")
        .order_by()
    )
    overdue = _overdue(due, views, as_of)
    by_party: dict[str, int] = defaultdict(int)
    for row in overdue:
        by_party[row["party"]] += 1
    return {
        "as_of": as_of.isoformat(),
        "stale_days": threshold,
        "overdue": overdue,
        "stale": _stale(views, as_of, threshold),
        "divergent": _divergent(views, _contested_by(actor, as_of)),
        "overdue_by_party": dict(sorted(by_party.items())),
    }


# One committing party's latest assessment of a commitment, sorting by commitment and party:
# (commitment, party, assessment, dialogue, date, status).
_View = tuple[str, str, str, str, dt.date, str]


def _overdue(
    due: list[tuple[dt.date | None, str, str, str]], views: list[_View], as_of: dt.date
) -> list[Overdue]:
    """`due` holds (deadline, commitment, committing party, dialogue), sorted."""
    status_of = {(v[0], v[1]): v[5] for v in views}
    dated = _dated(as_of)
    overdue: list[Overdue] = []
    for deadline, commitment, party, dialogue in due:
        status = status_of.get((commitment, party))
        if deadline is None or status == DELIVERED:  # no deadline: filtered out in SQL
            continue
        text, days = dated(deadline)
        overdue.append(
            {
                "commitment": commitment,
                "dialogue": dialogue,
                "party": party,
                "date": text,
                "status": status,
                "days_overdue": days,
            }
        )
    return overdue


def _dated(as_of: dt.date) -> Callable[[dt.date], tuple[str, int]]:
    """A date's ISO text and its age in days on `as_of`, worked out once per date: tens of
    thousands of rows share a few thousand dates."""

    @functools.cache
    def dated(day: dt.date) -> tuple[str, int]:
        return day.isoformat(), (as_of - day).days

    return dated


def _stale(views: list[_View], as_of: dt.date, stale_days: int) -> list[Stale]:
    cutoff = days_from(as_of, -stale_days)  # as of year 1: nothing is old enough
    finished = {str(status) for status in FINISHED}
    old = [v for v in views if v[4] < cutoff and v[5] not in finished]
    old.sort(key=lambda v: (v[4], v[0], v[1]))
    dated = _dated(as_of)
    stale: list[Stale] = []
    for commitment, party, _, dialogue, day, status in old:
        text, days = dated(day)
        stale.append(
            {
                "commitment": commitment,
                "dialogue": dialogue,
                "party": party,
                "date": text,
                "status": status,
                "age_days": days,
            }
        )
    return stale


def _contested_by(actor: Actor, as_of: dt.date) -> dict[str, set[str]]:
    """Assessment id -> the parties that contested it by `as_of`.

    Reviews are not records: they are read through the assessments the actor may see.
    """
    contested: dict[str, set[str]] = defaultdict(set)
    reviewed = assessments_by(actor, as_of).filter(
        reviews__verdict=Verdict.CONTESTED, reviews__on__lte=as_of
    )
    for assessment, party in reviewed.values_list("id", "reviews__party_id"):
        contested[assessment].add(party)
    return contested


def _divergent(views: list[_View], contested_by: dict[str, set[str]]) -> list[Divergent]:
    """The sides of each commitment whose sides differ or are contested, by commitment and
    party."""
    # One pass marks the commitments whose sides differ (a side unlike the first seen) or
    # are contested; then only their rows are sorted and written (a few of every hundred).
    differ: set[str] = set()
    contested: set[str] = set()
    first_status: dict[str, str] = {}
    for commitment, _, assessment, _, _, status in views:
        if first_status.setdefault(commitment, status) != status:
            differ.add(commitment)
        if assessment in contested_by:
            contested.add(commitment)
    flagged = differ | contested
    reasons_of = {
        (False, True): ["contested"],
        (True, False): ["statuses-differ"],
        (True, True): ["statuses-differ", "contested"],
    }
    return [
        {
            "commitment": commitment,
            "dialogue": dialogue,
            "party": party,
            "date": day.isoformat(),
            "status": status,
            "reasons": list(reasons_of[(commitment in differ, commitment in contested)]),
            "contested_by": sorted(contested_by.get(assessment, ())),
        }
        for commitment, party, assessment, dialogue, day, status in sorted(
            v for v in views if v[0] in flagged
        )
    ]
