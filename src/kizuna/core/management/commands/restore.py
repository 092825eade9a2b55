from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.audit.verify import verify_chain
from kizuna.core.backup import BackupError, restore_database


class Command(BaseCommand):
    help = "Replace the database's content with a backup made by `kizuna backup`, then verify the audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restore_database(options["path"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        result = verify_chain()
        if not result.ok:
            raise CommandError(f"restored, but the audit log does not verify: {result}")
        self.stdout.write(
            f"Restored from {options['path']}; audit log verified ({result.count} entries)"
        )
