"""An accepted candidate is marked as its document unless the reviewer widens it, with a reason."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.audit.models import AuditEntry
from kizuna.commitments.models import Commitment
from kizuna.documents.models import CommitmentCandidate, Decision, Document
from kizuna.documents.services import candidate_accept, document_ingest, read_upload
from kizuna.registry.services import InvalidEdit

from .helpers import STATEMENT
from .helpers import ingested as ingested_documents
from .test_views import upload

pytestmark = pytest.mark.django_db


def internal_candidate(actor: Actor) -> CommitmentCandidate:
    result = document_ingest(
        actor=actor,
        reading=read_upload(STATEMENT.encode(), file_name="s.txt"),
        file_name="s.txt",
        meeting_id="t-ted-2024-06-26",
        marking="government-internal",
    )
    assert result.document is not None
    return next(c for c in result.document.candidates.all() if "task force" in c.text)


def test_the_commitment_keeps_the_documents_marking(usa_actor: Actor) -> None:
    commitment = candidate_accept(actor=usa_actor, candidate_id=internal_candidate(usa_actor).pk)
    assert commitment.marking == "government-internal"
    other_side = Actor(name="j", government="JPN", agency="t-meti", role="coordinator")
    assert not Commitment.objects.visible_to(other_side).filter(pk=commitment.pk).exists()


def test_a_wider_marking_needs_a_reason_and_nothing_is_written_without_one(
    usa_actor: Actor,
) -> None:
    candidate = internal_candidate(usa_actor)
    before = Commitment.objects.count()
    with pytest.raises(InvalidEdit, match="reason"):
        candidate_accept(actor=usa_actor, candidate_id=candidate.pk, marking="shared")
    assert Commitment.objects.count() == before
    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING
    commitment = candidate_accept(
        actor=usa_actor, candidate_id=candidate.pk, marking="shared", reason="agreed to share"
    )
    assert commitment.marking == "shared"
    decided = AuditEntry.objects.filter(action="candidate.accept").order_by("-sequence")[0]
    assert decided.reason == "agreed to share"


def test_a_narrower_marking_needs_no_reason(usa_actor: Actor) -> None:
    candidate = internal_candidate(usa_actor)
    commitment = candidate_accept(
        actor=usa_actor, candidate_id=candidate.pk, marking="agency-internal"
    )
    assert commitment.marking == "agency-internal"


def test_unknown_committing_governments_are_refused(usa_actor: Actor) -> None:
    candidate = internal_candidate(usa_actor)
    with pytest.raises(InvalidEdit, match="parties: unknown: XYZ"):
        candidate_accept(actor=usa_actor, candidate_id=candidate.pk, parties=["USA", "XYZ"])


def review_of_internal_upload(client: Client) -> tuple[Document, CommitmentCandidate]:
    upload(client, STATEMENT.encode(), meeting="t-ted-2024-06-26", marking="government-internal")
    call_command("worker", once=True, verbosity=0)
    document = ingested_documents().get()
    return document, next(c for c in document.candidates.all() if "task force" in c.text)


def test_the_review_page_offers_the_documents_marking_first(usa_client: Client) -> None:
    document, candidate = review_of_internal_upload(usa_client)
    html = usa_client.get(f"/documents/{document.pk}/review/").content.decode()
    assert f'<select id="mk{candidate.pk}" name="marking">' in html
    chosen = html.split(f'<select id="mk{candidate.pk}" name="marking">')[1].split("</select>")[0]
    assert '<option value="government-internal" selected>' in chosen
    assert chosen.count(" selected") == 1


def test_a_failed_decision_keeps_the_edits_and_says_what_to_correct_in_japanese(
    usa_client: Client,
) -> None:
    _document, candidate = review_of_internal_upload(usa_client)
    response = usa_client.post(
        f"/candidates/{candidate.pk}/decide/",
        {
            "decision": "accept",
            "text": candidate.text,
            "parties": "USA, JPN",
            "owners": "t-commerce",
            "deadline_text": "by the end of March 2025",
            "deadline_latest": "2025-03-31",
            "marking": "shared",  # wider than the document's, and no reason given
        },
        headers={"accept-language": "ja"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    article = html.split(f'id="c{candidate.pk}"')[1].split("</article>")[0]
    assert 'role="alert"' in article and "理由" in article  # "Reason", the field to correct
    assert "reason:" not in article  # the field's name in words, not its code
    assert "<details open>" in article  # the accept form stays open
    assert 'value="by the end of March 2025"' in article and 'value="2025-03-31"' in article
    assert '<option value="shared" selected>' in article
    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING


def test_a_mistyped_commitment_to_merge_into_is_a_correction_not_a_refusal(
    usa_client: Client,
) -> None:
    _document, candidate = review_of_internal_upload(usa_client)
    response = usa_client.post(
        f"/candidates/{candidate.pk}/decide/",
        {"decision": "merge", "commitment": "no-such-commitment", "reason": "same pledge"},
    )
    assert response.status_code == 400
    article = response.content.decode().split(f'id="c{candidate.pk}"')[1].split("</article>")[0]
    assert "no commitment no-such-commitment that you may see" in article
    assert 'value="no-such-commitment"' in article and 'value="same pledge"' in article
