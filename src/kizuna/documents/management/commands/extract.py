"""`kizuna extract PATH [--date YYYY-MM-DD] [--json]`: a thin wrapper around the extractor."""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kizuna.extraction import (
    DEFAULT_MAX_BYTES,
    ExtractionInputError,
    extract,
    extraction_to_json,
    read_document,
)
from kizuna.extraction.model import Extraction
from kizuna.extraction.pipeline import find_document_date
from kizuna.extraction.segmentation import segment


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {value!r}") from None


class Command(BaseCommand):
    help = "Find the commitments, actors, deadlines and topics of a .txt, .html or .pdf file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="a .txt, .html or .pdf file")
        parser.add_argument("--date", type=iso_date, help="reference date for relative deadlines")
        parser.add_argument("--json", action="store_true", help="print the JSON contract")
        parser.add_argument("--mode", choices=["rules", "nlp"], default="rules")
        parser.add_argument(
            "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="size limit of the file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            document = read_document(options["path"], max_bytes=options["max_bytes"])
        except ExtractionInputError as exc:
            raise CommandError(str(exc)) from None
        # --date first, then a dateline of the text, then a date in the file name.
        date = options["date"] or find_document_date(segment(document.text)) or document.date
        classifier = None
        if options["mode"] == "nlp":
            from kizuna.extraction.nlp import load_classifier

            try:
                classifier = load_classifier()
            except ImportError as exc:
                raise CommandError(f"--mode nlp needs the [nlp] extra: {exc}") from None
        extraction = extract(document.text, date=date, title=document.title, classifier=classifier)
        if options["json"]:
            self.stdout.write(
                json.dumps(extraction_to_json(extraction), ensure_ascii=False, indent=2)
            )
        else:
            self.stdout.write(render_table(extraction))


def render_table(extraction: Extraction) -> str:
    """A readable table: one line per unit, commitments marked and detailed."""
    document = extraction.document
    lines = [
        f"title:    {document.title or '-'}",
        f"date:     {document.date.isoformat() if document.date else '-'}",
        f"language: {document.language}",
        "",
        f"{'#':>3}  {'label':<12} {'conf':>4}  {'span':<11} text",
    ]
    for number, passage in enumerate(extraction.passages, start=1):
        marker = "*" if passage.label == "commitment" else " "
        text = " ".join(passage.text.split())
        if len(text) > 90:
            text = text[:87] + "..."
        lines.append(
            f"{number:>3}{marker} {passage.label:<12} {passage.confidence:>4.2f}  "
            f"{passage.start:>5}-{passage.end:<5} {text}"
        )
        if passage.label == "commitment":
            details = []
            if passage.actors:
                details.append("actors: " + ", ".join(passage.actors))
            if passage.deadline:
                d = passage.deadline
                span = f" ({d.earliest or ''}..{d.latest or ''})" if d.earliest or d.latest else ""
                details.append(f"deadline: {d.text!r}{span}")
            if passage.topics:
                details.append("topics: " + ", ".join(passage.topics))
            if passage.sectors:
                details.append("sectors: " + ", ".join(passage.sectors))
            for detail in details:
                lines.append(f"{'':>36}{detail}")
    commitments = len(extraction.commitments)
    lines += ["", f"{len(extraction.passages)} units, {commitments} commitment(s)"]
    return "\n".join(lines)
