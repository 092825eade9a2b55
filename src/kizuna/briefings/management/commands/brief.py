"""`kizuna brief`: draft the briefing book for a leaders' meeting or a date (docs/briefings.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from kizuna.analysis.asof import AnalysisDateError, parse_as_of
from kizuna.analysis.frameworks import DEFAULT_FRAMEWORK, UnknownFramework
from kizuna.briefings.build import BriefError, build_brief
from kizuna.briefings.render import render_html, render_pdf
from kizuna.briefings.services import brief_export_record
from kizuna.core.actors import actor_for, add_as_user_option


class Command(BaseCommand):
    help = (
        "Draft the briefing book for a meeting (--meeting ID) or a date (--date D --title T) "
        "and write it as PDF or HTML (--out FILE.pdf|FILE.html). Only what the acting user may "
        "see is in it; it carries the most restrictive marking of what it holds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--meeting", metavar="ID", help="the meeting to brief for")
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="the date of the brief")
        parser.add_argument("--title", metavar="TEXT", help="the title (with --date)")
        parser.add_argument(
            "--since", metavar="YYYY-MM-DD", help="default: the last leaders' meeting"
        )
        parser.add_argument(
            "--framework", default=DEFAULT_FRAMEWORK, help="priority framework for the gaps"
        )
        parser.add_argument("--language", choices=["en", "ja"], help="default: the active language")
        parser.add_argument(
            "--base-url", default="", help="prefix for the links (e.g. https://kizuna.example)"
        )
        add_as_user_option(parser)
        parser.add_argument("--out", metavar="FILE", help="FILE.pdf or FILE.html")

    def handle(self, *args: Any, **options: Any) -> None:
        meeting, date, title = options["meeting"], options["date"], options["title"]
        out = options["out"]
        if not out:
            raise CommandError("--out FILE.pdf|FILE.html is required")
        path = Path(out)
        kind = path.suffix.lower()
        if kind not in (".pdf", ".html"):
            raise CommandError(f"--out must end in .pdf or .html, not {path.name!r}")
        if meeting and date:
            raise CommandError("give either --meeting ID or --date DATE --title TEXT, not both")
        if not meeting and not date:
            raise CommandError("give --meeting ID, or --date DATE with --title TEXT")
        if date and not title:
            raise CommandError("--date needs --title TEXT")
        if not path.parent.exists():
            raise CommandError(f"--out: the folder {str(path.parent)!r} does not exist")
        actor = actor_for(options["as_user"])
        try:
            as_of = parse_as_of(date, option="--date") if date else parse_as_of(None)
            since = parse_as_of(options["since"], option="--since") if options["since"] else None
            with translation.override(options["language"] or translation.get_language() or "en"):
                brief = build_brief(
                    actor=actor,
                    as_of=as_of,
                    title=title or "",
                    meeting_id=meeting,
                    since=since,
                    framework=options["framework"],
                )
        except (AnalysisDateError, BriefError, UnknownFramework) as exc:
            raise CommandError(str(exc)) from exc
        if kind == ".pdf":
            try:
                data = render_pdf(brief, base_url=options["base_url"])
            except ImportError as exc:
                raise CommandError(f"PDF needs WeasyPrint ({exc}); write .html instead") from exc
            path.write_bytes(data)
        else:
            path.write_text(
                render_html(brief, base=options["base_url"].rstrip("/")), encoding="utf-8"
            )
        brief_export_record(actor=actor, brief=brief, kind=kind.lstrip("."))
        self.stdout.write(f"wrote {path} ({brief['marking']})")
