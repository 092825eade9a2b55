from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.core.actors import actor_for
from kizuna.dataset.errors import DatasetError, DatasetErrors, records_with_errors
from kizuna.dataset.loader import Change, load_dataset


def describe_change(change: Change) -> str:
    """`commitment jucip-2024-06-26-c2: would change text, parties` (or `would create`)."""
    what = "would create" if change.created else f"would change {', '.join(change.fields)}"
    return f"{change.noun} {change.record_id}: {what}"


class Command(BaseCommand):
    help = (
        "Load a dataset folder or file (YAML, JSON, CSV or XLSX; the export's format) "
        "in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="+", type=Path, help="data files or folders (.yaml, .json, .csv, .xlsx)"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check every record, list every error and every record it would create or "
            "change, write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_dataset(
                options["paths"], actor=actor_for(None), dry_run=options["dry_run"]
            )
        except DatasetErrors as exc:
            if len(exc.errors) == 1:
                raise CommandError(f"nothing loaded: {exc}") from exc
            for error in exc.errors:
                self.stdout.write(f"error: {error.describe()}")
            raise CommandError(f"nothing loaded: {exc.records()} records with errors") from exc
        except DatasetError as exc:
            raise CommandError(f"nothing loaded: {exc}") from exc
        if not options["dry_run"]:
            self.stdout.write(f"Loaded {report.summary()}")
            return
        for error in report.errors:
            self.stdout.write(f"error: {error}")
        if report.errors:
            raise CommandError(
                f"dry run: {records_with_errors(report.errors)} records with errors; "
                "nothing written"
            )
        for change in report.changes:
            self.stdout.write(describe_change(change))
        self.stdout.write(f"Dry run, nothing written; would load {report.summary()}")
