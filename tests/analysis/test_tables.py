"""Flat renderings of the analyses: text tables and CSV."""

from __future__ import annotations

import csv
import io

from kizuna.analysis.tables import cell_text, render_csv, render_text


def test_lists_and_mappings_become_readable_cells() -> None:
    assert cell_text(["commerce", "state"]) == "commerce, state"
    assert (
        cell_text({"USA": ["commerce"], "JPN": ["meti", "mofa"]})
        == "USA: commerce; JPN: meti, mofa"
    )
    assert cell_text(None) == ""
    assert cell_text(True) == "yes"


def test_a_csv_cell_that_a_spreadsheet_would_run_as_a_formula_is_quoted() -> None:
    data = {
        "as_of": "2024-01-01",
        "changes": [{"kind": "round", "id": "x", "date": "2024-01-01", "summary": "=HYPERLINK(1)"}],
    }
    rows = list(csv.DictReader(io.StringIO(render_csv("changes", {"since": "2023-01-01", **data}))))
    assert rows[0]["summary"] == "'=HYPERLINK(1)"


def test_negative_numbers_stay_numbers_in_csv() -> None:
    data = {
        "as_of": "2024-01-01",
        "by_dialogue": [],
        "by_party": [{"party": "USA", "mean_score": -0.5, "n": 2}],
        "by_year": [],
    }
    rows = list(csv.DictReader(io.StringIO(render_csv("compliance", data))))
    assert rows == [{"section": "by_party", "party": "USA", "mean_score": "-0.5", "n": "2"}]


def test_an_empty_list_prints_none_in_the_table() -> None:
    text = render_text(
        "gaps",
        {
            "as_of": "2024-01-01",
            "framework": "economic-security",
            "parties": ["JPN", "USA"],
            "gaps": [],
        },
    )
    assert "framework: economic-security (parties: JPN, USA)" in text
    assert "Gaps (0)\n  (none)" in text


def test_nested_leads_are_json_in_a_cell_and_read_back() -> None:
    import json

    leads = {"jucip": {"USA": ["commerce"], "JPN": ["meti"]}, "epcc": {"USA": ["state"]}}
    data = {
        "as_of": "2024-01-01",
        "overlaps": [
            {"topic": "chips", "dialogues": ["jucip", "epcc"], "leads_by_dialogue": leads}
        ],
    }
    rows = list(csv.DictReader(io.StringIO(render_csv("overlaps", data))))
    assert json.loads(rows[0]["leads_by_dialogue"]) == leads


def test_the_slippage_csv_carries_the_overdue_count_per_party() -> None:
    data = {
        "as_of": "2024-01-01",
        "overdue": [],
        "stale": [],
        "divergent": [],
        "overdue_by_party": {"JPN": 2, "USA": 3},
    }
    rows = list(csv.DictReader(io.StringIO(render_csv("slippage", data))))
    assert [(r["section"], r["party"], r["overdue"]) for r in rows] == [
        ("overdue_by_party", "JPN", "2"),
        ("overdue_by_party", "USA", "3"),
    ]
    assert "Overdue by party (2)" in render_text("slippage", data)
