"""Translatable labels for the stored enum values (statuses, kinds, levels, markings …).

The models keep lower-case hyphenated values; the screen shows these words in the
reader's language. One table, because the same value means the same thing everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    # assessment status and OGP completion
    "not-started": _("not started"),
    "in-progress": _("in progress"),
    "delivered": _("delivered"),
    "stalled": _("stalled"),
    "withdrawn": _("withdrawn"),
    "limited": _("limited"),
    "substantial": _("substantial"),
    "complete": _("complete"),
    # lifecycle
    "active": _("active"),
    "superseded": _("superseded"),
    "merged": _("merged"),
    "transferred": _("transferred"),
    # review decisions ("merged" as the lifecycle's)
    "pending": _("pending"),
    "accepted": _("accepted"),
    "rejected": _("rejected"),
    # dialogue status
    "dormant": _("dormant"),
    "concluded": _("concluded"),
    # dialogue kinds
    "leaders-partnership": _("leaders' partnership"),
    "leaders-summit": _("leaders' summit"),
    "ministerial-dialogue": _("ministerial dialogue"),
    "working-group": _("working group"),
    "task-force": _("task force"),
    "plurilateral-framework": _("plurilateral framework"),
    "agreement": _("agreement"),
    "arrangement": _("arrangement"),
    # meeting levels
    "leaders": _("leaders"),
    "ministerial": _("ministerial"),
    "vice-ministerial": _("vice-ministerial"),
    "senior-officials": _("senior officials"),
    "working": _("working level"),
    # markings
    "public": _("public"),
    "shared": _("shared"),
    "government-internal": _("government-internal"),
    "agency-internal": _("agency-internal"),
    # review verdicts
    "confirmed": _("confirmed"),
    "contested": _("contested"),
    # concern status
    "open": _("open"),
    "easing": _("easing"),
    "resolved": _("resolved"),
    # document kinds
    "joint-statement": _("joint statement"),
    "readout": _("readout"),
    "fact-sheet": _("fact sheet"),
    "press-release": _("press release"),
    "statement": _("statement"),
    "remarks": _("remarks"),
    # coordination: gap kinds, why views diverge, kinds of change and of calendar entry
    "unowned": _("unowned"),
    "one-sided": _("one-sided"),
    "statuses-differ": _("statuses differ"),
    "dialogue": _("dialogue"),
    "dialogue-ended": _("dialogue ended"),
    "round": _("round"),
    "commitment": _("commitment"),
    "assessment": _("assessment"),
    "status-change": _("status change"),
    "concern": _("concern"),
    "concern-resolved": _("concern resolved"),
    "meeting": _("meeting"),
    "deadline": _("deadline"),
    # ingestion jobs
    "queued": _("queued"),
    "running": _("running"),
    "done": _("done"),
    "failed": _("failed"),
    # agency kinds
    "leaders-office": _("leaders' office"),
    "ministry": _("ministry"),
    "regulator": _("regulator"),
    "agency": _("agency"),
    "embassy": _("embassy"),
    # user roles
    "reader": _("reader"),
    "desk-officer": _("desk officer"),
    "coordinator": _("coordinator"),
    "admin": _("administrator"),
    # audit log actions (the code stays beside the words on the audit page)
    "login": _("signed in"),
    "login.failed": _("sign-in failed"),
    "totp.enrol": _("second factor enrolled"),
    "user.add": _("user added"),
    "user.disable": _("user disabled"),
    "user.reset-second-factor": _("authenticator reset"),
    "user.enable": _("user enabled"),
    "user.set-role": _("role changed"),
    "user.set-password": _("password set"),
    "api-token.create": _("API token made"),
    "api-token.revoke": _("API token revoked"),
    "calendar_feed.create": _("calendar address made"),
    "calendar_feed.revoke": _("calendar address revoked"),
    "dialogue.create": _("dialogue registered"),
    "meeting.create": _("meeting registered"),
    "commitment.create": _("commitment registered"),
    "assessment.record": _("assessment recorded"),
    "assessment.confirmed": _("assessment confirmed"),
    "assessment.contested": _("assessment contested"),
    "marking.change": _("marking changed"),
    "record.share": _("record shared"),
    "document.ingest": _("document ingested"),
    "candidate.accept": _("candidate accepted"),
    "candidate.merge": _("candidate merged"),
    "candidate.reject": _("candidate rejected"),
    "commitments.export": _("commitment list downloaded"),
    "brief.export": _("briefing book downloaded"),
    "dataset.export": _("dataset exported"),
    "dataset.load": _("dataset loaded"),
    "database.backup": _("database backed up"),
    "framework.save": _("framework saved"),
    "web.denied": _("refused (web)"),
    "api.denied": _("refused (API)"),
    # confidence
    "O": _("official"),
    "S": _("secondary"),
    "U": _("unverified"),
}

STATUSES = ["not-started", "in-progress", "delivered", "stalled", "withdrawn"]
LIFECYCLES = ["active", "superseded", "merged", "transferred", "withdrawn"]


def label(value: object) -> str:
    """The reader's word for a stored value; the value itself when it has no label."""
    text = "" if value is None else str(value)
    return str(LABELS.get(text, text))


def worded(choices: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Form choices with the reader's word for each value that has one: lazy, so that a form
    defined once is drawn in the language of each request."""
    return [(value, LABELS.get(str(value), text)) for value, text in choices]
