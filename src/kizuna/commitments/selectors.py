"""Every read of commitments, assessments and concerns for a user: starts from `visible_to(actor)`.

The page-level readers at the end (`home_overview`, `dialogue_page` …) gather what one web
page shows, each part through the same visibility-first selectors, with a number of queries
that does not grow with the data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import BaseExpression, OrderBy

from kizuna.access.actor import Actor
from kizuna.commitments.models import (
    Assessment,
    AssessmentReview,
    Commitment,
    CommitmentOwner,
    Concern,
    Note,
)
from kizuna.core.dates import PartialDate, PartialDateError, Precision, days_from
from kizuna.core.planner import one_record, page_rows
from kizuna.documents.models import Document
from kizuna.registry.models import (
    Agency,
    AgendaItem,
    CounterpartPair,
    Dialogue,
    DialogueLead,
    Meeting,
    Membership,
    Pillar,
    Topic,
)
from kizuna.registry.selectors import (
    agenda_carried,
    agenda_items_visible,
    agenda_visible,
    counterpart_pairs_visible,
    dialogues_visible,
    hide_unseen,
    leads_visible,
    meetings_upcoming,
    meetings_visible,
    pillars_visible,
    rounds_of,
    running_on,
    visible,
)
from kizuna.registry.taxonomy import Taxonomy
from kizuna.search.selectors import matching, normalise_query, ranked_each

# What `filter` takes besides keywords: a Q, or an expression such as a (negated) EXISTS.
Condition = Q | BaseExpression

# A record's page and its notes name the owning government and agency (web/_record_meta.html,
# web/_notes.html): read with the record, not one query each.
OWNER = ("owner_government", "owner_agency")

# Sort keys a list accepts, mapped to the ordering they mean; the first is the default.
# Undated commitments come last whichever way the deadlines run: a reader sorting by
# deadline is looking for dates (SQLite and PostgreSQL would otherwise put them at
# opposite ends). A page of the list reads them so without sorting (`page_ids`).
COMMITMENT_SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "-made": ("-made_on_first", "-id"),
    "made": ("made_on_first", "id"),
    "deadline": (F("deadline_latest").asc(nulls_last=True), "id"),
    "-deadline": (F("deadline_latest").desc(nulls_last=True), "-id"),
    "dialogue": ("dialogue_id", "made_on_first", "id"),
}


@dataclass(frozen=True)
class CommitmentFilters:
    """What a commitment list is narrowed to; empty strings and None mean "any"."""

    dialogue: str = ""
    party: str = ""
    agency: str = ""
    topic: str = ""
    sector: str = ""
    # A party's latest status as of the view's date: the named party's when `party` is set.
    status: str = ""
    lifecycle: str = ""
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    q: str = ""
    sort: str = "-made"


def _assessments(
    actor: Actor, as_of: dt.date | None, *conditions: Condition
) -> QuerySet[Assessment]:
    dated = [Q(as_of__lte=as_of)] if as_of is not None else []
    return visible(Assessment, actor).filter(*dated, *conditions)


def latest_assessments_qs(
    *, actor: Actor, as_of: dt.date | None = None, conditions: Sequence[Condition] = ()
) -> QuerySet[Assessment]:
    """Each party's latest visible assessment of each commitment, dated on or before `as_of`,
    among those meeting `conditions`.

    An assessment is latest when no visible assessment of the same commitment and party is
    later (ties on the date go to the higher id, as in the model's ordering).
    """
    later = _assessments(
        actor,
        as_of,
        Q(commitment=OuterRef("commitment"), party=OuterRef("party")),
        Q(as_of__gt=OuterRef("as_of")) | Q(as_of=OuterRef("as_of"), id__gt=OuterRef("id")),
    )
    return _assessments(actor, as_of, ~Exists(later), *conditions)


def commitments_visible(
    *, actor: Actor, as_of: dt.date | None = None, filters: CommitmentFilters | None = None
) -> QuerySet[Commitment]:
    # Every condition is gathered first and applied in one `filter`: each `filter` call
    # copies the query built so far, and with the access rule's subqueries those copies
    # were most of the time a page spent building its list.
    f = filters or CommitmentFilters()
    # Tests on the commitment's own row (the sort indexes carry their columns: models).
    conditions: list[Condition] = []
    if as_of is not None:
        conditions.append(Q(made_on_first__lte=as_of))
    if f.dialogue:
        conditions.append(Q(dialogue_id=f.dialogue))
    if f.party:
        # A commitment's audience holds every committing party (ADR 3: the access rule reads
        # it, and every write keeps it so), so this test on the row itself rules out about
        # half the commitments before the parties table is probed for the rest: the probes
        # were most of a party-filtered list's time at scale (docs/operations.md).
        conditions.append(Q(audience__contains=f"|{f.party}|"))
    if f.lifecycle:
        conditions.append(Q(lifecycle=f.lifecycle))
    # A deadline is a range (earliest, latest) that may be known at one end only ("by June
    # 2027": a latest day alone); the filter keeps each deadline that can fall in the window.
    if f.deadline_from is not None:
        conditions.append(
            Q(deadline_latest__gte=f.deadline_from)
            | Q(deadline_latest__isnull=True, deadline_earliest__gte=f.deadline_from)
        )
    if f.deadline_to is not None:
        conditions.append(
            Q(deadline_earliest__lte=f.deadline_to)
            | Q(deadline_earliest__isnull=True, deadline_latest__lte=f.deadline_to)
        )
    conditions.extend(_probes(actor, as_of, f))
    commitments = visible(Commitment, actor).filter(*conditions)
    if f.q:
        commitments = matching(commitments, f.q)  # the search index (kizuna.search)
    ordering = COMMITMENT_SORTS.get(f.sort, COMMITMENT_SORTS["-made"])
    return (
        commitments.order_by(*ordering)
        .select_related("dialogue", "meeting")
        .prefetch_related(
            "parties",
            "topics",
            "sectors",
            Prefetch("owners", queryset=CommitmentOwner.objects.select_related("agency")),
        )
    )


def _probes(actor: Actor, as_of: dt.date | None, f: CommitmentFilters) -> list[Condition]:
    """The filters that look into other tables, as correlated EXISTS, narrowest first.

    Correlated, so a page sorted by an indexed column reads rows in that order and stops when
    it is full, with no DISTINCT, instead of first building the full list of ids each filter
    matches. SQLite probes them in the order written, for each row that passes the row's own
    tests, and stops at the first that fails: the latest status (one party's, one of six
    values) leaves the fewest rows for the others, and the dialogue's access check, which
    nearly every row passes, comes last (the filtered list's ids: 7.9 ms with the dialogue
    first and the status last, 5.1 ms in this order). PostgreSQL plans its own order.
    """
    mine = OuterRef("pk")
    probes: list[Condition] = []
    if f.status:
        latest = [Q(status=f.status)]
        if f.party:
            latest.append(Q(party_id=f.party))
        latest.append(Q(commitment_id=mine))
        probes.append(Exists(latest_assessments_qs(actor=actor, as_of=as_of, conditions=latest)))
    if f.agency:
        probes.append(
            Exists(CommitmentOwner.objects.filter(commitment_id=mine, agency_id=f.agency))
        )
    if f.sector:
        probes.append(
            Exists(
                Commitment.sectors.through.objects.filter(commitment_id=mine, sector_id=f.sector)
            )
        )
    if f.topic:
        # A tag anywhere below the topic counts toward it, as in coverage: filtering by
        # economic security finds a commitment tagged export controls, two levels down.
        probes.append(
            Exists(
                Commitment.topics.through.objects.filter(
                    commitment_id=mine, topic_id__in=Taxonomy.load().subtree(f.topic)
                )
            )
        )
    if f.party:
        probes.append(
            Exists(
                Commitment.parties.through.objects.filter(commitment_id=mine, government_id=f.party)
            )
        )
    # EXISTS, not IN (list of visible dialogues): an IN list leads the planner to walk the
    # commitments dialogue by dialogue and sort them all, instead of reading a sort index.
    # Filtered to one dialogue, the test names it: asked once, not once per commitment (the
    # topics of the heaviest dialogue's page: 3.7 ms probing each of its commitments).
    dialogues = visible(Dialogue, actor)
    if f.dialogue:
        probes.append(Exists(dialogues.filter(pk=f.dialogue)))
    else:
        probes.append(Exists(dialogues.filter(pk=OuterRef("dialogue_id"))))
    return probes


def page_ids(commitments: QuerySet[Commitment], sort: str, start: int, stop: int) -> list[str]:
    """The ids of `commitments[start:stop]` in the order of `sort`, read by walking an index.

    By deadline, undated commitments come last (COMMITMENT_SORTS); but PostgreSQL's index
    holds them last going up and so first going down, and `DESC NULLS LAST` made it sort
    every match (the filtered list's first page at 200,000 commitments: 145–156 ms against
    28–31 ms). So the dated ones are walked in the index's order and, when the page runs
    past them, it is filled with the undated ones in id order: the same order, read
    rather than sorted, on both databases. Ties go the way the dates run (latest first:
    the higher id first), so that each part is one index read in one direction; a tie
    broken the other way made SQLite sort every page's ties.
    """
    ids = commitments.values_list("pk", flat=True)
    if sort not in ("deadline", "-deadline"):
        return page_rows(ids, start, stop)
    direction = "-" if sort.startswith("-") else ""
    dated = ids.filter(deadline_latest__isnull=False).order_by(
        f"{direction}deadline_latest", f"{direction}id"
    )
    found = page_rows(dated, start, stop)
    if len(found) == stop - start:
        return found
    # Past the last dated one; how many there are is known unless this page holds none.
    dated_count = start + len(found) if found else dated.count()
    undated = ids.filter(deadline_latest__isnull=True).order_by(f"{direction}id")
    return found + page_rows(undated, max(0, start - dated_count), stop - dated_count)


class DialogueName(NamedTuple):
    """What a table names a commitment's dialogue by (the `short` template filter)."""

    pk: str
    acronym: str
    name: str
    name_ja: str


@dataclass(frozen=True, slots=True)
class CommitmentRow:
    """A commitment as a table of them shows it (web/_commitment_table.html), and no more."""

    pk: str
    text: str
    lifecycle: str
    marking: str
    deadline_text: str
    made_on: str
    dialogue: DialogueName
    party_list: list[str]  # the committing parties' codes, in code order


def commitment_rows(commitments: QuerySet[Commitment], *, limit: int) -> list[CommitmentRow]:
    """The first `limit` of `commitments`, as a table of them shows them.

    Plain values in two queries (the rows with their dialogue's names, then the parties of
    those rows): model instances with their JSON sources, or parties prefetched as records,
    cost more than the queries themselves. A table needs no meeting, topics, sectors or owners.
    """
    found = (
        commitments.select_related(None)
        .prefetch_related(None)
        .values_list(
            "pk",
            "text",
            "lifecycle",
            "marking",
            "deadline_text",
            "made_on",
            "dialogue_id",
            "dialogue__acronym",
            "dialogue__name",
            "dialogue__name_ja",
        )[:limit]
    )
    rows = [
        CommitmentRow(pk, text, lifecycle, marking, deadline, made_on, DialogueName(*dialogue), [])
        for pk, text, lifecycle, marking, deadline, made_on, *dialogue in found
    ]
    if rows:
        by_id = {row.pk: row for row in rows}
        links = (
            Commitment.parties.through.objects.filter(commitment_id__in=by_id)
            .order_by("government_id")
            .values_list("commitment_id", "government_id")
        )
        for commitment_id, party in links:
            by_id[commitment_id].party_list.append(party)
    return rows


def commitment_rows_of(*, actor: Actor, ids: list[str]) -> list[CommitmentRow]:
    """The table rows (`commitment_rows`) of these commitments, in the order of `ids`.

    For ids a filtered list has just chosen: the rows are read through the access rule
    alone, as asking each row the list's filters again costs as much as finding the ids.
    """
    found = commitment_rows(visible(Commitment, actor).filter(pk__in=ids), limit=len(ids))
    rows = {row.pk: row for row in found}
    return [rows[pk] for pk in ids if pk in rows]


def statuses_for(
    *,
    actor: Actor,
    commitments: Sequence[Commitment] | Sequence[CommitmentRow],
    as_of: dt.date | None = None,
) -> dict[str, dict[str, str]]:
    """{commitment id: {party: latest status}} for a page of commitments, in one query.

    The page's visible assessments are read in series order, so the last one read of each
    party is its latest, as `latest_assessments_qs` defines it (the later date, then the
    higher id): a page holds a few assessments per commitment, and reading them all costs
    less than building and running that rule's correlated subquery.
    """
    ids = [c.pk for c in commitments]
    table: dict[str, dict[str, str]] = defaultdict(dict)
    if not ids:
        return table
    series = (
        _assessments(actor, as_of)
        .filter(commitment_id__in=ids)
        .order_by("commitment_id", "party_id", "as_of", "id")
        .values_list("commitment_id", "party_id", "status")
    )
    for commitment_id, party, status in series:
        table[commitment_id][party] = status
    return table


def assessments_visible(
    *, actor: Actor, commitment: Commitment, as_of: dt.date | None = None
) -> QuerySet[Assessment]:
    # The counterpart's reviews as they stood on the date: a contest recorded later is not
    # shown (nor counted as a divergence) on an earlier day's page.
    reviews = AssessmentReview.objects.order_by("on", "id")
    if as_of is not None:
        reviews = reviews.filter(on__lte=as_of)
    return (
        _assessments(actor, as_of)
        .filter(commitment=commitment)
        .prefetch_related(Prefetch("reviews", queryset=reviews))
        .order_by("party_id", "as_of", "id")
    )


def latest_assessments(assessments: QuerySet[Assessment]) -> dict[str, Assessment]:
    """Each party's latest assessment (the series is ordered by date)."""
    latest: dict[str, Assessment] = {}
    for assessment in assessments:
        latest[assessment.party_id] = assessment
    return latest


def concerns_visible(*, actor: Actor, as_of: dt.date | None = None) -> QuerySet[Concern]:
    concerns = visible(Concern, actor)
    if as_of is not None:
        concerns = concerns.filter(first_raised_first__lte=as_of)
    return concerns.select_related("raised_by", "about", "dialogue").prefetch_related(
        Prefetch("raised_at", queryset=meetings_visible(actor=actor, as_of=as_of)), "topics"
    )


def documents_visible(*, actor: Actor, as_of: dt.date | None = None) -> QuerySet[Document]:
    documents = visible(Document, actor)
    if as_of is not None:
        documents = documents.filter(date_first__lte=as_of)
    return documents.select_related("issuer")


def notes_visible(
    *,
    actor: Actor,
    as_of: dt.date | None = None,
    dialogue: Dialogue | None = None,
    meeting: Meeting | None = None,
    commitment: Commitment | None = None,
) -> QuerySet[Note]:
    """Notes on one record (often internal to one side), oldest first."""
    notes = visible(Note, actor)
    if as_of is not None:
        notes = notes.filter(written_on__lte=as_of)
    if dialogue is not None:
        notes = notes.filter(dialogue=dialogue, meeting__isnull=True, commitment__isnull=True)
    if meeting is not None:
        notes = notes.filter(meeting=meeting)
    if commitment is not None:
        notes = notes.filter(commitment=commitment)
    return notes.select_related(*OWNER).order_by("written_on", "id")


# --- one page each ------------------------------------------------------------------------


@dataclass
class StatusRow:
    party: str
    counts: dict[str, int]
    unassessed: int
    total: int


@dataclass
class HomeOverview:
    dialogues: list[Dialogue]
    latest_meetings: list[Meeting]
    next_meetings: list[Meeting]
    commitment_count: int
    status_rows: list[StatusRow]
    # Each government's agencies and the dialogues they lead: the map read from the other end.
    agencies_leading: list[tuple[Agency, list[Dialogue]]] = field(default_factory=list)
    changed_commitments: list[Commitment] = field(default_factory=list)
    changed_assessments: list[Assessment] = field(default_factory=list)


def home_overview(
    *, actor: Actor, as_of: dt.date | None = None, since: dt.date | None = None
) -> HomeOverview:
    """Who leads what, the latest and next rounds, commitments by status and party, changes."""
    commitments = commitments_visible(actor=actor, as_of=as_of)
    commitment_ids = commitments.values("pk")
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (
        latest_assessments_qs(actor=actor, as_of=as_of)
        .filter(commitment__in=commitment_ids)
        .values("party_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["party_id"]][row["status"]] = row["n"]
    totals = (
        Commitment.parties.through.objects.filter(commitment__in=commitment_ids)
        .values("government_id")
        .annotate(n=Count("id"))
        .order_by("government_id")
    )
    status_rows = [
        StatusRow(
            party=t["government_id"],
            counts=counts[t["government_id"]],
            unassessed=t["n"] - sum(counts[t["government_id"]].values()),
            total=t["n"],
        )
        for t in totals
    ]
    today = as_of or dt.date.today()
    overview = HomeOverview(
        dialogues=list(dialogues_visible(actor=actor, as_of=as_of)),
        latest_meetings=list(
            meetings_visible(actor=actor, as_of=today).order_by("-date_first", "id")[:8]
        ),
        # The world as it stood on a past date knows no later meetings (ARCHITECTURE.md).
        next_meetings=[] if as_of else list(meetings_upcoming(actor=actor, after=today)[:5]),
        commitment_count=commitments.count(),
        status_rows=status_rows,
    )
    overview.agencies_leading = _agencies_leading(overview.dialogues)
    if since is not None:
        overview.changed_commitments = list(
            commitments.filter(made_on_first__gte=since).order_by("-made_on_first", "id")[:20]
        )
        overview.changed_assessments = list(
            _assessments(actor, as_of)
            .filter(as_of__gte=since, commitment__in=commitment_ids)
            .select_related("commitment")
            .order_by("-as_of", "id")[:20]
        )
    return overview


def _agencies_leading(dialogues: list[Dialogue]) -> list[tuple[Agency, list[Dialogue]]]:
    """Group the (already prefetched) leads by agency: no further query."""
    agencies: dict[str, Agency] = {}
    led: dict[str, list[Dialogue]] = defaultdict(list)
    for dialogue in dialogues:
        for lead in dialogue.leads.all():
            agencies[lead.agency_id] = lead.agency
            if dialogue not in led[lead.agency_id]:
                led[lead.agency_id].append(dialogue)
    order = sorted(agencies.values(), key=lambda a: (a.government_id, -len(led[a.pk]), a.pk))
    return [(agency, led[agency.pk]) for agency in order]


@dataclass
class TimelineRound:
    """A round on a dialogue's timeline: its agenda and its outcome documents, as the actor
    may see them."""

    meeting: Meeting
    agenda: list[AgendaItem]
    outcomes: list[Document]  # with their titles and kinds only


@dataclass
class AgencyLead:
    """One agency leading a dialogue: the dialogue itself (`whole`), pillars of it, or both."""

    agency: Agency
    whole: bool = False
    pillars: list[Pillar] = field(default_factory=list)


@dataclass
class PartyLeads:
    party: str
    agencies: list[AgencyLead]


def _by_agency(leads: list[DialogueLead]) -> list[PartyLeads]:
    """The leads grouped by party and then by agency, in the leads' order: an agency that
    leads the dialogue and three of its pillars is named once, not four times."""
    parties: dict[str, dict[str, AgencyLead]] = {}
    for lead in leads:
        agencies = parties.setdefault(lead.party_id, {})
        entry = agencies.setdefault(lead.agency_id, AgencyLead(agency=lead.agency))
        if lead.pillar is None:
            entry.whole = True
        else:
            entry.pillars.append(lead.pillar)
    return [PartyLeads(party, list(agencies.values())) for party, agencies in parties.items()]


@dataclass
class DialoguePage:
    dialogue: Dialogue
    parent: Dialogue | None
    memberships: list[Membership]
    leads: list[PartyLeads]  # each party's lead agencies, each agency once
    children: list[Dialogue]
    pillars: list[tuple[Pillar, list[DialogueLead]]]  # each with its lead agencies
    counterpart_pairs: list[CounterpartPair]
    meetings: list[TimelineRound]
    topics: list[Topic]
    commitments: list[CommitmentRow]
    statuses: dict[str, dict[str, str]]  # {commitment id: {party: latest status}}
    notes: list[Note]


def dialogue_page(
    *, actor: Actor, dialogue_id: str, as_of: dt.date | None = None
) -> DialoguePage | None:
    """Everything the dialogue page shows, or None when the dialogue is hidden (or not yet).

    Each query here costs more to build and read than to run, so the page asks few and
    plain ones: once the dialogue is read, the access check of each part is the part's own
    (the dialogue's is not asked again), and parts are grouped here rather than through
    prefetch_related, which cost more than its queries.
    """
    # The dialogue, those under it (running on the date) and its parent (whatever its dates,
    # as `dialogues_visible` reads a parent), in one query.
    in_family = Q(pk=dialogue_id) | Q(parent_id=dialogue_id)
    if as_of is not None:
        in_family &= running_on(as_of)
    parent_of = Dialogue.objects.filter(pk=dialogue_id).values("parent_id")
    family = list(
        visible(Dialogue, actor).filter(in_family | Q(pk__in=parent_of)).select_related(*OWNER)
    )
    dialogue = next((d for d in family if d.pk == dialogue_id), None)
    if dialogue is None:
        return None
    # By party, in each party's order (the model's): the page groups them by party.
    leads = list(
        leads_visible(actor=actor).filter(dialogue=dialogue).select_related("agency", "pillar")
    )
    in_dialogue = commitments_of(actor=actor, dialogue=dialogue, as_of=as_of)
    # One list page's worth, newest first; the page links to the full, filterable list.
    commitments = commitment_rows(in_dialogue, limit=settings.KIZUNA_PAGE_SIZE)
    return DialoguePage(
        dialogue=dialogue,
        # A parent the actor may not see reads as none (`parent_id` is still the stored one).
        parent=next((d for d in family if d.pk == dialogue.parent_id), None),
        # A membership is a record: one the actor may not see names no party here.
        memberships=list(visible(Membership, actor).filter(dialogue=dialogue)),
        leads=_by_agency(leads),
        children=[d for d in family if d.parent_id == dialogue.pk],
        pillars=_with_leads(pillars_visible(actor=actor, dialogue=dialogue), leads),
        counterpart_pairs=list(counterpart_pairs_visible(actor=actor, dialogue=dialogue)),
        meetings=_timeline(actor, dialogue, as_of),
        topics=_topics_covered(actor, dialogue, in_dialogue),
        commitments=commitments,
        statuses=statuses_for(actor=actor, commitments=commitments, as_of=as_of),
        notes=list(notes_visible(actor=actor, as_of=as_of, dialogue=dialogue)),
    )


def commitments_of(
    *, actor: Actor, dialogue: Dialogue, as_of: dt.date | None = None
) -> QuerySet[Commitment]:
    """The commitments of one dialogue that the caller read through `dialogues_visible` (so
    the dialogue's access check is not asked again), made by `as_of`, newest first."""
    commitments = visible(Commitment, actor).filter(dialogue=dialogue)
    if as_of is not None:
        commitments = commitments.filter(made_on_first__lte=as_of)
    return commitments.order_by(*COMMITMENT_SORTS["-made"])


def _timeline(actor: Actor, dialogue: Dialogue, as_of: dt.date | None) -> list[TimelineRound]:
    """The dialogue's rounds held by `as_of`, in order, each with its agenda and outcomes."""
    rounds = list(
        rounds_of(actor=actor, dialogue=dialogue, as_of=as_of).order_by("date_first", "id")
    )
    ids = [meeting.pk for meeting in rounds]
    agenda: dict[str, list[AgendaItem]] = defaultdict(list)
    for item in visible(AgendaItem, actor).filter(meeting_id__in=ids):
        agenda[str(item.meeting_id)].append(item)
    outcomes: dict[str, list[Document]] = defaultdict(list)
    documents = documents_visible(actor=actor, as_of=as_of).select_related(None)
    # No text, no issuer (`only` is also cheaper to build than `defer`, which walks every
    # relation of a document).
    for document in documents.filter(meeting_id__in=ids).only("meeting", "title", "kind"):
        outcomes[str(document.meeting_id)].append(document)
    return [TimelineRound(m, agenda.get(m.pk, []), outcomes.get(m.pk, [])) for m in rounds]


def _topics_covered(
    actor: Actor, dialogue: Dialogue, commitments: QuerySet[Commitment]
) -> list[Topic]:
    """The topics of the dialogue's agenda items and of its commitments, as the actor sees them.

    Two semi-joins, not two LEFT JOINs under an OR: those multiply every agenda tag by every
    commitment tag of the topic before DISTINCT (seconds at scale).
    """
    agenda_tags = AgendaItem.topics.through.objects.filter(
        agendaitem_id__in=visible(AgendaItem, actor).filter(dialogue=dialogue).values("pk")
    )
    commitment_tags = Commitment.topics.through.objects.filter(
        commitment_id__in=commitments.order_by().values("pk")
    )
    return list(
        Topic.objects.filter(
            Q(pk__in=agenda_tags.values("topic_id")) | Q(pk__in=commitment_tags.values("topic_id"))
        )
    )


def _with_leads(
    pillars: QuerySet[Pillar], leads: list[DialogueLead]
) -> list[tuple[Pillar, list[DialogueLead]]]:
    """Each pillar with its lead agencies, taken from the dialogue's (already read, with
    their agencies, and only those of pillars the reader may see): no query more."""
    of_pillar: dict[str, list[DialogueLead]] = defaultdict(list)
    for lead in leads:
        if lead.pillar_id is not None:
            of_pillar[str(lead.pillar_id)].append(lead)
    return [(pillar, of_pillar.get(pillar.pk, [])) for pillar in pillars]


@dataclass
class Participant:
    """Someone at a round, as the meeting records them; `agency` is the registry's agency
    when the recorded slug names one (the page shows its name, not the slug)."""

    name: str
    role: str
    agency_id: str
    agency: Agency | None


@dataclass
class MeetingPage:
    meeting: Meeting
    participants: list[Participant]
    agenda: list[AgendaItem]
    documents: list[Document]
    commitments: list[CommitmentRow]
    statuses: dict[str, dict[str, str]]  # {commitment id: {party: latest status}}
    carried_in: list[AgendaItem]
    carried_on: list[AgendaItem]
    previous: Meeting | None
    next: Meeting | None
    notes: list[Note]


def meeting_page(
    *, actor: Actor, meeting_id: str, as_of: dt.date | None = None
) -> MeetingPage | None:
    meetings = meetings_visible(actor=actor, as_of=as_of)
    meeting = meetings.select_related(*OWNER).filter(pk=meeting_id).first()
    if meeting is None:
        return None
    carried_in, carried_on = agenda_carried(actor=actor, meeting=meeting)
    rounds = meetings.filter(dialogue_id=meeting.dialogue_id).exclude(pk=meeting.pk)
    commitments = commitment_rows(
        commitments_visible(actor=actor, as_of=as_of).filter(meeting=meeting), limit=200
    )
    recorded = [p for p in meeting.participants if isinstance(p, dict)]
    # Every participant's agency in one query (none without any): agencies are public.
    agencies = Agency.objects.in_bulk({str(p["agency"]) for p in recorded if p.get("agency")})
    return MeetingPage(
        meeting=meeting,
        participants=[
            Participant(
                name=str(p.get("name") or ""),
                role=str(p.get("role") or ""),
                agency_id=str(p.get("agency") or ""),
                agency=agencies.get(str(p.get("agency") or "")),
            )
            for p in recorded
        ],
        agenda=list(agenda_visible(actor=actor, meeting=meeting)),
        documents=list(documents_visible(actor=actor, as_of=as_of).filter(meeting=meeting)),
        commitments=commitments,
        statuses=statuses_for(actor=actor, commitments=commitments, as_of=as_of),
        carried_in=carried_in,
        carried_on=[
            item
            for item in carried_on
            if as_of is None or item.meeting is None or item.meeting.date_first <= as_of
        ],
        previous=rounds.filter(date_first__lte=meeting.date_first)
        .order_by("-date_first", "-id")
        .first(),
        next=rounds.filter(date_first__gte=meeting.date_first).order_by("date_first", "id").first(),
        notes=list(notes_visible(actor=actor, as_of=as_of, meeting=meeting)),
    )


def may_assess_as_owner(actor: Actor, commitment: Commitment) -> bool:
    """A party's own desk officers who own the commitment, or its coordinators, assess it."""
    if actor.is_operator:
        return True
    if actor.role == "coordinator":
        return True
    # Read through .all() so that a page which prefetched the owners asks nothing more.
    owners = {o.agency_id for o in commitment.owners.all() if o.party_id == actor.government}
    return actor.role == "desk-officer" and actor.agency in owners


def may_assess(actor: Actor, commitment: Commitment) -> bool:
    """Whether the actor may record its government's assessment of this commitment: its
    government committed, and it is a coordinator or a desk officer of an owning agency."""
    if actor.is_operator:
        return True
    parties = {party.pk for party in commitment.parties.all()}
    return actor.government in parties and may_assess_as_owner(actor, commitment)


@dataclass
class CommitmentPage:
    commitment: Commitment
    assessments: list[Assessment]
    latest: dict[str, Assessment]
    divergent: bool
    lifecycle_target: Commitment | None
    lifecycle_sources: list[Commitment]
    notes: list[Note]
    may_assess: bool  # whether the reader may record its government's assessment


def commitment_page(
    *, actor: Actor, commitment_id: str, as_of: dt.date | None = None
) -> CommitmentPage | None:
    commitments = commitments_visible(actor=actor, as_of=as_of)
    commitment = one_record(
        commitments.select_related("document", "pillar", *OWNER).filter(pk=commitment_id)
    )
    if commitment is None:
        return None
    _hide_references(actor, commitment)
    assessments = assessments_visible(actor=actor, commitment=commitment, as_of=as_of)
    latest = latest_assessments(assessments)
    contested = any(
        review.verdict == "contested" for a in latest.values() for review in a.reviews.all()
    )
    return CommitmentPage(
        commitment=commitment,
        assessments=list(assessments),
        latest=latest,
        # Divergent: the parties' latest statuses differ, or one side contests the other's.
        divergent=len({a.status for a in latest.values()}) > 1 or contested,
        lifecycle_target=commitments.filter(pk=commitment.lifecycle_target_id).first()
        if commitment.lifecycle_target_id
        else None,
        lifecycle_sources=list(commitments.filter(lifecycle_target=commitment)),
        notes=list(notes_visible(actor=actor, as_of=as_of, commitment=commitment)),
        may_assess=may_assess(actor, commitment),
    )


def _hide_references(actor: Actor, commitment: Commitment) -> None:
    """Drop, in memory, the meeting and document a visible commitment cites but the actor may not see.

    Their titles, and the words quoted from the document, must not reach the page.
    """
    hide_unseen(actor, [commitment], meeting=Meeting, document=Document)
    if commitment.document is None:
        commitment.passage_start = commitment.passage_end = None


@dataclass
class AgencyPage:
    agency: Agency
    leads: list[Dialogue]
    joins: list[Dialogue]
    counterpart_pairs: list[CounterpartPair]
    commitments: list[CommitmentRow]
    statuses: dict[str, dict[str, str]]  # {commitment id: {party: latest status}}


def agency_page(*, actor: Actor, agency: Agency, as_of: dt.date | None = None) -> AgencyPage:
    """The dialogues an agency leads or joins (through its government), counterparts, open work."""
    dialogues = dialogues_visible(actor=actor, as_of=as_of)
    led = leads_visible(actor=actor).filter(agency=agency)
    leads = list(dialogues.filter(pk__in=led.values("dialogue_id")))
    lead_ids = {d.pk for d in leads}
    # Joined through its government's memberships that the actor may see.
    member_of = visible(Membership, actor).filter(party_id=agency.government_id)
    joins = [
        d for d in dialogues.filter(pk__in=member_of.values("dialogue_id")) if d.pk not in lead_ids
    ]
    commitments = commitment_rows(
        commitments_visible(
            actor=actor, as_of=as_of, filters=CommitmentFilters(agency=agency.pk)
        ).filter(lifecycle="active"),
        limit=200,
    )
    return AgencyPage(
        agency=agency,
        leads=leads,
        joins=joins,
        counterpart_pairs=list(counterpart_pairs_visible(actor=actor, agency=agency)),
        commitments=commitments,
        statuses=statuses_for(actor=actor, commitments=commitments, as_of=as_of),
    )


@dataclass
class SearchResults:
    q: str
    commitments: list[Commitment]
    documents: list[Document]
    meetings: list[Meeting]
    dialogues: list[Dialogue]
    agenda_items: list[AgendaItem]

    def empty(self) -> bool:
        return not (
            self.commitments or self.documents or self.meetings or self.dialogues
            or self.agenda_items
        )  # fmt: skip


SEARCH_LIMIT = 50


def search(*, actor: Actor, q: str, as_of: dt.date | None = None) -> SearchResults:
    """Commitments, documents, meetings, dialogues and agenda items whose words contain `q`
    (either language): a round is found by what was on its agenda, too.

    Each kind is ranked by the search index (kizuna.search: trigram full-text, so Japanese
    words need no spaces) within what the actor may see as of the date.
    """
    q = normalise_query(q)
    if not q:
        return SearchResults(
            q=q, commitments=[], documents=[], meetings=[], dialogues=[], agenda_items=[]
        )
    # The results list names and dates only (web/search.html): just those fields, none of the
    # lists' related records and prefetches. Whole records (JSON sources decoded, meeting
    # joined) took twice as long to read.
    commitments, documents, meetings, dialogues, agenda_items = ranked_each(
        [
            commitments_visible(actor=actor, as_of=as_of)
            .select_related(None)
            .select_related("dialogue")
            .prefetch_related(None)
            .only("text", "made_on", "dialogue__acronym", "dialogue__name", "dialogue__name_ja"),
            documents_visible(actor=actor, as_of=as_of)
            .select_related(None)
            .only("title", "kind", "date", "meeting"),
            meetings_visible(actor=actor, as_of=as_of)
            .select_related(None)
            .only("date", "title", "title_ja"),
            dialogues_visible(actor=actor, as_of=as_of)
            .select_related(None)
            .prefetch_related(None)
            .only("name", "name_ja"),
            agenda_items_visible(actor=actor, as_of=as_of).only(
                "title",
                "title_ja",
                "meeting__date",
                "meeting__title",
                "meeting__title_ja",
                "dialogue__acronym",
                "dialogue__name",
                "dialogue__name_ja",
            ),
        ],
        q,
        limit=SEARCH_LIMIT,
    )
    hide_unseen(actor, documents, meeting=Meeting)  # a public readout of an internal round
    return SearchResults(
        q=q,
        commitments=commitments,
        documents=documents,
        meetings=meetings,
        dialogues=dialogues,
        agenda_items=agenda_items,
    )


@dataclass
class CalendarEvent:
    """A meeting or a commitment's deadline, on the days it falls."""

    kind: str  # "meeting" or "deadline"
    first: dt.date
    last: dt.date
    record_id: str
    title: str
    title_ja: str
    dialogue: Dialogue
    place: str = ""
    place_ja: str = ""
    # A meeting's date as recorded ("2024-01": the month known, not the day), shown as such;
    # "" when the day is known (deadlines fall on their latest day). `vague` says which part
    # is known: "month" or "year".
    vague_date: str = ""
    vague: str = ""

    @property
    def heading_date(self) -> dt.date | str:
        """What the calendar groups the event under: its first day's month, or the year as
        recorded when only the year is known."""
        return self.vague_date if self.vague == Precision.YEAR else self.first


@dataclass
class _MeetingEvent(CalendarEvent):
    # The last day the recorded date can mean (2023-12-31 for "2023"): whether it meets a window.
    ends: dt.date = dt.date.min


def calendar_events(
    *, actor: Actor, start: dt.date, end: dt.date, as_of: dt.date | None = None
) -> list[CalendarEvent]:
    """Meetings and commitment deadlines between `start` and `end` (inclusive), by date.

    A deadline falls on its latest day (`by 2026` falls on 2026-12-31); a meeting spans
    its dates when they are a range, else its first day. A meeting known only to the month
    or the year is listed when that month or year meets the window.
    """
    # A round's date may span up to a year ("2023"): read from a year before the window (or
    # from the first date there is, for a window opening in year 1), then keep those whose
    # span reaches into it.
    meetings = meetings_visible(actor=actor, as_of=as_of).filter(
        date_first__gte=days_from(start, -366), date_first__lte=end
    )
    events: list[CalendarEvent] = [
        event for event in map(_meeting_event, meetings) if max(event.first, event.ends) >= start
    ]
    deadlines = (
        commitments_visible(actor=actor, as_of=as_of)
        .filter(deadline_latest__gte=start, deadline_latest__lte=end)
        .exclude(lifecycle__in=["superseded", "merged", "withdrawn"])
    )
    events += [
        CalendarEvent(
            kind="deadline",
            first=c.deadline_latest,
            last=c.deadline_latest,
            record_id=c.pk,
            title=c.text,
            title_ja="",
            dialogue=c.dialogue,
        )
        for c in deadlines
        if c.deadline_latest is not None
    ]
    # A round known only to the year comes before the year's dated events: it heads them.
    return sorted(events, key=lambda e: (e.first, e.vague != Precision.YEAR, e.kind, e.record_id))


def _meeting_event(m: Meeting) -> _MeetingEvent:
    """A meeting on the calendar, its recorded date read once: a range spans its days; a
    month or a year is shown as such and reaches to its last day (`ends`)."""
    try:
        parsed: PartialDate | None = PartialDate.parse(m.date)
    except PartialDateError:
        parsed = None
    precision = parsed.precision if parsed else Precision.DAY
    vague = str(precision) if precision in (Precision.MONTH, Precision.YEAR) else ""
    return _MeetingEvent(
        kind="meeting",
        first=m.date_first,
        last=parsed.last if parsed and precision == Precision.RANGE else m.date_first,
        record_id=m.pk,
        title=m.title,
        title_ja=m.title_ja,
        dialogue=m.dialogue,
        place=m.place,
        place_ja=m.place_ja,
        vague_date=m.date if vague else "",
        vague=vague,
        ends=parsed.last if parsed else m.date_first,
    )
