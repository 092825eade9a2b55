"""Text in, findings out: segment, label, then read actors, deadlines, topics and sectors."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from kizuna.extraction.actors import document_parties, find_actors
from kizuna.extraction.deadlines import (
    DAY_DATE_PATTERN,
    ERA_START,
    MONTH_PATTERN,
    MONTHS,
    Deadline,
    find_deadline,
)
from kizuna.extraction.keywords import tokens
from kizuna.extraction.labelling import (
    ITEM_VERBS,
    Label,
    LabelDecision,
    UnitContext,
    is_forcing_lead_in,
    label_unit,
)
from kizuna.extraction.model import DocumentInfo, Extraction, Passage, Specificity
from kizuna.extraction.segmentation import Unit, detect_language, segment
from kizuna.extraction.topics import find_topics_and_sectors


class UnitClassifier(Protocol):
    """A second opinion on the rules (the nlp mode), read in one pass over the units."""

    def read_units(
        self, texts: Sequence[str], decisions: Sequence[LabelDecision]
    ) -> tuple[Sequence[LabelDecision], Sequence[Sequence[str]]]:
        """Unit texts and rule decisions in; per unit, the revised decision and the topics to
        add to the keyword topics out."""
        ...


@dataclass(frozen=True)
class RuleBook:
    """The hand-written parts of the reading that were tuned on labelled text.

    They are swappable as one so that the held-out study (`studies/heldout-rules/`) can
    run rules written from one labelled set on the other; the product always uses
    `SHIPPED_RULES`. Segmentation, actors and deadlines stay shared.
    """

    label_unit: Callable[[str, UnitContext], LabelDecision] = label_unit
    is_forcing_lead_in: Callable[[str, Label], bool] = is_forcing_lead_in
    find_topics_and_sectors: Callable[[str, list[str]], tuple[list[str], list[str]]] = (
        find_topics_and_sectors
    )


SHIPPED_RULES = RuleBook()

# Labels whose units state intent about the future: only they carry a deadline.
_FORWARD_LABELS = frozenset({Label.COMMITMENT, Label.ASPIRATION, Label.DIRECTIVE})
_REPORTED_SPEECH = re.compile(
    r"\b(?:said|stated|noted|mentioned|explained|announced|told|added)\s+(?:that\s+)?"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MONEY_OR_DIGIT = re.compile(r"[$€£¥\d]")
_NUMBER_WORDS = _words(
    "two three four five six seven eight nine ten eleven twelve twenty thirty fifty "
    "hundred thousand dozen million billion trillion percent"
)
_INITIATIVE_WORDS = _words(
    "Initiative Partnership Agreement Forum Force Compact Roadmap Framework Mechanism "
    "Program Programme Fund Facility Plan Strategy Catalogue Report Dialogue Council "
    "Group Groups Pillar Arrangement Principles Platform Institute Alliance Network "
    "Centre Center"
)
_INITIATIVE_WORDS_LOWER = frozenset(word.lower() for word in _INITIATIVE_WORDS)
_AGENCY_WORDS = ("Department", "Ministry", "Agency", "Office", "Council")
_CAPITALISED_PAIR = re.compile(r"\b[A-Z0-9][\w’'&-]*\s+(?:(?:on|for|of|and|the)\s+)?([A-Z]\w+)")
_ACRONYM_IN_BRACKETS = re.compile(r"\([A-Z]{2,}[A-Za-z0-9-]*\)|「[^」]+」")
_EXPLICIT_DATE = re.compile(rf"\b(?:{DAY_DATE_PATTERN}|{MONTH_PATTERN}\s+(?:19|20)\d{{2}})\b")
_DATELINE_DATE = re.compile(
    rf"(?P<month>{MONTH_PATTERN}) (?P<day>\d{{1,2}})(?:-\d{{1,2}})?,? (?P<year>(?:19|20)\d{{2}})|"
    rf"(?P<day2>\d{{1,2}})(?:[-–]\d{{1,2}})? (?P<month2>{MONTH_PATTERN}),? (?P<year2>(?:19|20)\d{{2}})|"
    r"(?P<iso>(?:19|20)\d{2}-\d{2}-\d{2})"
)
_JA_DATE = re.compile(
    r"(?:(?P<era>令和|平成)(?P<era_year>元|\d{1,2})|(?P<year>\d{4}))年(?P<month>\d{1,2})月(?P<day>\d{1,2})日"
)


def extract(
    text: str,
    *,
    date: dt.date | None = None,
    registry: Mapping[str, str] | None = None,
    title: str | None = None,
    language: str | None = None,
    next_meeting: dt.date | None = None,
    classifier: UnitClassifier | None = None,
    rules: RuleBook = SHIPPED_RULES,
) -> Extraction:
    """Label every unit of `text` and read its actors, deadline, topics and sectors.

    `date` anchors relative deadlines ("early next year"); without it a dateline
    of the text is used, else relative deadlines keep their words only.
    `registry` maps names and aliases to registry keys (it extends the built-in
    table). `next_meeting` gives "at the next round" a date. `classifier` may
    revise the rule labels and add topics (the nlp mode). `rules` is for the held-out study only.
    """
    language = language or detect_language(text)
    units = segment(text, language=language)
    date = date or find_document_date(units)
    title = title or _title(units)
    decisions: Sequence[LabelDecision] = _label_units(units, language, rules)
    texts = [unit.text for unit in units]
    extra_topics: Sequence[Sequence[str]] = [()] * len(units)
    if classifier is not None:
        decisions, extra_topics = classifier.read_units(texts, decisions)
    parties = document_parties(texts[:6], registry=registry)
    passages = tuple(
        _passage(
            unit,
            decision,
            date=date,
            registry=registry,
            parties=parties,
            next_meeting=next_meeting,
            rules=rules,
            extra_topics=topics,
        )
        for unit, decision, topics in zip(units, decisions, extra_topics, strict=True)
    )
    return Extraction(DocumentInfo(title=title, date=date, language=language), passages)


def _label_units(units: Sequence[Unit], language: str, rules: RuleBook) -> list[LabelDecision]:
    """Label units in order, carrying list lead-ins and open quotations forward."""
    decisions: list[LabelDecision] = []
    lead_in: Label | None = None
    quote_depth = 0
    for unit in units:
        context = UnitContext(
            is_item=unit.is_item,
            is_heading=unit.is_heading,
            in_quote=quote_depth > 0,
            lead_in=lead_in,
            language=language,
        )
        decision = rules.label_unit(unit.text, context)
        decisions.append(decision)
        quote_depth = max(0, min(1, quote_depth + unit.text.count("“") - unit.text.count("”")))
        if rules.is_forcing_lead_in(unit.text, decision.label):
            lead_in = Label.COMMITMENT
        elif not (unit.is_item or unit.is_heading or _starts_with_item_verb(unit.text)):
            lead_in = None
    return decisions


def _starts_with_item_verb(text: str) -> bool:
    first = text.split(None, 1)[0].lower() if text.strip() else ""
    return first in ITEM_VERBS or (first.endswith("ing") and text[:1].isupper())


def _passage(
    unit: Unit,
    decision: LabelDecision,
    *,
    date: dt.date | None,
    registry: Mapping[str, str] | None,
    parties: Sequence[str],
    next_meeting: dt.date | None,
    rules: RuleBook,
    extra_topics: Sequence[str] = (),
) -> Passage:
    label = decision.label
    words = tokens(unit.text)
    topics, sectors = rules.find_topics_and_sectors(unit.text, words)
    topics = topics + [topic for topic in extra_topics if topic not in topics]
    actors = _actors(unit.text, label, registry=registry, parties=parties)
    deadline = (
        find_deadline(unit.text, reference=date, next_meeting=next_meeting)
        if label in _FORWARD_LABELS
        else None
    )
    return Passage(
        text=unit.text,
        start=unit.start,
        end=unit.end,
        label=label.value,
        confidence=_confidence(decision, deadline),
        actors=tuple(actors),
        deadline=deadline,
        topics=tuple(topics),
        sectors=tuple(sectors),
        specificity=specificity(unit.text, actors, deadline, words),
        cue=decision.cue,
    )


def _actors(
    text: str, label: Label, *, registry: Mapping[str, str] | None, parties: Sequence[str]
) -> list[str]:
    """Who acts in a unit; in reported speech only the side whose intent is reported."""
    if label is Label.OTHER:
        return []
    speech = _REPORTED_SPEECH.search(text)
    if speech and label is Label.COMMITMENT:
        reported = find_actors(text[speech.end() :], registry=registry)
        if reported:
            return reported
        return find_actors(text[: speech.start()], registry=registry, parties=parties)
    return find_actors(text, registry=registry, parties=parties)


def _confidence(decision: LabelDecision, deadline: Deadline | None) -> float:
    bonus = 0.05 if decision.label is Label.COMMITMENT and deadline else 0.0
    return round(min(1.0, max(0.0, decision.confidence + bonus)), 3)


def specificity(
    text: str, actors: Sequence[str], deadline: Deadline | None, words: list[str] | None = None
) -> Specificity:
    """Flags of concreteness: a number or money, a named initiative, a date, an owner agency."""
    has_digit = bool(_MONEY_OR_DIGIT.search(text))
    has_date = deadline is not None or (has_digit and bool(_EXPLICIT_DATE.search(text)))
    words = words if words is not None else tokens(text)
    return Specificity(
        number=_has_number(text, words, has_digit),
        initiative=_names_initiative(text, words),
        date=has_date,
        owner=any(_is_agency(actor) for actor in actors),
    )


def _has_number(text: str, words: list[str], has_digit: bool) -> bool:
    """Money, a percentage or a count; years and calendar dates do not count."""
    if has_digit:
        without_dates = _EXPLICIT_DATE.sub(" ", text)
        without_dates = re.sub(r"\b(?:19|20)\d{2}\b|\b\d+(?:st|nd|rd|th)\b", " ", without_dates)
        if _MONEY_OR_DIGIT.search(without_dates):
            return True
    return not _NUMBER_WORDS.isdisjoint(words)


def _names_initiative(text: str, words: list[str]) -> bool:
    """A capitalised name ending in Initiative, Agreement, Task Force ... or an acronym."""
    if ("(" in text or "「" in text) and _ACRONYM_IN_BRACKETS.search(text):
        return True
    if _INITIATIVE_WORDS_LOWER.isdisjoint(words):
        return False
    return any(match.group(1) in _INITIATIVE_WORDS for match in _CAPITALISED_PAIR.finditer(text))


def _is_agency(actor: str) -> bool:
    """Agency slugs are lower case; names kept as written name a department or ministry."""
    return actor.islower() or any(word in actor for word in _AGENCY_WORDS)


def find_document_date(units: Sequence[Unit]) -> dt.date | None:
    """The date of a dateline among the opening units ("May 2, 2024", "令和3年11月17日")."""
    for unit in units[:8]:
        if unit.is_heading or len(unit.text) <= 60:
            found = parse_date(unit.text)
            if found:
                return found
    return None


def parse_date(text: str) -> dt.date | None:
    """The first full calendar date written in `text`, English or Japanese."""
    japanese = _JA_DATE.search(text)
    if japanese:
        if japanese.group("era"):
            era_year = japanese.group("era_year")
            year = ERA_START[japanese.group("era")] + (1 if era_year == "元" else int(era_year))
        else:
            year = int(japanese.group("year"))
        return _safe_date(year, int(japanese.group("month")), int(japanese.group("day")))
    found = _DATELINE_DATE.search(text)
    if not found:
        return None
    if found.group("iso"):
        year, month, day = map(int, found.group("iso").split("-"))
        return _safe_date(year, month, day)
    month_name = found.group("month") or found.group("month2")
    day_text = found.group("day") or found.group("day2")
    year_text = found.group("year") or found.group("year2")
    month_number = MONTHS.get(month_name.lower().rstrip("."))
    if month_number is None:
        return None
    return _safe_date(int(year_text), month_number, int(day_text))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _title(units: Sequence[Unit]) -> str | None:
    """The opening heading, unless it is only a dateline."""
    if units and units[0].is_heading and parse_date(units[0].text) is None:
        return units[0].text
    return None
