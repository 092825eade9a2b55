"""Measuring the extractor on a labelled folder (texts + labels.json, shared-set format).

Predicted units are aligned to gold units by character overlap, so a
segmentation difference costs only the units it touches. Each gold unit takes the
label of the predicted unit overlapping it most; a predicted commitment that is
no gold unit's best match still counts against precision when the gold unit it
overlaps most is not a commitment.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kizuna.extraction.errors import ExtractionInputError
from kizuna.extraction.labelling import LABELS
from kizuna.extraction.model import Extraction
from kizuna.extraction.pipeline import extract
from kizuna.extraction.reading import read_document

Extractor = Callable[[str, dt.date | None], Extraction]


@dataclass(frozen=True)
class GoldUnit:
    text: str
    start: int
    end: int
    label: str
    deadline: str | None
    topics: tuple[str, ...]
    actors: tuple[str, ...]


@dataclass(frozen=True)
class GoldDocument:
    name: str
    text: str
    date: dt.date | None
    units: tuple[GoldUnit, ...]


def load_labelled(folder: str | Path) -> list[GoldDocument]:
    """The documents of a labelled folder with gold units located in their text."""
    folder = Path(folder)
    labels_path = folder / "labels.json"
    try:
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExtractionInputError(f"{labels_path}: cannot read the labels ({exc}).") from None
    documents = []
    for name, entry in labels.items():
        body = read_document(folder / name).text
        documents.append(
            GoldDocument(
                name=name,
                text=body,
                date=dt.date.fromisoformat(entry["date"]) if entry.get("date") else None,
                units=tuple(_locate(body, entry["units"], name)),
            )
        )
    return documents


def _locate(body: str, units: list[dict[str, Any]], name: str) -> Iterator[GoldUnit]:
    cursor = 0
    for unit in units:
        start = body.find(unit["text"], cursor)
        if start < 0:
            raise ExtractionInputError(f"{name}: gold unit not found: {unit['text'][:60]!r}")
        cursor = start + len(unit["text"])
        yield GoldUnit(
            text=unit["text"],
            start=start,
            end=cursor,
            label=unit["label"],
            deadline=unit.get("deadline"),
            topics=tuple(unit.get("topics") or ()),
            actors=tuple(unit.get("actors") or ()),
        )


def rules_extractor(text: str, date: dt.date | None) -> Extraction:
    return extract(text, date=date)


def evaluate(
    folder: str | Path,
    *,
    extractor: Extractor = rules_extractor,
    documents: list[GoldDocument] | None = None,
) -> dict[str, Any]:
    """Scores of `extractor` on a labelled folder (see module docstring for alignment)."""
    documents = documents if documents is not None else load_labelled(folder)
    pairs: list[tuple[GoldUnit, Any]] = []
    stray_commitments = 0
    for document in documents:
        extraction = extractor(document.text, document.date)
        passages = extraction.passages
        chosen: set[int] = set()
        for gold in document.units:
            index = _best_overlap(gold.start, gold.end, [(p.start, p.end) for p in passages])
            chosen.add(index) if index is not None else None
            pairs.append((gold, passages[index] if index is not None else None))
        gold_spans = [(g.start, g.end) for g in document.units]
        for index, passage in enumerate(passages):
            if index in chosen or passage.label != "commitment":
                continue
            best = _best_overlap(passage.start, passage.end, gold_spans)
            if best is None or document.units[best].label != "commitment":
                stray_commitments += 1
    return {
        "folder": str(folder),
        "documents": len(documents),
        "units": len(pairs),
        "commitment": _commitment_scores(pairs, stray_commitments),
        "per_label": _per_label(pairs),
        "deadline": _deadline_scores(pairs),
        "topics": _topic_scores(pairs),
    }


def _best_overlap(start: int, end: int, spans: list[tuple[int, int]]) -> int | None:
    best, best_overlap = None, 0
    for index, (other_start, other_end) in enumerate(spans):
        overlap = min(end, other_end) - max(start, other_start)
        if overlap > best_overlap:
            best, best_overlap = index, overlap
    return best


def _label(passage: Any) -> str:
    return passage.label if passage is not None else "other"


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def _commitment_scores(pairs: list[tuple[GoldUnit, Any]], stray: int) -> dict[str, Any]:
    tp = sum(1 for g, p in pairs if g.label == "commitment" and _label(p) == "commitment")
    fp = sum(1 for g, p in pairs if g.label != "commitment" and _label(p) == "commitment")
    fn = sum(1 for g, p in pairs if g.label == "commitment" and _label(p) != "commitment")
    scores = _prf(tp, fp + stray, fn)
    scores["gold"] = tp + fn
    return scores


def _per_label(pairs: list[tuple[GoldUnit, Any]]) -> dict[str, dict[str, Any]]:
    gold_counts = Counter(g.label for g, _ in pairs)
    result = {}
    for label in LABELS:
        tp = sum(1 for g, p in pairs if g.label == label and _label(p) == label)
        fp = sum(1 for g, p in pairs if g.label != label and _label(p) == label)
        fn = gold_counts[label] - tp
        scores = _prf(tp, fp, fn)
        scores["gold"] = gold_counts[label]
        result[label] = scores
    correct = sum(1 for g, p in pairs if g.label == _label(p))
    result["accuracy"] = {"value": round(correct / len(pairs), 3) if pairs else 0.0}
    return result


def _deadline_scores(pairs: list[tuple[GoldUnit, Any]]) -> dict[str, Any]:
    """Exact match of the as-written deadline over gold commitments (None == None counts)."""
    commitments = [(g, p) for g, p in pairs if g.label == "commitment"]
    matches = sum(1 for g, p in commitments if g.deadline == _deadline_text(p))
    with_deadline = [(g, p) for g, p in commitments if g.deadline]
    found = sum(1 for g, p in with_deadline if g.deadline == _deadline_text(p))
    return {
        "exact_match": round(matches / len(commitments), 3) if commitments else 0.0,
        "gold_commitments": len(commitments),
        "with_gold_deadline": len(with_deadline),
        "gold_deadlines_found": found,
    }


def _deadline_text(passage: Any) -> str | None:
    if passage is None:
        return None
    if passage.deadline is not None:
        return str(passage.deadline.text)
    return None


def _topic_scores(pairs: list[tuple[GoldUnit, Any]]) -> dict[str, Any]:
    """Micro-averaged topic F1 over the units that carry gold topics."""
    tp = fp = fn = 0
    units = 0
    for gold, passage in pairs:
        if not gold.topics:
            continue
        units += 1
        predicted = set(passage.topics) if passage is not None else set()
        expected = set(gold.topics)
        tp += len(predicted & expected)
        fp += len(predicted - expected)
        fn += len(expected - predicted)
    scores: dict[str, Any] = _prf(tp, fp, fn)
    scores["units"] = units
    return scores


def format_report(report: Mapping[str, Any]) -> str:
    """A readable summary of `evaluate`'s dict."""
    c = report["commitment"]
    lines = [
        f"{report['folder']}: {report['documents']} documents, {report['units']} gold units",
        "",
        f"commitment vs not: precision {c['precision']:.3f}  recall {c['recall']:.3f}  "
        f"F1 {c['f1']:.3f}  (tp {c['tp']}, fp {c['fp']}, fn {c['fn']}; "
        f"{c['gold']} gold commitments)",
        "",
        f"{'label':<14}{'gold':>6}{'P':>8}{'R':>8}{'F1':>8}",
    ]
    for label in LABELS:
        s = report["per_label"][label]
        lines.append(
            f"{label:<14}{s['gold']:>6}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}"
        )
    lines.append(f"accuracy {report['per_label']['accuracy']['value']:.3f}")
    d = report["deadline"]
    t = report["topics"]
    lines += [
        "",
        f"deadline exact match: {d['exact_match']:.3f} over {d['gold_commitments']} gold "
        f"commitments ({d['gold_deadlines_found']}/{d['with_gold_deadline']} gold deadlines found)",
        f"topic micro-F1: {t['f1']:.3f}  (P {t['precision']:.3f}, R {t['recall']:.3f}; "
        f"{t['units']} units with gold topics)",
    ]
    return "\n".join(lines)
