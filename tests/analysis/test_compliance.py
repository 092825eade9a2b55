"""Compliance: mean G7RG score and share complete, with the n behind each figure."""

from __future__ import annotations

import datetime as dt

from kizuna.access.actor import Actor
from kizuna.analysis.compliance import compliance

from .conftest import LoadWorld, assessment, commitment, dialogue
from .helpers import one, ours

D = dt.date(2023, 6, 1)


def test_figures_per_dialogue_and_party_use_each_partys_latest_assessment(world: None) -> None:
    rows = ours(compliance(actor=Actor.operator(), as_of=D)["by_dialogue"])
    assert one(rows, dialogue="t-wg", party="USA") == {
        "dialogue": "t-wg",
        "party": "USA",
        "mean_score": 1.0,
        "share_complete": 1.0,
        "n": 1,
        "n_scored": 1,
        "n_rated": 1,
    }
    assert one(rows, dialogue="t-econ", party="JPN")["mean_score"] == -1.0


def test_figures_follow_the_as_of_date(world: None) -> None:
    rows = ours(compliance(actor=Actor.operator(), as_of=dt.date(2022, 6, 1))["by_dialogue"])
    # t-c1's U.S. view was in progress (score 0, limited) until 2023-01-15.
    assert one(rows, dialogue="t-wg", party="USA")["mean_score"] == 0.0
    assert one(rows, dialogue="t-wg", party="USA")["share_complete"] == 0.0


def test_a_hidden_assessment_does_not_count_for_a_us_actor(
    world: None, usa_coordinator: Actor
) -> None:
    # Japan's delivery of t-c1 (score 1, complete) is government-internal.
    operator_rows = ours(compliance(actor=Actor.operator(), as_of=D)["by_dialogue"])
    usa_rows = ours(compliance(actor=usa_coordinator, as_of=D)["by_dialogue"])
    assert one(operator_rows, dialogue="t-wg", party="JPN")["mean_score"] == 1.0
    assert one(usa_rows, dialogue="t-wg", party="JPN")["mean_score"] == 0.0
    assert one(usa_rows, dialogue="t-wg", party="JPN")["share_complete"] == 0.0


def test_party_and_year_figures_add_up_their_commitments(load_world: LoadWorld) -> None:
    # User-assigned ISO codes keep these parties apart from any other data in the database.
    load_world(
        {
            "governments": [{"id": "XAA", "name": "Test A"}, {"id": "XBB", "name": "Test B"}],
            "agencies": [
                {"id": "t-xaa-trade", "government": "XAA", "name": "A trade"},
                {"id": "t-xbb-trade", "government": "XBB", "name": "B trade"},
            ],
            "dialogues": [
                dialogue("t-x", "2020-01-01", {"XAA": ["t-xaa-trade"], "XBB": ["t-xbb-trade"]})
            ],
            "commitments": [
                commitment("t-x1", "t-x", "2020-05-01", ["t-solo"], parties=["XAA", "XBB"]),
                commitment("t-x2", "t-x", "2021-05-01", ["t-solo"], parties=["XAA", "XBB"]),
                commitment("t-x3", "t-x", "2021-06-01", ["t-solo"], parties=["XAA"]),
                commitment(
                    "t-x4", "t-x", "2021-07-01", ["t-solo"], parties=["XAA"], lifecycle="superseded"
                ),
            ],
            "assessments": [
                assessment(
                    "t-x1-a",
                    "t-x1",
                    "XAA",
                    "2022-01-01",
                    "delivered",
                    score=1,
                    completion="complete",
                ),
                assessment(
                    "t-x1-b",
                    "t-x1",
                    "XBB",
                    "2022-01-01",
                    "in-progress",
                    score=0,
                    completion="limited",
                ),
                assessment(
                    "t-x2-a",
                    "t-x2",
                    "XAA",
                    "2022-01-01",
                    "stalled",
                    score=-1,
                    completion="not-started",
                ),
                assessment("t-x3-a", "t-x3", "XAA", "2022-01-01", "in-progress"),
                assessment(
                    "t-x4-a",
                    "t-x4",
                    "XAA",
                    "2022-01-01",
                    "delivered",
                    score=1,
                    completion="complete",
                ),
            ],
        }
    )
    result = compliance(actor=Actor.operator(), as_of=D)
    xaa = one(result["by_party"], party="XAA")
    # t-x4 is superseded (it counts at its target); t-x3 gives neither score nor level.
    assert xaa == {
        "party": "XAA",
        "mean_score": 0.0,
        "share_complete": 0.5,
        "n": 3,
        "n_scored": 2,
        "n_rated": 2,
    }
    assert one(result["by_party"], party="XBB")["n"] == 1
    assert one(result["by_year"], year=2020, party="XAA")["mean_score"] == 1.0
    assert one(result["by_year"], year=2021, party="XAA") == {
        "year": 2021,
        "party": "XAA",
        "mean_score": -1.0,
        "share_complete": 0.0,
        "n": 2,
        "n_scored": 1,
        "n_rated": 1,
    }


def test_a_figure_with_nothing_behind_it_is_null(load_world: LoadWorld) -> None:
    load_world(
        {
            "governments": [{"id": "XAA", "name": "Test A"}],
            "agencies": [{"id": "t-xaa-trade", "government": "XAA", "name": "A trade"}],
            "dialogues": [dialogue("t-x", "2020-01-01", {"XAA": ["t-xaa-trade"]})],
            "commitments": [commitment("t-x1", "t-x", "2020-05-01", ["t-solo"], parties=["XAA"])],
            "assessments": [assessment("t-x1-a", "t-x1", "XAA", "2022-01-01", "in-progress")],
        }
    )
    row = one(compliance(actor=Actor.operator(), as_of=D)["by_party"], party="XAA")
    assert row["mean_score"] is None
    assert row["share_complete"] is None
    assert row["n"] == 1
