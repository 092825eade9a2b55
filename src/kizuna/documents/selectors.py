"""Reads of the ingestion pipeline: the review queue, a document under review, jobs, readouts.

Record reads start from `visible_to(actor)` (documents, dialogues, meetings, commitments);
candidates are read through the documents they quote, so a candidate is visible exactly when
its document is. Governments, agencies, topics and sectors are public reference data.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from kizuna.access.actor import Actor
from kizuna.commitments.models import Commitment
from kizuna.commitments.similarity import LINK_THRESHOLD, most_similar, similarity
from kizuna.core.dates import days_from
from kizuna.documents.models import CommitmentCandidate, Decision, Document, IngestionJob
from kizuna.registry.models import Agency, Dialogue, Government, Meeting, Sector, Topic
from kizuna.registry.selectors import (
    agencies_all,
    governments_all,
    hide_unseen,
    meetings_visible,
    sectors_all,
    topics_all,
)

# The extractor names the European Union "EU"; the registry's party code is EUU.
_EXTRACTOR_KEYS = {"EU": "EUU"}
# A meeting whose first day is this close to the document's date may be the one it reports.
MEETING_WINDOW_DAYS = 3
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


# Reference data for the extractor --------------------------------------------------------


def extractor_registry() -> dict[str, str]:
    """Names and aliases of the registry's governments and agencies -> their keys.

    Passed to `extract`, it extends the extractor's built-in table, so a deployment's own
    agencies resolve without code changes.
    """
    table: dict[str, str] = {}
    for gid, name, name_ja in Government.objects.values_list("id", "name", "name_ja"):
        for alias in (name, name_ja):
            if alias:
                table[alias] = gid
    for slug, acronym, name, name_ja in Agency.objects.values_list(
        "id", "acronym", "name", "name_ja"
    ):
        for alias in (name, name_ja):
            if alias:
                table[alias] = slug
        # Mixed-case acronyms ("State") are ordinary words too often to be read as names.
        if acronym and acronym.isupper() and len(acronym) >= 2:
            table[acronym] = slug
    return table


def normalise_actors(keys: Iterable[str]) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """Split extractor actor keys into committing parties, owner agencies per party, and the rest.

    An agency's government becomes a party too. Unresolved names are kept as written so the
    reviewer sees them.
    """
    governments = set(Government.objects.values_list("id", flat=True))
    agencies = dict(Agency.objects.values_list("id", "government_id"))
    parties: list[str] = []
    owners: dict[str, list[str]] = {}
    unresolved: list[str] = []
    for raw in keys:
        key = _EXTRACTOR_KEYS.get(raw, raw)
        if key in governments:
            if key not in parties:
                parties.append(key)
        elif key in agencies:
            party = agencies[key]
            owners.setdefault(party, [])
            if key not in owners[party]:
                owners[party].append(key)
            if party not in parties:
                parties.append(party)
        elif raw not in unresolved:
            unresolved.append(raw)
    return parties, owners, unresolved


# Linking a document to its dialogue and meeting -------------------------------------------


def _plain(text: str) -> str:
    """Lower case, punctuation as spaces: "Japan-EU High-Level" and "Japan–EU High Level" agree."""
    return " " + " ".join(_NON_WORD.sub(" ", text.casefold()).split()) + " "


def _named_in(dialogue: Dialogue, plain: str, raw: str) -> int:
    """How specific the text's mention of the dialogue is: the length of the name it uses
    (0 when it names it nowhere). Names match ignoring case and punctuation; an acronym must
    match as written ("CoRe" is not the word "core")."""
    best = 0
    for name in (dialogue.name, dialogue.name_ja):
        if name and len(name) > 3 and _plain(name) in plain:
            best = max(best, len(name))
    acronym = dialogue.acronym
    if acronym and len(acronym) >= 2 and re.search(rf"(?<!\w){re.escape(acronym)}(?!\w)", raw):
        best = max(best, len(acronym))
    return best


def link_suggestion(
    *, actor: Actor, text: str, date: dt.date | None
) -> tuple[Dialogue | None, Meeting | None]:
    """The dialogue and meeting a text most likely reports, from names in it and its date.

    A meeting of a dialogue the text names, held within a few days of the text's date, wins;
    then a dialogue the text names. None when the text names no dialogue.
    """
    plain = _plain(text)
    mentions = {d: _named_in(d, plain, text) for d in Dialogue.objects.visible_to(actor)}
    # The most specific name first (a working group over its parent dialogue).
    named = sorted((d for d, length in mentions.items() if length), key=lambda d: -mentions[d])
    meetings: list[Meeting] = []
    if date is not None:
        meetings = list(
            Meeting.objects.visible_to(actor)
            .filter(
                date_first__gte=days_from(date, -MEETING_WINDOW_DAYS),
                date_first__lte=days_from(date, MEETING_WINDOW_DAYS),
            )
            .select_related("dialogue")
        )
    for dialogue in named:
        near = [m for m in meetings if m.dialogue_id == dialogue.pk]
        if near:
            assert date is not None
            near.sort(key=lambda m: abs((m.date_first - date).days))
            return dialogue, near[0]
    if named:
        return named[0], None
    # A meeting matched by date alone is not suggested: on a busy calendar it is a guess.
    return None, None


# Jobs ---------------------------------------------------------------------------------------


def job_for(*, actor: Actor, job_id: str) -> IngestionJob | None:
    """A job its requester may follow (the operator follows all); None otherwise."""
    try:
        key = uuid.UUID(str(job_id))
    except ValueError:
        return None
    jobs = IngestionJob.objects.filter(pk=key).select_related("document")
    if not actor.is_operator:
        if actor.user_id is None:
            return None
        jobs = jobs.filter(user_id=actor.user_id)
    return jobs.first()


def job_progress(job: IngestionJob) -> dict[str, object]:
    """What the progress page polls: plain JSON."""
    return {
        "id": str(job.pk),
        "status": job.status,
        "progress": job.progress,
        "stage": job.stage,
        "message": job.message,
        "document": job.document_id,
        "attempts": job.attempts,
    }


# Review -------------------------------------------------------------------------------------


def documents_visible(actor: Actor) -> QuerySet[Document]:
    return Document.objects.visible_to(actor)


def candidates_visible(actor: Actor) -> QuerySet[CommitmentCandidate]:
    return CommitmentCandidate.objects.filter(document__in=documents_visible(actor))


def outcome_seen(actor: Actor, prefix: str = "") -> Q:
    """Candidates the actor may know were decided as they were: those still undecided or
    rejected, and those whose commitment (the one they became or joined) it may see.

    A candidate accepted as another agency's internal commitment would otherwise tell
    that the commitment exists; it is left out, as the commitment is. `prefix` reaches
    the candidate from another model ("candidates__")."""
    if actor.is_operator:
        return Q()
    return Q(**{f"{prefix}commitment__isnull": True}) | Q(
        **{f"{prefix}commitment__in": Commitment.objects.visible_to(actor).values("pk")}
    )


def review_work_seen(actor: Actor) -> QuerySet[CommitmentCandidate]:
    """Candidates whose review the actor may follow (`may_follow_review`): decisions,
    reviewers and reasons are the ingesting government's work, read by its own users only
    (docs/ingestion.md)."""
    candidates = candidates_visible(actor).filter(outcome_seen(actor))
    if actor.is_operator:
        return candidates
    return candidates.filter(document__owner_government_id=actor.government)


def reviewable(actor: Actor) -> QuerySet[Document]:
    """The visible documents whose candidates the actor decides (`may_review`, as a query)."""
    if actor.is_operator:
        return documents_visible(actor)
    if actor.role not in REVIEWER_ROLES or not actor.government:
        return Document.objects.none()
    return documents_visible(actor).filter(owner_government_id=actor.government)


def review_queue(*, actor: Actor) -> list[Document]:
    """Documents the actor decides with candidates still waiting, oldest ingestion first.

    Each carries `pending` and `total` counts; the total leaves out candidates whose
    commitment the actor may not see, as the review page does.
    """
    documents: list[Document] = list(
        reviewable(actor)
        .annotate(
            pending=Count("candidates", filter=Q(candidates__decision=Decision.PENDING)),
            total=Count("candidates", filter=outcome_seen(actor, "candidates__")),
        )
        .filter(pending__gt=0)
        .select_related("dialogue", "meeting")
        .order_by("date_first", "id")
    )
    hide_unseen(actor, documents, dialogue=Dialogue, meeting=Meeting)
    return documents


@dataclass
class Segment:
    """A run of the document's text; `candidate` is set on a passage under review."""

    text: str
    candidate: CommitmentCandidate | None = None


@dataclass
class ReviewItem:
    candidate: CommitmentCandidate
    near_duplicates: list[tuple[Commitment, float]] = field(default_factory=list)


@dataclass
class ReviewChoices:
    """What a reviewer picks from in the accept form, instead of typing codes."""

    governments: list[Government]
    # Each government with its agencies, for the owners' choice grouped by government.
    agencies: list[tuple[Government, list[Agency]]]
    # The taxonomy in tree order, each topic with its depth (families above their children).
    topics: list[tuple[Topic, int]]
    sectors: list[Sector]


def review_choices() -> ReviewChoices:
    """The registry's reference data (public to every reader), read once for the page."""
    governments = list(governments_all())
    agencies: dict[str, list[Agency]] = {}
    for agency in agencies_all().select_related(None):
        agencies.setdefault(agency.government_id, []).append(agency)
    topics = list(topics_all())
    children: dict[str | None, list[Topic]] = {}
    for topic in topics:
        children.setdefault(topic.parent_id, []).append(topic)
    in_tree_order: list[tuple[Topic, int]] = []

    def walk(parent: str | None, depth: int) -> None:
        for topic in children.get(parent, []):
            in_tree_order.append((topic, depth))
            walk(topic.pk, depth + 1)

    walk(None, 0)
    return ReviewChoices(
        governments=governments,
        agencies=[(g, agencies[g.pk]) for g in governments if g.pk in agencies],
        topics=in_tree_order,
        sectors=list(sectors_all()),
    )


@dataclass
class ReviewPage:
    document: Document
    segments: list[Segment]
    items: list[ReviewItem]
    dialogues: list[Dialogue]
    # The rounds of the dialogues the document and its candidates point to, offered in the
    # meeting field: the reviewer picks a round by its date and title, not by typing its id.
    rounds: list[Meeting]
    may_decide: bool
    # False for another government's user: the page shows the text, not its review.
    review_shown: bool
    # The registry's records for what the candidates name, keyed as the extractor wrote it.
    actors: dict[str, Government | Agency]
    topics: dict[str, Topic]
    # Offered in the accept forms; read only for a reader who may decide.
    choices: ReviewChoices | None = None


REVIEWER_ROLES = frozenset({"desk-officer", "coordinator"})


def may_review(actor: Actor, document: Document) -> bool:
    """Desk officers and coordinators of the government that ingested the document decide
    its candidates (the operator too); another government ingests and reviews its own copy."""
    if actor.is_operator:
        return True
    return actor.role in REVIEWER_ROLES and document.owner_government_id == actor.government


def may_follow_review(actor: Actor, document: Document) -> bool:
    """Every user of the ingesting government sees its review of a document (readers
    read-only); another government sees the document, not how it was reviewed."""
    return actor.is_operator or document.owner_government_id == actor.government


def highlight(text: str, candidates: Iterable[CommitmentCandidate]) -> list[Segment]:
    """The text cut into plain runs and candidate passages, in order (overlaps are skipped)."""
    segments: list[Segment] = []
    position = 0
    for candidate in sorted(candidates, key=lambda c: (c.start, c.end)):
        if candidate.start < position or candidate.end > len(text):
            continue
        if candidate.start > position:
            segments.append(Segment(text[position : candidate.start]))
        segments.append(Segment(text[candidate.start : candidate.end], candidate))
        position = candidate.end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def near_duplicates_for(
    *, actor: Actor, text: str, limit: int = 5
) -> list[tuple[Commitment, float]]:
    """Existing commitments the actor may see that read like `text`, best first."""
    visible = Commitment.objects.visible_to(actor)
    hits = most_similar(text, visible.values_list("id", "text"), limit=limit)
    by_id = visible.in_bulk([commitment_id for commitment_id, _ in hits])
    return [
        (by_id[commitment_id], score) for commitment_id, score in hits if commitment_id in by_id
    ]


def review_page(*, actor: Actor, document_id: str) -> ReviewPage | None:
    document = (
        documents_visible(actor)
        .filter(pk=document_id)
        .select_related("dialogue", "meeting")
        .first()
    )
    if document is None:
        return None
    hide_unseen(actor, [document], dialogue=Dialogue, meeting=Meeting)
    candidates = list(
        review_work_seen(actor)
        .filter(document=document)
        .select_related("commitment", "suggested_dialogue", "suggested_meeting")
        .order_by("start")
    )
    hide_unseen(
        actor,
        candidates,
        commitment=Commitment,
        suggested_dialogue=Dialogue,
        suggested_meeting=Meeting,
    )
    actors, topics = _found_records(candidates)
    items = [
        ReviewItem(
            candidate,
            near_duplicates_for(actor=actor, text=candidate.text)
            if candidate.decision == Decision.PENDING
            else [],
        )
        for candidate in candidates
    ]
    may_decide = may_review(actor, document)
    return ReviewPage(
        document=document,
        segments=highlight(document.text, candidates),
        items=items,
        dialogues=list(Dialogue.objects.visible_to(actor).order_by("name")),
        rounds=_rounds_offered(actor, document, candidates),
        may_decide=may_decide,
        review_shown=may_follow_review(actor, document),
        actors=actors,
        topics=topics,
        choices=review_choices() if may_decide else None,
    )


def _rounds_offered(
    actor: Actor, document: Document, candidates: list[CommitmentCandidate]
) -> list[Meeting]:
    """The visible rounds of the document's dialogue and of those suggested for its
    candidates, by date: a few dialogues' rounds, not the workspace's."""
    dialogue_ids = {document.dialogue_id} | {c.suggested_dialogue_id for c in candidates}
    dialogue_ids.discard(None)
    if not dialogue_ids:
        return []
    return list(
        meetings_visible(actor=actor)
        .filter(dialogue_id__in=dialogue_ids)
        .select_related(None)
        .only("id", "date", "title", "title_ja", "dialogue_id")
        .order_by("date_first", "id")
    )


def _found_records(
    candidates: list[CommitmentCandidate],
) -> tuple[dict[str, Government | Agency], dict[str, Topic]]:
    """The registry's records for the actors and topics the candidates name, read once for
    the page (not per candidate), keyed as the extractor wrote them; the page names them in
    the reader's language, and shows anything else as written."""
    keys = {a: _EXTRACTOR_KEYS.get(a, a) for c in candidates for a in c.actors}
    known: dict[str, Government | Agency] = {
        **Government.objects.in_bulk(set(keys.values())),
        **Agency.objects.in_bulk(set(keys.values())),
    }
    actors = {written: known[key] for written, key in keys.items() if key in known}
    topics = Topic.objects.in_bulk({t for c in candidates for t in c.topics})
    return actors, topics


# Readouts side by side ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReadoutItem:
    """A commitment a readout contains: a reviewed commitment or a candidate still in review."""

    text: str
    start: int | None
    end: int | None
    commitment_id: str | None
    decision: str


@dataclass
class ReadoutComparison:
    left: Document
    right: Document
    both: list[tuple[ReadoutItem, ReadoutItem, float]]
    only_left: list[ReadoutItem]
    only_right: list[ReadoutItem]


def readout_items(*, actor: Actor, document: Document) -> list[ReadoutItem]:
    """The commitments a document contains: its candidates (not rejected) and any commitment
    that quotes it without having come through review (loaded from a dataset).

    A reader of another government does not see the review: it gets the commitments it may
    see that quote the document, and every other candidate as found, undecided for it."""
    if not may_follow_review(actor, document):
        return _readout_as_found(actor, document)
    items: list[ReadoutItem] = []
    seen: set[str] = set()
    reviewed = document.candidates.filter(outcome_seen(actor)).exclude(decision=Decision.REJECTED)
    for candidate in reviewed.order_by("start"):
        items.append(
            ReadoutItem(
                candidate.text,
                candidate.start,
                candidate.end,
                candidate.commitment_id,
                candidate.decision,
            )
        )
        if candidate.commitment_id:
            seen.add(candidate.commitment_id)
    quoted = _quoting(actor, document).exclude(pk__in=seen)
    items.extend(_recorded(commitment) for commitment in quoted)
    return items


def _readout_as_found(actor: Actor, document: Document) -> list[ReadoutItem]:
    """Another government's readout: the commitments quoting it that the reader may see,
    and the candidates no such commitment quotes, with no decision (that is not theirs)."""
    items = [_recorded(commitment) for commitment in _quoting(actor, document)]
    quoted = {(item.start, item.end) for item in items}
    items.extend(
        ReadoutItem(candidate.text, candidate.start, candidate.end, None, "")
        for candidate in document.candidates.order_by("start")
        if (candidate.start, candidate.end) not in quoted
    )
    items.sort(key=lambda item: item.start or 0)
    return items


def _quoting(actor: Actor, document: Document) -> QuerySet[Commitment]:
    return (
        Commitment.objects.visible_to(actor)
        .filter(document=document)
        .order_by("passage_start", "id")
    )


def _recorded(commitment: Commitment) -> ReadoutItem:
    return ReadoutItem(
        commitment.passage or commitment.text,
        commitment.passage_start,
        commitment.passage_end,
        commitment.pk,
        "recorded",
    )


def readouts_compare(
    *, actor: Actor, left_id: str, right_id: str, threshold: float = LINK_THRESHOLD
) -> ReadoutComparison | None:
    """Two readouts side by side: the commitments in both, and those each alone contains.

    Two items are the same commitment when review tied them to the same commitment, else when
    their texts score at least `threshold` (the near-duplicate score), best pairs first.
    """
    documents = documents_visible(actor).in_bulk([left_id, right_id])
    if left_id not in documents or right_id not in documents or left_id == right_id:
        return None
    left, right = documents[left_id], documents[right_id]
    left_items = readout_items(actor=actor, document=left)
    right_items = readout_items(actor=actor, document=right)
    pairs: list[tuple[float, int, int]] = []
    for i, a in enumerate(left_items):
        for j, b in enumerate(right_items):
            if a.commitment_id and a.commitment_id == b.commitment_id:
                pairs.append((1.0, i, j))
            else:
                score = similarity(a.text, b.text)
                if score >= threshold:
                    pairs.append((score, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_left: set[int] = set()
    used_right: set[int] = set()
    both = []
    for score, i, j in pairs:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        both.append((left_items[i], right_items[j], score))
    both.sort(key=lambda pair: pair[0].start or 0)
    return ReadoutComparison(
        left=left,
        right=right,
        both=both,
        only_left=[item for i, item in enumerate(left_items) if i not in used_left],
        only_right=[item for j, item in enumerate(right_items) if j not in used_right],
    )


def meeting_readouts(*, actor: Actor, meeting_id: str) -> tuple[Meeting, list[Document]] | None:
    """A meeting and the documents that report it, for choosing two to compare."""
    meeting = Meeting.objects.visible_to(actor).filter(pk=meeting_id).first()
    if meeting is None:
        return None
    documents = list(documents_visible(actor).filter(meeting=meeting).order_by("date_first", "id"))
    return meeting, documents


def documents_dialogues(*, actor: Actor) -> list[Dialogue]:
    """Dialogues a document may be filed under by this actor (those it may see)."""
    return list(Dialogue.objects.visible_to(actor).order_by("name"))


def document_by_hash(*, actor: Actor, digest: str) -> Document | None:
    """The copy of this text that the actor's government keeps and the actor may see.

    A copy the actor may not see neither blocks its upload nor is named to it; nor does
    another government's copy it may read, since each government reviews its own
    (`may_review`). Either way the actor stores its own copy
    (docs/adr/0013-a-document-once-per-owner.md).
    """
    copies = documents_visible(actor).filter(content_hash=digest)
    if not actor.is_operator:
        copies = copies.filter(owner_government_id=actor.government)
    return copies.order_by("date_first", "id").first()
