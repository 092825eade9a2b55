"""What an extraction returns, and its JSON contract (EXTRACTION.md, "Contract details")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kizuna.extraction.deadlines import Deadline


@dataclass(frozen=True)
class Specificity:
    """How concrete a unit is: a desk officer trusts a numbered, dated, owned pledge more."""

    number: bool = False
    initiative: bool = False
    date: bool = False
    owner: bool = False


@dataclass(frozen=True)
class Passage:
    """One unit of the text with its label and what was found in it."""

    text: str
    start: int
    end: int
    label: str
    confidence: float
    actors: tuple[str, ...] = ()
    deadline: Deadline | None = None
    topics: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    specificity: Specificity = field(default_factory=Specificity)
    cue: str = ""
    """The words that decided the label (not part of the JSON contract)."""


@dataclass(frozen=True)
class DocumentInfo:
    title: str | None
    date: dt.date | None
    language: str


@dataclass(frozen=True)
class Extraction:
    document: DocumentInfo
    passages: tuple[Passage, ...]

    @property
    def commitments(self) -> tuple[Passage, ...]:
        return tuple(p for p in self.passages if p.label == "commitment")


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def passage_to_json(passage: Passage) -> dict[str, Any]:
    deadline = passage.deadline
    return {
        "text": passage.text,
        "start": passage.start,
        "end": passage.end,
        "label": passage.label,
        "actors": list(passage.actors),
        "deadline": (
            {
                "text": deadline.text,
                "earliest": _iso(deadline.earliest),
                "latest": _iso(deadline.latest),
            }
            if deadline
            else None
        ),
        "topics": list(passage.topics),
        "sectors": list(passage.sectors),
        "confidence": round(passage.confidence, 3),
        "specificity": {
            "number": passage.specificity.number,
            "initiative": passage.specificity.initiative,
            "date": passage.specificity.date,
            "owner": passage.specificity.owner,
        },
    }


def extraction_to_json(extraction: Extraction) -> dict[str, Any]:
    """The command's `--json` object: `{"document": {...}, "passages": [...]}`."""
    document = extraction.document
    return {
        "document": {
            "title": document.title,
            "date": _iso(document.date),
            "language": document.language,
        },
        "passages": [passage_to_json(passage) for passage in extraction.passages],
    }
