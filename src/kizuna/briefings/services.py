"""What a briefing book's download writes: its entry in the audit log."""

from __future__ import annotations

from kizuna.access.actor import Actor
from kizuna.audit.log import append_entry
from kizuna.briefings.build import Brief


def brief_export_record(*, actor: Actor, brief: Brief, kind: str, query: str = "") -> None:
    """Audit a brief leaving Kizuna (SECURITY.md: exports are logged), from the page or
    `kizuna brief`: what it covers, in which language and format, under the brief's own
    marking, since a brief gathers the most restrictive material a coordinator may see.
    Called once the file is drafted, so a brief that failed to render is not logged as
    taken. `query` is the page's request, as sent."""
    append_entry(
        actor=actor,
        action="brief.export",
        object_kind="brief",
        object_id=brief["meeting"] or brief["as_of"],
        marking=brief["marking"],
        after={
            "format": kind,
            "meeting": brief["meeting"],
            "as_of": brief["as_of"],
            "since": brief["since"],
            "title": brief["title"],
            "language": brief["language"],
            "query": query,
        },
    )
