from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kizuna.core.actors import actor_for
from kizuna.dataset.errors import DatasetError
from kizuna.dataset.loader import load_dataset
from kizuna.demo import DATA_DIR


class Command(BaseCommand):
    help = "Load the U.S.–Japan demo dataset (idempotent: a second run changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_dataset([DATA_DIR], actor=actor_for(None))
        except DatasetError as exc:
            raise CommandError(f"nothing loaded: {exc}") from exc
        self.stdout.write(f"Demo dataset: {report.summary()}")
