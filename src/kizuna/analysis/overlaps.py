"""Overlaps: one topic worked in two or more active dialogues by different agencies.

A leaf topic overlaps when, after dropping every carrying dialogue that is an ancestor of
another carrying one (a parent handing a topic to its working group is delegation, not
duplication; the more specific dialogue stays), and every leaders' summit that shares a
party with another carrying dialogue (the leaders' umbrella, ADR 0009), at least two
dialogues remain and, for at
least one party leading two or more of them, the lead agencies differ. A party leading
only one of them duplicates nothing and is not compared.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TypedDict

from kizuna.access.actor import Actor
from kizuna.analysis.asof import active_commitments, active_dialogues
from kizuna.analysis.carriage import Carriage, gather
from kizuna.analysis.links import near_duplicate_pairs
from kizuna.core.batches import chunked
from kizuna.registry.taxonomy import Taxonomy


class Overlap(TypedDict):
    topic: str
    dialogues: list[str]
    leads: dict[str, list[str]]
    leads_by_dialogue: dict[str, dict[str, list[str]]]
    parties_differing: list[str]
    linked_commitments: list[list[str]]


class Overlaps(TypedDict):
    as_of: str
    overlaps: list[Overlap]


def overlaps(*, actor: Actor, as_of: dt.date) -> Overlaps:
    """Every overlapping leaf topic on `as_of`, with the near-duplicate commitments across it."""
    taxonomy = Taxonomy.load()
    carriage = gather(actor=actor, as_of=as_of, taxonomy=taxonomy, counts=False, owners=False)
    found: list[Overlap] = []
    for topic in taxonomy.leaves():
        dialogues = _independent(carriage, carriage.carrying(topic))
        if len(dialogues) < 2:
            continue
        by_dialogue = {
            d: {p: sorted(a) for p, a in sorted(carriage.leads.get(d, {}).items())}
            for d in dialogues
        }
        differing = _parties_with_different_leads(by_dialogue)
        if not differing:
            continue
        union: dict[str, set[str]] = defaultdict(set)
        for leads in by_dialogue.values():
            for party, agencies in leads.items():
                union[party] |= set(agencies)
        found.append(
            {
                "topic": topic,
                "dialogues": dialogues,
                "leads": {party: sorted(agencies) for party, agencies in sorted(union.items())},
                "leads_by_dialogue": by_dialogue,
                "parties_differing": differing,
                "linked_commitments": [],
            }
        )
    if found:
        _attach_linked_commitments(actor, as_of, found)
    return {"as_of": as_of.isoformat(), "overlaps": found}


def _ancestors(carriage: Carriage, dialogue: str) -> set[str]:
    seen: set[str] = set()
    up = carriage.dialogue_parent.get(dialogue)
    while up is not None and up not in seen:
        seen.add(up)
        up = carriage.dialogue_parent.get(up)
    return seen


def _independent(carriage: Carriage, dialogues: set[str]) -> list[str]:
    """The carrying dialogues minus those that are an ancestor of another carrying one.

    A leaders' summit counts as the umbrella of every other carrying dialogue that shares a
    party with it: the leaders steer their governments' channels and their statements
    restate what those channels work on, so the summit is dropped like a parent
    (docs/adr/0009-summits-and-overlaps.md).
    """
    umbrellas: set[str] = set()
    for dialogue in dialogues:
        umbrellas |= _ancestors(carriage, dialogue) & dialogues
    for summit in carriage.summits & dialogues:
        parties = carriage.parties.get(summit, set())
        if any(carriage.parties.get(other, set()) & parties for other in dialogues - {summit}):
            umbrellas.add(summit)
    return sorted(dialogues - umbrellas)


def _parties_with_different_leads(by_dialogue: dict[str, dict[str, list[str]]]) -> list[str]:
    lead_sets: dict[str, set[frozenset[str]]] = defaultdict(set)
    dialogue_count: dict[str, int] = defaultdict(int)
    for leads in by_dialogue.values():
        for party, agencies in leads.items():
            lead_sets[party].add(frozenset(agencies))
            dialogue_count[party] += 1
    return sorted(p for p, sets in lead_sets.items() if dialogue_count[p] >= 2 and len(sets) > 1)


def _attach_linked_commitments(actor: Actor, as_of: dt.date, found: list[Overlap]) -> None:
    """Near-duplicate pairs whose two commitments carry the topic in two of its dialogues."""
    commitments = active_commitments(actor, as_of, active_dialogues(actor, as_of))
    pairs = near_duplicate_pairs(commitments)
    if not pairs:
        return
    placed: dict[str, tuple[str, set[str]]] = {}
    linked_ids = sorted({c for pair in pairs for c in pair})
    for batch in chunked(linked_ids):
        for commitment_id, dialogue_id, topic in commitments.filter(pk__in=batch).values_list(
            "id", "dialogue_id", "topics"
        ):
            entry = placed.setdefault(commitment_id, (dialogue_id, set()))
            if topic is not None:
                entry[1].add(topic)
    for overlap in found:
        dialogues = set(overlap["dialogues"])
        for a, b in pairs:
            if a not in placed or b not in placed:
                continue
            (dialogue_a, topics_a), (dialogue_b, topics_b) = placed[a], placed[b]
            if (
                dialogue_a != dialogue_b
                and {dialogue_a, dialogue_b} <= dialogues
                and overlap["topic"] in topics_a & topics_b
            ):
                overlap["linked_commitments"].append([a, b])
