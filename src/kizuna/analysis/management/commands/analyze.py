"""`kizuna analyze ANALYSIS`: the coordinators' analyses on the command line (docs/analysis.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.access.actor import Actor
from kizuna.analysis.asof import AnalysisDateError, parse_as_of
from kizuna.analysis.changes import changes
from kizuna.analysis.compliance import compliance
from kizuna.analysis.concerns import concerns
from kizuna.analysis.coverage import coverage
from kizuna.analysis.frameworks import (
    DEFAULT_FRAMEWORK,
    UnknownFramework,
    framework_for,
    frameworks,
)
from kizuna.analysis.gaps import gaps
from kizuna.analysis.overlaps import overlaps
from kizuna.analysis.slippage import slippage
from kizuna.analysis.tables import render_csv, render_text
from kizuna.core.actors import actor_for, add_as_user_option
from kizuna.core.dates import days_from

ANALYSES = [
    "coverage",
    "overlaps",
    "gaps",
    "slippage",
    "compliance",
    "changes",
    "concerns",
    "frameworks",
]
# The analysis that reads each option that not every analysis reads.
OPTION_READERS = {"--since": "changes", "--stale-days": "slippage", "--framework": "gaps"}

# `changes` without --since looks back this far from --as-of.
DEFAULT_CHANGES_WINDOW = dt.timedelta(days=90)


class Command(BaseCommand):
    help = (
        "Run one of the coordinators' analyses as of a date (world time) and print it as a "
        "table, JSON (--json) or CSV (--format csv). Only what the acting user may see counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("analysis", choices=ANALYSES, help="which analysis to run")
        parser.add_argument(
            "--as-of", metavar="YYYY-MM-DD", help="the date of the view (default: today)"
        )
        parser.add_argument(
            "--since",
            metavar="YYYY-MM-DD",
            help="changes: the start, exclusive (default: 90 days before --as-of)",
        )
        parser.add_argument(
            "--framework",
            metavar="SLUG",
            default=DEFAULT_FRAMEWORK,
            help="gaps: the priority framework",
        )
        parser.add_argument(
            "--stale-days",
            type=int,
            metavar="N",
            help="slippage: age of a stale assessment (default: setting)",
        )
        parser.add_argument(
            "--json", action="store_true", help="print JSON (same as --format json)"
        )
        parser.add_argument("--format", choices=["table", "json", "csv"], default=None)
        add_as_user_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        output = "json" if options["json"] else (options["format"] or "table")
        if options["json"] and options["format"] not in (None, "json"):
            raise CommandError("--json and --format csv|table contradict each other")
        try:
            as_of = parse_as_of(options["as_of"])
            since = parse_as_of(options["since"], option="--since") if options["since"] else None
        except AnalysisDateError as exc:
            raise CommandError(str(exc)) from exc
        stale_days: int | None = options["stale_days"]
        if stale_days is not None and stale_days < 0:
            raise CommandError("--stale-days: expected a number of days, 0 or more")
        actor = actor_for(options["as_user"])
        name: str = options["analysis"]
        # An option another analysis reads is said to be ignored, not silently dropped.
        given = {
            "--since": since is not None,
            "--stale-days": stale_days is not None,
            "--framework": options["framework"] != DEFAULT_FRAMEWORK,
        }
        for option, reader in OPTION_READERS.items():
            if given[option] and name != reader:
                self.stderr.write(f"note: {option} is read by `analyze {reader}` only; ignored")
        data = self._run(name, actor, as_of, since, options["framework"], stale_days)
        if output == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        elif output == "csv":
            self.stdout.write(render_csv(name, data), ending="")
        else:
            self.stdout.write(render_text(name, data), ending="")

    def _run(
        self,
        name: str,
        actor: Actor,
        as_of: dt.date,
        since: dt.date | None,
        framework: str,
        stale_days: int | None,
    ) -> Mapping[str, Any]:
        simple: dict[str, Callable[..., Mapping[str, Any]]] = {
            "coverage": coverage,
            "overlaps": overlaps,
            "compliance": compliance,
            "concerns": concerns,
        }
        try:
            if name in simple:
                return simple[name](actor=actor, as_of=as_of)
            if name == "gaps":
                return gaps(actor=actor, as_of=as_of, framework=framework_for(framework))
            if name == "slippage":
                return slippage(actor=actor, as_of=as_of, stale_days=stale_days)
            if name == "changes":
                start = (
                    since if since is not None else days_from(as_of, -DEFAULT_CHANGES_WINDOW.days)
                )
                return changes(actor=actor, since=start, as_of=as_of)
        except (UnknownFramework, AnalysisDateError) as exc:
            raise CommandError(str(exc.args[0])) from exc
        return {
            "frameworks": [
                {**dataclasses.asdict(f), "topics": list(f.topics), "parties": list(f.parties)}
                for f in frameworks()
            ]
        }
