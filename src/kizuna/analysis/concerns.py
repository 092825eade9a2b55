"""Concerns: the trade irritants still open on a date, by party and age.

A concern counts from its first raising. It is closed on a date when it was resolved on
or before it; one marked resolved with no resolution date is taken as resolved for today's
view and later (the record knows that, not when). A concern resolved after the date was
open then; otherwise its status is today's (open or easing: the record keeps no dated
history of easing). `last_raised` is the latest round (visible, held by the date) where
it was raised, else its first raising; `raised_at_latest_round` says whether it was raised
at the latest round held by the date of one of the dialogues that heard it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TypedDict

from django.db.models import Max, Q

from kizuna.access.actor import Actor
from kizuna.analysis.asof import meetings_by, partial_text
from kizuna.commitments.models import Concern, ConcernStatus
from kizuna.registry.selectors import visible


class OpenConcern(TypedDict):
    id: str
    title: str
    raised_by: str
    about: str
    dialogue: str | None
    status: str
    first_raised: str | None
    last_raised: str | None
    age_days: int
    raised_at_latest_round: bool


class PartyConcerns(TypedDict):
    raised_by: str
    about: str
    n: int
    oldest_first_raised: str | None
    max_age_days: int


class Concerns(TypedDict):
    as_of: str
    concerns: list[OpenConcern]
    by_party: list[PartyConcerns]
    latest_round: list[str]


def open_on(as_of: dt.date) -> Q:
    resolved = Q(resolved_on_first__lte=as_of)
    if as_of >= dt.date.today():
        resolved |= Q(status=ConcernStatus.RESOLVED, resolved_on_first__isnull=True)
    return Q(first_raised_first__lte=as_of) & ~resolved


def concerns(*, actor: Actor, as_of: dt.date) -> Concerns:
    """Open concerns on `as_of`, oldest first within each raising party."""
    open_concerns = visible(Concern, actor).filter(open_on(as_of))
    rows = list(
        open_concerns.values_list(
            "id",
            "title",
            "raised_by_id",
            "about_id",
            "dialogue_id",
            "status",
            "first_raised",
            "first_raised_first",
        ).order_by("raised_by_id", "first_raised_first", "id")
    )
    meetings = meetings_by(actor, as_of)
    latest_by_dialogue = dict(
        meetings.values("dialogue_id")
        .annotate(last=Max("date_first"))
        .values_list("dialogue_id", "last")
    )
    # Meeting.concerns is the reverse of Concern.raised_at; read from the visible meetings.
    raisings: dict[str, list[tuple[str, dt.date, str]]] = defaultdict(list)
    for concern_id, dialogue_id, text, first in meetings.filter(
        concerns__in=open_concerns.values("pk")
    ).values_list("concerns", "dialogue_id", "date", "date_first"):
        raisings[concern_id].append((dialogue_id, first, text))

    found: list[OpenConcern] = []
    for pk, title, raised_by, about, dialogue, status, first_text, first_day in rows:
        heard = raisings.get(pk, [])
        last = max(heard, key=lambda r: r[1], default=None)
        if last is not None and last[1] < first_day:
            last = None  # a raising recorded before the first one: the first one stands
        found.append(
            {
                "id": pk,
                "title": title,
                "raised_by": raised_by,
                "about": about,
                "dialogue": dialogue,
                "status": ConcernStatus.OPEN.value if status == ConcernStatus.RESOLVED else status,
                "first_raised": partial_text(first_text, first_day),
                "last_raised": partial_text(last[2], last[1])
                if last
                else partial_text(first_text, first_day),
                "age_days": (as_of - first_day).days,
                "raised_at_latest_round": any(
                    latest_by_dialogue.get(d) == day for d, day, _ in heard
                ),
            }
        )
    return {
        "as_of": as_of.isoformat(),
        "concerns": found,
        "by_party": _by_party(found),
        "latest_round": [c["id"] for c in found if c["raised_at_latest_round"]],
    }


def _by_party(found: list[OpenConcern]) -> list[PartyConcerns]:
    groups: dict[tuple[str, str], list[OpenConcern]] = defaultdict(list)
    for concern in found:
        groups[(concern["raised_by"], concern["about"])].append(concern)
    summary: list[PartyConcerns] = []
    for (raised_by, about), members in sorted(groups.items()):
        oldest = max(members, key=lambda c: c["age_days"])
        summary.append(
            {
                "raised_by": raised_by,
                "about": about,
                "n": len(members),
                "oldest_first_raised": oldest["first_raised"],
                "max_age_days": oldest["age_days"],
            }
        )
    return summary
