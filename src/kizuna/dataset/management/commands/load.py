from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.core.actors import actor_for
from kizuna.dataset.errors import DatasetError
from kizuna.dataset.loader import load_dataset


class Command(BaseCommand):
    help = (
        "Load a dataset folder or file (YAML, JSON or CSV; the export's format) in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="+", type=Path, help="data files or folders (.yaml, .json, .csv, .xlsx)"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check every record, list every error, write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_dataset(
                options["paths"], actor=actor_for(None), dry_run=options["dry_run"]
            )
        except DatasetError as exc:
            raise CommandError(f"nothing loaded: {exc}") from exc
        if not options["dry_run"]:
            self.stdout.write(f"Loaded {report.summary()}")
            return
        for error in report.errors:
            self.stdout.write(f"error: {error}")
        if report.errors:
            raise CommandError(
                f"dry run: {len(report.errors)} records with errors; nothing written"
            )
        self.stdout.write(f"Dry run, nothing written; would load {report.summary()}")
