"""What changed between two dates."""

from __future__ import annotations

import datetime as dt

import pytest

from kizuna.access.actor import Actor
from kizuna.analysis.asof import AnalysisDateError
from kizuna.analysis.changes import changes

from .helpers import find, one

SINCE, AS_OF = dt.date(2022, 12, 31), dt.date(2023, 6, 1)


def ours(result: dict) -> list[dict]:  # type: ignore[type-arg]
    return [c for c in result["changes"] if c["id"].startswith("t-")]


def test_rounds_assessments_and_concerns_in_the_window_are_listed_in_date_order(
    world: None,
) -> None:
    found = ours(changes(actor=Actor.operator(), since=SINCE, as_of=AS_OF))
    assert [(c["kind"], c["id"]) for c in found] == [
        ("concern-resolved", "t-k2"),
        ("assessment", "t-a1-usa-2"),
        ("status-change", "t-a1-usa-2"),
        ("assessment", "t-a1-jpn-2"),
        ("concern", "t-k3"),
        ("status-change", "t-a1-jpn-2"),
        ("round", "t-wg-2023-03-01"),
    ]
    assert one(found, kind="status-change", id="t-a1-usa-2") == {
        "kind": "status-change",
        "id": "t-a1-usa-2",
        "date": "2023-01-15",
        "dialogue": "t-wg",
        "summary": "USA on t-c1: in-progress → delivered",
        # What the summary says, for a page to write in its reader's language.
        "party": "USA",
        "commitment": "t-c1",
        "before": "in-progress",
        "status": "delivered",
    }


def test_the_window_excludes_its_start_and_includes_its_end(world: None) -> None:
    found = ours(
        changes(actor=Actor.operator(), since=dt.date(2023, 1, 15), as_of=dt.date(2023, 3, 1))
    )
    assert find(found, kind="assessment", id="t-a1-usa-2") is None
    assert find(found, kind="round", id="t-wg-2023-03-01") is not None


def test_new_dialogues_commitments_and_ends_are_listed(world: None) -> None:
    found = ours(
        changes(actor=Actor.operator(), since=dt.date(2021, 5, 31), as_of=dt.date(2022, 6, 30))
    )
    assert one(found, kind="dialogue", id="t-econ")["date"] == "2021-06"
    assert find(found, kind="commitment", id="t-c2") is not None
    assert one(found, kind="dialogue-ended", id="t-old")["date"] == "2022-06-30"
    assert find(found, kind="concern", id="t-k1") is not None


def test_a_first_assessment_is_not_a_status_change(world: None) -> None:
    found = ours(
        changes(actor=Actor.operator(), since=dt.date(2021, 12, 31), as_of=dt.date(2022, 3, 1))
    )
    assert find(found, kind="assessment", id="t-a1-usa-1") is not None
    assert [c for c in found if c["kind"] == "status-change"] == []


def test_hidden_records_are_not_changes_for_a_us_actor(world: None, usa_coordinator: Actor) -> None:
    found = ours(changes(actor=usa_coordinator, since=SINCE, as_of=AS_OF))
    assert find(found, kind="assessment", id="t-a1-jpn-2") is None
    assert find(found, kind="status-change", id="t-a1-jpn-2") is None
    hidden_commitment = ours(
        changes(actor=usa_coordinator, since=dt.date(2021, 12, 31), as_of=dt.date(2022, 1, 1))
    )
    assert find(hidden_commitment, kind="commitment", id="t-c5") is None
    assert find(hidden_commitment, kind="concern", id="t-k4") is None


def test_since_after_as_of_is_refused(db: None) -> None:
    with pytest.raises(AnalysisDateError, match="after"):
        changes(actor=Actor.operator(), since=AS_OF, as_of=SINCE)
