"""The management commands `extract` and `eval_extraction` (thin wrappers)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def statement(tmp_path: Path) -> Path:
    path = tmp_path / "2024-02-01-statement.txt"
    path.write_text(
        "Source: https://example.gov/statement\n\nJoint Statement\n\n"
        "Both sides will hold the next dialogue early next year.\n",
        encoding="utf-8",
    )
    return path


def test_extract_json_uses_the_date_option(statement: Path) -> None:
    data = json.loads(run("extract", str(statement), "--json", "--date", "2024-05-01"))
    assert data["document"]["date"] == "2024-05-01"
    commitment = next(p for p in data["passages"] if p["label"] == "commitment")
    assert commitment["deadline"]["earliest"] == "2025-01-01"


def test_extract_table_falls_back_to_the_file_name_date(statement: Path) -> None:
    table = run("extract", str(statement))
    assert "date:     2024-02-01" in table
    assert "commitment" in table and "early next year" in table


def test_extract_bad_input_is_a_command_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        run("extract", str(empty))


def test_eval_extraction_on_a_tiny_labelled_folder(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Joint Statement\n\nBoth sides will convene a task force by the end of 2025.\n"
        "They welcomed the report.\n",
        encoding="utf-8",
    )
    units = [
        {"text": "Joint Statement", "label": "other", "actors": [], "deadline": None, "topics": []},
        {
            "text": "Both sides will convene a task force by the end of 2025.",
            "label": "commitment",
            "actors": [],
            "deadline": "by the end of 2025",
            "topics": [],
        },
        {
            "text": "They welcomed the report.",
            "label": "endorsement",
            "actors": [],
            "deadline": None,
            "topics": [],
        },
    ]
    (tmp_path / "labels.json").write_text(
        json.dumps({"a.txt": {"date": "2025-01-01", "source": "x", "units": units}})
    )
    report = json.loads(run("eval_extraction", str(tmp_path), "--json"))
    assert report["commitment"]["precision"] == 1.0
    assert report["commitment"]["recall"] == 1.0
    assert report["deadline"]["exact_match"] == 1.0
    assert "commitment vs not" in run("eval_extraction", str(tmp_path))
    with pytest.raises(CommandError, match="--mode nlp"):
        run("eval_extraction", str(tmp_path), "--train", str(tmp_path))
    with pytest.raises(CommandError, match="labels"):
        run("eval_extraction", str(tmp_path / "missing"))
