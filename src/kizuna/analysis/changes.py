"""What changed in the world between two dates: after `since`, up to and including `as_of`.

Kinds: `dialogue` (launched), `dialogue-ended`, `round` (a meeting), `commitment`,
`assessment`, `status-change` (an assessment whose status differs from the same party's
previous visible assessment of the commitment; a first assessment is not a change),
`concern` (first raised) and `concern-resolved`. Dates are world time, written as the
record gives them (partial dates stay partial). Sorted by date, then kind, then id.
"""

from __future__ import annotations

import datetime as dt
from typing import NotRequired, TypedDict

from django.db.models import Q

from kizuna.access.actor import Actor
from kizuna.analysis.asof import AnalysisDateError, assessments_by, partial_text, visible_dialogues
from kizuna.analysis.bulk import cycle_collector_paused
from kizuna.commitments.models import Commitment, Concern
from kizuna.registry.models import Meeting
from kizuna.registry.selectors import visible

SUMMARY_LENGTH = 160


class Change(TypedDict):
    kind: str
    id: str
    date: str | None
    dialogue: str | None
    summary: str  # in English, for the command's JSON and its readers
    # What the summary says, for a page to write in its reader's language: the party and
    # commitment of an assessment or status change (with the statuses), and the parties
    # and title of a concern.
    party: NotRequired[str]
    commitment: NotRequired[str]
    status: NotRequired[str]
    before: NotRequired[str]
    about: NotRequired[str]
    title: NotRequired[str]


class Changes(TypedDict):
    since: str
    as_of: str
    changes: list[Change]


@cycle_collector_paused()
def changes(*, actor: Actor, since: dt.date, as_of: dt.date) -> Changes:
    """Everything that happened after `since` and by `as_of`, as `actor` may see it."""
    if since > as_of:
        raise AnalysisDateError(
            f"since {since} is after as_of {as_of}: give the earlier date first"
        )
    found: list[tuple[dt.date, Change]] = []
    found += _dialogues(actor, since, as_of)
    found += _rounds(actor, since, as_of)
    found += _commitments(actor, since, as_of)
    found += _assessments(actor, since, as_of)
    found += _concerns(actor, since, as_of)
    found.sort(key=lambda item: (item[0], item[1]["kind"], item[1]["id"]))
    return {
        "since": since.isoformat(),
        "as_of": as_of.isoformat(),
        "changes": [c for _, c in found],
    }


def _between(field: str, since: dt.date, as_of: dt.date) -> Q:
    return Q(**{f"{field}__gt": since, f"{field}__lte": as_of})


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def _dialogues(actor: Actor, since: dt.date, as_of: dt.date) -> list[tuple[dt.date, Change]]:
    found: list[tuple[dt.date, Change]] = []
    dialogues = visible_dialogues(actor).filter(
        _between("launched_first", since, as_of) | _between("ended_first", since, as_of)
    )
    for d in dialogues.only("id", "name", "launched", "launched_first", "ended", "ended_first"):
        if since < d.launched_first <= as_of:
            found.append(
                (
                    d.launched_first,
                    {
                        "kind": "dialogue",
                        "id": d.id,
                        "date": partial_text(d.launched, d.launched_first),
                        "dialogue": d.id,
                        "summary": f"{d.name} launched",
                    },
                )
            )
        if d.ended_first is not None and since < d.ended_first <= as_of:
            found.append(
                (
                    d.ended_first,
                    {
                        "kind": "dialogue-ended",
                        "id": d.id,
                        "date": partial_text(d.ended, d.ended_first),
                        "dialogue": d.id,
                        "summary": f"{d.name} ended",
                    },
                )
            )
    return found


def _rounds(actor: Actor, since: dt.date, as_of: dt.date) -> list[tuple[dt.date, Change]]:
    meetings = visible(Meeting, actor).filter(
        _between("date_first", since, as_of), dialogue__in=visible_dialogues(actor).values("pk")
    )
    return [
        (
            first,
            {
                "kind": "round",
                "id": pk,
                "date": partial_text(text, first),
                "dialogue": dialogue,
                "summary": _short(title),
            },
        )
        for pk, dialogue, title, text, first in meetings.values_list(
            "id", "dialogue_id", "title", "date", "date_first"
        )
    ]


def _commitments(actor: Actor, since: dt.date, as_of: dt.date) -> list[tuple[dt.date, Change]]:
    commitments = visible(Commitment, actor).filter(
        _between("made_on_first", since, as_of), dialogue__in=visible_dialogues(actor).values("pk")
    )
    return [
        (
            first,
            {
                "kind": "commitment",
                "id": pk,
                "date": partial_text(text, first),
                "dialogue": dialogue,
                "summary": _short(body),
            },
        )
        for pk, dialogue, body, text, first in commitments.values_list(
            "id", "dialogue_id", "text", "made_on", "made_on_first"
        )
    ]


def _assessments(actor: Actor, since: dt.date, as_of: dt.date) -> list[tuple[dt.date, Change]]:
    """Each new assessment, and a status change where the party's previous view differed.

    The series of every commitment assessed in the window is read in one ordered pass
    (earlier assessments included, to know the previous status), then walked here.
    """
    visible_commitments = visible(Commitment, actor).filter(
        dialogue__in=visible_dialogues(actor).values("pk")
    )
    assessed = assessments_by(actor, as_of).filter(
        _between("as_of", since, as_of), commitment__in=visible_commitments.values("pk")
    )
    series = (
        assessments_by(actor, as_of)
        .filter(commitment__in=assessed.values("commitment_id"))
        .values_list(
            "id", "commitment_id", "commitment__dialogue_id", "party_id", "as_of", "status"
        )
        .order_by("commitment_id", "party_id", "as_of", "id")
    )
    found: list[tuple[dt.date, Change]] = []
    previous: tuple[str, str, str] | None = None  # commitment, party, status
    for pk, commitment, dialogue, party, day, status in series:
        before = previous[2] if previous and previous[:2] == (commitment, party) else None
        previous = (commitment, party, status)
        if not since < day <= as_of:
            continue
        found.append(
            (
                day,
                {
                    "kind": "assessment",
                    "id": pk,
                    "date": day.isoformat(),
                    "dialogue": dialogue,
                    "summary": f"{party} assesses {commitment}: {status}",
                    "party": party,
                    "commitment": commitment,
                    "status": status,
                },
            )
        )
        if before is not None and before != status:
            found.append(
                (
                    day,
                    {
                        "kind": "status-change",
                        "id": pk,
                        "date": day.isoformat(),
                        "dialogue": dialogue,
                        "summary": f"{party} on {commitment}: {before} → {status}",
                        "party": party,
                        "commitment": commitment,
                        "before": before,
                        "status": status,
                    },
                )
            )
    return found


def _concerns(actor: Actor, since: dt.date, as_of: dt.date) -> list[tuple[dt.date, Change]]:
    found: list[tuple[dt.date, Change]] = []
    concerns = visible(Concern, actor).filter(
        _between("first_raised_first", since, as_of) | _between("resolved_on_first", since, as_of)
    )
    for c in concerns.only(
        "id",
        "title",
        "dialogue_id",
        "raised_by_id",
        "about_id",
        "first_raised",
        "first_raised_first",
        "resolved_on",
        "resolved_on_first",
    ):
        if since < c.first_raised_first <= as_of:
            found.append(
                (
                    c.first_raised_first,
                    {
                        "kind": "concern",
                        "id": c.id,
                        "date": partial_text(c.first_raised, c.first_raised_first),
                        "dialogue": c.dialogue_id,
                        "summary": _short(f"{c.raised_by_id} about {c.about_id}: {c.title}"),
                        "party": c.raised_by_id,
                        "about": c.about_id,
                        "title": _short(c.title),
                    },
                )
            )
        if c.resolved_on_first is not None and since < c.resolved_on_first <= as_of:
            found.append(
                (
                    c.resolved_on_first,
                    {
                        "kind": "concern-resolved",
                        "id": c.id,
                        "date": partial_text(c.resolved_on, c.resolved_on_first),
                        "dialogue": c.dialogue_id,
                        "summary": _short(f"resolved: {c.title}"),
                        "title": _short(c.title),
                    },
                )
            )
    return found
