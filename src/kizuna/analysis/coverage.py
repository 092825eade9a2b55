"""Coverage: which active dialogues carry each topic, and which agencies of each party own it.

One cell per leaf topic, active dialogue carrying it, and party of that dialogue. Tags on
a family (a topic with children) count toward the family only; the family rows under
`families` are unions over the family's subtree, never sums of its children's cells, so a
commitment tagged with two children of a family counts once toward the family.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import TypedDict

from kizuna.access.actor import Actor
from kizuna.analysis.asof import active_dialogues, agenda_items_on
from kizuna.analysis.bulk import cycle_collector_paused
from kizuna.analysis.carriage import (
    Carriage,
    TopicDialogue,
    TopicDialogueParty,
    family_agenda_counts,
    gather,
)
from kizuna.registry.taxonomy import Taxonomy


class CoverageCell(TypedDict):
    topic: str
    dialogue: str
    party: str
    agencies: list[str]
    agenda_items: int
    commitments: int


class CoverageTotal(TypedDict):
    topic: str
    dialogue: str
    agenda_items: int
    commitments: int


class Coverage(TypedDict):
    as_of: str
    cells: list[CoverageCell]
    families: list[CoverageCell]
    # Per leaf topic and carrying dialogue, all parties together: a joint commitment once
    # (summing the cells would count it once per committing party).
    totals: list[CoverageTotal]


@cycle_collector_paused()
def coverage(*, actor: Actor, as_of: dt.date) -> Coverage:
    """Topic × active dialogue × party on `as_of`, as `actor` may see it."""
    taxonomy = Taxonomy.load()
    carriage = gather(actor=actor, as_of=as_of, taxonomy=taxonomy)
    leaves = {topic: [topic] for topic in taxonomy.leaves()}
    cells = _cells(carriage, leaves, carriage.owners, carriage.agenda_items, carriage.commitments)

    dialogues = active_dialogues(actor, as_of)
    families = {family: taxonomy.subtree(family) for family in taxonomy.families()}
    # A family's owners are the union of its subtree's: gathered once, not per cell.
    families_of = {
        topic: [f for f in (topic, *taxonomy.ancestors(topic)) if f in families]
        for topic in taxonomy.parent
    }
    family_owners: dict[TopicDialogueParty, set[str]] = defaultdict(set)
    for (topic, dialogue, party), agencies in carriage.owners.items():
        for family in families_of.get(topic, ()):
            family_owners[(family, dialogue, party)] |= agencies
    family_cells = _cells(
        carriage,
        families,
        family_owners,
        family_agenda_counts(agenda_items_on(actor, as_of, dialogues), taxonomy),
        carriage.family_commitments,
    )
    return {
        "as_of": as_of.isoformat(),
        "cells": cells,
        "families": family_cells,
        "totals": _totals(carriage, list(leaves)),
    }


def _totals(carriage: Carriage, leaves: list[str]) -> list[CoverageTotal]:
    """Agenda items and commitments per leaf topic and dialogue carrying it."""
    return [
        {
            "topic": topic,
            "dialogue": dialogue,
            "agenda_items": int(carriage.agenda_items.get((topic, dialogue), 0)),
            "commitments": int(carriage.commitments_in.get((topic, dialogue), 0)),
        }
        for topic in sorted(leaves)
        for dialogue in sorted(carriage.carrying(topic))
    ]


def _cells(
    carriage: Carriage,
    topics: Mapping[str, list[str]],
    owners: Mapping[TopicDialogueParty, set[str]],
    agenda_items: Mapping[TopicDialogue, int],
    commitments: Mapping[TopicDialogueParty, int],
) -> list[CoverageCell]:
    """One cell per topic, dialogue carrying it (or its subtree) and party of that dialogue.

    `topics` maps each row topic to what counts toward it: itself, or a family's subtree;
    `owners` and the counts are already keyed by the row topic.
    """
    cells: list[CoverageCell] = []
    # A dialogue's parties and leads, sorted once rather than once per topic.
    parties = {d: sorted(p) for d, p in carriage.parties.items()}
    leads = {
        (d, party): sorted(agencies)
        for d, by_party in carriage.leads.items()
        for party, agencies in by_party.items()
    }
    for topic in sorted(topics):
        for dialogue in sorted(carriage.carrying_any(topics[topic])):
            items = int(agenda_items.get((topic, dialogue), 0))
            for party in parties.get(dialogue, ()):
                key = (topic, dialogue, party)
                owned = owners.get(key)
                lead = leads.get((dialogue, party), [])
                cells.append(
                    {
                        "topic": topic,
                        "dialogue": dialogue,
                        "party": party,
                        "agencies": sorted(owned.union(lead)) if owned else list(lead),
                        "agenda_items": items,
                        "commitments": int(commitments.get(key, 0)),
                    }
                )
    return cells
