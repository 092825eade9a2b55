"""Deadlines: the time phrase as written, and the date range it means.

Cheap first: `find_deadline` runs one pre-compiled pattern over a unit; the
normaliser runs only on the phrase it found. Ranges are relative to the
document's date; without one, relative phrases keep their words and null dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
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
    if _JA_TIME_HINT.search(unit_text):
        return _japanese_deadline(unit_text, reference=reference, next_meeting=next_meeting)
    if not _TIME_HINT.search(unit_text):
        return None
    best = _most_precise(_DEADLINE, unit_text)
    if best is None:
        return None
    phrase = best.group(0).rstrip(" ,.")
    earliest, latest = normalise(phrase, reference=reference, next_meeting=next_meeting)
    return Deadline(text=phrase, earliest=earliest, latest=latest)


def _most_precise(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The match of the earliest-listed alternative (groups p0, p1, …) found in `text`."""
    best: tuple[int, re.Match[str]] | None = None
    for found in pattern.finditer(text):
        rank = int((found.lastgroup or "p99")[1:])
        if best is None or rank < best[0]:
            best = (rank, found)
    return best[1] if best else None


# --- Japanese --------------------------------------------------------------------------------
# A Japanese phrase keeps its words as written; its dates come from the English phrase it
# means ("2024年末までに" means "by the end of 2024"), so both languages share one normaliser.

_JA_NUMBER = r"[0-9０-９]{1,4}|[一二三四五六七八九十]{1,3}"
_JA_YEAR = r"(?:(?:令和|平成)(?:元|[0-9０-９]{1,2})|(?:19|20|１９|２０)[0-9０-９]{2})年"
_JA_PART = r"(?:末|初め|初頭|前半|上半期|後半|下半期|半ば|中頃|中|内)"
_JA_BY = r"(?:まで(?:に)?|以前に)"
_JA_MEETING = r"(?:会合|会議|会談|首脳会談|閣僚会合|対話|ラウンド)"
_JA_DEADLINE_PATTERNS = [
    rf"{_JA_YEAR}[0-9０-９]{{1,2}}月[0-9０-９]{{1,2}}日{_JA_BY}",
    rf"{_JA_YEAR}(?:[0-9０-９]{{1,2}}月)?{_JA_PART}?{_JA_BY}",
    rf"(?:本年|今年度|今年|来年度|来年)(?:の)?{_JA_PART}?{_JA_BY}",
    rf"(?:今月|本四半期)(?:末)?{_JA_BY}",
    rf"(?:{_JA_NUMBER})(?:か月|カ月|ヶ月|ヵ月|箇月|週間|日|年)以内(?:に)?",
    rf"{_JA_YEAR}[0-9０-９]{{1,2}}月[0-9０-９]{{1,2}}日に",
    rf"{_JA_YEAR}[0-9０-９]{{1,2}}月(?:{_JA_PART})?に",
    rf"{_JA_YEAR}(?:の)?{_JA_PART}?に",
    r"(?:年内|本年中|今年中|年度内)(?:に)?",
    rf"(?:来年度|来年|来月)(?:の)?{_JA_PART}?(?:に|中に)?",
    rf"次回(?:の)?(?:[^\s、。]{{0,12}}?){_JA_MEETING}",
]
_JA_DEADLINE = re.compile("|".join(f"(?P<p{i}>{p})" for i, p in enumerate(_JA_DEADLINE_PATTERNS)))
_JA_TIME_HINT = re.compile(r"年|月|以内|次回|[0-9０-９]+日")
_JA_PART_WORDS = {
    "末": "the end of",
    "初め": "early",
    "初頭": "early",
    "前半": "the first half of",
    "上半期": "the first half of",
    "後半": "the second half of",
    "下半期": "the second half of",
    "半ば": "mid",
    "中頃": "mid",
}
_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
ERA_START = {"令和": 2018, "平成": 1988}
"""The year before each Japanese era's first: 令和1年 is 2019."""


def _japanese_deadline(
    unit_text: str, *, reference: dt.date | None, next_meeting: dt.date | None
) -> Deadline | None:
    found = _most_precise(_JA_DEADLINE, unit_text)
    if found is None:
        return None
    phrase = found.group(0)
    english = _english_phrase(unicodedata.normalize("NFKC", phrase))
    earliest, latest = (
        normalise(english, reference=reference, next_meeting=next_meeting)
        if english
        else (None, None)
    )
    return Deadline(text=phrase, earliest=earliest, latest=latest)


def _english_phrase(phrase: str) -> str | None:
    """The English time phrase a Japanese one means, for `normalise`; None for a fiscal year
    (年度), whose calendar depends on the government, so its dates stay unknown."""
    if "年度" in phrase:
        return None
    if phrase.startswith("次回"):
        return "at the next meeting"
    within = re.match(
        r"(\d+|[一二三四五六七八九十]+)(か月|カ月|ヶ月|ヵ月|箇月|週間|日|年)以内", phrase
    )
    if within:
        unit = {"週間": "weeks", "日": "days", "年": "years"}.get(within.group(2), "months")
        return f"within {_japanese_number(within.group(1))} {unit}"
    by = "by" if re.search(_JA_BY + "$", phrase) else "in"
    part = next((words for key, words in _JA_PART_WORDS.items() if key in phrase), "")
    year = _japanese_year(phrase)
    if year is None:
        return _relative_english(phrase, by, part)
    month = re.search(r"年(\d{1,2})月(?:(\d{1,2})日)?", phrase)
    if month is None:
        return " ".join(filter(None, (by, part, str(year))))
    if not 1 <= int(month.group(1)) <= 12:
        return None
    month_name = calendar.month_name[int(month.group(1))]
    if month.group(2):
        return f"{by} {month_name} {int(month.group(2))}, {year}"
    return " ".join(filter(None, (by, part, month_name, str(year))))


def _relative_english(phrase: str, by: str, part: str) -> str | None:
    """A phrase relative to the document's date: 来年初めに is "early next year", 年内に
    "later this year", 今月末までに "by the end of this month"."""
    if phrase.startswith(("年内", "本年中", "今年中")):
        return "later this year"
    if phrase.startswith("来月"):
        return "next month"
    if phrase.startswith(("今月", "本四半期")):
        return (
            "by the end of this month" if phrase.startswith("今月") else "by the end of the quarter"
        )
    if phrase.startswith("来年"):
        return " ".join(filter(None, ("by" if by == "by" else "", part, "next year")))
    if phrase.startswith(("本年", "今年")):
        return (
            " ".join(filter(None, ("by", part, "this year"))) if by == "by" else "later this year"
        )
    return None


def _japanese_year(phrase: str) -> int | None:
    era = re.match(r"(令和|平成)(元|\d{1,2})年", phrase)
    if era:
        return ERA_START[era.group(1)] + (1 if era.group(2) == "元" else int(era.group(2)))
    western = re.match(r"((?:19|20)\d{2})年", phrase)
    return int(western.group(1)) if western else None


def _japanese_number(text: str) -> int:
    """Arabic digits, or kanji numerals up to 99 (六, 十二, 二十四)."""
    if text.isdigit():
        return int(text)
    tens, _, units = text.rpartition("十")
    if "十" not in text:
        return _KANJI_DIGITS.get(text, 0)
    return (_KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + _KANJI_DIGITS.get(units, 0)


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
