"""Writes of the ingestion pipeline: store a document with its commitment candidates, review them.

Every function takes `actor=` first and keyword-only arguments, checks the permission, writes,
and appends its audit entry in the same transaction (ARCHITECTURE.md, "Layers"). A document,
its candidates and its audit entry commit together or not at all, so a process killed in the
middle of an ingestion leaves nothing half-stored, and running it again stores it once: a
text is stored once per owning agency (docs/adr/0013-a-document-once-per-owner.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kizuna.access.actor import Actor
from kizuna.audit.log import append_entry
from kizuna.commitments.models import Commitment
from kizuna.commitments.services import commitment_create
from kizuna.commitments.similarity import link_near_duplicates
from kizuna.core.names import in_reader_language
from kizuna.core.text import as_sentence
from kizuna.documents.models import (
    CommitmentCandidate,
    Decision,
    Document,
    DocumentKind,
)
from kizuna.documents.selectors import (
    REVIEWER_ROLES,
    document_by_hash,
    extractor_registry,
    link_suggestion,
    may_review,
    normalise_actors,
    outcome_seen,
)
from kizuna.extraction import (
    ExtractionInputError,
    Passage,
    ReadDocument,
    dated_by_file_name,
    extract,
    read_bytes,
    read_document,
)
from kizuna.registry.models import Dialogue, Government, Meeting, Sector, Topic
from kizuna.registry.records import Marking, widens
from kizuna.registry.selectors import dialogue_parties, visible
from kizuna.registry.services import (
    InvalidEdit,
    PermissionDenied,
    check_choice,
    refresh_audience,
)

Progress = Callable[[int, str], None]


class UnseenMergeTarget(PermissionDenied):
    """The commitment to merge into is not one the reviewer may see (or does not exist).

    A refusal, audited as one by the API; a page may instead ask the reviewer to correct
    the id, since a mistyped id is the usual cause.
    """

    field = "commitment"


class IngestionInputError(ValueError):
    """The file cannot be ingested (empty, binary, not UTF-8, corrupt or encrypted PDF, too big).

    The message is written for the person who supplied the file; nothing was stored.
    """


@dataclass(frozen=True)
class IngestResult:
    document: Document
    """The stored document: the new one, or the copy the actor may see already stored."""
    created: bool
    candidates: int


def max_upload_bytes() -> int:
    return int(settings.KIZUNA_MAX_UPLOAD_MB) * 1024 * 1024


def content_hash(text: str) -> str:
    """SHA-256 of the plain text, as the dataset loader computes it, so both dedupe alike."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_upload(data: bytes, *, file_name: str, date: dt.date | None = None) -> ReadDocument:
    """Read uploaded bytes; bad input becomes an `IngestionInputError` naming the file.

    An upload is dated as the same file given to `kizuna ingest`: by the date the uploader
    gives, else the date its text states, else the date its name starts with; only then by
    the day it was stored. Deadlines in its text ("by the end of next year") count from it."""
    name = Path(file_name).name or "upload"
    try:
        reading = read_bytes(
            data, suffix=Path(name).suffix.lower(), max_bytes=max_upload_bytes(), name=name
        )
    except ExtractionInputError as exc:
        raise IngestionInputError(_unreadable(exc, name)) from None
    return _dated(dated_by_file_name(reading, name), date)


def _unreadable(exc: ExtractionInputError, name: str) -> str:
    """Why an uploaded file cannot be read, in the reader's language (the reading package
    words it in English only)."""
    messages = {
        "too-large": _("%(name)s: the file is %(size)s bytes, over the limit of %(limit)s bytes."),
        "empty": _("%(name)s: the file is empty."),
        "binary": _("%(name)s: this is a binary file, not a text."),
        "packed": _(
            "%(name)s: this is a packed file (a Word document, a spreadsheet or a zip), not a"
            " text; save it as PDF, HTML or plain text first."
        ),
        "not-utf8": _(
            "%(name)s: the file is not UTF-8 text (a byte at position %(position)s is not);"
            " save it as UTF-8, PDF or HTML."
        ),
        "no-text": _("%(name)s: the file holds no text."),
        "html-unparsable": _("%(name)s: the HTML could not be read."),
        "html-no-text": _("%(name)s: the HTML page has no visible text."),
        "pdf-encrypted": _("%(name)s: the PDF is encrypted; supply a decrypted copy."),
        "pdf-damaged": _("%(name)s: the PDF is damaged or unreadable."),
        "pdf-no-text": _(
            "%(name)s: the PDF has no text layer (a scanned image?); it needs OCR first."
        ),
    }
    message = messages.get(exc.reason)
    if message is None:
        return str(exc)
    figures = {key: f"{value:,}" for key, value in exc.details.items()}
    return message % {"name": name, **figures}


def read_path(path: str | Path, *, date: dt.date | None = None) -> ReadDocument:
    """Read a file as `read_upload` reads an upload (in English: the command line's)."""
    try:
        return _dated(read_document(path, max_bytes=max_upload_bytes()), date)
    except ExtractionInputError as exc:
        raise IngestionInputError(str(exc)) from None


def _dated(reading: ReadDocument, date: dt.date | None) -> ReadDocument:
    """The reading dated by the person who gave it, when they gave a date: they know the
    statement's day better than a date found in its text or file name. A statement is
    not dated after today: its commitments would be "made" in the future."""
    if date is not None and date > dt.date.today():
        raise IngestionInputError(
            _("The statement's date (%(date)s) is after today: give the day it was issued.")
            % {"date": date.isoformat()}
        )
    return reading if date is None else replace(reading, date=date)


def may_ingest(actor: Actor) -> bool:
    return actor.is_operator or actor.role in REVIEWER_ROLES


def resolve_link(
    *, actor: Actor, dialogue_id: str | None, meeting_id: str | None
) -> tuple[Dialogue | None, Meeting | None]:
    """The dialogue and meeting a caller named, if the actor may see them and they agree."""
    meeting = None
    if meeting_id:
        meeting = Meeting.objects.visible_to(actor).filter(pk=meeting_id).first()
        if meeting is None:
            raise InvalidEdit(
                "meeting", _("no meeting '%(meeting)s' that you may see") % {"meeting": meeting_id}
            )
    dialogue = None
    if dialogue_id:
        dialogue = Dialogue.objects.visible_to(actor).filter(pk=dialogue_id).first()
        if dialogue is None:
            raise InvalidEdit(
                "dialogue",
                _("no dialogue '%(dialogue)s' that you may see") % {"dialogue": dialogue_id},
            )
    if meeting is not None:
        if dialogue is not None and meeting.dialogue_id != dialogue.pk:
            raise InvalidEdit(
                "meeting",
                _("meeting '%(meeting)s' belongs to '%(dialogue)s'")
                % {"meeting": meeting.pk, "dialogue": meeting.dialogue_id},
            )
        dialogue = meeting.dialogue
    return dialogue, meeting


def document_ingest(
    *,
    actor: Actor,
    reading: ReadDocument,
    file_name: str,
    dialogue_id: str | None = None,
    meeting_id: str | None = None,
    marking: str = Marking.PUBLIC,
    kind: str = DocumentKind.STATEMENT,
    progress: Progress | None = None,
) -> IngestResult:
    """Store a document once, with every commitment the extractor finds queued for review.

    When no dialogue or meeting is given, they are suggested from the text and the date and
    the document is flagged `link_suggested`. The same text twice is stored once: the second
    call returns the stored document with `created=False`.
    """
    report = progress or (lambda percent, stage: None)
    if not may_ingest(actor):
        raise PermissionDenied(_("only desk officers and coordinators ingest documents"))
    check_choice("marking", marking, Marking)
    check_choice("kind", kind, DocumentKind)
    digest = content_hash(reading.text)
    stored = _already_stored(actor, digest)
    if stored is not None:
        return stored
    dialogue, meeting = resolve_link(actor=actor, dialogue_id=dialogue_id, meeting_id=meeting_id)

    report(20, _("extracting commitments"))
    date = reading.date or (meeting.date_first if meeting is not None else None)
    extraction = extract(
        reading.text, date=date, registry=extractor_registry(), title=reading.title
    )
    date = date or extraction.document.date
    suggested = False
    if dialogue is None:
        report(50, _("suggesting the dialogue and meeting"))
        dialogue, meeting = link_suggestion(actor=actor, text=reading.text, date=date)
        suggested = dialogue is not None
    document_date = date or timezone.now().date()
    title = reading.title or extraction.document.title or Path(file_name).name
    owner_government = _owner_government(actor, dialogue, extraction.passages)
    owner_agency = actor.agency or (dialogue.owner_agency_id if dialogue else None)

    report(70, _("storing the document and its candidates"))
    document = Document(
        id=_document_id(document_date, digest, owner_agency or owner_government),
        title=title[:500],
        date=document_date.isoformat(),
        language=extraction.document.language,
        kind=kind,
        url=(reading.source_url or "")[:1000],
        content_hash=digest,
        text=reading.text,
        partial=reading.partial,
        dialogue=dialogue,
        meeting=meeting,
        link_suggested=suggested,
        marking=marking,
        owner_government_id=owner_government,
        owner_agency_id=owner_agency,
        sources=[_source(reading, title, document_date, actor)],
    )
    parties = dialogue_parties(actor=actor, dialogue=dialogue) if dialogue is not None else []
    candidates = [
        _candidate(document, passage, dialogue, parties, meeting)
        for passage in extraction.passages
        if passage.label == "commitment" and passage.end > passage.start
    ]
    try:
        with transaction.atomic():
            document.sync_partial_dates()
            document.full_clean(validate_unique=False, validate_constraints=False)
            document.save(force_insert=True)
            refresh_audience(document)
            CommitmentCandidate.objects.bulk_create(candidates)
            append_entry(
                actor=actor,
                action="document.ingest",
                object_kind="document",
                object_id=document.pk,
                marking=document.marking,
                government=owner_government,
                agency=document.owner_agency_id or "",
                after={
                    "title": document.title,
                    "content_hash": digest,
                    "file": Path(file_name).name,
                    "dialogue": dialogue.pk if dialogue else None,
                    "meeting": meeting.pk if meeting else None,
                    "link_suggested": suggested,
                    "candidates": len(candidates),
                },
            )
    except ValidationError as exc:
        raise InvalidEdit("document", "; ".join(exc.messages)) from None
    except IntegrityError:
        # Another process stored the same text for the same owner between our check and our
        # insert: a copy of the actor's own agency, which it may see.
        stored = _already_stored(actor, digest)
        if stored is None:
            raise
        return stored
    report(100, _("done"))
    return IngestResult(document=document, created=True, candidates=len(candidates))


def _already_stored(actor: Actor, digest: str) -> IngestResult | None:
    """The copy of this text the actor may see, if any; a hidden copy is another owner's
    and does not stop the actor storing its own."""
    document = document_by_hash(actor=actor, digest=digest)
    if document is None:
        return None
    count = CommitmentCandidate.objects.filter(document_id=document.pk).count()
    return IngestResult(document=document, created=False, candidates=count)


def _document_id(date: dt.date, digest: str, owner: str) -> str:
    """The same for the same text, day and owner (a retried ingestion finds its document);
    different for another owner's copy, and telling nothing of whether one exists."""
    keyed = hashlib.sha256(f"{digest}|{owner}".encode()).hexdigest()
    return f"doc-{date.isoformat()}-{keyed[:12]}"


def _owner_government(actor: Actor, dialogue: Dialogue | None, passages: Any) -> str:
    if actor.government:
        return actor.government
    if dialogue is not None:
        return dialogue.owner_government_id
    known = set(Government.objects.values_list("id", flat=True))
    for passage in passages:
        for key in normalise_actors(passage.actors)[0]:
            if key in known:
                return key
    raise InvalidEdit(
        "dialogue",
        "cannot tell which government owns this document: name its dialogue or meeting, "
        "or act as a user (--as-user)",
    )


def _source(reading: ReadDocument, title: str, date: dt.date, actor: Actor) -> dict[str, str]:
    source = {"title": title, "publisher": "", "date": date.isoformat()}
    if reading.source_url:
        # Only an address the document itself states; never an invented one.
        source["url"] = reading.source_url
    source["ingested_by"] = actor.name
    return source


def _candidate(
    document: Document,
    passage: Passage,
    dialogue: Dialogue | None,
    dialogue_parties: list[str],
    meeting: Meeting | None,
) -> CommitmentCandidate:
    parties, owners, unresolved = normalise_actors(passage.actors)
    if not parties:
        # Items under a lead-in ("The ministers agreed on:") name nobody: the dialogue's
        # parties (those the ingesting actor may see) are the best guess, and the reviewer
        # confirms it.
        parties = dialogue_parties
    deadline = passage.deadline
    return CommitmentCandidate(
        document=document,
        start=passage.start,
        end=passage.end,
        text=as_sentence(passage.text),
        label=passage.label,
        confidence=round(passage.confidence, 3),
        actors=[*parties, *[a for agencies in owners.values() for a in agencies], *unresolved],
        parties=parties,
        owners=owners,
        deadline_text=(as_sentence(deadline.text)[:300] if deadline else ""),
        deadline_earliest=deadline.earliest if deadline else None,
        deadline_latest=deadline.latest if deadline else None,
        topics=list(passage.topics),
        sectors=list(passage.sectors),
        specificity={
            "number": passage.specificity.number,
            "initiative": passage.specificity.initiative,
            "date": passage.specificity.date,
            "owner": passage.specificity.owner,
        },
        suggested_dialogue=dialogue,
        suggested_meeting=meeting,
    )


# Review ---------------------------------------------------------------------------------


# A decision as a word in the reader's language (the screen's labels for the same values).
_DECIDED_AS: dict[str, Promise] = {
    Decision.ACCEPTED: gettext_lazy("accepted"),
    Decision.MERGED: gettext_lazy("merged"),
    Decision.REJECTED: gettext_lazy("rejected"),
}


def _pending_candidate(actor: Actor, candidate_id: int) -> CommitmentCandidate:
    """The candidate, locked, if the actor may review it and nobody decided it yet."""
    if not actor.is_operator and actor.role not in REVIEWER_ROLES:
        raise PermissionDenied(_("only desk officers and coordinators review candidates"))
    visible = Document.objects.visible_to(actor)
    candidate = (
        CommitmentCandidate.objects.select_for_update()
        .filter(pk=candidate_id, document__in=visible)
        .select_related("document")
        .first()
    )
    unseen = PermissionDenied(
        _("no candidate %(candidate)s that you may see") % {"candidate": candidate_id}
    )
    if candidate is None:
        raise unseen
    if not may_review(actor, candidate.document):
        raise PermissionDenied(_("candidates are reviewed by the government that ingested them"))
    # Accepted as a commitment the reviewer may not see (another agency's internal one): the
    # candidate is hidden with it, rather than saying by whom and how it was decided.
    if not CommitmentCandidate.objects.filter(outcome_seen(actor), pk=candidate.pk).exists():
        raise unseen
    if candidate.decision != Decision.PENDING:
        raise InvalidEdit(
            "decision",
            _("this candidate was already %(decision)s by %(person)s")
            % {"decision": _DECIDED_AS[candidate.decision], "person": candidate.decided_by},
        )
    return candidate


_ACTIONS: dict[str, str] = {
    Decision.ACCEPTED: "candidate.accept",
    Decision.MERGED: "candidate.merge",
    Decision.REJECTED: "candidate.reject",
}


def _decide(
    actor: Actor,
    candidate: CommitmentCandidate,
    decision: str,
    commitment: Commitment | None,
    reason: str,
) -> None:
    candidate.decision = decision
    candidate.decided_by = actor.name
    candidate.decided_at = timezone.now()
    candidate.commitment = commitment
    candidate.reason = reason
    candidate.save(update_fields=["decision", "decided_by", "decided_at", "commitment", "reason"])
    append_entry(
        actor=actor,
        action=_ACTIONS[decision],
        object_kind="candidate",
        object_id=str(candidate.pk),
        marking=candidate.document.marking,
        government=candidate.document.owner_government_id,
        agency=candidate.document.owner_agency_id or "",
        after={
            "document": candidate.document_id,
            "start": candidate.start,
            "end": candidate.end,
            "decision": decision,
            "commitment": commitment.pk if commitment else None,
        },
        reason=reason,
    )


def candidate_accept(
    *,
    actor: Actor,
    candidate_id: int,
    text: str | None = None,
    dialogue_id: str | None = None,
    meeting_id: str | None = None,
    parties: list[str] | None = None,
    owners: dict[str, list[str]] | None = None,
    deadline_text: str | None = None,
    deadline_earliest: dt.date | None = None,
    deadline_latest: dt.date | None = None,
    topics: list[str] | None = None,
    sectors: list[str] | None = None,
    marking: str | None = None,
    reason: str = "",
) -> Commitment:
    """Make a candidate a commitment quoting its source passage; edits override the suggestions.

    The commitment is marked as its document unless the reviewer chooses otherwise; a
    wider marking needs a reason (kept in the audit log), as widening any record's does:
    the commitment quotes the document, so it would tell its words to more readers.
    The new commitment is linked to its near-duplicates among existing commitments.
    """
    with transaction.atomic():
        candidate = _pending_candidate(actor, candidate_id)
        document = candidate.document
        dialogue_id = dialogue_id or candidate.suggested_dialogue_id or document.dialogue_id or ""
        if not dialogue_id:
            raise InvalidEdit("dialogue", _("say which dialogue this commitment belongs to"))
        meeting_id = meeting_id or candidate.suggested_meeting_id or document.meeting_id
        if (
            meeting_id
            and not Meeting.objects.filter(pk=meeting_id, dialogue_id=dialogue_id).exists()
        ):
            dialogue = visible(Dialogue, actor).filter(pk=dialogue_id).first()
            raise InvalidEdit(
                "meeting",
                _("%(meeting)s is not a round of %(dialogue)s")
                % {
                    "meeting": meeting_id,
                    "dialogue": (dialogue and dialogue.acronym)
                    or in_reader_language(dialogue)
                    or dialogue_id,
                },
            )
        parties = (
            list(candidate.parties) if parties is None else _known(Government, parties, "parties")
        )
        owners = dict(candidate.owners if owners is None else owners)
        if not parties:
            raise InvalidEdit("parties", _("name at least one committing government"))
        # The extractor's suggestions may name slugs this deployment's taxonomy lacks: drop
        # those quietly; a reviewer's own edits must all be known.
        topics = (
            _known(Topic, candidate.topics, None)
            if topics is None
            else _known(Topic, topics, "topics")
        )
        sectors = (
            _known(Sector, candidate.sectors, None)
            if sectors is None
            else _known(Sector, sectors, "sectors")
        )
        if deadline_earliest and deadline_latest and deadline_earliest > deadline_latest:
            raise InvalidEdit("deadline", _("the earliest date is after the latest"))
        marking = marking or document.marking
        check_choice("marking", marking, Marking)
        if widens(marking, document.marking) and not reason.strip():
            raise InvalidEdit("reason", _("a marking wider than the document's needs a reason"))
        commitment = commitment_create(
            actor=actor,
            dialogue_id=dialogue_id,
            text=as_sentence(text if text is not None else candidate.text),
            made_on=document.date,
            parties=parties,
            owners={party: slugs for party, slugs in owners.items() if slugs},
            marking=marking,
            meeting_id=meeting_id or None,
            sources=list(document.sources),
            document=document,
            passage_start=candidate.start,
            passage_end=candidate.end,
            deadline_text=as_sentence(
                candidate.deadline_text if deadline_text is None else deadline_text
            ),
            deadline_earliest=(
                candidate.deadline_earliest if deadline_text is None else deadline_earliest
            ),
            deadline_latest=(
                candidate.deadline_latest if deadline_text is None else deadline_latest
            ),
        )
        commitment.topics.set(Topic.objects.filter(pk__in=topics))
        commitment.sectors.set(Sector.objects.filter(pk__in=sectors))
        link_near_duplicates(commitment)
        _decide(actor, candidate, Decision.ACCEPTED, commitment, reason.strip())
    return commitment


def candidate_merge(
    *, actor: Actor, candidate_id: int, commitment_id: str, reason: str = ""
) -> Commitment:
    """Record a candidate as another statement of an existing commitment (no new commitment)."""
    with transaction.atomic():
        candidate = _pending_candidate(actor, candidate_id)
        commitment = Commitment.objects.visible_to(actor).filter(pk=commitment_id).first()
        if commitment is None:
            raise UnseenMergeTarget(_("no commitment %s that you may see") % commitment_id)
        _decide(actor, candidate, Decision.MERGED, commitment, reason)
    return commitment


def candidate_reject(*, actor: Actor, candidate_id: int, reason: str = "") -> CommitmentCandidate:
    """Not a commitment (or not one worth tracking); the reason is kept in the audit log."""
    with transaction.atomic():
        candidate = _pending_candidate(actor, candidate_id)
        _decide(actor, candidate, Decision.REJECTED, None, reason)
    return candidate


def _known(
    model: type[Topic] | type[Sector] | type[Government], slugs: list[str], field: str | None
) -> list[str]:
    """The slugs the taxonomy knows; with a `field`, an unknown slug is an error instead."""
    known = set(model.objects.filter(pk__in=slugs).values_list("pk", flat=True))
    unknown = [slug for slug in slugs if slug not in known]
    if field is None:
        return list(dict.fromkeys(slug for slug in slugs if slug in known))
    if unknown:
        raise InvalidEdit(field, _("unknown: %s") % ", ".join(unknown))
    return list(dict.fromkeys(slugs))
