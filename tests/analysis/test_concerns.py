"""Concerns: open trade irritants by party and age, and those at the latest round."""

from __future__ import annotations

import datetime as dt

from kizuna.access.actor import Actor
from kizuna.analysis.concerns import concerns

from .helpers import find, one

D = dt.date(2023, 10, 1)


def ours(rows: list) -> list:  # type: ignore[type-arg]
    return [r for r in rows if r["id"].startswith("t-")]


def test_open_concerns_carry_the_contract_fields(world: None) -> None:
    result = concerns(actor=Actor.operator(), as_of=D)
    assert result["as_of"] == "2023-10-01"
    k1 = one(ours(result["concerns"]), id="t-k1")
    assert {
        k: k1[k] for k in ("id", "raised_by", "about", "status", "first_raised", "last_raised")
    } == {
        "id": "t-k1",
        "raised_by": "JPN",
        "about": "USA",
        "status": "open",
        "first_raised": "2022-05",
        "last_raised": "2023-09-01",
    }
    assert k1["age_days"] == (D - dt.date(2022, 5, 1)).days
    assert k1["raised_at_latest_round"] is True


def test_a_resolved_concern_is_open_before_its_resolution(world: None) -> None:
    assert find(ours(concerns(actor=Actor.operator(), as_of=D)["concerns"]), id="t-k2") is None
    earlier = ours(concerns(actor=Actor.operator(), as_of=dt.date(2022, 12, 1))["concerns"])
    assert one(earlier, id="t-k2")["status"] == "open"


def test_a_concern_counts_from_its_first_raising(world: None) -> None:
    assert (
        find(
            ours(concerns(actor=Actor.operator(), as_of=dt.date(2023, 1, 31))["concerns"]),
            id="t-k3",
        )
        is None
    )
    assert (
        one(ours(concerns(actor=Actor.operator(), as_of=D)["concerns"]), id="t-k3")["status"]
        == "easing"
    )


def test_the_latest_round_is_the_latest_held_by_the_date(world: None) -> None:
    # t-econ's rounds: 2022-05-01 and 2023-09-01; t-k1 was raised at both, t-k3 at neither.
    before = concerns(actor=Actor.operator(), as_of=dt.date(2023, 6, 1))
    assert one(ours(before["concerns"]), id="t-k1")["last_raised"] == "2022-05-01"
    assert "t-k1" in before["latest_round"]
    after = concerns(actor=Actor.operator(), as_of=D)
    assert "t-k1" in after["latest_round"]
    assert "t-k3" not in after["latest_round"]
    assert one(ours(after["concerns"]), id="t-k3")["last_raised"] == "2023-02-01"


def test_open_concerns_are_grouped_by_party_and_sorted_by_age(world: None) -> None:
    result = concerns(actor=Actor.operator(), as_of=D)
    mine = ours(result["concerns"])
    jpn = [c["id"] for c in mine if c["raised_by"] == "JPN"]
    assert jpn == ["t-k4", "t-k1", "t-k3"]  # oldest first
    group = one(result["by_party"], raised_by="JPN", about="USA")
    assert group["n"] >= 3
    assert type(group["n"]) is int


def test_a_hidden_concern_is_not_listed_for_a_us_actor(world: None, usa_coordinator: Actor) -> None:
    assert find(ours(concerns(actor=usa_coordinator, as_of=D)["concerns"]), id="t-k4") is None
    assert (
        one(ours(concerns(actor=Actor.operator(), as_of=D)["concerns"]), id="t-k4")["status"]
        == "open"
    )
