"""Cutting a text into units: sentences, list items, headings and datelines.

Units follow the labelled sets' conventions (extraction-dev README, "Units"): a
bullet or list item is a unit of its own, a heading or dateline is a unit, a
paragraph is split into sentences, list markers are left outside the unit, and a
line that merely wraps (the next line starts in lower case) is joined to the unit
it continues. Offsets are Python code points into the text, so
`text[unit.start:unit.end] == unit.text` always holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


# A list marker at the start of a line: bullets, "(a)", "a)", "iv.", "1.", "1)".
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_BULLET = re.compile(
    r"[ \t]*(?:[•●▪◦‣·∙*\-–—]|\((?:[a-z]|[ivx]+|\d{1,2})\)|[a-z]\)|\d{1,2}\))[ \t]+"
)
_NUMBERED = re.compile(r"[ \t]*(?:\d{1,2}|[IVX]{1,4})\.[ \t]+")
_JA_NUMBERED = re.compile(
    r"[ \t]*(?:[（(]\d{1,2}[）)]|\d{1,2}[.．、]|[０-９]{1,2}[.．、]|[①-⑳])[ \t]*"
)

# Sentence ends: terminal punctuation, optional closing quotes/brackets, then space.
_SENTENCE_END = re.compile(r"[.!?](?:[”\"’)\]]+)?(?=\s+\S)")
_JA_SENTENCE_END = re.compile(r"。(?:[」』）)]+)?")
# Abbreviations after which a period does not end a sentence.
_ABBREVIATIONS = _words(
    "mr mrs ms dr prof st no nos vs etc e.g i.e jr sr inc ltd co corp dept gov sen rep amb "
    "h.e u.s u.k u.n e.u d.c a.m p.m approx fig art para sec jan feb mar apr jun jul aug "
    "sep sept oct nov dec"
)
_FUNCTION_WORDS = _words(
    "the a an of and or to in on for with by from at as that which its their our"
)
_HEADING_NUMBER = re.compile(r"(?:\d{1,2}|[IVX]{1,4})\.\s")
_DATE_WORDS = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b"
)
_LETTERS = re.compile(r"[^\W\d_]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@dataclass(frozen=True)
class Unit:
    """One unit of a text: its words and where they sit."""

    text: str
    start: int
    end: int
    is_item: bool = False
    """The unit is a bullet or numbered list item (its marker stripped)."""
    is_heading: bool = False
    """A line of its own without sentence punctuation: title, heading, dateline."""


def detect_language(text: str) -> str:
    """ISO 639-1 code: "ja" when Japanese script dominates, else "en"."""
    sample = text[:4000]
    japanese = len(_CJK.findall(sample))
    if japanese < 10:
        return "en"
    letters = len(_LETTERS.findall(sample))
    return "ja" if letters and japanese / letters > 0.3 else "en"


def segment(text: str, *, language: str | None = None) -> list[Unit]:
    """Cut `text` into units in reading order."""
    japanese = (language or detect_language(text)) == "ja"
    units: list[Unit] = []
    for block_start, block_end, is_item in _blocks(text, japanese=japanese):
        units.extend(_sentences(text, block_start, block_end, is_item, japanese=japanese))
    return units


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line, without its newline."""
    start = 0
    for found in re.finditer(r"\n", text):
        yield start, found.start()
        start = found.end()
    yield start, len(text)


def _blocks(text: str, *, japanese: bool) -> Iterator[tuple[int, int, bool]]:
    """Paragraphs and list items as (start, end, is_item), wrapped lines joined."""
    current: list[int] | None = None  # [start, end, is_item]
    for line_start, line_end in _lines(text):
        line = text[line_start:line_end]
        if not line.strip():
            if current:
                yield current[0], current[1], bool(current[2])
            current = None
            continue
        marker = _marker_length(line, japanese=japanese)
        content_start = line_start + marker
        content_start += len(text[content_start:line_end]) - len(
            text[content_start:line_end].lstrip()
        )
        previous = text[current[0] : current[1]] if current else ""
        if current and not marker and _continues(previous, line, japanese=japanese):
            current[1] = line_end
            continue
        if current:
            yield current[0], current[1], bool(current[2])
        current = [content_start, line_end, 1 if marker else 0]
    if current:
        yield current[0], current[1], bool(current[2])


def _marker_length(line: str, *, japanese: bool) -> int:
    """Length of a list marker to strip at the start of `line` (0 when none).

    A leading number ("1.") is stripped only from sentence-length items; on a
    heading ("1. Support to Ukraine") it is part of the unit, as in the labelled sets.
    """
    bullet = _BULLET.match(line)
    if bullet:
        # Markers may chain: "• (a) At the outset, ..."
        return bullet.end() + _marker_length(line[bullet.end() :], japanese=japanese)
    if japanese:
        numbered_ja = _JA_NUMBERED.match(line)
        if numbered_ja and numbered_ja.end() < len(line):
            return numbered_ja.end()
    numbered = _NUMBERED.match(line)
    if numbered and _holds_sentence(line[numbered.end() :]):
        return numbered.end()
    return 0


def _holds_sentence(item: str) -> bool:
    """An item holds a sentence when a sentence ends in it (unlike a heading)."""
    stripped = item.rstrip()
    return stripped.endswith((".", "。")) or bool(re.search(r"[a-z]{2}[.。]\s+\S", stripped))


# A Japanese line this long that ends mid-sentence was wrapped by the page (a PDF's text
# layer), not ended by the writer: headings and datelines are shorter.
JA_WRAPPED_LINE = 25


def _continues(previous: str, line: str, *, japanese: bool = False) -> bool:
    """A line continues the previous one when it wraps mid-sentence."""
    stripped = line.lstrip()
    if not stripped:
        return False
    ending = previous.rstrip()
    if ending.endswith((".", "!", "?", ":", "。", ";", "”", '"', "！", "？")):
        return False
    if japanese:
        # Japanese has no lower case to tell a wrapped line by: a long line left open is.
        return len(ending.rsplit("\n", 1)[-1].strip()) >= JA_WRAPPED_LINE
    # A line ending on a function word cannot end a sentence: "... of the\nGroup of 7".
    last_word = ending.rsplit(None, 1)[-1].lower() if ending else ""
    return stripped[0].islower() or last_word in _FUNCTION_WORDS


def _sentences(text: str, start: int, end: int, is_item: bool, *, japanese: bool) -> Iterator[Unit]:
    """Split one block into sentence units with exact offsets."""
    block = text[start:end]
    cuts = _sentence_cuts(block, japanese=japanese)
    pieces = [*cuts, len(block)]
    previous = 0
    single = len(pieces) == 1
    for cut in pieces:
        piece = block[previous:cut]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if piece.strip():
            unit_start = start + previous + lead
            unit_end = start + previous + trail
            unit_text = text[unit_start:unit_end]
            yield Unit(
                text=unit_text,
                start=unit_start,
                end=unit_end,
                is_item=is_item,
                is_heading=single and not is_item and _is_heading(unit_text),
            )
        previous = cut


def _sentence_cuts(block: str, *, japanese: bool) -> list[int]:
    """Offsets inside `block` right after each sentence end."""
    cuts: list[int] = []
    if japanese or "。" in block:
        cuts.extend(found.end() for found in _JA_SENTENCE_END.finditer(block))
    for found in _SENTENCE_END.finditer(block):
        if _ends_sentence(block, found.start(), found.end()):
            cuts.append(found.end())
    return sorted(cut for cut in set(cuts) if 0 < cut < len(block.rstrip()))


def _ends_sentence(block: str, period: int, after: int) -> bool:
    """Whether the punctuation at `period` closes a sentence (not "U.S." or "1.")."""
    if block[period] != ".":
        return _next_starts_sentence(block, after)
    word_match = re.search(r"([\w.]+)$", block[:period])
    letters_match = re.search(r"([A-Za-z.]+)$", block[:period])
    if letters_match and re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", letters_match.group(1)):
        return False  # "U.S", "D.C", "1:43p.m"
    word = word_match.group(1) if word_match else ""
    lower = word.lower()
    if lower in _ABBREVIATIONS or lower.rstrip(".") in _ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isupper():  # initials: "Joseph R. Biden"
        return False
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?", word):  # "U.S", "D.C", "p.m"
        return False
    if re.fullmatch(r"\d{1,2}", word):  # an inline list number: "of: 1. Building"
        return False
    return _next_starts_sentence(block, after)


def _next_starts_sentence(block: str, after: int) -> bool:
    rest = block[after:].lstrip()
    if not rest:
        return False
    first = rest[0]
    return first.isupper() or first.isdigit() or first in "“\"‘'(["


def _is_heading(unit_text: str) -> bool:
    """A short stand-alone line without closing punctuation."""
    stripped = unit_text.rstrip()
    if stripped.endswith((".", "!", "?", "。", ";", ":", ",")):
        return False
    if _CJK.search(stripped):
        return len(stripped) <= 60
    words = stripped.split()
    if len(words) <= 4 or _HEADING_NUMBER.match(stripped):
        return True
    if len(words) <= 10 and _DATE_WORDS.search(
        stripped
    ):  # dateline: "Osaka-Sakai, October 29, 2023"
        return True
    # Titles capitalise their words; a truncated sentence ("We are grateful for the
    # insights of invit") does not.
    content = [word for word in words if word.lower() not in _FUNCTION_WORDS]
    capitalised = sum(
        1 for word in content if word[:1].isupper() or word[:1].isdigit() or word[:1] in '“"('
    )
    return bool(content) and capitalised / len(content) >= 0.6
