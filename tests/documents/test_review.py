"""Reviewing candidates: accept (with edits), merge into an existing commitment, reject."""

from __future__ import annotations

import datetime as dt

import pytest

from kizuna.access.actor import Actor
from kizuna.audit.models import AuditEntry
from kizuna.commitments.models import Commitment, CommitmentLink
from kizuna.documents.models import CommitmentCandidate, Decision
from kizuna.documents.selectors import review_page, review_queue
from kizuna.documents.services import (
    candidate_accept,
    candidate_merge,
    candidate_reject,
    document_ingest,
    read_upload,
)
from kizuna.registry.services import InvalidEdit, PermissionDenied

from .helpers import STATEMENT, text_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidates(usa_actor: Actor) -> list[CommitmentCandidate]:
    result = document_ingest(
        actor=usa_actor,
        reading=read_upload(STATEMENT.encode(), file_name="s.txt"),
        file_name="s.txt",
        meeting_id="t-ted-2024-06-26",
    )
    assert result.document is not None
    return list(result.document.candidates.order_by("start"))


def task_force(candidates: list[CommitmentCandidate]) -> CommitmentCandidate:
    return next(c for c in candidates if "task force" in c.text)


def actions_since(sequence: int) -> list[str]:
    return [e.header["action"] for e in AuditEntry.objects.filter(sequence__gt=sequence)]


def last_sequence() -> int:
    return AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def test_accepting_creates_a_commitment_quoting_its_source_passage(
    usa_actor: Actor, candidates: list[CommitmentCandidate]
) -> None:
    candidate = task_force(candidates)
    before = last_sequence()
    commitment = candidate_accept(actor=usa_actor, candidate_id=candidate.pk)
    assert commitment.document_id == candidate.document_id
    assert commitment.passage == candidate.text
    assert (commitment.passage_start, commitment.passage_end) == (candidate.start, candidate.end)
    assert commitment.dialogue_id == "t-ted" and commitment.meeting_id == "t-ted-2024-06-26"
    assert commitment.made_on == "2024-06-26"
    assert set(commitment.parties.values_list("id", flat=True)) == {"USA", "JPN"}
    assert commitment.deadline_text == "by the end of 2024"
    assert commitment.deadline_latest == dt.date(2024, 12, 31)
    assert "supply-chain-resilience" in commitment.topics.values_list("id", flat=True)
    assert commitment.owner_agency_id == "t-commerce"
    candidate.refresh_from_db()
    assert candidate.decision == Decision.ACCEPTED and candidate.commitment_id == commitment.pk
    assert candidate.decided_by == "t-usa-desk"
    assert actions_since(before) == ["commitment.create", "candidate.accept"]


def test_a_pdfs_line_breaks_inside_a_sentence_are_stored_as_spaces(usa_actor: Actor) -> None:
    """The walk's statement: a PDF's text layer wraps the sentence, deadline and all."""
    lines = [
        "Joint Statement of the Test Economic Dialogue",
        "The Department of Commerce and METI will hold a workshop on export controls in",
        "the first half of",
        "2027.",
    ]
    document = document_ingest(
        actor=usa_actor,
        reading=read_upload(text_pdf(lines), file_name="2026-11-20-statement.pdf"),
        file_name="2026-11-20-statement.pdf",
        dialogue_id="t-ted",
    ).document
    candidate = document.candidates.get()
    assert candidate.text == (
        "The Department of Commerce and METI will hold a workshop on export controls in"
        " the first half of 2027."
    )
    assert candidate.deadline_text == "in the first half of 2027"
    # The highlight still finds the passage where the document has it, line breaks and all.
    assert document.text[candidate.start : candidate.end] == "\n".join(lines[1:])
    commitment = candidate_accept(actor=usa_actor, candidate_id=candidate.pk)
    assert (commitment.text, commitment.deadline_text) == (candidate.text, candidate.deadline_text)
    assert commitment.passage == "\n".join(lines[1:])


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (
            "The two sides will establish\r\na joint task force  by 2024.\n",
            "The two sides will establish a joint task force by 2024.",
        ),
        # Japanese is written without spaces: its line breaks stand for none.
        (
            "日米両国は\n2024年末までに作業部会を\n設置する。",
            "日米両国は2024年末までに作業部会を設置する。",
        ),
    ],
)
def test_a_reviewers_line_breaks_are_stored_as_the_sentence_reads(
    usa_actor: Actor, candidates: list[CommitmentCandidate], typed: str, stored: str
) -> None:
    commitment = candidate_accept(
        actor=usa_actor,
        candidate_id=task_force(candidates).pk,
        text=typed,
        deadline_text=" by\n2024 ",
    )
    assert commitment.text == stored
    assert commitment.deadline_text == "by 2024"


def test_accepting_links_the_new_commitment_to_its_near_duplicates(
    usa_actor: Actor, candidates: list[CommitmentCandidate]
) -> None:
    commitment = candidate_accept(actor=usa_actor, candidate_id=task_force(candidates).pk)
    first, second = sorted([commitment.pk, "t-c-existing"])
    link = CommitmentLink.objects.get(commitment_a_id=first, commitment_b_id=second)
    assert link.score >= 0.4 and link.method


def test_the_review_page_suggests_near_duplicates_and_highlights_each_passage(
    usa_actor: Actor, candidates: list[CommitmentCandidate]
) -> None:
    page = review_page(actor=usa_actor, document_id=candidates[0].document_id)
    assert page is not None
    item = next(i for i in page.items if "task force" in i.candidate.text)
    assert item.near_duplicates[0][0].pk == "t-c-existing"
    marked = [s for s in page.segments if s.candidate is not None]
    assert [s.text for s in marked] == [c.text for c in candidates]
    assert "".join(s.text for s in page.segments) == page.document.text


def test_accepting_with_edits_uses_the_reviewers_actors_owners_deadline_and_topics(
    usa_actor: Actor, candidates: list[CommitmentCandidate]
) -> None:
    commitment = candidate_accept(
        actor=usa_actor,
        candidate_id=task_force(candidates).pk,
        text="Set up a chips task force.",
        parties=["USA"],
        owners={"USA": ["t-commerce", "t-ustr"]},
        deadline_text="by December 2024",
        deadline_earliest=None,
        deadline_latest=dt.date(2024, 12, 31),
        topics=["critical-technology-protection"],
    )
    assert commitment.text == "Set up a chips task force."
    assert list(commitment.parties.values_list("id", flat=True)) == ["USA"]
    assert list(commitment.owners.values_list("agency_id", flat=True)) == ["t-commerce", "t-ustr"]
    assert commitment.deadline_text == "by December 2024"
    assert list(commitment.topics.values_list("id", flat=True)) == [
        "critical-technology-protection"
    ]


def test_an_unknown_topic_or_a_foreign_owner_is_refused_and_nothing_is_written(
    usa_actor: Actor, candidates: list[CommitmentCandidate]
) -> None:
    count = Commitment.objects.count()
    candidate = task_force(candidates)
    with pytest.raises(InvalidEdit, match="topics"):
        candidate_accept(actor=usa_actor, candidate_id=candidate.pk, topics=["no-such-topic"])
    with pytest.raises(InvalidEdit, match="owners"):
        candidate_accept(
            actor=usa_actor, candidate_id=candidate.pk, parties=["USA"], owners={"USA": ["t-meti"]}
        )
    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING and Commitment.objects.count() == count


def test_merging_ties_the_candidate_to_an_existing_commitment(
    usa_actor: Actor, candidates: list[CommitmentCandidate]
) -> None:
    count = Commitment.objects.count()
    before = last_sequence()
    candidate = task_force(candidates)
    candidate_merge(
        actor=usa_actor, candidate_id=candidate.pk, commitment_id="t-c-existing", reason="same"
    )
    candidate.refresh_from_db()
    assert candidate.decision == Decision.MERGED and candidate.commitment_id == "t-c-existing"
    assert Commitment.objects.count() == count
    assert actions_since(before) == ["candidate.merge"]


def test_rejecting_keeps_the_reason_and_takes_it_off_the_queue(
    usa_actor: Actor, candidates: list[CommitmentCandidate]
) -> None:
    before = last_sequence()
    for candidate in candidates:
        candidate_reject(actor=usa_actor, candidate_id=candidate.pk, reason="not a pledge")
    assert review_queue(actor=usa_actor) == []
    assert actions_since(before) == ["candidate.reject"] * len(candidates)
    assert (
        AuditEntry.objects.filter(sequence__gt=before).first().payload["reason"] == "not a pledge"
    )


def test_a_candidate_is_decided_once(
    usa_actor: Actor, candidates: list[CommitmentCandidate]
) -> None:
    candidate_reject(actor=usa_actor, candidate_id=candidates[0].pk)
    with pytest.raises(InvalidEdit, match="already rejected"):
        candidate_accept(actor=usa_actor, candidate_id=candidates[0].pk)


def test_a_reader_may_not_review(usa_reader: object, candidates: list[CommitmentCandidate]) -> None:
    with pytest.raises(PermissionDenied):
        candidate_reject(actor=Actor.from_user(usa_reader), candidate_id=candidates[0].pk)


def test_another_governments_desk_officer_may_not_review(
    jpn_desk: object, candidates: list[CommitmentCandidate]
) -> None:
    with pytest.raises(PermissionDenied, match="government that ingested"):
        candidate_reject(actor=Actor.from_user(jpn_desk), candidate_id=candidates[0].pk)


def test_the_queue_lists_documents_with_pending_candidates(
    usa_actor: Actor, candidates: list[CommitmentCandidate]
) -> None:
    queue = review_queue(actor=usa_actor)
    assert [d.pk for d in queue] == [candidates[0].document_id]
    assert queue[0].pending == queue[0].total == len(candidates)
