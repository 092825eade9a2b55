"""Compliance: mean G7 Research Group score and share complete (OGP levels), with their n.

Each figure is read from each committing party's latest assessment on the date, one per
commitment and party; `n` is the number of such assessments behind it. The mean score
is over those that give a score (`n_scored`), the share complete over those that give a
completion level (`n_rated`); a figure with nothing behind it is null. `by_year` groups
commitments by the year they were made, as the G7 Research Group reports each summit's
commitments. Commitments folded into another (superseded, merged, transferred) count
at their target; withdrawn ones still count, since a withdrawal is a compliance outcome.

One query aggregates by dialogue, party and year in the database, over the window pass
that finds each latest assessment; the three views are sums of those groups.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import F
from django.db.models.functions import ExtractYear

from kizuna.access.actor import Actor
from kizuna.analysis.asof import (
    FOLDED_LIFECYCLES,
    commitments_made_by,
    grouped_latest,
    latest_assessments,
)
from kizuna.commitments.models import Completion


class Figure(TypedDict):
    mean_score: float | None
    share_complete: float | None
    n: int
    n_scored: int
    n_rated: int


class DialogueFigure(Figure):
    dialogue: str
    party: str


class PartyFigure(Figure):
    party: str


class YearFigure(Figure):
    year: int
    party: str


class Compliance(TypedDict):
    as_of: str
    by_dialogue: list[DialogueFigure]
    by_party: list[PartyFigure]
    by_year: list[YearFigure]


@dataclass
class _Tally:
    n: int = 0
    n_scored: int = 0
    score_sum: int = 0
    n_rated: int = 0
    n_complete: int = 0

    def add(self, other: _Tally) -> None:
        self.n += other.n
        self.n_scored += other.n_scored
        self.score_sum += other.score_sum
        self.n_rated += other.n_rated
        self.n_complete += other.n_complete

    def figure(self) -> Figure:
        return {
            "mean_score": round(self.score_sum / self.n_scored, 4) if self.n_scored else None,
            "share_complete": round(self.n_complete / self.n_rated, 4) if self.n_rated else None,
            "n": self.n,
            "n_scored": self.n_scored,
            "n_rated": self.n_rated,
        }


def compliance(*, actor: Actor, as_of: dt.date) -> Compliance:
    """Compliance per dialogue × party, per party and per year × party on `as_of`."""
    counted = commitments_made_by(actor, as_of).exclude(lifecycle__in=FOLDED_LIFECYCLES)
    latest = (
        latest_assessments(actor, as_of, counted)
        .annotate(
            dialogue=F("commitment__dialogue_id"),
            year=ExtractYear("commitment__made_on_first"),
        )
        .values("dialogue", "party_id", "year", "score", "completion")
    )
    groups = grouped_latest(
        latest,
        ["dialogue", "party_id", "year"],
        [
            "COUNT(*)",
            "COUNT(score)",
            "SUM(score)",
            "SUM(CASE WHEN completion <> '' THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN completion = '{Completion.COMPLETE.value}' THEN 1 ELSE 0 END)",
        ],
    )
    by_dialogue: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    by_party: dict[str, _Tally] = defaultdict(_Tally)
    by_year: dict[tuple[int, str], _Tally] = defaultdict(_Tally)
    for dialogue, party, year, n, n_scored, score_sum, n_rated, n_complete in groups:
        tally = _Tally(int(n), int(n_scored), int(score_sum or 0), int(n_rated), int(n_complete))
        by_dialogue[(dialogue, party)].add(tally)
        by_party[party].add(tally)
        by_year[(int(year), party)].add(tally)
    return {
        "as_of": as_of.isoformat(),
        "by_dialogue": [
            {"dialogue": dialogue, "party": party, **t.figure()}
            for (dialogue, party), t in sorted(by_dialogue.items())
        ],
        "by_party": [{"party": party, **t.figure()} for party, t in sorted(by_party.items())],
        "by_year": [
            {"year": year, "party": party, **t.figure()}
            for (year, party), t in sorted(by_year.items())
        ],
    }
