"""Moving a date by days stops at the first and last dates there are."""

from __future__ import annotations

import datetime as dt

import pytest

from kizuna.core.dates import days_from


@pytest.mark.parametrize(
    ("day", "days", "expected"),
    [
        (dt.date(2024, 1, 1), -1, dt.date(2023, 12, 31)),
        (dt.date(2024, 12, 31), 366, dt.date(2026, 1, 1)),
        (dt.date(1, 1, 5), -30, dt.date.min),
        (dt.date(9999, 12, 30), 2, dt.date.max),
        (dt.date.max, 0, dt.date.max),
    ],
)
def test_a_date_moves_by_days_and_stops_at_the_ends_of_the_calendar(
    day: dt.date, days: int, expected: dt.date
) -> None:
    assert days_from(day, days) == expected
