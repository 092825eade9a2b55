"""`kizuna ingest PATH... [--dialogue SLUG] [--meeting ID] [--date D] [--as-user U]`: a thin front.

Each file is read, stored once (by content hash) with its commitment candidates queued for
review, in one transaction per file. Bad files are reported and skipped; the command then
exits non-zero, having stored the good ones.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from tqdm import tqdm

from kizuna.core.actors import actor_for, add_as_user_option
from kizuna.documents.management.commands.extract import iso_date
from kizuna.documents.models import DocumentKind
from kizuna.documents.services import (
    IngestionInputError,
    IngestResult,
    document_ingest,
    may_ingest,
    read_path,
    resolve_link,
)
from kizuna.registry.records import Marking
from kizuna.registry.services import InvalidEdit, PermissionDenied


class Command(BaseCommand):
    help = (
        "Store statements (.txt, .html, .pdf), extract their commitments and queue them for review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files to ingest")
        parser.add_argument("--dialogue", metavar="SLUG", help="the dialogue they belong to")
        parser.add_argument("--meeting", metavar="ID", help="the meeting they report")
        parser.add_argument(
            "--date",
            type=iso_date,
            metavar="YYYY-MM-DD",
            help="the statements' date, which deadlines count from (default: the date each"
            " text states, else the date its file name starts with)",
        )
        parser.add_argument("--marking", choices=Marking.values, default=Marking.PUBLIC)
        parser.add_argument("--kind", choices=DocumentKind.values, default=DocumentKind.STATEMENT)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        add_as_user_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_for(options["as_user"])
        if not may_ingest(actor):
            raise CommandError("only desk officers and coordinators ingest documents")
        try:
            resolve_link(
                actor=actor, dialogue_id=options["dialogue"], meeting_id=options["meeting"]
            )
        except InvalidEdit as exc:
            raise CommandError(str(exc)) from None
        failures = 0
        paths = options["paths"]
        bar = tqdm(paths, unit="file", disable=options["no_progress"] or len(paths) < 2)
        for path in bar:
            bar.set_postfix_str(str(path)[-40:])
            try:
                result = document_ingest(
                    actor=actor,
                    reading=read_path(path, date=options["date"]),
                    file_name=str(path),
                    dialogue_id=options["dialogue"],
                    meeting_id=options["meeting"],
                    marking=options["marking"],
                    kind=options["kind"],
                )
            except (IngestionInputError, InvalidEdit, PermissionDenied) as exc:
                failures += 1
                reason = str(exc)
                if not reason.startswith(str(path)):
                    reason = f"{path}: {reason}"
                self._say(bar, self.stderr, self.style.ERROR(f"not stored: {reason}"))
                continue
            self._say(bar, self.stdout, f"{path}: {describe(result)}")
        if failures:
            raise CommandError(f"{failures} of {len(paths)} file(s) could not be ingested")

    def _say(self, bar: tqdm, stream: OutputWrapper, message: str) -> None:
        """Print a line without tearing the progress bar (it is redrawn below the line)."""
        with tqdm.external_write_mode(file=sys.stderr):
            stream.write(message)


def describe(result: IngestResult) -> str:
    document = result.document
    if not result.created:
        return f"already stored as {document.pk}; nothing new"
    link = ""
    if document.link_suggested:
        link = f" (suggested link: {document.dialogue_id or '-'} / {document.meeting_id or '-'})"
    return f"stored as {document.pk} with {result.candidates} candidate(s) to review{link}"
