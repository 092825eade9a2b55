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
        parser.add_argument("paths", nargs="+", type=Path, help="data files or folders")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_dataset(options["paths"], actor=actor_for(None))
        except DatasetError as exc:
            raise CommandError(f"nothing loaded: {exc}") from exc
        self.stdout.write(f"Loaded {report.summary()}")
