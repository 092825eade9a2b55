"""Documents and the review queue through the API: upload, job status, decisions."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kizuna.audit.models import AuditEntry
from kizuna.commitments.models import Commitment
from kizuna.documents.jobs import job_run
from kizuna.documents.models import CommitmentCandidate, Decision, Document, IngestionJob

from .conftest import Persona
from .test_api import Api, error

pytestmark = pytest.mark.django_db

STATEMENT = """Joint Statement of the API Test Partnership

June 26, 2024

The United States and Japan held the second ministerial of the API test partnership.
The two sides will establish a joint task force on semiconductor supply chain resilience by the end of 2024.
The Ministers welcomed progress on export controls.
Japan intends to launch a critical minerals investment fund within six months.
The United States will host a workshop on battery recycling in 2025.
"""


def upload(
    client: Client,
    persona: Persona,
    data: bytes,
    name: str = "statement.txt",
    *,
    read_only: bool = False,
    **fields: str,
) -> Any:
    body: dict[str, Any] = {"file": SimpleUploadedFile(name, data), **fields}
    return client.post("/api/v1/documents", body, **persona.headers(read_only=read_only))


def actions_since(sequence: int) -> list[str]:
    entries = AuditEntry.objects.filter(sequence__gt=sequence).order_by("sequence")
    return [str(e.header["action"]) for e in entries]


def last_sequence() -> int:
    return int(AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True)[0])


def ingested(client: Client, api: Api, persona: Persona, **fields: str) -> str:
    """Upload STATEMENT, run its job as a worker would, and return the document id."""
    response = upload(client, persona, STATEMENT.encode(), dialogue="api-partnership", **fields)
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["status"] == "queued" and job["document"] is None
    assert job_run(job["id"], worker="test") == "done"
    status = api("get", f"/jobs/{job['id']}", persona).json()
    assert status["status"] == "done" and status["progress"] == 100
    return str(status["document"])


def test_an_upload_is_queued_ingested_and_audited(
    client: Client, api: Api, personas: dict[str, Persona]
) -> None:
    usa = personas["api-usa-desk"]
    before = last_sequence()
    document_id = ingested(client, api, usa)
    document = Document.objects.get(pk=document_id)
    assert document.dialogue_id == "api-partnership" and document.owner_government_id == "USA"
    assert actions_since(before) == ["document.ingest"]
    assert api("get", f"/documents/{document_id}", usa).json()["text"] == document.text
    # The job is its requester's: another user cannot follow it, nor tell it exists.
    job = IngestionJob.objects.get(document_id=document_id)
    other = api("get", f"/jobs/{job.pk}", personas["api-jpn-desk"])
    assert other.status_code == 404 and error(other)["code"] == "not-found"
    assert api("get", "/jobs/not-a-uuid", usa).status_code == 404


def test_the_same_text_again_says_it_is_already_stored(
    client: Client, api: Api, personas: dict[str, Persona]
) -> None:
    usa = personas["api-usa-desk"]
    document_id = ingested(client, api, usa)
    jobs = IngestionJob.objects.count()
    again = upload(client, usa, STATEMENT.encode(), "copy.txt")
    assert again.status_code == 409
    assert error(again)["code"] == "already-stored" and document_id in error(again)["message"]
    assert IngestionJob.objects.count() == jobs and Document.objects.filter(pk=document_id).count()


@pytest.mark.parametrize(
    ("data", "name", "status", "code"),
    [
        (b"", "empty.txt", 422, "invalid"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "image.png", 422, "invalid"),
        (b"\xff\xfe not utf-8 \xff", "statement.txt", 422, "invalid"),
        (b"%PDF-1.4 broken", "statement.pdf", 422, "invalid"),
    ],
)
def test_bad_files_answer_4xx_and_store_nothing(
    client: Client,
    personas: dict[str, Persona],
    data: bytes,
    name: str,
    status: int,
    code: str,
) -> None:
    documents, jobs = Document.objects.count(), IngestionJob.objects.count()
    response = upload(client, personas["api-usa-desk"], data, name)
    assert response.status_code == status, response.content
    assert error(response)["code"] == code and error(response)["field"] == "file"
    assert (Document.objects.count(), IngestionJob.objects.count()) == (documents, jobs)


def test_an_upload_over_the_size_limit_answers_413(
    client: Client, personas: dict[str, Persona], settings: Any
) -> None:
    settings.KIZUNA_MAX_UPLOAD_MB = 1
    response = upload(client, personas["api-usa-desk"], b"The sides will meet. " * 60_000)
    assert response.status_code == 413 and error(response)["code"] == "too-large"
    assert not IngestionJob.objects.exists()


def test_upload_fields_are_checked(client: Client, personas: dict[str, Persona]) -> None:
    usa = personas["api-usa-desk"]
    bad_kind = upload(client, usa, STATEMENT.encode(), kind="poem")
    assert bad_kind.status_code == 422 and error(bad_kind)["field"] == "kind"
    # A dialogue the uploader may not see is refused like one that does not exist.
    hidden = upload(client, usa, STATEMENT.encode(), dialogue="api-jpn-internal-dialogue")
    assert hidden.status_code == 422 and error(hidden)["field"] == "dialogue"
    missing = client.post("/api/v1/documents", {"dialogue": "api-partnership"}, **usa.headers())
    assert missing.status_code == 422 and error(missing)["field"] == "file"
    assert not IngestionJob.objects.exists()


def test_only_reviewers_with_a_read_write_token_upload(
    client: Client, personas: dict[str, Persona]
) -> None:
    read_only = upload(client, personas["api-usa-desk"], STATEMENT.encode(), read_only=True)
    assert read_only.status_code == 403 and error(read_only)["code"] == "read-only-token"
    before = last_sequence()
    reader = upload(client, personas["api-usa-reader"], STATEMENT.encode())
    assert reader.status_code == 403 and error(reader)["code"] == "forbidden"
    assert actions_since(before) == ["api.denied"]
    assert not IngestionJob.objects.exists()


def test_the_review_queue_and_the_three_decisions(
    client: Client, api: Api, personas: dict[str, Persona]
) -> None:
    usa = personas["api-usa-desk"]
    document_id = ingested(client, api, usa)
    queue = api("get", "/review", usa, document=document_id).json()
    assert queue["count"] == 3 and {c["decision"] for c in queue["items"]} == {"pending"}
    task_force, fund, workshop = queue["items"]
    assert "task force" in task_force["text"] and task_force["document"] == document_id

    before = last_sequence()
    accepted = api(
        "post",
        f"/review/{task_force['id']}/accept",
        usa,
        json={"parties": ["USA", "JPN"], "owners": {"USA": ["commerce"]}, "topics": []},
    )
    assert accepted.status_code == 200, accepted.content
    commitment = Commitment.objects.get(pk=accepted.json()["commitment"])
    assert commitment.document_id == document_id and accepted.json()["decision"] == "accepted"
    assert commitment.owners.filter(party_id="USA", agency_id="commerce").exists()

    merged = api(
        "post", f"/review/{fund['id']}/merge", usa, json={"commitment": commitment.pk}
    ).json()
    assert merged["decision"] == "merged" and merged["commitment"] == commitment.pk
    rejected = api("post", f"/review/{workshop['id']}/reject", usa, json={"reason": "a plan"})
    assert rejected.json()["decision"] == "rejected"
    actions = actions_since(before)
    assert actions[-2:] == ["candidate.merge", "candidate.reject"]
    assert "candidate.accept" in actions and "commitment.create" in actions

    assert api("get", "/review", usa, document=document_id).json()["count"] == 0
    decided = api("get", "/review", usa, document=document_id, decision="rejected").json()
    assert [c["id"] for c in decided["items"]] == [workshop["id"]]
    again = api("post", f"/review/{workshop['id']}/reject", usa, json={})
    assert again.status_code == 422 and error(again)["field"] == "decision"


def test_decisions_are_checked_like_on_the_review_page(
    client: Client, api: Api, personas: dict[str, Persona]
) -> None:
    usa, jpn = personas["api-usa-desk"], personas["api-jpn-desk"]
    document_id = ingested(client, api, usa)
    candidate = CommitmentCandidate.objects.filter(document_id=document_id).first()
    assert candidate is not None
    path = f"/review/{candidate.pk}"
    # The other side reads the public document, not its review: no candidates, and a
    # decision on one answers as for a candidate that does not exist.
    assert api("get", "/review", jpn, document=document_id).json()["count"] == 0
    assert api("get", "/review", usa, document=document_id).json()["count"] == 3
    other = api("post", f"{path}/reject", jpn, json={})
    assert other.status_code == 404 and error(other)["code"] == "not-found"
    read_only = api("post", f"{path}/reject", usa, read_only=True, json={})
    assert read_only.status_code == 403 and error(read_only)["code"] == "read-only-token"
    hidden = api("post", f"{path}/merge", usa, json={"commitment": "api-c-jpn-dialogue"})
    assert hidden.status_code == 403  # the service names no commitment the caller cannot see
    unknown_topic = api("post", f"{path}/accept", usa, json={"topics": ["no-such-topic"]})
    assert unknown_topic.status_code == 422 and error(unknown_topic)["field"] == "topics"
    extra = api("post", f"{path}/reject", usa, json={"reason": "x", "why": "y"})
    assert extra.status_code == 422
    missing = api("post", "/review/999999/reject", usa, json={})
    assert missing.status_code == 404 and error(missing)["code"] == "not-found"
    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING


def test_candidates_of_hidden_documents_are_not_listed_and_answer_404(
    client: Client, api: Api, personas: dict[str, Persona]
) -> None:
    usa, jpn = personas["api-usa-desk"], personas["api-jpn-desk"]
    document_id = ingested(client, api, usa, marking="government-internal")
    candidate = CommitmentCandidate.objects.filter(document_id=document_id).first()
    assert candidate is not None
    assert api("get", "/review", jpn, document=document_id).json()["count"] == 0
    response = api("post", f"/review/{candidate.pk}/reject", jpn, json={})
    assert response.status_code == 404 and error(response)["code"] == "not-found"


def test_accepting_keeps_the_documents_marking_unless_widened_with_a_reason(
    client: Client, api: Api, personas: dict[str, Persona]
) -> None:
    usa = personas["api-usa-desk"]
    document_id = ingested(client, api, usa, marking="government-internal")
    task_force, fund, _workshop = api("get", "/review", usa, document=document_id).json()["items"]
    kept = api("post", f"/review/{task_force['id']}/accept", usa, json={})
    assert kept.status_code == 200, kept.content
    assert Commitment.objects.get(pk=kept.json()["commitment"]).marking == "government-internal"
    wider = api("post", f"/review/{fund['id']}/accept", usa, json={"marking": "shared"})
    assert wider.status_code == 422 and error(wider)["field"] == "reason"
    shared = api(
        "post",
        f"/review/{fund['id']}/accept",
        usa,
        json={"marking": "shared", "reason": "cleared for the counterpart"},
    )
    assert shared.status_code == 200, shared.content
    assert Commitment.objects.get(pk=shared.json()["commitment"]).marking == "shared"
