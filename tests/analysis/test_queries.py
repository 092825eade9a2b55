"""The analyses run a fixed number of queries, whatever the size of the workspace (no N+1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kizuna.access.actor import Actor
from kizuna.analysis.changes import changes
from kizuna.analysis.compliance import compliance
from kizuna.analysis.concerns import concerns
from kizuna.analysis.coverage import coverage
from kizuna.analysis.frameworks import Framework
from kizuna.analysis.gaps import gaps
from kizuna.analysis.overlaps import overlaps
from kizuna.analysis.slippage import slippage

from .conftest import LoadWorld, assessment, commitment, dialogue

D = dt.date(2023, 10, 1)
FRAMEWORK = Framework("t-fw", "Test", ("t-family", "t-solo"), ("USA", "JPN"))

ANALYSES: dict[str, Callable[[Actor], Any]] = {
    "coverage": lambda a: coverage(actor=a, as_of=D),
    "overlaps": lambda a: overlaps(actor=a, as_of=D),
    "gaps": lambda a: gaps(actor=a, as_of=D, framework=FRAMEWORK),
    "slippage": lambda a: slippage(actor=a, as_of=D),
    "compliance": lambda a: compliance(actor=a, as_of=D),
    "changes": lambda a: changes(actor=a, since=dt.date(2020, 1, 1), as_of=D),
    "concerns": lambda a: concerns(actor=a, as_of=D),
}


def queries(run: Callable[[Actor], Any], actor: Actor) -> int:
    with CaptureQueriesContext(connection) as captured:
        run(actor)
    return len(captured)


def more_of_everything(n: int) -> dict[str, Any]:
    leads = {"USA": ["ustr"], "JPN": ["mofa"]}
    return {
        "dialogues": [dialogue(f"t-more-{i}", "2021-01-01", leads) for i in range(n)],
        "commitments": [
            commitment(
                f"t-more-c{i}",
                f"t-more-{i % n}",
                "2021-02-01",
                ["t-alpha", "t-gamma"] if i % 2 else ["t-beta-one"],
                owners={"USA": ["ustr"]},
                deadline={"text": "soon", "earliest": None, "latest": "2022-01-01"},
            )
            for i in range(3 * n)
        ],
        "assessments": [
            assessment(f"t-more-a{i}-{p}", f"t-more-c{i}", p, "2022-01-01", s)
            for i in range(3 * n)
            for p, s in (("USA", "in-progress"), ("JPN", "delivered"))
        ],
    }


@pytest.mark.parametrize("name", sorted(ANALYSES))
def test_the_number_of_queries_does_not_grow_with_the_data(
    load_world: LoadWorld, name: str
) -> None:
    # `world` is loaded through load_world here so that both sizes share one database.
    from .conftest import SCENARIO

    load_world(SCENARIO)
    usa = Actor(name="usa-coordinator", government="USA", agency="white-house", role="coordinator")
    small = queries(ANALYSES[name], usa)
    load_world(more_of_everything(6))
    large = queries(ANALYSES[name], usa)
    assert large == small
    assert small <= 12
