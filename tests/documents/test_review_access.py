"""Review work stays with the government that did it: the queue lists what the user decides,
another government sees a document's text but not its review, and a candidate that became a
commitment the reader may not see is not shown at all (walk 12, item 1)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.documents.models import CommitmentCandidate, Decision, Document
from kizuna.documents.selectors import readout_items, review_page, review_queue
from kizuna.documents.services import (
    candidate_accept,
    candidate_reject,
    document_ingest,
    read_upload,
)
from kizuna.registry.services import PermissionDenied

from .conftest import make_user
from .helpers import STATEMENT
from .helpers import ingested as ingested_documents
from .test_views import upload

pytestmark = pytest.mark.django_db

REASON = "Duplicate of an existing workshop commitment; not a new commitment."
HIDDEN_TEXT = "INTERNALCOMMIT: a task force on chips, kept within Commerce."
# Three commitments: one to reject, one to accept, one left waiting.
TEXT = STATEMENT + "The United States and Japan will hold a workshop on export controls in 2025.\n"


@dataclass
class Reviewed:
    """A public US statement: one candidate rejected with a reason, one accepted as a
    Commerce-internal commitment, the others still waiting."""

    document: Document
    rejected: CommitmentCandidate
    accepted: CommitmentCandidate
    pending: list[CommitmentCandidate]


@pytest.fixture
def reviewed(usa_actor: Actor) -> Reviewed:
    result = document_ingest(
        actor=usa_actor,
        reading=read_upload(TEXT.encode(), file_name="s.txt"),
        file_name="s.txt",
        meeting_id="t-ted-2024-06-26",
    )
    document = result.document
    first, second, *rest = document.candidates.order_by("start")
    assert rest, "the statement needs a candidate left waiting"
    candidate_reject(actor=usa_actor, candidate_id=first.pk, reason=REASON)
    candidate_accept(
        actor=usa_actor, candidate_id=second.pk, text=HIDDEN_TEXT, marking="agency-internal"
    )
    first.refresh_from_db()
    second.refresh_from_db()
    return Reviewed(document, first, second, rest)


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def jpn_reader(registry_loaded: None) -> User:
    return make_user("t-jpn-reader", "JPN", "t-meti", "reader")


@pytest.fixture
def usa_trade_desk(registry_loaded: None) -> User:
    """A US desk officer of another agency: reviews US documents, but may not see
    Commerce's internal commitments."""
    return make_user("t-usa-trade-desk", "USA", "t-ustr", "desk-officer")


def test_the_queue_lists_only_documents_the_user_decides(
    reviewed: Reviewed, jpn_desk: User, jpn_reader: User, usa_reader: User
) -> None:
    pk = reviewed.document.pk
    assert [d.pk for d in review_queue(actor=Actor.from_user(reviewed_by(reviewed)))] == [pk]
    for outsider in (jpn_desk, jpn_reader, usa_reader):
        assert review_queue(actor=Actor.from_user(outsider)) == []
        html = client_of(outsider).get("/review/").content.decode()
        assert pk not in html and "1 / " not in html


def reviewed_by(reviewed: Reviewed) -> User:
    return User.objects.get(username=reviewed.rejected.decided_by)


@pytest.mark.parametrize("persona", ["jpn_desk", "jpn_reader"])
def test_another_government_reads_the_text_but_not_the_review(
    reviewed: Reviewed, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    response = client_of(user).get(f"/documents/{reviewed.document.pk}/review/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The two sides discussed regional economic developments." in html
    assert "not shown to other governments" in html
    for review_work in (REASON, "t-usa-desk", "<mark", "<article", "decision-", HIDDEN_TEXT):
        assert review_work not in html
    page = review_page(actor=Actor.from_user(user), document_id=reviewed.document.pk)
    assert page is not None and page.items == [] and not page.review_shown


def test_a_reader_of_the_ingesting_government_sees_its_decisions_read_only(
    reviewed: Reviewed, usa_reader: User
) -> None:
    """The reader is of another agency than Commerce: the rejection is its government's
    work, the Commerce-internal commitment is not for it."""
    html = client_of(usa_reader).get(f"/documents/{reviewed.document.pk}/review/").content.decode()
    assert REASON in html and "rejected by t-usa-desk" in html
    assert 'name="decision"' not in html
    assert f'id="c{reviewed.accepted.pk}"' not in html and "accepted by" not in html


def test_a_candidate_accepted_as_a_commitment_the_reviewer_may_not_see_is_not_shown(
    reviewed: Reviewed, usa_trade_desk: User
) -> None:
    client = client_of(usa_trade_desk)
    html = client.get(f"/documents/{reviewed.document.pk}/review/").content.decode()
    accepted = reviewed.accepted
    assert f'id="c{accepted.pk}"' not in html and f'id="p{accepted.pk}"' not in html
    assert "accepted by" not in html and HIDDEN_TEXT not in html
    assert f'id="c{reviewed.rejected.pk}"' in html  # its colleagues' rejection is shown
    for candidate in reviewed.pending:
        assert f'<article id="c{candidate.pk}"' in html
    # Counted as it is shown: the hidden candidate is not one of the document's.
    (queued,) = review_queue(actor=Actor.from_user(usa_trade_desk))
    assert (queued.pending, queued.total) == (len(reviewed.pending), len(reviewed.pending) + 1)
    # Deciding it by its number tells no more than the page.
    response = client.post(
        f"/candidates/{accepted.pk}/decide/", {"decision": "reject", "reason": "Not one."}
    )
    answer = response.content.decode()
    assert response.status_code == 403 and "already" not in answer and "t-usa-desk" not in answer
    with pytest.raises(PermissionDenied, match="no candidate"):
        candidate_reject(actor=Actor.from_user(usa_trade_desk), candidate_id=accepted.pk)
    accepted.refresh_from_db()
    assert accepted.decision == Decision.ACCEPTED


def test_a_readout_shows_another_government_what_it_may_see_without_the_review(
    reviewed: Reviewed, jpn_desk: User, usa_trade_desk: User
) -> None:
    items = readout_items(actor=Actor.from_user(jpn_desk), document=reviewed.document)
    assert {item.decision for item in items} == {""}
    assert {item.commitment_id for item in items} == {None}
    # The rejected passage is there, as found: who rejected it is not theirs to know.
    assert reviewed.rejected.text in {item.text for item in items}
    own_side = readout_items(actor=Actor.from_user(usa_trade_desk), document=reviewed.document)
    assert reviewed.accepted.text not in {item.text for item in own_side}
    assert reviewed.accepted.commitment_id not in {item.commitment_id for item in own_side}


def test_refusals_of_a_review_are_in_the_readers_language(
    reviewed: Reviewed, usa_reader: User, jpn_desk: User
) -> None:
    candidate = reviewed.pending[0]
    with translation.override("ja"):
        with pytest.raises(PermissionDenied, match="確認できるのは"):
            candidate_reject(actor=Actor.from_user(usa_reader), candidate_id=candidate.pk)
        with pytest.raises(PermissionDenied, match="取り込んだ政府"):
            candidate_reject(actor=Actor.from_user(jpn_desk), candidate_id=candidate.pk)
    refused = client_of(usa_reader).post(
        f"/candidates/{candidate.pk}/decide/",
        {"decision": "reject", "reason": "x"},
        headers={"accept-language": "ja"},
    )
    html = refused.content.decode()
    assert (
        refused.status_code == 403
        and "only desk officers" not in html
        and "候補を確認できるのは担当官と調整官のみです" in html
    )


def test_a_copy_hidden_from_the_uploader_neither_blocks_nor_shows_its_upload(
    usa_client: Client, jpn_desk: User
) -> None:
    upload(usa_client, STATEMENT.encode(), dialogue="t-ted", marking="agency-internal")
    call_command("worker", once=True, verbosity=0)
    japan = client_of(jpn_desk)
    response = upload(japan, STATEMENT.encode(), dialogue="t-ted")
    assert response.status_code == 302 and b"already stored" not in response.content
    call_command("worker", once=True, verbosity=0)
    owners = set(ingested_documents().values_list("owner_government_id", "owner_agency_id"))
    assert owners == {("USA", "t-commerce"), ("JPN", "t-meti")}
    # Its own copy now stands in the way of a second upload, and is named.
    again = upload(japan, STATEMENT.encode(), dialogue="t-ted")
    mine = ingested_documents().get(owner_government_id="JPN")
    assert again.status_code == 409 and f"/documents/{mine.pk}/review/" in again.content.decode()
