from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Create the database or bring it up to date (runs the migrations)."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            f"Database ready ({connection.vendor}: {connection.settings_dict['NAME']})"
        )
