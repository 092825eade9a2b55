"""`kizuna analyze`: JSON contracts, tables, CSV, errors and --as-user."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from .helpers import find, ours


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("analyze", *args, stdout=out)
    return out.getvalue()


def run_json(*args: str) -> dict[str, Any]:
    data = json.loads(run(*args, "--json"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("analysis", "keys"),
    [
        ("coverage", {"as_of", "cells"}),
        ("overlaps", {"as_of", "overlaps"}),
        ("gaps", {"as_of", "framework", "gaps"}),
        ("slippage", {"as_of", "overdue", "stale", "divergent"}),
        ("compliance", {"as_of", "by_dialogue", "by_party", "by_year"}),
        ("changes", {"since", "as_of", "changes"}),
        ("concerns", {"as_of", "concerns"}),
    ],
)
def test_each_analysis_prints_its_json_contract(world: None, analysis: str, keys: set[str]) -> None:
    data = run_json(analysis, "--as-of", "2023-06-01", "--since", "2022-12-31")
    assert keys <= set(data)
    assert data["as_of"] == "2023-06-01"


def test_element_keys_follow_the_contract(world: None) -> None:
    coverage = run_json("coverage", "--as-of", "2023-06-01")
    assert set(ours(coverage["cells"])[0]) >= {
        "topic",
        "dialogue",
        "party",
        "agencies",
        "agenda_items",
        "commitments",
    }
    overlaps = run_json("overlaps", "--as-of", "2023-06-01")
    alpha = find(overlaps["overlaps"], topic="t-alpha")
    assert alpha is not None
    assert set(alpha) >= {"topic", "dialogues", "leads", "linked_commitments"}
    slippage = run_json("slippage", "--as-of", "2023-07-01")
    for kind in ("overdue", "stale", "divergent"):
        for row in ours(slippage[kind]):
            assert set(row) >= {"commitment", "dialogue", "party", "date"}
    compliance = run_json("compliance", "--as-of", "2023-06-01")
    assert set(compliance["by_year"][0]) >= {"year", "party", "mean_score", "share_complete", "n"}
    changes = run_json("changes", "--as-of", "2023-06-01", "--since", "2022-12-31")
    assert set(changes["changes"][0]) >= {"kind", "id", "date", "summary"}
    concerns = run_json("concerns", "--as-of", "2023-10-01")
    assert set(concerns["concerns"][0]) >= {
        "id",
        "raised_by",
        "about",
        "status",
        "first_raised",
        "last_raised",
    }


def test_gaps_take_a_framework_by_slug(world: None) -> None:
    from kizuna.access.actor import Actor
    from kizuna.analysis.frameworks import framework_save

    framework_save(
        actor=Actor.operator(),
        slug="t-mine",
        name="Mine",
        topics=["t-solo"],
        parties=["USA", "JPN"],
    )
    data = run_json("gaps", "--as-of", "2023-06-01", "--framework", "t-mine")
    assert data["framework"] == "t-mine"
    assert data["gaps"] == [
        {
            "topic": "t-solo",
            "kind": "one-sided",
            "parties_without_owner": ["JPN"],
            "dialogues": ["t-uni"],
        }
    ]
    assert "t-mine" in run("frameworks")


def test_without_json_a_readable_table_is_printed(world: None) -> None:
    text = run("slippage", "--as-of", "2023-07-01")
    assert text.startswith("slippage as of 2023-07-01")
    assert "Overdue (" in text
    assert "t-c2" in text
    assert "commitment" in text.splitlines()[3]


def test_csv_has_one_header_and_a_section_column(world: None) -> None:
    text = run("slippage", "--as-of", "2023-07-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["section"] for r in ours(rows)} >= {"overdue", "stale"}
    assert all("commitment" in r for r in rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["coverage", "--as-of", "2023-02-30"], "--as-of"),
        (["coverage", "--as-of", "soon"], "--as-of"),
        (["changes", "--since", "2023-13-01"], "--since"),
        (["changes", "--as-of", "2023-01-01", "--since", "2023-06-01"], "after"),
        (["gaps", "--framework", "t-nope"], "unknown framework 't-nope'"),
        (["coverage", "--json", "--format", "csv"], "contradict"),
        (["coverage", "--as-user", "t-nobody"], "no user"),
    ],
)
def test_bad_input_is_a_clear_command_error(db: None, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_as_user_applies_that_users_access_rule(world: None) -> None:
    get_user_model().objects.create_user(
        username="t-usa-coordinator",
        password="x" * 16,
        government="USA",
        agency="white-house",
        role="coordinator",
    )
    as_operator = run_json("coverage", "--as-of", "2023-06-01")
    as_usa = run_json("coverage", "--as-of", "2023-06-01", "--as-user", "t-usa-coordinator")
    delta_jpn = {"topic": "t-delta", "dialogue": "t-econ", "party": "JPN"}
    assert find(as_operator["cells"], **delta_jpn) is not None
    assert find(as_usa["cells"], **delta_jpn) is None


def test_an_option_another_analysis_reads_is_said_to_be_ignored(world: None) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("analyze", "coverage", "--since", "2023-01-01", "--json", stdout=out, stderr=err)
    assert "note: --since is read by `analyze changes` only; ignored" in err.getvalue()
    assert set(json.loads(out.getvalue())) >= {"as_of", "cells"}  # the output is unchanged
    err = io.StringIO()
    call_command("analyze", "changes", "--since", "2023-01-01", stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""
