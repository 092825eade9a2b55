import json
import time
from dataclasses import asdict, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from kizuna.access.actor import Actor
from kizuna.synth import DEFAULT_PASSWORD, Sizes, WorkspaceNotEmpty, generate


class Command(BaseCommand):
    help = (
        "Build a synthetic workspace (deterministic for --seed) in an empty database, for "
        "trials and benchmarks. Refuses a database that already holds records."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Sizes()
        for f in fields(Sizes):
            parser.add_argument(
                f"--{f.name}", type=int, default=getattr(defaults, f.name), metavar="N"
            )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="multiply every size by this (e.g. 0.1 for a tenth of the workspace)",
        )
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"every synthetic user's password (default: {DEFAULT_PASSWORD})",
        )
        parser.add_argument("--json", action="store_true", help="print the row counts as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            sizes = Sizes(**{f.name: options[f.name] for f in fields(Sizes)})
            if options["scale"] != 1.0:
                sizes = sizes.scaled(options["scale"])
            sizes.check()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        call_command("migrate", interactive=False, verbosity=0)
        start = time.perf_counter()
        try:
            counts = generate(
                sizes, seed=options["seed"], actor=Actor.operator(), password=options["password"]
            )
        except WorkspaceNotEmpty as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("password: " + " ".join(exc.messages)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        seconds = round(time.perf_counter() - start, 1)
        if options["json"]:
            report = {"seed": options["seed"], "sizes": asdict(sizes), "rows": counts}
            self.stdout.write(json.dumps(report | {"seconds": seconds}, indent=2))
            return
        self.stdout.write(
            f"Synthetic workspace written in {seconds} s ({connection.vendor}: "
            f"{connection.settings_dict['NAME']}), seed {options['seed']}:"
        )
        for table, n in counts.items():
            self.stdout.write(f"  {table:<40} {n:>9,}")
        self.stdout.write(
            f"Users are named <government>-<role>[-<n>] (e.g. usa-coordinator); "
            f"password: {options['password']}"
        )
