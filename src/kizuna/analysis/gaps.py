"""Gaps against a priority framework: priority topics nobody, or only one side, owns.

Per leaf topic: a framework topic that has children stands for its leaves. A leaf is
`unowned` when no active dialogue carries it, and `one-sided` when one is carrying it but
one of the framework's parties has no owning agency for it (no agency of that party leads
a carrying dialogue or owns a live commitment on the topic there). A tag on a family does
not carry the family's children: a generic `economic-security` commitment leaves
`cybersecurity` a gap.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, TypedDict

from kizuna.access.actor import Actor
from kizuna.analysis.carriage import gather
from kizuna.analysis.frameworks import DEFAULT_FRAMEWORK, Framework, framework_for
from kizuna.registry.taxonomy import Taxonomy

GapKind = Literal["unowned", "one-sided"]


class Gap(TypedDict):
    topic: str
    kind: GapKind
    parties_without_owner: list[str]
    dialogues: list[str]


class Gaps(TypedDict):
    as_of: str
    framework: str
    parties: list[str]
    topics: list[str]
    gaps: list[Gap]


def gaps(*, actor: Actor, as_of: dt.date, framework: str | Framework = DEFAULT_FRAMEWORK) -> Gaps:
    """The framework's leaf topics left unowned or one-sided on `as_of`, as `actor` sees them.

    Raises `UnknownFramework` for a slug that names no framework.
    """
    chosen = framework if isinstance(framework, Framework) else framework_for(framework)
    taxonomy = Taxonomy.load()
    leaves = sorted(
        {
            leaf
            for topic in chosen.topics
            if topic in taxonomy
            for leaf in taxonomy.leaves_under(topic)
        }
    )
    carriage = gather(actor=actor, as_of=as_of, taxonomy=taxonomy, topics=leaves, counts=False)
    parties = sorted(chosen.parties)
    found: list[Gap] = []
    for topic in leaves:
        dialogues = sorted(carriage.carrying(topic))
        if not dialogues:
            found.append(
                {
                    "topic": topic,
                    "kind": "unowned",
                    "parties_without_owner": parties,
                    "dialogues": [],
                }
            )
            continue
        without = [p for p in parties if not carriage.owners_anywhere([topic], p)]
        if without:
            found.append(
                {
                    "topic": topic,
                    "kind": "one-sided",
                    "parties_without_owner": without,
                    "dialogues": dialogues,
                }
            )
    return {
        "as_of": as_of.isoformat(),
        "framework": chosen.slug,
        "parties": parties,
        "topics": leaves,
        "gaps": found,
    }
