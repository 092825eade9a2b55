"""Coverage against a brute-force count on a random workspace: unions, leaves, parties."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

import pytest

from kizuna.access.actor import Actor
from kizuna.analysis.coverage import coverage

from .conftest import LoadWorld, commitment, dialogue
from .helpers import ours

LEAVES = ["t-alpha", "t-beta-one", "t-gamma", "t-delta", "t-epsilon"]
FAMILIES = {
    "t-family": {"t-family", "t-alpha", "t-beta", "t-beta-one", "t-gamma", "t-delta", "t-epsilon"},
    "t-beta": {"t-beta", "t-beta-one"},
}
TAGS = [*LEAVES, "t-beta", "t-family"]
D = dt.date(2023, 1, 1)


def random_world(seed: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rng = random.Random(seed)
    leads = {"USA": ["commerce"], "JPN": ["meti"], "KOR": ["t-kor-trade"]}
    dialogues = [dialogue(f"t-r{i}", "2020-01-01", leads) for i in range(3)]
    commitments = []
    for i in range(40):
        tags = rng.sample(TAGS, rng.randint(1, 3))
        parties = rng.sample(["USA", "JPN", "KOR"], rng.randint(1, 2))
        made_on = rng.choice(["2021-01-01", "2022-06-01", "2024-01-01"])
        commitments.append(
            commitment(
                f"t-r-c{i}",
                f"t-r{rng.randrange(3)}",
                made_on,
                tags,
                parties=parties,
                lifecycle=rng.choice(["active"] * 4 + ["withdrawn"]),
            )
        )
    return {"dialogues": dialogues, "commitments": commitments}, commitments


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_leaf_and_family_counts_match_a_brute_force_count(load_world: LoadWorld, seed: int) -> None:
    data, commitments = random_world(seed)
    load_world(data)
    expected: dict[tuple[str, str, str], int] = defaultdict(int)
    for c in commitments:
        if c["lifecycle"] != "active" or c["made_on"] > D.isoformat():
            continue
        for party in c["parties"]:
            for leaf in LEAVES:
                if leaf in c["topics"]:
                    expected[(leaf, c["dialogue"], party)] += 1
            for family, members in FAMILIES.items():
                if members & set(c["topics"]):
                    expected[(family, c["dialogue"], party)] += 1  # once, however many tags
    result = coverage(actor=Actor.operator(), as_of=D)
    rows = ours(result["cells"]) + ours(result["families"])
    got = {
        (r["topic"], r["dialogue"], r["party"]): r["commitments"] for r in rows if r["commitments"]
    }
    assert got == dict(expected)
