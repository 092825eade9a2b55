"""World-time dates that may be partial: a year, a month, a day, or a range of days.

Written as `2024`, `2024-01`, `2024-01-15` or the ISO 8601 interval
`2022-09-08/2022-09-09`. Comparisons use the first day (ARCHITECTURE.md, "Time").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    RANGE = "range"


class PartialDateError(ValueError):
    """A text is not a partial date in one of the accepted forms."""


@dataclass(frozen=True, order=True)
class PartialDate:
    first: dt.date
    last: dt.date
    precision: Precision

    @classmethod
    def parse(cls, text: str | dt.date) -> PartialDate:
        if isinstance(text, dt.date):
            return cls(text, text, Precision.DAY)
        raw = str(text).strip()
        if "/" in raw:
            start_raw, _, end_raw = raw.partition("/")
            start, end = cls.parse(start_raw), cls.parse(end_raw)
            if start.precision != Precision.DAY or end.precision != Precision.DAY:
                raise PartialDateError(
                    f"{raw!r}: a range joins two full dates (YYYY-MM-DD/YYYY-MM-DD)"
                )
            if end.first < start.first:
                raise PartialDateError(f"{raw!r}: the range ends before it starts")
            return cls(start.first, end.first, Precision.RANGE)
        try:
            if m := _DAY.match(raw):
                day = dt.date(int(m[1]), int(m[2]), int(m[3]))
                return cls(day, day, Precision.DAY)
            if m := _MONTH.match(raw):
                year, month = int(m[1]), int(m[2])
                last_day = calendar.monthrange(year, month)[1]
                return cls(dt.date(year, month, 1), dt.date(year, month, last_day), Precision.MONTH)
            if m := _YEAR.match(raw):
                year = int(m[1])
                return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), Precision.YEAR)
        except ValueError as exc:
            raise PartialDateError(f"{raw!r}: not a real date ({exc})") from exc
        raise PartialDateError(
            f"{raw!r}: expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD"
        )

    def __str__(self) -> str:
        if self.precision == Precision.YEAR:
            return f"{self.first.year:04d}"
        if self.precision == Precision.MONTH:
            return f"{self.first.year:04d}-{self.first.month:02d}"
        if self.precision == Precision.RANGE:
            return f"{self.first.isoformat()}/{self.last.isoformat()}"
        return self.first.isoformat()


def parse_iso_date(text: str) -> dt.date:
    """A full calendar date, with an error that says what was wrong."""
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError as exc:
        raise PartialDateError(f"{text!r}: expected a date YYYY-MM-DD") from exc


def days_from(day: dt.date, days: int) -> dt.date:
    """`day` moved by `days` (back when negative), stopping at the first or last date there
    is: a view as of year 1, or up to 9999-12-31, is a valid question and has an answer."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min if days < 0 else dt.date.max
