import os
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from kizuna.access.actor import Actor
from kizuna.accounts.personas import demo_password, ensure_personas
from kizuna.core.management.commands.serve import (
    add_server_options,
    run_server,
    server_environment,
)
from kizuna.registry.models import Agency


class Command(BaseCommand):
    help = "Create the database, load the U.S.–Japan demo and serve it (a second run reuses it)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_server_options(parser)
        parser.add_argument("--no-serve", action="store_true", help="prepare the demo, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("init", stdout=self.stdout)
        call_command("load_demo", stdout=self.stdout)
        password = demo_password()
        known = dict(Agency.objects.values_list("id", "government_id"))
        personas = ensure_personas(actor=Actor.operator(), password=password, known_agencies=known)
        self.stdout.write(f"Sign in at /accounts/login/ as any of these (password: {password}):")
        for username, role, agency in personas:
            self.stdout.write(f"  {username:<22} {role:<13} {agency}")
        # The demo signs in without a second factor; production requires it of coordinators and admins.
        os.environ["KIZUNA_TOTP_REQUIRED_ROLES"] = ""
        if options["no_serve"]:
            return
        self.stdout.write(
            f"Kizuna demo on http://{options['host']}:{options['port']}/ (Ctrl-C stops it)"
        )
        self.stdout.flush()
        # A background worker beside the server runs uploads' ingestion jobs; it stops with it.
        worker = subprocess.Popen(
            [sys.executable, "-m", "kizuna.cli", "worker", "--verbosity", "0"],
            env=server_environment(),
        )
        try:
            status = run_server(options["host"], options["port"], options["workers"])
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
        sys.exit(status)
