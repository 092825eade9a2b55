"""A malformed data file fails with a message naming file, record and field, and loads nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kizuna.access.actor import Actor
from kizuna.dataset.errors import DatasetError
from kizuna.dataset.loader import load_dataset
from kizuna.registry.models import Dialogue, Government

GOOD = """
governments:
  - {id: XAA, name: Testland}
  - {id: XBB, name: Otherland}
agencies:
  - {id: t-xaa-trade, government: XAA, name: Testland Trade Ministry}
  - {id: t-xbb-trade, government: XBB, name: Otherland Trade Ministry}
dialogues:
  - id: t-dialogue
    name: Test Dialogue
    kind: ministerial-dialogue
    launched: "2022-03"
    parties: [XAA, XBB]
    leads: {XAA: [t-xaa-trade], XBB: [t-xbb-trade]}
    sources: [{title: Test statement, publisher: Testland}]
"""


def write(tmp_path: Path, text: str, name: str = "data.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> DatasetError:
    with pytest.raises(DatasetError) as caught:
        load_dataset([path], actor=Actor.operator())
    return caught.value


@pytest.mark.django_db
def test_a_good_file_loads(tmp_path: Path) -> None:
    report = load_dataset([write(tmp_path, GOOD)], actor=Actor.operator())
    assert report.created["dialogues"] == 1
    assert Dialogue.objects.get(pk="t-dialogue").launched == "2022-03"


@pytest.mark.django_db
def test_bad_yaml_names_the_file_and_loads_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "\nmeetings: [unclosed\n")
    error = load_error(path)
    assert str(path) in str(error)
    assert "cannot parse" in str(error)
    assert not Government.objects.filter(pk="XAA").exists()


@pytest.mark.django_db
def test_unknown_agency_slug_names_record_and_field(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, GOOD.replace("XBB: [t-xbb-trade]", "XBB: [t-nowhere]")))
    assert error.record_id == "t-dialogue"
    assert error.field == "leads"
    assert "t-nowhere" in str(error)
    assert not Dialogue.objects.filter(pk="t-dialogue").exists()
    assert not Government.objects.filter(pk="XAA").exists()


@pytest.mark.django_db
def test_date_out_of_range_is_refused(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, GOOD.replace('launched: "2022-03"', 'launched: "2022-13"')))
    assert error.field == "launched"
    assert "2022-13" in str(error)
    assert not Dialogue.objects.filter(pk="t-dialogue").exists()


@pytest.mark.django_db
def test_missing_source_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace("    sources: [{title: Test statement, publisher: Testland}]\n", "")
    error = load_error(write(tmp_path, text))
    assert error.field == "sources"
    assert error.record_id == "t-dialogue"
    assert not Government.objects.filter(pk="XAA").exists()


@pytest.mark.django_db
def test_duplicate_slug_is_refused_across_files(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.yaml")
    write(
        tmp_path,
        GOOD.split("dialogues:")[0].replace("governments:", "governments: []\nx:").split("x:")[0]
        + "dialogues:"
        + GOOD.split("dialogues:")[1],
        "b.yaml",
    )
    error = load_error(tmp_path)
    assert error.field == "id"
    assert "duplicate" in str(error)
    assert not Government.objects.filter(pk="XAA").exists()


@pytest.mark.django_db
def test_unknown_field_is_refused(tmp_path: Path) -> None:
    error = load_error(
        write(
            tmp_path,
            GOOD.replace(
                "kind: ministerial-dialogue", "kind: ministerial-dialogue\n    colour: red"
            ),
        )
    )
    assert error.field == "colour"


@pytest.mark.django_db
def test_unknown_list_is_refused(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, GOOD + "\nwidgets: []\n"))
    assert "unknown list 'widgets'" in str(error)


@pytest.mark.django_db
def test_passage_must_be_in_its_document(tmp_path: Path) -> None:
    text = (
        GOOD
        + """
documents:
  - id: t-doc
    title: Statement
    date: "2022-03-01"
    text: "The parties will meet again next year."
    dialogue: t-dialogue
    sources: [{title: Statement, publisher: Testland}]
commitments:
  - id: t-c1
    text: Meet again
    dialogue: t-dialogue
    document: t-doc
    passage: "The parties will meet again tomorrow."
    parties: [XAA, XBB]
    sources: [{title: Statement, publisher: Testland}]
"""
    )
    error = load_error(write(tmp_path, text))
    assert error.record_id == "t-c1"
    assert error.field == "passage"


@pytest.mark.django_db
def test_a_second_load_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    load_dataset([path], actor=Actor.operator())
    report = load_dataset([path], actor=Actor.operator())
    assert report.created["dialogues"] == 0
    assert report.updated["dialogues"] == 0
    assert report.unchanged["dialogues"] == 1
    assert Dialogue.objects.get(pk="t-dialogue").version == 1


@pytest.mark.django_db
def test_yaml_on_and_no_stay_words(tmp_path: Path) -> None:
    from kizuna.dataset.loader import read_file

    path = write(
        tmp_path, "governments:\n  - {id: NOR, name: no}\n  - {id: XON, name: on, name_ja: yes}\n"
    )
    names = [r.data["name"] for r in read_file(path)]
    assert names == ["no", "on"]


@pytest.mark.django_db
def test_a_dry_run_lists_every_rows_error_and_writes_nothing(tmp_path: Path) -> None:
    from kizuna.dataset.loader import load_dataset as load

    text = (
        GOOD
        + """
commitments:
  - {id: t-dry-1, text: Fine, dialogue: t-dialogue, made_on: "2022", parties: [XAA], sources: [{title: S}]}
  - {id: t-dry-2, text: Bad party, dialogue: t-dialogue, made_on: "2022", parties: [XZZ], sources: [{title: S}]}
  - {id: t-dry-3, text: Bad date, dialogue: t-dialogue, made_on: "2022-13", parties: [XAA], sources: [{title: S}]}
"""
    )
    report = load([write(tmp_path, text)], actor=Actor.operator(), dry_run=True)
    assert [(e.record_id, e.field) for e in report.errors] == [
        ("t-dry-2", "parties"),
        ("t-dry-3", "made_on"),
    ]
    assert not Government.objects.filter(pk="XAA").exists()


@pytest.mark.django_db
def test_an_xlsx_with_the_export_columns_loads(tmp_path: Path) -> None:
    from openpyxl import Workbook

    load_dataset([write(tmp_path, GOOD)], actor=Actor.operator())
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "commitments"
    sheet.append(["id", "text", "dialogue", "made_on", "parties", "owners", "sources"])
    sheet.append(
        [
            "t-x-1",
            "From a spreadsheet",
            "t-dialogue",
            "2022-04",
            '["XAA"]',
            '{"XAA": ["t-xaa-trade"]}',
            '[{"title": "Sheet"}]',
        ]
    )
    path = tmp_path / "commitments.xlsx"
    workbook.save(path)
    load_dataset([path], actor=Actor.operator())
    from kizuna.commitments.models import Commitment

    commitment = Commitment.objects.get(pk="t-x-1")
    assert commitment.made_on == "2022-04"
    assert list(commitment.owners.values_list("agency_id", flat=True)) == ["t-xaa-trade"]


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a zip")
    error = load_error(path)
    assert "not an XLSX workbook" in str(error)
