from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.access.actor import Actor
from kizuna.audit.log import append_entry
from kizuna.core.backup import BackupError, backup_database


class Command(BaseCommand):
    help = "Write a consistent backup of the database to PATH (SQLite online backup, or pg_dump)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        # The entry goes in first, so that the backup itself records that it was taken.
        append_entry(
            actor=Actor.operator(),
            action="database.backup",
            object_kind="database",
            object_id=path.name,
            marking="government-internal",
        )
        try:
            kind = backup_database(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written to {path} ({kind})")
