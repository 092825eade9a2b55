"""Coverage: topic × active dialogue × party, leaf cells and family unions."""

from __future__ import annotations

import datetime as dt
import gc
from typing import Any

import pytest

from kizuna.access.actor import Actor
from kizuna.analysis import coverage as coverage_module
from kizuna.analysis.coverage import coverage

from .helpers import find, one, ours

D = dt.date(2023, 6, 1)


def test_a_leaf_cell_counts_agenda_items_and_the_partys_commitments(world: None) -> None:
    cells = ours(coverage(actor=Actor.operator(), as_of=D)["cells"])
    assert one(cells, topic="t-alpha", dialogue="t-wg", party="USA") == {
        "topic": "t-alpha",
        "dialogue": "t-wg",
        "party": "USA",
        "agencies": ["commerce"],
        "agenda_items": 0,
        "commitments": 1,
    }
    summit = one(cells, topic="t-alpha", dialogue="t-summit", party="JPN")
    assert summit is not None
    assert summit["agenda_items"] == 1
    assert summit["commitments"] == 0
    assert summit["agencies"] == ["kantei"]


def test_owning_agencies_are_the_leads_and_the_commitment_owners(world: None) -> None:
    cells = ours(coverage(actor=Actor.operator(), as_of=D)["cells"])
    # t-c3 on t-gamma is owned by the White House alone; Japan owns it through its summit lead.
    assert one(cells, topic="t-gamma", dialogue="t-summit", party="USA")["agencies"] == [
        "white-house"
    ]
    assert one(cells, topic="t-gamma", dialogue="t-summit", party="JPN")["agencies"] == ["kantei"]
    assert one(cells, topic="t-gamma", dialogue="t-econ", party="USA")["agencies"] == [
        "commerce",
        "state",
    ]


def test_cells_are_per_leaf_topic_only(world: None) -> None:
    cells = ours(coverage(actor=Actor.operator(), as_of=D)["cells"])
    topics = {c["topic"] for c in cells}
    assert "t-family" not in topics
    assert "t-beta" not in topics
    assert "t-beta-one" in topics


def test_a_family_total_is_a_union_never_a_sum_of_its_children(world: None) -> None:
    result = coverage(actor=Actor.operator(), as_of=D)
    cells, families = ours(result["cells"]), ours(result["families"])
    # t-c2 is tagged t-alpha and t-gamma: one commitment in each leaf, one in the family.
    assert one(cells, topic="t-alpha", dialogue="t-econ", party="USA")["commitments"] == 1
    assert one(cells, topic="t-gamma", dialogue="t-econ", party="USA")["commitments"] == 1
    assert one(families, topic="t-family", dialogue="t-econ", party="USA")["commitments"] == 1
    # t-wg holds t-c1 (alpha) and t-c8 (beta-one, two levels down): both count toward t-family.
    assert one(families, topic="t-family", dialogue="t-wg", party="JPN")["commitments"] == 2
    assert one(families, topic="t-beta", dialogue="t-wg", party="JPN")["commitments"] == 1
    # Two agenda items at the summit (alpha and beta-one) make two family items.
    assert one(families, topic="t-family", dialogue="t-summit", party="USA")["agenda_items"] == 2


def test_only_active_dialogues_carry_topics(world: None) -> None:
    before_end = ours(coverage(actor=Actor.operator(), as_of=dt.date(2022, 1, 1))["cells"])
    after_end = ours(coverage(actor=Actor.operator(), as_of=D)["cells"])
    assert find(before_end, topic="t-delta", dialogue="t-old", party="USA") is not None
    assert {c["dialogue"] for c in after_end if c["dialogue"] == "t-old"} == set()
    # t-late starts in 2024.
    assert all(c["dialogue"] != "t-late" for c in after_end)


def test_commitments_count_from_the_day_they_are_made(world: None) -> None:
    cells = ours(coverage(actor=Actor.operator(), as_of=dt.date(2021, 3, 31))["cells"])
    assert one(cells, topic="t-alpha", dialogue="t-wg", party="USA")["commitments"] == 1
    assert find(cells, topic="t-beta-one", dialogue="t-wg", party="USA") is None  # t-c8: 2021-04-01
    earlier = ours(coverage(actor=Actor.operator(), as_of=dt.date(2021, 2, 28))["cells"])
    assert find(earlier, topic="t-alpha", dialogue="t-wg", party="USA") is None


def test_agenda_items_of_a_later_round_do_not_count_yet(world: None) -> None:
    cells = ours(coverage(actor=Actor.operator(), as_of=D)["cells"])
    assert find(cells, topic="t-beta-one", dialogue="t-econ", party="USA") is None
    later = ours(coverage(actor=Actor.operator(), as_of=dt.date(2023, 9, 1))["cells"])
    assert one(later, topic="t-beta-one", dialogue="t-econ", party="USA")["agenda_items"] == 1


def test_a_withdrawn_commitment_carries_nothing(world: None) -> None:
    # t-c7 (withdrawn) is the only U.S. commitment on t-delta in t-econ.
    cells = ours(coverage(actor=Actor.operator(), as_of=D)["cells"])
    assert one(cells, topic="t-delta", dialogue="t-econ", party="USA")["commitments"] == 0


def test_a_hidden_commitment_does_not_count_for_a_us_actor(
    world: None, usa_coordinator: Actor
) -> None:
    operator_cells = ours(coverage(actor=Actor.operator(), as_of=D)["cells"])
    usa_cells = ours(coverage(actor=usa_coordinator, as_of=D)["cells"])
    # t-c5 is Japan's government-internal commitment: the only one on t-delta in t-econ.
    assert one(operator_cells, topic="t-delta", dialogue="t-econ", party="JPN")["commitments"] == 1
    assert find(usa_cells, topic="t-delta", dialogue="t-econ", party="JPN") is None
    usa_families = ours(coverage(actor=usa_coordinator, as_of=D)["families"])
    assert one(usa_families, topic="t-family", dialogue="t-econ", party="JPN")["commitments"] == 1


def test_a_japanese_coordinator_sees_its_own_internal_commitment(
    world: None, jpn_coordinator: Actor
) -> None:
    cells = ours(coverage(actor=jpn_coordinator, as_of=D)["cells"])
    assert one(cells, topic="t-delta", dialogue="t-econ", party="JPN")["commitments"] == 1


def test_counts_are_integers_and_parties_upper_case(world: None) -> None:
    result = coverage(actor=Actor.operator(), as_of=D)
    assert result["as_of"] == "2023-06-01"
    for row in ours(result["cells"]) + ours(result["families"]):
        assert type(row["agenda_items"]) is int
        assert type(row["commitments"]) is int
        assert row["party"] == row["party"].upper() and len(row["party"]) == 3


def test_coverage_leaves_the_cycle_collector_as_it_found_it(
    world: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Coverage holds the collector while it counts (its objects form no cycles).
    seen_while_counting: list[bool] = []
    real_gather = coverage_module.gather

    def watched(**kwargs: Any) -> Any:
        seen_while_counting.append(gc.isenabled())
        return real_gather(**kwargs)

    monkeypatch.setattr(coverage_module, "gather", watched)
    assert gc.isenabled()
    coverage(actor=Actor.operator(), as_of=D)
    assert seen_while_counting == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        coverage(actor=Actor.operator(), as_of=D)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_cycle_collector_resumes_when_coverage_fails(
    world: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(**_: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(coverage_module, "gather", failing)
    with pytest.raises(RuntimeError):
        coverage(actor=Actor.operator(), as_of=D)
    assert gc.isenabled()


def test_totals_count_a_joint_commitment_once_whoever_commits(
    world: None, usa_coordinator: Actor
) -> None:
    """The heatmap summed the party cells, counting a joint commitment once per committing
    government: the totals count each live commitment once per leaf topic and dialogue."""
    from kizuna.analysis.asof import active_commitments, active_dialogues

    for actor in (Actor.operator(), usa_coordinator):
        result = coverage(actor=actor, as_of=D)
        live = active_commitments(actor, D, active_dialogues(actor, D))
        expected: dict[tuple[str, str], int] = {}
        for topic, dialogue in live.values_list("topics", "dialogue_id").distinct():
            if topic is not None:
                key = (topic, dialogue)
                expected[key] = live.filter(topics=topic, dialogue_id=dialogue).count()
        totals = {
            (row["topic"], row["dialogue"]): row["commitments"]
            for row in result["totals"]
            if row["commitments"]
        }
        leaves = {cell["topic"] for cell in result["cells"]}
        assert totals == {k: n for k, n in expected.items() if k[0] in leaves}
        joint = [
            row
            for row in result["totals"]
            if row["commitments"]
            and sum(
                c["commitments"]
                for c in result["cells"]
                if (c["topic"], c["dialogue"]) == (row["topic"], row["dialogue"])
            )
            > row["commitments"]
        ]
        assert joint, "the world has a joint commitment: its parties' cells sum to more"
        for row in result["totals"]:
            cells = [
                c
                for c in result["cells"]
                if (c["topic"], c["dialogue"]) == (row["topic"], row["dialogue"])
            ]
            assert cells and all(c["agenda_items"] == row["agenda_items"] for c in cells)
