"""document_ingest: a document is stored once, with its candidates and one audit entry."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from django.db import IntegrityError, transaction

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.audit.models import AuditEntry
from kizuna.documents.models import CommitmentCandidate, Document
from kizuna.documents.services import (
    IngestionInputError,
    content_hash,
    document_ingest,
    read_upload,
)
from kizuna.registry.models import Membership
from kizuna.registry.services import InvalidEdit, PermissionDenied

from .helpers import STATEMENT, blank_pdf, text_pdf

pytestmark = pytest.mark.django_db


def ingest(actor: Actor, text: str = STATEMENT, name: str = "statement.txt", **options: object):
    return document_ingest(
        actor=actor, reading=read_upload(text.encode(), file_name=name), file_name=name, **options
    )


def test_it_stores_the_document_with_its_candidates_and_one_audit_entry(usa_actor: Actor) -> None:
    before = AuditEntry.objects.count()
    result = ingest(usa_actor, dialogue_id="t-ted", meeting_id="t-ted-2024-06-26")
    document = result.document
    assert result.created and document is not None
    assert document.content_hash == content_hash(document.text)
    assert document.dialogue_id == "t-ted" and document.meeting_id == "t-ted-2024-06-26"
    assert document.owner_government_id == "USA" and document.owner_agency_id == "t-commerce"
    assert not document.link_suggested
    candidates = list(document.candidates.all())
    assert result.candidates == len(candidates) >= 2
    texts = [c.text for c in candidates]
    assert any("joint task force" in t for t in texts)
    assert all("welcomed" not in t and "discussed" not in t for t in texts)
    for candidate in candidates:
        assert document.text[candidate.start : candidate.end] == candidate.text
    task_force = next(c for c in candidates if "task force" in c.text)
    assert task_force.deadline_text == "by the end of 2024"
    assert str(task_force.deadline_latest) == "2024-12-31"
    assert set(task_force.parties) == {"USA", "JPN"}
    assert "supply-chain-resilience" in task_force.topics
    entries = AuditEntry.objects.filter(sequence__gt=before)
    assert [e.header["action"] for e in entries] == ["document.ingest"]


def test_the_same_text_twice_is_stored_once_and_says_so(usa_actor: Actor) -> None:
    first = ingest(usa_actor, dialogue_id="t-ted")
    second = ingest(usa_actor, dialogue_id="t-ted", name="copy.txt")
    assert first.created and not second.created
    assert second.document is not None and first.document is not None
    assert second.document.pk == first.document.pk
    assert Document.objects.filter(content_hash=first.document.content_hash).count() == 1


def test_a_copy_hidden_from_the_actor_does_not_stop_it_storing_its_own(
    usa_actor: Actor, jpn_desk: object
) -> None:
    theirs = ingest(usa_actor, dialogue_id="t-ted", marking="agency-internal").document
    jpn = Actor.from_user(jpn_desk)
    mine = ingest(jpn, dialogue_id="t-ted")
    assert mine.created and mine.document.pk != theirs.pk
    assert (mine.document.owner_government_id, mine.document.owner_agency_id) == ("JPN", "t-meti")
    assert mine.document.candidates.count() == theirs.candidates.count() > 0
    again = ingest(jpn, dialogue_id="t-ted", name="copy.txt")
    assert not again.created and again.document.pk == mine.document.pk


def test_a_copy_another_government_may_read_does_not_stop_it_storing_its_own(
    usa_actor: Actor, jpn_desk: object
) -> None:
    """Each government reviews its own copy: a public one of the other side's is no copy of
    its own to review."""
    theirs = ingest(usa_actor, dialogue_id="t-ted", marking="public").document
    mine = ingest(Actor.from_user(jpn_desk), dialogue_id="t-ted")
    assert mine.created and mine.document.pk != theirs.pk


def test_the_same_text_is_stored_once_per_owning_agency(usa_actor: Actor) -> None:
    stored = ingest(usa_actor, dialogue_id="t-ted").document
    twin = Document.objects.get(pk=stored.pk)
    twin.pk = "doc-twin"
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save(force_insert=True)


def test_it_suggests_the_dialogue_and_meeting_from_the_text_and_date(usa_actor: Actor) -> None:
    result = ingest(usa_actor)
    assert result.document is not None
    assert result.document.dialogue_id == "t-ted"
    assert result.document.meeting_id == "t-ted-2024-06-26"
    assert result.document.link_suggested
    assert {c.suggested_meeting_id for c in result.document.candidates.all()} == {
        "t-ted-2024-06-26"
    }


def test_a_meeting_of_another_dialogue_is_refused(usa_actor: Actor) -> None:
    with pytest.raises(InvalidEdit, match="belongs to"):
        ingest(usa_actor, dialogue_id="t-ted", meeting_id="t-ttc-2024-04-05")
    assert not Document.objects.filter(title__startswith="Joint Statement of the Test").exists()


def test_a_reader_may_not_ingest(usa_reader: object) -> None:
    with pytest.raises(PermissionDenied):
        ingest(Actor.from_user(usa_reader), dialogue_id="t-ted")


def test_a_pdf_with_a_text_layer_is_ingested(usa_actor: Actor) -> None:
    lines = [
        "Joint Statement of the Test Economic Dialogue",
        "The two sides will convene a critical minerals working group by March 2025.",
    ]
    reading = read_upload(text_pdf(lines), file_name="statement.pdf")
    result = document_ingest(
        actor=usa_actor, reading=reading, file_name="statement.pdf", dialogue_id="t-ted"
    )
    assert result.created and result.candidates == 1


def titled_pdf(lines: list[str], title: str) -> bytes:
    """A real PDF whose metadata says `title`, as a browser's print or Word writes it."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(text_pdf(lines))))
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


HEADING = "Joint Statement of the U.S.-Japan Test Economic and Industrial Partnership (TED)"


@pytest.mark.parametrize(
    "junk",
    ["about:blank", "Microsoft Word - statement-final.docx", "Untitled", "", "jucip.pdf"],
)
def test_a_pdfs_junk_metadata_title_gives_way_to_its_heading(usa_actor: Actor, junk: str) -> None:
    lines = [HEADING, "The two sides will convene a battery working group by March 2025."]
    reading = read_upload(titled_pdf(lines, junk), file_name="2024-06-26-statement.pdf")
    result = document_ingest(
        actor=usa_actor, reading=reading, file_name="2024-06-26-statement.pdf", dialogue_id="t-ted"
    )
    assert result.document.title == HEADING


def test_a_pdfs_own_title_is_kept_and_a_pdf_without_heading_takes_its_file_name(
    usa_actor: Actor,
) -> None:
    titled = read_upload(
        titled_pdf([HEADING, "They met."], "Fact Sheet: Test Partnership"), file_name="a.pdf"
    )
    assert titled.title == "Fact Sheet: Test Partnership"
    sentence = ["The two sides will convene a battery working group", "before the end of 2025."]
    reading = read_upload(titled_pdf(sentence, "about:blank"), file_name="jucip-statement.pdf")
    result = document_ingest(
        actor=usa_actor, reading=reading, file_name="jucip-statement.pdf", dialogue_id="t-ted"
    )
    assert result.document.title == "jucip-statement.pdf"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", "empty"),
        (b"   \n\n", "blank.txt", "empty"),
        (b"\x00\x01\x02binary\x00" * 50, "data.bin", "binary"),
        (b"caf\xe9 au lait will be served", "latin1.txt", "UTF-8"),
        (b"%PDF-1.4\n1 0 obj garbage", "corrupt.pdf", "PDF"),
        (blank_pdf(), "scan.pdf", "no text layer"),
        (blank_pdf(password="secret"), "locked.pdf", "encrypted"),
        (b"<html><body><script>alert(1)</script></body></html>", "script.html", "no visible text"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_stored(
    usa_actor: Actor, data: bytes, name: str, message: str
) -> None:
    documents, candidates = Document.objects.count(), CommitmentCandidate.objects.count()
    with pytest.raises(IngestionInputError, match=message) as raised:
        read_upload(data, file_name=name)
    assert name in str(raised.value)
    assert (Document.objects.count(), CommitmentCandidate.objects.count()) == (
        documents,
        candidates,
    )


def test_a_file_over_the_size_limit_is_refused(settings: object, usa_actor: Actor) -> None:
    settings.KIZUNA_MAX_UPLOAD_MB = 1  # type: ignore[attr-defined]
    with pytest.raises(IngestionInputError, match="over the limit"):
        read_upload(b"The sides will meet. " * 60_000, file_name="big.txt")


def test_html_keeps_the_text_and_drops_scripts(usa_actor: Actor) -> None:
    page = (
        "<html><head><title>Readout</title><script>var secret = 1;</script></head><body>"
        "<h1>Readout of the Test Economic Dialogue</h1><script>alert('x')</script>"
        "<p>The United States and Japan will hold the next round in Tokyo by June 2025.</p>"
        "</body></html>"
    )
    reading = read_upload(page.encode(), file_name="readout.html")
    assert "alert" not in reading.text and "secret" not in reading.text
    result = document_ingest(
        actor=usa_actor, reading=reading, file_name="readout.html", dialogue_id="t-ted"
    )
    assert result.document is not None and "<script" not in result.document.text


def test_a_candidate_naming_nobody_gets_the_parties_its_reader_may_see(
    usa_actor: Actor, jpn_desk: User
) -> None:
    # The United States records, for itself only, that Korea is joining the dialogue.
    Membership.objects.create(
        id="t-ted-kor",
        dialogue_id="t-ted",
        party_id="KOR",
        joined="2024-01-01",
        joined_first=dt.date(2024, 1, 1),
        marking="government-internal",
        owner_government_id="USA",
        owner_agency_id="t-commerce",
    )
    nobody = "Joint Statement\n\nJune 26, 2024\n\nThe Ministers agreed on:\n" + (
        "- establishing a working group on battery supply chains by the end of 2025.\n"
    )

    def defaulted(actor: Actor) -> set[str]:
        text = nobody + f"Published by {actor.government}.\n"  # each reader its own document
        document = ingest(actor, text=text, dialogue_id="t-ted").document
        assert document is not None
        (candidate,) = document.candidates.filter(text__contains="working group")
        return set(candidate.parties)

    assert defaulted(Actor.from_user(jpn_desk)) == {"USA", "JPN"}
    assert defaulted(usa_actor) == {"USA", "JPN", "KOR"}
