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
from collections import defaultdict
from itertools import groupby
from typing import NamedTuple, TypedDict

from django.conf import settings

from kizuna.access.actor import Actor
from kizuna.analysis.asof import DELIVERED, assessments_by, latest_assessments, live_commitments
from kizuna.commitments.models import Status, Verdict

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


def slippage(*, actor: Actor, as_of: dt.date, stale_days: int | None = None) -> Slippage:
    """What is slipping on `as_of`, as `actor` sees it.

    Three reads, whatever the size: the live commitments with their committing parties,
    the latest views of them (one window pass), and the contested reviews; the three lists
    are drawn from them here.
    """
    threshold = stale_days_setting() if stale_days is None else stale_days
    live = live_commitments(actor, as_of)
    dialogue_of: dict[str, str] = {}
    due: list[tuple[dt.date, str, str]] = []  # deadline, commitment, committing party
    for commitment, dialogue, deadline, party in live.values_list(
        "id", "dialogue_id", "deadline_latest", "parties"
    ).order_by():
        dialogue_of[commitment] = dialogue
        if deadline is not None and deadline < as_of and party is not None:
            due.append((deadline, commitment, party))
    views = sorted(
        _View(commitment, party, assessment, dialogue_of.get(commitment, ""), day, status)
        for assessment, commitment, party, day, status in latest_assessments(actor, as_of, live)
        .values_list("id", "commitment_id", "party_id", "as_of", "status")
        .order_by()
    )
    overdue = _overdue(due, dialogue_of, views, as_of)
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


class _View(NamedTuple):
    """One committing party's latest assessment of a commitment (sorts by commitment, party)."""

    commitment: str
    party: str
    assessment: str
    dialogue: str
    date: dt.date
    status: str


def _overdue(
    due: list[tuple[dt.date, str, str]],
    dialogue_of: dict[str, str],
    views: list[_View],
    as_of: dt.date,
) -> list[Overdue]:
    status_of = {(v.commitment, v.party): v.status for v in views}
    overdue: list[Overdue] = []
    for deadline, commitment, party in sorted(due):
        status = status_of.get((commitment, party))
        if status == DELIVERED:
            continue
        overdue.append(
            {
                "commitment": commitment,
                "dialogue": dialogue_of[commitment],
                "party": party,
                "date": deadline.isoformat(),
                "status": status,
                "days_overdue": (as_of - deadline).days,
            }
        )
    return overdue


def _stale(views: list[_View], as_of: dt.date, stale_days: int) -> list[Stale]:
    cutoff = as_of - dt.timedelta(days=stale_days)
    old = [v for v in views if v.date < cutoff and v.status not in FINISHED]
    old.sort(key=lambda v: (v.date, v.commitment, v.party))
    return [
        {
            "commitment": v.commitment,
            "dialogue": v.dialogue,
            "party": v.party,
            "date": v.date.isoformat(),
            "status": v.status,
            "age_days": (as_of - v.date).days,
        }
        for v in old
    ]


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
    """`views` is sorted by commitment, so each commitment's sides come together."""
    divergent: list[Divergent] = []
    for commitment, group in groupby(views, key=lambda v: v.commitment):
        sides = list(group)
        reasons = []
        if len({v.status for v in sides}) > 1:
            reasons.append("statuses-differ")
        if any(v.assessment in contested_by for v in sides):
            reasons.append("contested")
        if not reasons:
            continue
        divergent.extend(
            {
                "commitment": commitment,
                "dialogue": v.dialogue,
                "party": v.party,
                "date": v.date.isoformat(),
                "status": v.status,
                "reasons": reasons,
                "contested_by": sorted(contested_by.get(v.assessment, ())),
            }
            for v in sides
        )
    return divergent
