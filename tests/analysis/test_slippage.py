"""Slippage: overdue commitments, stale assessments and divergent views."""

from __future__ import annotations

import datetime as dt
import gc
from typing import Any

import pytest
from django.test import override_settings

from kizuna.access.actor import Actor
from kizuna.analysis import slippage as slippage_module
from kizuna.analysis.slippage import _divergent, slippage

from .helpers import find, one, ours

D = dt.date(2023, 6, 1)


def test_past_the_deadline_without_delivery_is_overdue_per_party(world: None) -> None:
    # t-c2 is due 2023-06-30 and nobody has delivered.
    result = slippage(actor=Actor.operator(), as_of=dt.date(2023, 7, 1))
    overdue = ours(result["overdue"])
    assert one(overdue, commitment="t-c2", party="USA") == {
        "commitment": "t-c2",
        "dialogue": "t-econ",
        "party": "USA",
        "date": "2023-06-30",
        "status": "in-progress",
        "days_overdue": 1,
    }
    assert one(overdue, commitment="t-c2", party="JPN")["status"] == "in-progress"


def test_not_overdue_before_or_on_the_deadline(world: None) -> None:
    overdue = ours(slippage(actor=Actor.operator(), as_of=dt.date(2023, 6, 30))["overdue"])
    assert find(overdue, commitment="t-c2", party="USA") is None


def test_a_party_that_delivered_is_not_overdue(world: None) -> None:
    # t-c1 was due 2022-12-31; the U.S. delivered on 2023-01-15 and Japan on 2023-02-01.
    late = ours(slippage(actor=Actor.operator(), as_of=dt.date(2023, 1, 20))["overdue"])
    assert find(late, commitment="t-c1", party="USA") is None
    assert one(late, commitment="t-c1", party="JPN")["status"] == "in-progress"
    done = ours(slippage(actor=Actor.operator(), as_of=D)["overdue"])
    assert find(done, commitment="t-c1") is None


def test_a_hidden_delivery_does_not_count_for_a_us_actor(
    world: None, usa_coordinator: Actor
) -> None:
    # Japan recorded its delivery of t-c1 in a government-internal assessment.
    result = slippage(actor=usa_coordinator, as_of=D)
    assert one(ours(result["overdue"]), commitment="t-c1", party="JPN")["status"] == "in-progress"
    assert result["overdue_by_party"].get("JPN", 0) >= 1


def test_an_assessment_older_than_the_threshold_is_stale(world: None) -> None:
    stale = ours(slippage(actor=Actor.operator(), as_of=D)["stale"])
    assert one(stale, commitment="t-c2", party="USA") == {
        "commitment": "t-c2",
        "dialogue": "t-econ",
        "party": "USA",
        "date": "2022-03-01",
        "status": "in-progress",
        "age_days": 457,
    }
    # Delivered views need no fresh word.
    assert find(stale, commitment="t-c3", party="USA") is None


def test_the_threshold_comes_from_the_setting_or_the_argument(world: None) -> None:
    as_of = dt.date(2022, 6, 1)  # t-c2's assessments are 92 days old
    assert (
        find(ours(slippage(actor=Actor.operator(), as_of=as_of)["stale"]), commitment="t-c2")
        is None
    )
    with override_settings(KIZUNA_STALE_DAYS=90):
        result = slippage(actor=Actor.operator(), as_of=as_of)
        assert result["stale_days"] == 90
        assert find(ours(result["stale"]), commitment="t-c2", party="USA") is not None
    explicit = slippage(actor=Actor.operator(), as_of=as_of, stale_days=30)
    assert find(ours(explicit["stale"]), commitment="t-c2", party="JPN") is not None


def test_a_contested_assessment_makes_a_commitment_divergent_from_the_review_date(
    world: None,
) -> None:
    before = ours(slippage(actor=Actor.operator(), as_of=dt.date(2022, 3, 15))["divergent"])
    assert find(before, commitment="t-c2", party="JPN") is None
    after = ours(slippage(actor=Actor.operator(), as_of=dt.date(2022, 4, 1))["divergent"])
    assert one(after, commitment="t-c2", party="JPN") == {
        "commitment": "t-c2",
        "dialogue": "t-econ",
        "party": "JPN",
        "date": "2022-03-01",
        "status": "in-progress",
        "reasons": ["contested"],
        "contested_by": ["USA"],
    }
    assert one(after, commitment="t-c2", party="USA")["contested_by"] == []


def test_different_latest_statuses_are_divergent(world: None, usa_coordinator: Actor) -> None:
    # Between the U.S. delivery (2023-01-15) and Japan's (2023-02-01) the views differ.
    between = ours(slippage(actor=Actor.operator(), as_of=dt.date(2023, 1, 20))["divergent"])
    assert one(between, commitment="t-c1", party="USA")["reasons"] == ["statuses-differ"]
    assert one(between, commitment="t-c1", party="JPN")["status"] == "in-progress"
    # Once both delivered they agree, for the operator; a U.S. actor still sees Japan's old view.
    assert (
        find(ours(slippage(actor=Actor.operator(), as_of=D)["divergent"]), commitment="t-c1")
        is None
    )
    assert find(
        ours(slippage(actor=usa_coordinator, as_of=D)["divergent"]), commitment="t-c1", party="JPN"
    )


def test_agreeing_delivered_views_are_not_divergent(world: None) -> None:
    assert (
        find(ours(slippage(actor=Actor.operator(), as_of=D)["divergent"]), commitment="t-c3")
        is None
    )


def test_divergence_is_judged_per_commitment_over_all_its_sides() -> None:
    day = dt.date(2024, 1, 1)
    views = [  # sorted by commitment and party, as slippage reads them
        ("c1", "EUR", "a1", "d", day, "in-progress"),
        ("c1", "JPN", "a2", "d", day, "in-progress"),
        ("c1", "USA", "a3", "d", day, "delivered"),  # only the last side differs
        ("c2", "JPN", "a4", "d", day, "stalled"),  # one side, contested
        ("c3", "JPN", "a5", "d", day, "stalled"),
        ("c3", "USA", "a6", "d", day, "delivered"),  # differs and contested
        ("c4", "JPN", "a7", "d", day, "delivered"),
        ("c4", "USA", "a8", "d", day, "delivered"),  # agrees: absent
    ]
    rows = _divergent(views, {"a4": {"USA"}, "a6": {"JPN"}})
    assert [(r["commitment"], r["party"], r["reasons"], r["contested_by"]) for r in rows] == [
        ("c1", "EUR", ["statuses-differ"], []),
        ("c1", "JPN", ["statuses-differ"], []),
        ("c1", "USA", ["statuses-differ"], []),
        ("c2", "JPN", ["contested"], ["USA"]),
        ("c3", "JPN", ["statuses-differ", "contested"], []),
        ("c3", "USA", ["statuses-differ", "contested"], ["JPN"]),
    ]
    # Each row has its own list of reasons, so a caller may change one without the others.
    assert rows[0]["reasons"] is not rows[1]["reasons"]


def test_slippage_holds_the_cycle_collector_while_it_reads(
    world: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real = slippage_module.latest_assessments

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(slippage_module, "latest_assessments", watched)
    slippage(actor=Actor.operator(), as_of=D)
    assert seen == [False]
    assert gc.isenabled()
