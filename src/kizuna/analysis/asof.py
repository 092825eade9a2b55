"""The world as the record knows it on a date (ARCHITECTURE.md, "Time"), for one actor.

Every analysis builds on these querysets, and every one of them starts from
`visible_to(actor)`: what an actor may not see neither counts nor hides what it may see
(a hidden later assessment does not mask the visible earlier one).

Definitions, as of D:
- a dialogue is active when it was launched on or before D and had not ended by D. A
  dialogue whose status says concluded or superseded but whose end date the record does
  not know is taken as ended for today's view and later, and as running before today:
  the record knows that it ended, not when.
- a meeting (round) counts when dated on or before D; an agenda item counts when it
  belongs to the dialogue itself or to such a meeting.
- a commitment counts when made on or before D. Its stored lifecycle is today's (the
  record keeps no dated history of it), so a withdrawn commitment is withdrawn at every D.
- each party's assessment of a commitment is its latest one dated on or before D.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from kizuna.access.actor import Actor
from kizuna.commitments.models import Assessment, Commitment, Lifecycle, Status
from kizuna.core.dates import PartialDate, PartialDateError, parse_iso_date
from kizuna.registry.models import AgendaItem, Dialogue, DialogueStatus, Meeting, Membership
from kizuna.registry.selectors import running_on, visible

# A dialogue in one of these states without an end date has ended at a date nobody recorded.
CLOSED_DIALOGUE_STATES = (DialogueStatus.CONCLUDED, DialogueStatus.SUPERSEDED)

# Commitments whose substance lives on in another one (their lifecycle target): counted there.
FOLDED_LIFECYCLES = (Lifecycle.SUPERSEDED, Lifecycle.MERGED, Lifecycle.TRANSFERRED)

DELIVERED = Status.DELIVERED.value


class AnalysisDateError(ValueError):
    """A date given to an analysis is not a calendar date, or the dates are in the wrong order."""


def parse_as_of(text: str | None, *, option: str = "--as-of") -> dt.date:
    """A full calendar date (YYYY-MM-DD); today when none is given."""
    if text is None or text == "":
        return dt.date.today()
    try:
        return parse_iso_date(text)
    except PartialDateError as exc:
        raise AnalysisDateError(f"{option}: {exc}") from exc


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


@functools.lru_cache(maxsize=4096)
def partial_text(text: str, first: dt.date | None) -> str | None:
    """A partial date as written (`2024-05`), or the first day when the text is missing.

    Kept per text: a year's changes repeat a few hundred dates tens of thousands of times.
    """
    if text:
        try:
            return str(PartialDate.parse(text))
        except PartialDateError:
            return text
    return iso(first)


def active_dialogue_filter(as_of: dt.date) -> Q:
    running = running_on(as_of)
    if as_of >= dt.date.today():
        running &= ~(Q(ended_first__isnull=True) & Q(status__in=CLOSED_DIALOGUE_STATES))
    return running


def visible_dialogues(actor: Actor) -> QuerySet[Dialogue]:
    return visible(Dialogue, actor)


def active_dialogues(actor: Actor, as_of: dt.date) -> QuerySet[Dialogue]:
    """Dialogues the actor may see that are running on `as_of`."""
    return visible_dialogues(actor).filter(active_dialogue_filter(as_of))


def memberships_on(
    actor: Actor, as_of: dt.date, dialogues: QuerySet[Dialogue]
) -> QuerySet[Membership]:
    """Who was a party to these dialogues on `as_of`."""
    return visible(Membership, actor).filter(
        Q(dialogue__in=dialogues.values("pk")),
        Q(joined_first__lte=as_of),
        Q(left_first__isnull=True) | Q(left_first__gt=as_of),
    )


def meetings_by(actor: Actor, as_of: dt.date) -> QuerySet[Meeting]:
    """Rounds held on or before `as_of`, in dialogues the actor may see."""
    return visible(Meeting, actor).filter(
        date_first__lte=as_of, dialogue__in=visible_dialogues(actor).values("pk")
    )


def agenda_items_on(
    actor: Actor, as_of: dt.date, dialogues: QuerySet[Dialogue]
) -> QuerySet[AgendaItem]:
    """Agenda items of these dialogues: standing ones, and those of rounds held by `as_of`."""
    return visible(AgendaItem, actor).filter(
        Q(dialogue__in=dialogues.values("pk")),
        Q(meeting__isnull=True) | Q(meeting__date_first__lte=as_of),
    )


def commitments_made_by(actor: Actor, as_of: dt.date) -> QuerySet[Commitment]:
    """Commitments made on or before `as_of` that the actor may see, in dialogues it may see."""
    return visible(Commitment, actor).filter(
        made_on_first__lte=as_of, dialogue__in=visible_dialogues(actor).values("pk")
    )


def live_commitments(actor: Actor, as_of: dt.date) -> QuerySet[Commitment]:
    """Commitments in force: made by `as_of` and neither withdrawn nor folded into another."""
    return commitments_made_by(actor, as_of).filter(lifecycle=Lifecycle.ACTIVE)


def active_commitments(
    actor: Actor, as_of: dt.date, dialogues: QuerySet[Dialogue]
) -> QuerySet[Commitment]:
    """Live commitments of the given (active) dialogues: what carries a topic on `as_of`."""
    return live_commitments(actor, as_of).filter(dialogue__in=dialogues.values("pk"))


def assessments_by(actor: Actor, as_of: dt.date) -> QuerySet[Assessment]:
    return visible(Assessment, actor).filter(as_of__lte=as_of)


def latest_assessments(
    actor: Actor, as_of: dt.date, commitments: QuerySet[Commitment] | None = None
) -> QuerySet[Assessment]:
    """Each party's latest visible assessment of each commitment, dated on or before `as_of`.

    The assessments are ranked within each commitment and party, latest first (ties on the
    date broken by id, so exactly one is latest), in one window pass; `commitments` limits
    the pass to those commitments, which leaves each one's ranking whole. Read the result
    with values() or values_list(); filter it further only on its commitment (a filter on
    the assessments themselves would apply before the ranking). For aggregates, use
    `latest_assessment_rows`.

    A correlated "no later one exists" subquery reads the same but lets a planner without
    statistics probe by party, which is quadratic at scale.
    """
    assessed = assessments_by(actor, as_of)
    if commitments is not None:
        assessed = assessed.filter(commitment__in=commitments.values("pk"))
    ranked = assessed.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("commitment_id"), F("party_id")],
            order_by=[F("as_of").desc(), F("id").desc()],
        )
    )
    return ranked.filter(rank=1)


def grouped_latest(
    latest: QuerySet[Assessment, Any], keys: Sequence[str], aggregates: Sequence[str]
) -> list[tuple[Any, ...]]:
    """Aggregate the rows of a `latest_assessments(...).values(...)` pass in one query.

    Django groups inside the window query, before the ranking, so the ranked rows are
    wrapped here: `SELECT keys, aggregates FROM (latest) GROUP BY keys`. `keys` are names
    the inner values() selects; `aggregates` are SQL over those names, written by the
    caller from constants (no user input reaches them). Re-reading the latest rows by id
    instead (`latest_assessment_rows`) costs two index probes per row: many times slower
    at scale (benchmarks/bench_analysis.py).
    """
    inner, params = latest.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(key) for key in keys)
    sql = f"SELECT {columns}, {', '.join(aggregates)} FROM ({inner}) latest GROUP BY {columns}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def latest_assessment_rows(
    actor: Actor, as_of: dt.date, commitments: QuerySet[Commitment] | None = None
) -> QuerySet[Assessment]:
    """The same latest assessments as a plain queryset, to aggregate or filter freely."""
    return visible(Assessment, actor).filter(
        pk__in=latest_assessments(actor, as_of, commitments).values("pk")
    )
