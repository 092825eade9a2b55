from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Create the database or bring it up to date (runs the migrations)."

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor == "sqlite":
            # KIZUNA_HOME may name a folder not made yet (a first `kizuna demo`): SQLite
            # makes the file, not the folders above it.
            Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            f"Database ready ({connection.vendor}: {connection.settings_dict['NAME']})"
        )
