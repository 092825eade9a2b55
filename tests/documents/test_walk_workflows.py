"""Defects found walking the ingestion pages in a browser, as desk officers would."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.documents.models import CommitmentCandidate, Decision, Document
from kizuna.documents.services import candidate_accept, document_ingest, read_upload
from kizuna.registry.models import Dialogue
from kizuna.registry.services import InvalidEdit

from .helpers import ingested as ingested_documents
from .helpers import statement

pytestmark = pytest.mark.django_db


def _upload(client: Client, data: bytes, name: str, **fields: str) -> Document:
    response = client.post(
        "/documents/upload/",
        {"file": SimpleUploadedFile(name, data), "kind": "statement", "marking": "public"} | fields,
    )
    assert response.status_code == 302, response.content
    call_command("worker", once=True, verbosity=0)
    return ingested_documents().get()


def test_an_upload_is_dated_by_its_file_name_as_the_ingest_command_dates_it(
    usa_client: Client,
) -> None:
    # The statement states no date; its file name does. Dated the day it was uploaded, its
    # commitments would be "made" today, years after the statement.
    document = _upload(usa_client, statement(7).encode(), "2023-03-15-joint-statement.txt")
    assert document.date == "2023-03-15"


def test_a_file_name_that_is_no_date_leaves_the_upload_dated_today(usa_client: Client) -> None:
    document = _upload(usa_client, statement(8).encode(), "2023-02-30-joint-statement.txt")
    assert document.date == dt.date.today().isoformat()


def test_accepting_a_candidate_without_a_dialogue_asks_for_one(usa_client: Client) -> None:
    """No dialogue suggested: the form must not pre-select the first dialogue of the list,
    which accepted the commitment into a dialogue nobody chose."""
    document = _upload(usa_client, statement(9).encode(), "statement.txt")
    Document.objects.filter(pk=document.pk).update(dialogue=None, meeting=None)
    CommitmentCandidate.objects.filter(document=document).update(
        suggested_dialogue_id=None, suggested_meeting_id=None
    )
    candidate = CommitmentCandidate.objects.filter(document=document).first()
    assert candidate is not None
    page = usa_client.get(f"/documents/{document.pk}/review/").content.decode()
    select = re.search(rf'<select id="dl{candidate.pk}" name="dialogue">(.*?)</select>', page)
    assert select is not None
    options = re.findall(r'<option value="([^"]*)"( selected)?>', select.group(1))
    assert [value for value, chosen in options if chosen] == [""]
    # What the browser then sends: no dialogue; refused beside the candidate, nothing written.
    response = usa_client.post(
        f"/candidates/{candidate.pk}/decide/", {"decision": "accept", "dialogue": ""}
    )
    assert response.status_code == 400
    assert b"say which dialogue this commitment belongs to" in response.content
    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING and candidate.commitment is None


def _refused_upload(client: Client, data: bytes, name: str, **headers: str) -> str:
    before = Document.objects.count()
    response = client.post(
        "/documents/upload/",
        {"file": SimpleUploadedFile(name, data), "kind": "statement", "marking": "public"},
        **headers,
    )
    assert response.status_code == 400
    assert Document.objects.count() == before  # nothing stored
    return response.content.decode()


def test_a_word_document_is_refused_in_words_that_say_what_to_do(usa_client: Client) -> None:
    """A .docx is a zip: it was refused as "not valid UTF-8 (bad byte at position 4)"."""
    page = _refused_upload(usa_client, b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "a.docx")
    assert "a.docx: this is a packed file (a Word document" in page
    assert "save it as PDF, HTML or plain text first" in page
    assert "UTF-8" not in page


def test_an_unreadable_upload_is_explained_in_the_readers_language(usa_client: Client) -> None:
    page = _refused_upload(usa_client, b"\x00\x01binary", "bin.txt", HTTP_ACCEPT_LANGUAGE="ja")
    assert "bin.txt：テキストではなくバイナリファイルです。" in page
    page = _refused_upload(usa_client, b"caf\xe9 au lait", "latin1.txt", HTTP_ACCEPT_LANGUAGE="ja")
    assert "latin1.txt：UTF-8 のテキストではありません（位置 3 のバイトが不正です）" in page


def test_a_meeting_of_another_dialogue_is_refused_naming_the_dialogue(usa_actor: Actor) -> None:
    """The message named the dialogue by its internal id ("… is not a round of t-ted")."""
    result = document_ingest(
        actor=usa_actor,
        reading=read_upload(statement(10).encode(), file_name="s.txt"),
        file_name="s.txt",
        meeting_id="t-ted-2024-06-26",
    )
    assert result.document is not None
    candidate = result.document.candidates.first()
    assert candidate is not None
    with pytest.raises(InvalidEdit) as refused:
        candidate_accept(actor=usa_actor, candidate_id=candidate.pk, meeting_id="no-such-round")
    dialogue = Dialogue.objects.get(pk=result.document.dialogue_id)
    assert refused.value.message == f"no-such-round is not a round of {dialogue.acronym}"
