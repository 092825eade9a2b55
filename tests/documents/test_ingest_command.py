"""`kizuna ingest`: stores files, says when one is already stored, fails clearly on bad input."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kizuna.documents.models import Document

from .helpers import STATEMENT, ingested, statement, text_pdf

pytestmark = pytest.mark.django_db


def ingest(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_stores_each_file_and_reports_its_candidates(tmp_path: Path, usa_desk: object) -> None:
    first = tmp_path / "a.txt"
    first.write_text(STATEMENT, encoding="utf-8")
    second = tmp_path / "b.pdf"
    second.write_bytes(text_pdf(["The two sides will open a joint office in Osaka by 2026."]))
    out, _ = ingest(
        str(first),
        str(second),
        "--meeting",
        "t-ted-2024-06-26",
        "--as-user",
        "t-usa-desk",
        "--no-progress",
    )
    assert out.count("stored as") == 2 and "candidate(s) to review" in out
    assert Document.objects.filter(meeting_id="t-ted-2024-06-26").count() == 2


def test_a_duplicate_says_already_stored(tmp_path: Path, registry_loaded: None) -> None:
    path = tmp_path / "a.txt"
    path.write_text(STATEMENT, encoding="utf-8")
    ingest(str(path), "--dialogue", "t-ted")
    out, _ = ingest(str(path), "--dialogue", "t-ted")
    assert "already stored as doc-2024-06-26-" in out
    assert ingested().count() == 1


def test_bad_files_fail_the_command_and_store_nothing_of_theirs(
    tmp_path: Path, registry_loaded: None
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(statement(1), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\xff" * 100)
    with pytest.raises(CommandError, match="2 of 3 file"):
        ingest(str(empty), str(good), str(binary), "--dialogue", "t-ted", "--no-progress")
    assert ingested().count() == 1


def test_an_unknown_meeting_stops_before_anything_is_read(
    tmp_path: Path, registry_loaded: None
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(STATEMENT, encoding="utf-8")
    with pytest.raises(CommandError, match="no meeting 't-nope'"):
        ingest(str(path), "--meeting", "t-nope")
    assert not ingested().exists()


def test_a_reader_may_not_ingest(tmp_path: Path, usa_reader: object) -> None:
    path = tmp_path / "a.txt"
    path.write_text(STATEMENT, encoding="utf-8")
    with pytest.raises(CommandError, match="desk officers and coordinators"):
        ingest(str(path), "--as-user", "t-usa-reader")


def test_a_given_date_dates_the_statement_and_its_deadlines(
    tmp_path: Path, registry_loaded: None
) -> None:
    """The person ingesting knows the statement's day: it wins over the text's dateline,
    and "within six months" counts from it."""
    path = tmp_path / "2023-01-05-statement.txt"
    path.write_text(STATEMENT, encoding="utf-8")  # its dateline says June 26, 2024
    out, _ = ingest(str(path), "--dialogue", "t-ted", "--date", "2024-07-01")
    assert "stored as doc-2024-07-01-" in out
    document = ingested().get()
    assert document.date == "2024-07-01"
    six_months = document.candidates.get(text__contains="within six months")
    assert six_months.deadline_latest is not None
    assert six_months.deadline_latest.isoformat() == "2025-01-01"


def test_a_date_that_is_not_one_is_refused_before_anything_is_read(
    tmp_path: Path, registry_loaded: None
) -> None:
    path = tmp_path / "statement.txt"
    path.write_text(STATEMENT, encoding="utf-8")
    with pytest.raises(CommandError, match="not a date in the form YYYY-MM-DD"):
        ingest(str(path), "--date", "2024-02-30")
    assert ingested().count() == 0
