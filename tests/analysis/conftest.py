"""A small, precise world for the analyses, loaded through the dataset loader.

Everything this scenario adds carries a `t-` prefix (topics, dialogues, records), so the
assertions hold whether or not the demo dataset is loaded beside it. Governments and the
well-known agencies are reference data that the demo defines too: the loader upserts them.

The story, in world time:
- t-summit (2020, leaders: white-house / kantei) has a working group t-wg (2021, commerce /
  meti); t-econ (2021-06, state + commerce / mofa + meti) runs beside them; t-old (2019,
  ustr / meti) ended on 2022-06-30; t-late starts in 2024; t-uni (2022, USA with KOR) has no
  Japanese side; t-undated (state / mofa) is concluded with no end date.
- Topic tree: t-family > t-alpha, t-beta (> t-beta-one), t-gamma, t-delta, t-epsilon; t-solo
  stands alone.
- t-c5 and one JPN assessment of t-c1 are government-internal to Japan: a U.S. actor never
  sees them; the operator does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kizuna.access.actor import Actor
from kizuna.dataset.loader import load_dataset

SOURCE = [{"title": "Test fixture", "publisher": "Kizuna tests"}]

REFERENCE: dict[str, Any] = {
    "governments": [
        {"id": "USA", "name": "United States", "name_ja": "アメリカ合衆国"},
        {"id": "JPN", "name": "Japan", "name_ja": "日本"},
        {"id": "KOR", "name": "Republic of Korea", "name_ja": "大韓民国"},
    ],
    "agencies": [
        {
            "id": "white-house",
            "government": "USA",
            "name": "The White House",
            "kind": "leaders-office",
        },
        {"id": "commerce", "government": "USA", "name": "Department of Commerce"},
        {"id": "state", "government": "USA", "name": "Department of State"},
        {"id": "ustr", "government": "USA", "name": "Office of the U.S. Trade Representative"},
        {
            "id": "kantei",
            "government": "JPN",
            "name": "Prime Minister's Office",
            "kind": "leaders-office",
        },
        {"id": "meti", "government": "JPN", "name": "Ministry of Economy, Trade and Industry"},
        {"id": "mofa", "government": "JPN", "name": "Ministry of Foreign Affairs"},
        {"id": "t-kor-trade", "government": "KOR", "name": "Test Korean trade ministry"},
    ],
    "topics": [
        {"id": "t-family", "name": "Test family", "parent": None},
        {"id": "t-alpha", "name": "Test alpha", "parent": "t-family"},
        {"id": "t-beta", "name": "Test beta", "parent": "t-family"},
        {"id": "t-beta-one", "name": "Test beta one", "parent": "t-beta"},
        {"id": "t-gamma", "name": "Test gamma", "parent": "t-family"},
        {"id": "t-delta", "name": "Test delta", "parent": "t-family"},
        {"id": "t-epsilon", "name": "Test epsilon", "parent": "t-family"},
        {"id": "t-solo", "name": "Test solo", "parent": None},
    ],
}


def dialogue(did: str, launched: str, leads: dict[str, list[str]], **extra: Any) -> dict[str, Any]:
    return {
        "id": did,
        "name": f"Dialogue {did}",
        "kind": extra.pop("kind", "ministerial-dialogue"),
        "launched": launched,
        "parties": list(leads),
        "leads": leads,
        "sources": SOURCE,
        **extra,
    }


def commitment(
    cid: str, dialogue_id: str, made_on: str, topics: list[str], **extra: Any
) -> dict[str, Any]:
    parties = extra.pop("parties", ["USA", "JPN"])
    return {
        "id": cid,
        "text": f"Commitment {cid}",
        "dialogue": dialogue_id,
        "made_on": made_on,
        "parties": parties,
        "topics": topics,
        "sources": SOURCE,
        **extra,
    }


def assessment(
    aid: str, cid: str, party: str, as_of: str, status: str, **extra: Any
) -> dict[str, Any]:
    return {
        "id": aid,
        "commitment": cid,
        "party": party,
        "as_of": as_of,
        "status": status,
        "sources": SOURCE,
        "illustrative": True,
        **extra,
    }


JPN_INTERNAL = {"marking": "government-internal", "owner": {"government": "JPN", "agency": "meti"}}

SCENARIO: dict[str, Any] = {
    "dialogues": [
        dialogue(
            "t-summit",
            "2020-01-01",
            {"USA": ["white-house"], "JPN": ["kantei"]},
            kind="leaders-partnership",
        ),
        dialogue(
            "t-wg",
            "2021-01-01",
            {"USA": ["commerce"], "JPN": ["meti"]},
            kind="working-group",
            parent="t-summit",
        ),
        dialogue("t-econ", "2021-06", {"USA": ["state", "commerce"], "JPN": ["mofa", "meti"]}),
        dialogue(
            "t-old",
            "2019-01-01",
            {"USA": ["ustr"], "JPN": ["meti"]},
            ended="2022-06-30",
            status="concluded",
        ),
        dialogue("t-late", "2024-01-01", {"USA": ["commerce"], "JPN": ["meti"]}),
        dialogue("t-uni", "2022-01-01", {"USA": ["ustr"], "KOR": ["t-kor-trade"]}),
        dialogue(
            "t-undated", "2019-01-01", {"USA": ["state"], "JPN": ["mofa"]}, status="concluded"
        ),
    ],
    "meetings": [
        {
            "id": "t-econ-2022-05-01",
            "dialogue": "t-econ",
            "round": 1,
            "title": "First round",
            "date": "2022-05-01",
            "level": "ministerial",
            "sources": SOURCE,
        },
        {
            "id": "t-wg-2023-03-01",
            "dialogue": "t-wg",
            "round": 1,
            "title": "Working group meets",
            "date": "2023-03-01",
            "level": "working",
            "sources": SOURCE,
        },
        {
            "id": "t-econ-2023-09-01",
            "dialogue": "t-econ",
            "round": 2,
            "title": "Second round",
            "date": "2023-09-01",
            "level": "ministerial",
            "sources": SOURCE,
        },
    ],
    "agenda_items": [
        {
            "id": "t-ai-summit-alpha",
            "dialogue": "t-summit",
            "title": "Alpha at the summit",
            "topics": ["t-alpha"],
        },
        {
            "id": "t-ai-summit-beta",
            "dialogue": "t-summit",
            "title": "Beta one",
            "topics": ["t-beta-one"],
        },
        {
            "id": "t-ai-econ-beta",
            "dialogue": "t-econ",
            "meeting": "t-econ-2023-09-01",
            "title": "Beta one, later",
            "topics": ["t-beta-one"],
        },
        {
            "id": "t-ai-undated",
            "dialogue": "t-undated",
            "title": "Epsilon",
            "topics": ["t-epsilon"],
        },
    ],
    "commitments": [
        commitment(
            "t-c1",
            "t-wg",
            "2021-03-01",
            ["t-alpha"],
            owners={"USA": ["commerce"], "JPN": ["meti"]},
            deadline={"text": "by the end of 2022", "earliest": None, "latest": "2022-12-31"},
        ),
        commitment(
            "t-c2",
            "t-econ",
            "2021-07-01",
            ["t-alpha", "t-gamma"],
            owners={"USA": ["state"], "JPN": ["mofa"]},
            deadline={"text": "by mid-2023", "earliest": None, "latest": "2023-06-30"},
        ),
        commitment("t-c3", "t-summit", "2020-06-01", ["t-gamma"], owners={"USA": ["white-house"]}),
        commitment("t-c4", "t-old", "2019-06", ["t-delta"]),
        commitment(
            "t-c5",
            "t-econ",
            "2022-01-01",
            ["t-delta"],
            parties=["JPN"],
            owners={"JPN": ["meti"]},
            **JPN_INTERNAL,
        ),
        commitment(
            "t-c6",
            "t-uni",
            "2022-02-01",
            ["t-solo"],
            parties=["USA", "KOR"],
            owners={"USA": ["ustr"]},
        ),
        commitment("t-c7", "t-econ", "2021-08-01", ["t-delta"], lifecycle="withdrawn"),
        commitment(
            "t-c8",
            "t-wg",
            "2021-04-01",
            ["t-beta-one"],
            owners={"USA": ["commerce"], "JPN": ["meti"]},
        ),
    ],
    "assessments": [
        assessment(
            "t-a1-usa-1", "t-c1", "USA", "2022-01-01", "in-progress", score=0, completion="limited"
        ),
        assessment(
            "t-a1-usa-2", "t-c1", "USA", "2023-01-15", "delivered", score=1, completion="complete"
        ),
        assessment(
            "t-a1-jpn-1",
            "t-c1",
            "JPN",
            "2022-02-01",
            "in-progress",
            score=0,
            completion="substantial",
        ),
        assessment(
            "t-a1-jpn-2",
            "t-c1",
            "JPN",
            "2023-02-01",
            "delivered",
            score=1,
            completion="complete",
            **JPN_INTERNAL,
        ),
        assessment(
            "t-a2-usa", "t-c2", "USA", "2022-03-01", "in-progress", score=0, completion="limited"
        ),
        assessment(
            "t-a2-jpn",
            "t-c2",
            "JPN",
            "2022-03-01",
            "in-progress",
            score=-1,
            completion="substantial",
            reviews=[
                {
                    "party": "USA",
                    "verdict": "contested",
                    "reason": "no sign of it",
                    "on": "2022-04-01",
                }
            ],
        ),
        assessment(
            "t-a3-usa", "t-c3", "USA", "2021-01-01", "delivered", score=1, completion="complete"
        ),
        assessment(
            "t-a3-jpn", "t-c3", "JPN", "2021-01-01", "delivered", score=1, completion="complete"
        ),
    ],
    "concerns": [
        {
            "id": "t-k1",
            "title": "Export licence delays",
            "raised_by": "JPN",
            "about": "USA",
            "dialogue": "t-econ",
            "raised_at": ["t-econ-2022-05-01", "t-econ-2023-09-01"],
            "first_raised": "2022-05",
            "sources": SOURCE,
        },
        {
            "id": "t-k2",
            "title": "Rice tariffs",
            "raised_by": "USA",
            "about": "JPN",
            "first_raised": "2021-01-01",
            "status": "resolved",
            "resolved_on": "2023-01-01",
            "sources": SOURCE,
        },
        {
            "id": "t-k3",
            "title": "Steel quotas",
            "raised_by": "JPN",
            "about": "USA",
            "dialogue": "t-econ",
            "first_raised": "2023-02-01",
            "status": "easing",
            "sources": SOURCE,
        },
        {
            "id": "t-k4",
            "title": "An internal worry",
            "raised_by": "JPN",
            "about": "USA",
            "first_raised": "2022-01-01",
            "sources": SOURCE,
            **JPN_INTERNAL,
        },
    ],
}

LoadWorld = Callable[..., None]


@pytest.fixture
def load_world(tmp_path: Path, db: None) -> LoadWorld:
    """Load the reference data and any number of extra dataset mappings, in order."""

    def load(*datasets: dict[str, Any]) -> None:
        for i, data in enumerate((REFERENCE, *datasets)):
            path = tmp_path / f"{i:02d}.yaml"
            path.write_text(
                yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            load_dataset([path], actor=Actor.operator())

    return load


@pytest.fixture
def world(load_world: LoadWorld) -> None:
    load_world(SCENARIO)


@pytest.fixture
def usa_coordinator() -> Actor:
    return Actor(name="usa-coordinator", government="USA", agency="white-house", role="coordinator")


@pytest.fixture
def jpn_coordinator() -> Actor:
    return Actor(name="jpn-coordinator", government="JPN", agency="kantei", role="coordinator")
