"""Re-importing an export: stale rows, the dry run's listing, every row's errors, the list's CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from kizuna.access.actor import Actor
from kizuna.commitments.models import Commitment
from kizuna.dataset.errors import DatasetError
from kizuna.dataset.exporter import csv_cell, dump_record
from kizuna.dataset.kinds import KINDS_BY_LIST
from kizuna.dataset.loader import load_dataset
from kizuna.registry.models import Dialogue

DATA = """
governments: [{id: XAA, name: Testland}, {id: XBB, name: Otherland}]
agencies:
  - {id: t-ri-xaa, government: XAA, name: Testland Trade Ministry}
  - {id: t-ri-xbb, government: XBB, name: Otherland Trade Ministry}
topics: [{id: t-ri-trade, name: Trade}]
dialogues:
  - {id: t-ri-dialogue, name: Reimport, kind: working-group, launched: "2022",
     parties: [XAA, XBB], leads: {XAA: [t-ri-xaa], XBB: [t-ri-xbb]}, sources: [{title: S}]}
  - {id: t-ri-other, name: Other, kind: working-group, launched: "2021",
     parties: [XAA, XBB], leads: {XAA: [t-ri-xaa], XBB: [t-ri-xbb]}, sources: [{title: S}]}
commitments:
  - {id: t-ri-c1, text: First, dialogue: t-ri-dialogue, made_on: "2022", parties: [XAA, XBB],
     sources: [{title: S}]}
  - {id: t-ri-c2, text: Second, dialogue: t-ri-dialogue, made_on: "2022", parties: [XAA],
     sources: [{title: S}]}
  - {id: t-ri-c3, text: Third, dialogue: t-ri-other, made_on: "2021-05", parties: [XBB],
     sources: [{title: S}]}
"""

OPERATOR = Actor.operator()


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    path = tmp_path / "data.yaml"
    path.write_text(DATA, encoding="utf-8")
    load_dataset([path], actor=OPERATOR)
    return path


def workbook_rows(ids: list[str]) -> list[list[str]]:
    """The rows of the list's "as a workbook" download (the web view's columns and cells)."""
    kind = KINDS_BY_LIST["commitments"]
    columns = [*kind.field_names(), "version"]
    rows = [columns]
    for commitment in Commitment.objects.filter(pk__in=ids).order_by("pk"):
        record = dump_record(kind, commitment)
        rows.append([csv_cell(record.get(column)) for column in columns])
    return rows


def save_workbook(path: Path, rows: list[list[str]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "commitments"
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def edited(rows: list[list[str]], record_id: str, **cells: str) -> list[list[str]]:
    header = rows[0]
    result = [list(header)]
    for row in rows[1:]:
        row = list(row)
        if row[0] == record_id:
            for column, value in cells.items():
                row[header.index(column)] = value
        result.append(row)
    return result


def load_failure(path: Path, **options: Any) -> DatasetError:
    with pytest.raises(DatasetError) as caught:
        load_dataset([path], actor=OPERATOR, **options)
    return caught.value


# --- 1. a stale row is refused ------------------------------------------------------------


@pytest.mark.django_db
def test_an_old_export_does_not_overwrite_a_newer_edit(loaded: Path, tmp_path: Path) -> None:
    original = workbook_rows(["t-ri-c1", "t-ri-c2"])
    first = save_workbook(tmp_path / "first.xlsx", edited(original, "t-ri-c1", text="Newer"))
    load_dataset([first], actor=OPERATOR)
    assert Commitment.objects.get(pk="t-ri-c1").version == 2

    second = edited(edited(original, "t-ri-c1", text="Older"), "t-ri-c2", text="Also edited")
    error = load_failure(save_workbook(tmp_path / "second.xlsx", second))
    assert (error.record_id, error.field) == ("t-ri-c1", "version")
    message = str(error)
    assert "changed since this file was exported" in message
    assert "stored version 2, file has version 1" in message
    assert "export again and redo the edit" in message
    # All or nothing: the other row's edit is not written either.
    assert Commitment.objects.get(pk="t-ri-c1").text == "Newer"
    assert Commitment.objects.get(pk="t-ri-c1").version == 2
    assert Commitment.objects.get(pk="t-ri-c2").text == "Second"

    report = load_dataset(
        [save_workbook(tmp_path / "third.xlsx", second)], actor=OPERATOR, dry_run=True
    )
    assert [(e.record_id, e.field) for e in report.errors] == [("t-ri-c1", "version")]


@pytest.mark.django_db
def test_a_stale_row_that_changes_nothing_is_not_an_error(loaded: Path, tmp_path: Path) -> None:
    """Loading the same edited file twice changes nothing the second time (idempotent)."""
    path = save_workbook(
        tmp_path / "edit.xlsx", edited(workbook_rows(["t-ri-c1"]), "t-ri-c1", text="Newer")
    )
    load_dataset([path], actor=OPERATOR)
    report = load_dataset([path], actor=OPERATOR)
    assert report.updated["commitments"] == 0
    assert report.unchanged["commitments"] == 1
    assert Commitment.objects.get(pk="t-ri-c1").version == 2


@pytest.mark.django_db
def test_a_row_at_the_stored_version_is_an_edit(loaded: Path, tmp_path: Path) -> None:
    Commitment.objects.filter(pk="t-ri-c1").update(version=3)
    rows = edited(workbook_rows(["t-ri-c1"]), "t-ri-c1", text="Edited")
    report = load_dataset([save_workbook(tmp_path / "edit.xlsx", rows)], actor=OPERATOR)
    assert report.updated["commitments"] == 1
    commitment = Commitment.objects.get(pk="t-ri-c1")
    assert (commitment.text, commitment.version) == ("Edited", 4)


@pytest.mark.parametrize("version", [0, -1, "two", 1.5, "1.5", True])
@pytest.mark.django_db
def test_a_version_that_is_not_a_whole_number_of_1_or_more_is_refused(
    loaded: Path, tmp_path: Path, version: Any
) -> None:
    record = {
        "id": "t-ri-c1",
        "text": "First",
        "dialogue": "t-ri-dialogue",
        "made_on": "2022",
        "parties": ["XAA", "XBB"],
        "sources": [{"title": "S"}],
        "version": version,
    }
    path = tmp_path / "v.json"
    path.write_text(json.dumps({"commitments": [record]}), encoding="utf-8")
    error = load_failure(path)
    assert (error.record_id, error.field) == ("t-ri-c1", "version")
    assert "version must be a whole number of 1 or more" in str(error)


@pytest.mark.django_db
def test_a_row_without_a_version_overwrites_as_before(loaded: Path, tmp_path: Path) -> None:
    """Hand-written files and the demo carry no version: they set the record, as they always did."""
    Dialogue.objects.filter(pk="t-ri-dialogue").update(version=5)
    path = tmp_path / "data.yaml"
    path.write_text(DATA.replace("name: Reimport", "name: Renamed"), encoding="utf-8")
    report = load_dataset([path], actor=OPERATOR)
    assert report.updated["dialogues"] == 1
    dialogue = Dialogue.objects.get(pk="t-ri-dialogue")
    assert (dialogue.name, dialogue.version) == ("Renamed", 6)
    again = load_dataset([path], actor=OPERATOR)
    assert sum(again.updated.values()) == 0 and sum(again.created.values()) == 0


@pytest.mark.django_db
def test_a_change_to_a_list_field_alone_counts_and_bumps_the_version(
    loaded: Path, tmp_path: Path
) -> None:
    rows = edited(workbook_rows(["t-ri-c1"]), "t-ri-c1", topics='["t-ri-trade"]')
    report = load_dataset([save_workbook(tmp_path / "t.xlsx", rows)], actor=OPERATOR)
    assert report.updated["commitments"] == 1
    assert Commitment.objects.get(pk="t-ri-c1").version == 2


# --- 2. the dry run lists what it would create or change ----------------------------------


@pytest.mark.django_db
def test_the_dry_run_lists_each_record_it_would_create_or_change(
    loaded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = workbook_rows(["t-ri-c1"])
    # The row's id edited to another commitment's id, and a new row.
    rows = edited(rows, "t-ri-c1", id="t-ri-c3")
    rows.append(edited(rows, "t-ri-c3", id="t-ri-new", version="")[1])
    path = save_workbook(tmp_path / "list.xlsx", rows)
    call_command("load", str(path), "--dry-run")
    out = capsys.readouterr().out.splitlines()
    assert "commitment t-ri-c3: would change text, dialogue, made_on, parties" in out
    assert "commitment t-ri-new: would create" in out
    assert out[-1] == ("Dry run, nothing written; would load commitments: 2 (1 new, 1 changed)")
    assert Commitment.objects.get(pk="t-ri-c3").text == "Third"
    assert not Commitment.objects.filter(pk="t-ri-new").exists()


@pytest.mark.django_db
def test_the_dry_run_lists_nothing_for_an_unchanged_record(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("load", str(loaded), "--dry-run")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Dry run, nothing written; would load governments: 2 (0 new, 0 changed); "
        "agencies: 2 (0 new, 0 changed); topics: 1 (0 new, 0 changed); "
        "dialogues: 2 (0 new, 0 changed); commitments: 3 (0 new, 0 changed)"
    ]


# --- 3. every row's errors, malformed cells included ------------------------------------


def rows_with_three_errors() -> list[list[str]]:
    rows = workbook_rows(["t-ri-c1", "t-ri-c2", "t-ri-c3"])
    rows = edited(rows, "t-ri-c1", deadline="by the end of the year")
    rows = edited(rows, "t-ri-c2", marking="secret")
    return edited(rows, "t-ri-c3", topics='["t-ri-nowhere"]')


EXPECTED = [("t-ri-c1", "deadline", 2), ("t-ri-c2", "marking", 3), ("t-ri-c3", "topics", 4)]


@pytest.mark.django_db
def test_the_dry_run_lists_every_rows_error_malformed_cells_included(
    loaded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = save_workbook(tmp_path / "bad.xlsx", rows_with_three_errors())
    report = load_dataset([path], actor=OPERATOR, dry_run=True)
    assert [(e.record_id, e.field, e.row) for e in report.errors] == EXPECTED
    assert "cell is not valid JSON" in str(report.errors[0])
    assert "row 2" in str(report.errors[0])
    with pytest.raises(CommandError, match="3 records with errors"):
        call_command("load", str(path), "--dry-run")
    out = capsys.readouterr().out
    for record_id, field, _ in EXPECTED:
        assert f"record '{record_id}', field '{field}'" in out


@pytest.mark.django_db
def test_the_load_lists_every_rows_error_and_writes_nothing(
    loaded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = edited(rows_with_three_errors(), "t-ri-c1", text="Edited")
    rows = edited(rows, "t-ri-c1", deadline="not json")
    path = save_workbook(tmp_path / "bad.xlsx", rows)
    error = load_failure(path)
    assert [(e.record_id, e.field, e.row) for e in error.errors] == EXPECTED  # type: ignore[attr-defined]
    assert Commitment.objects.get(pk="t-ri-c1").text == "First"
    with pytest.raises(CommandError, match="nothing loaded: 3 records with errors"):
        call_command("load", str(path))
    out = capsys.readouterr().out
    for record_id, field, _ in EXPECTED:
        assert f"record '{record_id}', field '{field}'" in out


@pytest.mark.django_db
def test_rows_without_an_id_and_duplicate_ids_are_all_listed(loaded: Path, tmp_path: Path) -> None:
    rows = workbook_rows(["t-ri-c1", "t-ri-c2"])
    rows = edited(rows, "t-ri-c2", id="")
    rows.append(list(rows[1]))
    rows = edited(rows, "t-ri-c1", marking="secret")
    report = load_dataset(
        [save_workbook(tmp_path / "ids.xlsx", rows)], actor=OPERATOR, dry_run=True
    )
    found = {(e.record_id, e.field, e.row) for e in report.errors}
    assert ("", "id", 3) in found
    assert ("t-ri-c1", "id", 4) in found
    assert ("t-ri-c1", "marking", 2) in found


# --- 4. the list's own CSV download ---------------------------------------------------------


@pytest.mark.django_db
def test_the_lists_csv_download_is_refused_with_what_to_do_instead(
    loaded: Path, tmp_path: Path
) -> None:
    from django.test import Client

    from kizuna.accounts.services import user_add
    from kizuna.registry.models import Agency

    password = "a-long-demo-passphrase-42"
    user_add(
        actor=OPERATOR,
        username="t-ri-desk",
        government="XAA",
        agency="t-ri-xaa",
        role="desk-officer",
        password=password,
        known_agencies=dict(Agency.objects.values_list("id", "government_id")),
    )
    client = Client()
    client.post("/accounts/login/", {"username": "t-ri-desk", "password": password})
    response: Any = client.get("/commitments.csv?dialogue=t-ri-dialogue")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    for name in ["kizuna-commitments.csv", "kizuna-commitments (1).csv", "commitments.csv"]:
        path = tmp_path / name
        path.write_bytes(body)
        message = str(load_failure(path))
        assert "unknown list" not in message
        assert "the commitment list's CSV" in message
        assert "as a workbook (XLSX" in message and "kizuna export" in message


@pytest.mark.django_db
def test_a_csv_of_the_export_still_loads(loaded: Path, tmp_path: Path) -> None:
    rows = edited(workbook_rows(["t-ri-c1"]), "t-ri-c1", text="From CSV")
    path = tmp_path / "commitments.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    load_dataset([path], actor=OPERATOR)
    assert Commitment.objects.get(pk="t-ri-c1").text == "From CSV"


@pytest.mark.django_db
def test_a_second_demo_load_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    """The demo's files carry no version; loaded again (the session loaded them once), they
    change nothing, and the dry run lists no record."""
    from kizuna.demo import DATA_DIR

    versions = dict(Commitment.objects.values_list("id", "version"))
    report = load_dataset([DATA_DIR], actor=OPERATOR)
    assert (sum(report.created.values()), sum(report.updated.values())) == (0, 0)
    assert report.changes == []
    assert dict(Commitment.objects.values_list("id", "version")) == versions
    call_command("load", str(DATA_DIR), "--dry-run")
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("Dry run, nothing written; would load ")
