"""The as-of building blocks: active dialogues, latest assessments, dates."""

from __future__ import annotations

import datetime as dt

import pytest

from kizuna.access.actor import Actor
from kizuna.analysis.asof import (
    AnalysisDateError,
    active_dialogues,
    latest_assessments,
    parse_as_of,
)

from .conftest import LoadWorld, assessment


def ids(queryset: object) -> set[str]:
    return {pk for pk in queryset.values_list("pk", flat=True) if pk.startswith("t-")}  # type: ignore[attr-defined]


def test_a_dialogue_runs_from_its_launch_until_the_day_before_its_end(world: None) -> None:
    operator = Actor.operator()
    assert "t-old" in ids(active_dialogues(operator, dt.date(2022, 6, 29)))
    assert "t-old" not in ids(active_dialogues(operator, dt.date(2022, 6, 30)))
    assert "t-late" not in ids(active_dialogues(operator, dt.date(2023, 12, 31)))
    assert "t-late" in ids(active_dialogues(operator, dt.date(2024, 1, 1)))


def test_a_concluded_dialogue_without_an_end_date_has_ended_only_in_todays_view(
    world: None,
) -> None:
    operator = Actor.operator()
    assert "t-undated" in ids(active_dialogues(operator, dt.date(2023, 6, 1)))
    assert "t-undated" not in ids(active_dialogues(operator, dt.date.today()))


def test_a_launch_given_as_a_month_counts_from_its_first_day(world: None) -> None:
    assert "t-econ" in ids(active_dialogues(Actor.operator(), dt.date(2021, 6, 1)))
    assert "t-econ" not in ids(active_dialogues(Actor.operator(), dt.date(2021, 5, 31)))


def test_the_latest_assessment_is_one_per_commitment_and_party(world: None) -> None:
    latest = latest_assessments(Actor.operator(), dt.date(2023, 6, 1)).filter(commitment_id="t-c1")
    assert set(latest.values_list("id", flat=True)) == {"t-a1-usa-2", "t-a1-jpn-2"}
    earlier = latest_assessments(Actor.operator(), dt.date(2022, 12, 31)).filter(
        commitment_id="t-c1"
    )
    assert set(earlier.values_list("id", flat=True)) == {"t-a1-usa-1", "t-a1-jpn-1"}


def test_a_hidden_later_assessment_does_not_mask_the_visible_one(
    world: None, usa_coordinator: Actor
) -> None:
    latest = latest_assessments(usa_coordinator, dt.date(2023, 6, 1)).filter(commitment_id="t-c1")
    assert set(latest.values_list("id", flat=True)) == {"t-a1-usa-2", "t-a1-jpn-1"}


def test_two_assessments_on_the_same_day_leave_exactly_one_latest(
    world: None, load_world: LoadWorld
) -> None:
    load_world({"assessments": [assessment("t-a1-usa-3", "t-c1", "USA", "2023-01-15", "stalled")]})
    latest = latest_assessments(Actor.operator(), dt.date(2023, 6, 1)).filter(
        commitment_id="t-c1", party_id="USA"
    )
    assert list(latest.values_list("id", flat=True)) == ["t-a1-usa-3"]


def test_as_of_is_a_full_date_and_defaults_to_today() -> None:
    assert parse_as_of(None) == dt.date.today()
    assert parse_as_of("2024-02-29") == dt.date(2024, 2, 29)
    for bad in ("2024-02-30", "2024-13", "yesterday", "2024"):
        with pytest.raises(AnalysisDateError, match="--as-of"):
            parse_as_of(bad)
