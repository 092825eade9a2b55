"""`kizuna load` of an export gives back the same data, from JSON and from CSV."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from kizuna.access.actor import Actor
from kizuna.dataset.exporter import export_dataset, write_csv_folder, write_json
from kizuna.dataset.kinds import KINDS
from kizuna.dataset.loader import load_dataset


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """Drop what a load does not carry back on purpose (versions count edits)."""
    result = {}
    for kind in KINDS:
        result[kind.list_name] = [
            {k: v for k, v in record.items() if k != "version"} for record in data[kind.list_name]
        ]
    return result


SELF_REFERENCES = {
    "dialogues": "parent",
    "topics": "parent",
    "agenda_items": "carried_from",
    "commitments": "lifecycle_target",
}


def empty_domain_tables() -> None:
    """Delete every record (inside the test's transaction), children first."""
    for kind in KINDS:
        if kind.list_name in SELF_REFERENCES:
            kind.model._default_manager.update(**{SELF_REFERENCES[kind.list_name]: None})
    for kind in reversed(KINDS):
        kind.model._default_manager.all().delete()


@pytest.mark.django_db
def test_json_export_loads_back_into_an_empty_database(tmp_path: Path) -> None:
    before = export_dataset(actor=Actor.operator())
    assert before["commitments"], "the demo dataset should be loaded"
    path = tmp_path / "export.json"
    write_json(before, path)
    empty_domain_tables()
    load_dataset([path], actor=Actor.operator())
    assert comparable(export_dataset(actor=Actor.operator())) == comparable(before)


@pytest.mark.django_db
def test_csv_export_loads_back_into_an_empty_database(tmp_path: Path) -> None:
    before = export_dataset(actor=Actor.operator())
    write_csv_folder(before, tmp_path / "csv")
    empty_domain_tables()
    load_dataset([tmp_path / "csv"], actor=Actor.operator())
    assert comparable(export_dataset(actor=Actor.operator())) == comparable(before)


@pytest.mark.django_db
def test_export_loads_into_a_non_empty_database_without_change(tmp_path: Path) -> None:
    before = export_dataset(actor=Actor.operator())
    path = tmp_path / "export.json"
    write_json(before, path)
    report = load_dataset([path], actor=Actor.operator())
    assert sum(report.created.values()) == 0
    assert sum(report.updated.values()) == 0
    assert comparable(export_dataset(actor=Actor.operator())) == comparable(before)


@pytest.mark.django_db
def test_export_command_prints_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("export", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    for name in [
        "governments",
        "agencies",
        "dialogues",
        "meetings",
        "commitments",
        "assessments",
        "documents",
        "topics",
        "pillars",
        "memberships",
        "counterpart_pairs",
        "sectors",
        "agenda_items",
        "concerns",
        "sources",
    ]:
        assert isinstance(data[name], list), name
    dialogue = data["dialogues"][0]
    for key in ["slug", "name", "acronym", "kind", "parent", "parties", "leads", "launched"]:
        assert key in dialogue
    commitment = data["commitments"][0]
    for key in [
        "id",
        "text",
        "dialogue",
        "meeting",
        "parties",
        "owners",
        "deadline",
        "topics",
        "lifecycle",
        "source",
        "marking",
        "owner",
    ]:
        assert key in commitment
    assert set(commitment["owner"]) == {"government", "agency"}


@pytest.mark.django_db
def test_csv_cells_are_guarded_against_formulas(tmp_path: Path) -> None:
    data = export_dataset(actor=Actor.operator())
    data["commitments"][0]["text"] = '=HYPERLINK("http://evil")'
    write_csv_folder(data, tmp_path)
    text = (tmp_path / "commitments.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text


@pytest.mark.django_db
def test_an_export_is_audited(capsys: pytest.CaptureFixture[str]) -> None:
    from kizuna.audit.models import AuditEntry

    call_command("export", "--format", "json")
    out = capsys.readouterr().out
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None
    assert entry.action == "dataset.export"
    assert entry.payload["after"]["commitments"] == len(json.loads(out)["commitments"])
