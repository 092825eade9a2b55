"""Deadlines: the time phrase as written, and the date range it means.

Cheap first: `find_deadline` runs one pre-compiled pattern over a unit; the
normaliser runs only on the phrase it found. Ranges are relative to the
document's date; without one, relative phrases keep their words and null dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH_PATTERN = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
}
_COUNT = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty-four)"
_YEAR = r"(?:19|20)\d{2}"
DAY_DATE_PATTERN = rf"(?:{MONTH_PATTERN} \d{{1,2}},? {_YEAR}|\d{{1,2}} {MONTH_PATTERN},? {_YEAR})"
_PART = r"(?:early|mid|late|the end of|the beginning of|the start of|the middle of|the first half of|the second half of|end-|mid-)"
_QUARTER = r"(?:the\s+)?(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+of"
_RELATIVE_YEAR = r"(?:this|next|the)\s+(?:calendar\s+|fiscal\s+)?year"
_MEETING = (
    r"(?:(?:[A-Z0-9(][\w.'’()-]*\s+){0,10}(?:Conference|Summit|Meeting|Ministerial)(?:\s+\([A-Z0-9]+\))?"
    r"|meeting|round|ministerial(?: meeting)?|summit|session|dialogue|council)"
)

# Alternatives in order of preference: a precise phrase wins over a vague one.
_DEADLINE_PATTERNS = [
    rf"\b(?:by|before|no later than|not later than|until)\s+(?:the\s+)?(?:end of\s+)?{DAY_DATE_PATTERN}",
    rf"\b(?:by|before|no later than|not later than)\s+(?:{_PART}\s*)?(?:{_QUARTER}\s+)?(?:{MONTH_PATTERN}\s+)?{_YEAR}",
    rf"\b(?:by|before|no later than)\s+(?:{_PART}\s*)?{_RELATIVE_YEAR}",
    r"\b(?:by|before|no later than)\s+(?:the\s+)?end\s+of\s+(?:this|next|the)\s+(?:month|quarter)",
    rf"\bwithin\s+(?:the\s+next\s+|the\s+coming\s+)?{_COUNT}\s+(?:days?|weeks?|months?|years?)",
    rf"\b(?:on|in)\s+{DAY_DATE_PATTERN}",
    rf"\b(?:in|during)\s+(?:{_PART}\s*)?{MONTH_PATTERN}\s+{_YEAR}",
    rf"\b(?:in|during)\s+(?:{_PART}\s*)?(?:{_QUARTER}\s+)?{_YEAR}",
    rf"\b(?:{_PART}|later|in|during|by)\s*(?:this|next)\s+(?:year|month)",
    rf"\b(?:{_PART})\s*{_RELATIVE_YEAR}",
    rf"\b(?:at|by|before|ahead of|for)\s+(?:the\s+|its\s+|our\s+)?(?:next|upcoming|forthcoming)\s+{_MEETING}",
    r"\bin the (?:near future|coming (?:weeks|months|year))",
]
_DEADLINE = re.compile("|".join(f"(?P<p{i}>{p})" for i, p in enumerate(_DEADLINE_PATTERNS)))
# Cheap gate: a unit without any of these words cannot hold a deadline.
_TIME_HINT = re.compile(
    rf"\b(?:{_YEAR}|{MONTH_PATTERN}|year|month|week|day|quarter|within|next|upcoming|forthcoming|"
    r"near future|coming)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Deadline:
    """A time phrase as written, with the dates it allows (None when unknown)."""

    text: str
    earliest: dt.date | None = None
    latest: dt.date | None = None


def find_deadline(
    unit_text: str, *, reference: dt.date | None = None, next_meeting: dt.date | None = None
) -> Deadline | None:
    """The most precise time phrase of a unit, normalised; None when it has none."""
    if not _TIME_HINT.search(unit_text):
        return None
    best: tuple[int, re.Match[str]] | None = None
    for found in _DEADLINE.finditer(unit_text):
        rank = int((found.lastgroup or "p99")[1:])
        if best is None or rank < best[0]:
            best = (rank, found)
    if best is None:
        return None
    phrase = best[1].group(0).rstrip(" ,.")
    earliest, latest = normalise(phrase, reference=reference, next_meeting=next_meeting)
    return Deadline(text=phrase, earliest=earliest, latest=latest)


def normalise(
    phrase: str, *, reference: dt.date | None = None, next_meeting: dt.date | None = None
) -> tuple[dt.date | None, dt.date | None]:
    """Date range of a time phrase; (None, None) when it cannot be pinned down.

    "by X" phrases have no earliest date: they only bound the end.
    """
    lowered = phrase.lower()
    if re.search(r"\b(?:next|upcoming|forthcoming)\b", lowered) and re.search(
        r"meeting|round|ministerial|summit|session|dialogue|council|conference", lowered
    ):
        return (next_meeting, next_meeting) if next_meeting else (None, None)
    span = _absolute_span(lowered) or _relative_span(lowered, reference)
    if span is None:
        return None, None
    earliest, latest = span
    if re.match(r"(?:by|before|no later than|not later than|until)\b", lowered):
        return None, latest
    return earliest, latest


def _absolute_span(lowered: str) -> tuple[dt.date, dt.date] | None:
    """Ranges named by a day, a month or a year of the calendar."""
    day = re.search(rf"({MONTH_PATTERN.lower()}) (\d{{1,2}}),? ({_YEAR})", lowered) or re.search(
        rf"(\d{{1,2}}) ({MONTH_PATTERN.lower()}),? ({_YEAR})", lowered
    )
    if day:
        first, second, year = day.groups()
        month_name, day_text = (first, second) if first[0].isalpha() else (second, first)
        month = MONTHS.get(month_name.rstrip("."))
        if month:
            try:
                date = dt.date(int(year), month, int(day_text))
            except ValueError:
                return None
            return date, date
    month_year = re.search(rf"({MONTH_PATTERN.lower()})\s+({_YEAR})", lowered)
    if month_year:
        month = MONTHS.get(month_year.group(1).rstrip("."))
        if month:
            year = int(month_year.group(2))
            return _month_span(year, month)
    year_match = re.search(rf"\b({_YEAR})\b", lowered)
    if year_match:
        return _part_of_year(lowered, int(year_match.group(1)))
    return None


def _relative_span(lowered: str, reference: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """Ranges relative to the document's date: "within six months", "early next year"."""
    if reference is None:
        return None
    within = re.search(rf"within\s+(?:the\s+next\s+|the\s+coming\s+)?({_COUNT})\s+(\w+)", lowered)
    if within:
        count_text, unit = within.groups()
        count = int(count_text) if count_text.isdigit() else _NUMBER_WORDS.get(count_text, 0)
        return reference, _add(reference, count, unit)
    if re.search(r"\bnext\s+month\b", lowered):
        year, month = _shift_month(reference.year, reference.month, 1)
        return _month_span(year, month)
    if re.search(r"\b(?:end\s+of\s+)?this\s+month\b", lowered):
        return reference, _month_span(reference.year, reference.month)[1]
    if re.search(r"\bend\s+of\s+(?:this|the)\s+quarter\b", lowered):
        quarter_end_month = ((reference.month - 1) // 3 + 1) * 3
        return reference, _month_span(reference.year, quarter_end_month)[1]
    if re.search(r"\bnext\s+(?:calendar\s+|fiscal\s+)?year\b", lowered):
        return _part_of_year(lowered, reference.year + 1)
    if re.search(r"\blater\s+this\s+year\b", lowered):
        return reference, dt.date(reference.year, 12, 31)  # from now to the year's end
    if re.search(r"\b(?:this|the)\s+(?:calendar\s+|fiscal\s+)?year\b", lowered):
        earliest, latest = _part_of_year(lowered, reference.year)
        return max(earliest, reference), max(latest, reference)
    return None


def _part_of_year(lowered: str, year: int) -> tuple[dt.date, dt.date]:
    """The part of `year` a phrase names: early = Jan–Apr, mid = May–Aug, late = Sep–Dec."""
    quarter = re.search(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter", lowered)
    if quarter:
        index = ["first", "second", "third", "fourth"].index(
            {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth"}.get(
                quarter.group(1), quarter.group(1)
            )
        )
        return dt.date(year, index * 3 + 1, 1), _month_span(year, index * 3 + 3)[1]
    if re.search(r"\b(?:early|beginning of|start of)\b", lowered):
        return dt.date(year, 1, 1), dt.date(year, 4, 30)
    if re.search(r"\b(?:mid|middle of)\b", lowered):
        return dt.date(year, 5, 1), dt.date(year, 8, 31)
    if re.search(r"\b(?:late|end of|end-)", lowered):
        return dt.date(year, 9, 1), dt.date(year, 12, 31)
    if "first half" in lowered:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    if "second half" in lowered:
        return dt.date(year, 7, 1), dt.date(year, 12, 31)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _add(reference: dt.date, count: int, unit: str) -> dt.date:
    """`reference` plus a count of days, weeks, months or years (month ends clamp)."""
    if unit.startswith("day"):
        return reference + dt.timedelta(days=count)
    if unit.startswith("week"):
        return reference + dt.timedelta(weeks=count)
    months = count * 12 if unit.startswith("year") else count
    year, month = _shift_month(reference.year, reference.month, months)
    day = min(reference.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)
