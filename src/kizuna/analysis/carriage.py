"""Which active dialogues carry which topics, and which agencies own them, as of a date.

Coverage, overlaps and gaps all read the same facts; this module gathers them in a fixed
number of queries (one per kind of fact, whatever the size of the workspace), every one
of them starting from `visible_to(actor)`.

A dialogue carries a topic when one of its agenda items (standing, or of a round held by
the date) or one of its live commitments made by the date is tagged with it. A party owns
a topic when one of its agencies leads an active dialogue that carries it (a lead of the
dialogue or of one of its pillars), or owns a live commitment on it in an active dialogue.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When

from kizuna.access.actor import Actor
from kizuna.analysis.asof import (
    active_commitments,
    active_dialogues,
    agenda_items_on,
    memberships_on,
    visible_dialogues,
)
from kizuna.commitments.models import Commitment
from kizuna.registry.models import AgendaItem, DialogueKind
from kizuna.registry.selectors import leads_visible
from kizuna.registry.taxonomy import Taxonomy

TopicDialogue = tuple[str, str]
TopicDialogueParty = tuple[str, str, str]


@dataclass
class Carriage:
    as_of: dt.date
    taxonomy: Taxonomy
    # Active dialogues on `as_of`.
    active: set[str] = field(default_factory=set)
    # The parent of every dialogue the actor may see (the ancestor rule of overlaps looks
    # through a parent that has ended to an active grandparent).
    dialogue_parent: dict[str, str | None] = field(default_factory=dict)
    # Leaders' summits the actor may see: umbrellas that steer every channel of their
    # parties (docs/adr/0009-summits-and-overlaps.md).
    summits: set[str] = field(default_factory=set)
    # Parties of each active dialogue on `as_of`: its members and its committing parties.
    parties: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # Lead agencies of each active dialogue per party (the dialogue's and its pillars').
    leads: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    # Counts by the topic each record is tagged with (a family's total is not a sum of these).
    agenda_items: dict[TopicDialogue, int] = field(default_factory=lambda: defaultdict(int))
    commitments: dict[TopicDialogueParty, int] = field(default_factory=lambda: defaultdict(int))
    # Commitments per topic and dialogue, whoever commits: a joint commitment counts once.
    commitments_in: dict[TopicDialogue, int] = field(default_factory=lambda: defaultdict(int))
    # Commitments per family (a topic with children), dialogue and party: each counted once.
    family_commitments: dict[TopicDialogueParty, int] = field(
        default_factory=lambda: defaultdict(int)
    )
    owners: dict[TopicDialogueParty, set[str]] = field(default_factory=lambda: defaultdict(set))
    dialogues_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def carrying(self, topic: str) -> set[str]:
        """Active dialogues tagged with `topic` itself."""
        return self.dialogues_of.get(topic, set())

    def carrying_any(self, topics: list[str]) -> set[str]:
        found: set[str] = set()
        for topic in topics:
            found |= self.carrying(topic)
        return found

    def owning_agencies(self, topics: list[str], dialogue: str, party: str) -> set[str]:
        """A party's agencies owning any of `topics` in one dialogue (leads count once carried)."""
        agencies: set[str] = set()
        carried = False
        for topic in topics:
            if dialogue in self.carrying(topic):
                carried = True
                agencies |= self.owners.get((topic, dialogue, party), set())
        if carried:
            agencies |= self.leads.get(dialogue, {}).get(party, set())
        return agencies

    def owners_anywhere(self, topics: list[str], party: str) -> set[str]:
        """A party's agencies owning any of `topics` in any active dialogue."""
        agencies: set[str] = set()
        for dialogue in self.carrying_any(topics):
            agencies |= self.owning_agencies(topics, dialogue, party)
        return agencies


def gather(
    *,
    actor: Actor,
    as_of: dt.date,
    taxonomy: Taxonomy | None = None,
    topics: Collection[str] | None = None,
    counts: bool = True,
    owners: bool = True,
) -> Carriage:
    """Read, in one query per kind of fact, what coverage, overlaps and gaps need.

    Owners are read only with `owners` (coverage always reads them with its counts).
    `topics` restricts the tags read (gaps need only the framework's); without `counts`
    only which dialogues carry which topics is read: each analysis pays only for the facts
    it reports.
    """
    carriage = Carriage(as_of=as_of, taxonomy=taxonomy or Taxonomy.load())
    dialogues = active_dialogues(actor, as_of)
    carriage.active = set(dialogues.values_list("id", flat=True))
    for dialogue_id, parent_id, kind in visible_dialogues(actor).values_list(
        "id", "parent_id", "kind"
    ):
        carriage.dialogue_parent[dialogue_id] = parent_id
        if kind == DialogueKind.LEADERS_SUMMIT:
            carriage.summits.add(dialogue_id)

    for dialogue_id, party in memberships_on(actor, as_of, dialogues).values_list(
        "dialogue_id", "party_id"
    ):
        carriage.parties[dialogue_id].add(party)

    # DialogueLead is not a record: it is read through the dialogues (and pillars) the actor
    # may see.
    leads = leads_visible(actor=actor).filter(dialogue__in=dialogues.values("pk"))
    for dialogue_id, party, agency in leads.values_list("dialogue_id", "party_id", "agency_id"):
        carriage.leads[dialogue_id][party].add(agency)

    tagged = Q(topics__in=sorted(topics)) if topics is not None else Q(topics__isnull=False)
    items = agenda_items_on(actor, as_of, dialogues).filter(tagged)
    for topic, dialogue_id, n in items.values_list("topics", "dialogue_id").annotate(n=Count("id")):
        carriage.agenda_items[(topic, dialogue_id)] += n
        carriage.dialogues_of[topic].add(dialogue_id)

    commitments = active_commitments(actor, as_of, dialogues)
    if counts:
        _count_commitments(carriage, commitments, tagged)
    else:
        for topic, dialogue_id in (
            commitments.filter(tagged).values_list("topics", "dialogue_id").order_by().distinct()
        ):
            carriage.dialogues_of[topic].add(dialogue_id)
        if owners:
            for topic, dialogue_id, party, agency in (
                commitments.filter(tagged, owners__isnull=False)
                .values_list("topics", "dialogue_id", "owners__party_id", "owners__agency_id")
                .order_by()
                .distinct()
            ):
                carriage.owners[(topic, dialogue_id, party)].add(agency)

    # A membership or lead of a dialogue that is no longer active must not leak in.
    for mapping in (carriage.parties, carriage.leads):
        for stale in set(mapping) - carriage.active:
            del mapping[stale]
    return carriage


def _count_commitments(carriage: Carriage, commitments: QuerySet[Commitment], tagged: Q) -> None:
    """Count the live commitments per topic, family, dialogue and party, and gather owners.

    Two reads: each commitment's tags crossed with its committing parties, then its
    owners. Grouping the same joins in the database once per count (leaf, each family
    level, owners) costs several times more (measured: benchmarks/bench_analysis.py), and
    a family's union needs each commitment's whole set of tags anyway.
    """
    taxonomy = carriage.taxonomy
    counts, family_counts = carriage.commitments, carriage.family_commitments
    counts_in = carriage.commitments_in
    dialogues_of, parties_of = carriage.dialogues_of, carriage.parties
    # Few distinct sets of tags recur across many commitments: each set's families once.
    families_in: dict[frozenset[str], set[str]] = {}

    # A commitment's rows (one per tag and party) come in no particular order.
    dialogue_of: dict[str, str] = {}
    topics_of: dict[str, set[str]] = defaultdict(set)
    parties_of_commitment: dict[str, set[str]] = defaultdict(set)
    rows = (
        commitments.filter(tagged).values_list("id", "dialogue_id", "topics", "parties").order_by()
    )
    for commitment, dialogue_id, topic, party in rows:
        dialogue_of[commitment] = dialogue_id
        topics_of[commitment].add(topic)
        if party is not None:
            parties_of_commitment[commitment].add(party)

    for commitment, dialogue in dialogue_of.items():
        topics = topics_of[commitment]
        parties = parties_of_commitment.get(commitment, set())
        tags = frozenset(topics)
        families = families_in.get(tags)
        if families is None:
            families = families_in[tags] = {
                f
                for topic in topics
                for f in (topic, *taxonomy.ancestors(topic))
                if not taxonomy.is_leaf(f)
            }
        for topic in topics:
            dialogues_of[topic].add(dialogue)
            counts_in[(topic, dialogue)] += 1
        parties_of[dialogue].update(parties)
        for party in parties:
            for topic in topics:
                counts[(topic, dialogue, party)] += 1
            for family in families:
                family_counts[(family, dialogue, party)] += 1

    owners = carriage.owners
    for commitment, party, agency in (
        commitments.filter(owners__isnull=False)
        .values_list("id", "owners__party_id", "owners__agency_id")
        .order_by()
    ):
        # An untagged commitment has no topics: its owners count toward none.
        for topic in topics_of.get(commitment, ()):
            owners[(topic, dialogue_of[commitment], party)].add(agency)


def family_expression(mapping: dict[str, str], lookup: str) -> Case:
    """SQL that names, for each tagged row, the family its topic counts toward (or NULL)."""
    members: dict[str, list[str]] = defaultdict(list)
    for topic, family in mapping.items():
        members[family].append(topic)
    whens = [
        When(**{f"{lookup}__in": sorted(topics)}, then=Value(family))
        for family, topics in sorted(members.items())
    ]
    return Case(*whens, default=None, output_field=CharField())


def family_agenda_counts(
    items: QuerySet[AgendaItem], taxonomy: Taxonomy
) -> dict[TopicDialogue, int]:
    """Agenda items per family and dialogue, each item counted once per family."""
    counts: dict[TopicDialogue, int] = {}
    for mapping in taxonomy.family_levels():
        if not mapping:
            continue
        rows = (
            items.annotate(family=family_expression(mapping, "topics"))
            .filter(family__isnull=False)
            .values_list("family", "dialogue_id")
            .annotate(n=Count("id", distinct=True))
        )
        for family, dialogue_id, n in rows:
            counts[(family, dialogue_id)] = n
    return counts
