"""Overlaps: one topic worked in independent active dialogues by different agencies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kizuna.access.actor import Actor
from kizuna.analysis.links import near_duplicate_pairs
from kizuna.analysis.overlaps import overlaps
from kizuna.commitments.models import Commitment, CommitmentLink

from .conftest import LoadWorld, commitment, dialogue
from .helpers import find, one

D = dt.date(2023, 6, 1)


def ours(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in result["overlaps"] if o["topic"].startswith("t-")]


def test_a_topic_in_two_dialogues_with_different_leads_overlaps(world: None) -> None:
    found = ours(overlaps(actor=Actor.operator(), as_of=D))
    gamma = one(found, topic="t-gamma")
    assert gamma["dialogues"] == ["t-econ", "t-summit"]
    assert gamma["leads"] == {
        "JPN": ["kantei", "meti", "mofa"],
        "USA": ["commerce", "state", "white-house"],
    }
    assert gamma["leads_by_dialogue"]["t-summit"] == {"JPN": ["kantei"], "USA": ["white-house"]}
    assert gamma["parties_differing"] == ["JPN", "USA"]
    assert gamma["linked_commitments"] == []


def test_an_ancestor_dialogue_is_delegation_not_duplication(world: None) -> None:
    found = ours(overlaps(actor=Actor.operator(), as_of=D))
    # t-alpha: t-summit (agenda), its working group t-wg, and t-econ: the summit drops out.
    assert one(found, topic="t-alpha")["dialogues"] == ["t-econ", "t-wg"]
    # t-beta-one: only t-summit and its own working group carry it: no overlap.
    assert find(found, topic="t-beta-one") is None


def test_dialogues_led_by_the_same_agencies_do_not_overlap(load_world: LoadWorld) -> None:
    leads = {"USA": ["commerce"], "JPN": ["meti"]}
    load_world(
        {
            "dialogues": [
                dialogue("t-same-a", "2021-01-01", leads),
                dialogue("t-same-b", "2021-01-01", leads),
            ],
            "commitments": [
                commitment("t-same-c1", "t-same-a", "2021-02-01", ["t-solo"]),
                commitment("t-same-c2", "t-same-b", "2021-02-01", ["t-solo"]),
            ],
        }
    )
    assert find(ours(overlaps(actor=Actor.operator(), as_of=D)), topic="t-solo") is None


def test_a_party_leading_only_one_of_the_dialogues_is_not_compared(load_world: LoadWorld) -> None:
    load_world(
        {
            "dialogues": [
                dialogue("t-pair-a", "2021-01-01", {"USA": ["commerce"], "JPN": ["meti"]}),
                dialogue("t-pair-b", "2021-01-01", {"USA": ["commerce"], "KOR": ["t-kor-trade"]}),
            ],
            "commitments": [
                commitment("t-pair-c1", "t-pair-a", "2021-02-01", ["t-solo"]),
                commitment(
                    "t-pair-c2", "t-pair-b", "2021-02-01", ["t-solo"], parties=["USA", "KOR"]
                ),
            ],
        }
    )
    assert find(ours(overlaps(actor=Actor.operator(), as_of=D)), topic="t-solo") is None


def test_an_overlap_needs_both_dialogues_active(world: None) -> None:
    # t-gamma's dialogues both run from 2021-06; before t-econ starts there is no overlap.
    assert (
        find(ours(overlaps(actor=Actor.operator(), as_of=dt.date(2021, 1, 1))), topic="t-gamma")
        is None
    )


def test_pillar_leads_count_among_a_dialogues_leads(load_world: LoadWorld) -> None:
    load_world(
        {
            "dialogues": [
                dialogue("t-pil-a", "2021-01-01", {"USA": ["commerce"], "JPN": ["meti"]}),
                dialogue("t-pil-b", "2021-01-01", {"USA": ["commerce"], "JPN": ["meti"]}),
            ],
            "pillars": [
                {
                    "id": "t-pil-b-1",
                    "dialogue": "t-pil-b",
                    "number": 1,
                    "name": "Pillar",
                    "leads": {"USA": ["ustr"]},
                },
            ],
            "commitments": [
                commitment("t-pil-c1", "t-pil-a", "2021-02-01", ["t-solo"]),
                commitment("t-pil-c2", "t-pil-b", "2021-02-01", ["t-solo"], pillar="t-pil-b-1"),
            ],
        }
    )
    solo = one(ours(overlaps(actor=Actor.operator(), as_of=D)), topic="t-solo")
    assert solo["leads"]["USA"] == ["commerce", "ustr"]
    assert solo["parties_differing"] == ["USA"]


def test_a_hidden_dialogue_makes_no_overlap_for_a_us_actor(
    load_world: LoadWorld, usa_coordinator: Actor
) -> None:
    secret = dialogue(
        "t-secret",
        "2021-01-01",
        {"JPN": ["mofa"], "USA": ["state"]},
        marking="government-internal",
        owner={"government": "JPN", "agency": "mofa"},
    )
    load_world(
        {
            "dialogues": [
                dialogue("t-open", "2021-01-01", {"USA": ["commerce"], "JPN": ["meti"]}),
                secret,
            ],
            "commitments": [
                commitment("t-open-c1", "t-open", "2021-02-01", ["t-solo"]),
                commitment(
                    "t-secret-c1",
                    "t-secret",
                    "2021-02-01",
                    ["t-solo"],
                    marking="government-internal",
                    owner={"government": "JPN", "agency": "mofa"},
                ),
            ],
        }
    )
    assert one(ours(overlaps(actor=Actor.operator(), as_of=D)), topic="t-solo")["dialogues"] == [
        "t-open",
        "t-secret",
    ]
    assert find(ours(overlaps(actor=usa_coordinator, as_of=D)), topic="t-solo") is None


def link(a: str, b: str) -> None:
    first, second = sorted([a, b])
    CommitmentLink.objects.create(
        commitment_a_id=first, commitment_b_id=second, score=0.9, method="test"
    )


def test_near_duplicate_links_across_the_dialogues_are_listed(world: None) -> None:
    link("t-c1", "t-c2")  # t-wg and t-econ, both on t-alpha
    link("t-c2", "t-c3")  # t-econ and t-summit, both on t-gamma
    link("t-c1", "t-c8")  # both in t-wg: not across the overlap's dialogues
    found = ours(overlaps(actor=Actor.operator(), as_of=D))
    assert one(found, topic="t-alpha")["linked_commitments"] == [["t-c1", "t-c2"]]
    assert one(found, topic="t-gamma")["linked_commitments"] == [["t-c2", "t-c3"]]


def test_a_link_to_a_hidden_commitment_is_not_shown(world: None, usa_coordinator: Actor) -> None:
    link("t-c2", "t-c5")  # t-c5 is Japan's internal commitment
    assert ("t-c2", "t-c5") in near_duplicate_pairs(Commitment.objects.all())
    usa_view = near_duplicate_pairs(Commitment.objects.visible_to(usa_coordinator))  # type: ignore[arg-type]
    assert [pair for pair in usa_view if "t-c5" in pair] == []


def test_a_leaders_summit_is_the_umbrella_of_its_parties_channels(load_world: LoadWorld) -> None:
    # ADR 0009: the summit restating a channel's topic is steering, not duplication.
    load_world(
        {
            "dialogues": [
                dialogue(
                    "t-lsum",
                    "2021-01-01",
                    {"USA": ["white-house"], "JPN": ["kantei"]},
                    kind="leaders-summit",
                ),
                dialogue("t-chan", "2021-01-01", {"USA": ["commerce"], "JPN": ["meti"]}),
                dialogue("t-chan-2", "2021-01-01", {"USA": ["ustr"], "JPN": ["mofa"]}),
            ],
            "commitments": [
                commitment("t-lsum-c1", "t-lsum", "2021-02-01", ["t-solo", "t-gamma"]),
                commitment("t-chan-c1", "t-chan", "2021-02-01", ["t-solo", "t-gamma"]),
                commitment("t-chan2-c1", "t-chan-2", "2021-02-01", ["t-gamma"]),
            ],
        }
    )
    found = ours(overlaps(actor=Actor.operator(), as_of=D))
    # The summit and one channel: no overlap left.
    assert find(found, topic="t-solo") is None
    # Two channels still overlap, without the summit among them.
    gamma = one(found, topic="t-gamma")
    assert "t-lsum" not in gamma["dialogues"]
    assert {"t-chan", "t-chan-2"} <= set(gamma["dialogues"])
