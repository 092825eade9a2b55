"""Reading the audit log for people (the audit page; docs/audit.md, "Who reads what").

The rule, kept deliberately small:

- The operator (CLI) reads every entry.
- A coordinator reads its own government's entries in full: header and payload. An entry's
  government is the one passed to append_entry, by default the acting user's.
- Everyone else reads no entries here.

Headers alone carry no before/after values, so a page may show every header to a
coordinator (for example next to chain verification) as long as it shows a payload only
where `payload_visible_to` says so. The chain covers payload hashes, not payloads, which is
what lets each government verify the whole chain while reading only its own payloads.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from kizuna.access.actor import Actor
from kizuna.audit.models import AuditEntry

# Roles that read their government's audit entries (SECURITY.md: the leaders' office
# coordinates across agencies). A string set, not accounts.Role, because audit sits below
# accounts and imports no app above it.
AUDIT_READER_ROLES = frozenset({"coordinator"})


def _reads_government_log(actor: Actor) -> bool:
    return bool(actor.government) and actor.role in AUDIT_READER_ROLES


def entries_visible_to(actor: Actor) -> QuerySet[AuditEntry]:
    """Entries the actor may read in full, oldest first."""
    if actor.is_operator:
        return AuditEntry.objects.all()
    if _reads_government_log(actor):
        return AuditEntry.objects.filter(government=actor.government)
    return AuditEntry.objects.none()


def payload_visible_to(actor: Actor, entry: AuditEntry) -> bool:
    """Whether the actor may read this entry's payload (before, after, reason)."""
    if actor.is_operator:
        return True
    # `government` is generated from the hashed header, so it cannot be edited apart from it.
    return _reads_government_log(actor) and entry.government == actor.government


def last_change() -> tuple[int, bytes] | None:
    """The newest entry's sequence and hash: it moves with every change to the workspace, and
    a rolled-back change's sequence, used again, comes with another hash. What a process may
    keep between requests (derived lists, never records' own rows) is kept under it.

    Plain SQL: it is read on the pages that keep such lists, where the ORM's query building
    would cost more than the read."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT sequence, entry_hash FROM {table} ORDER BY sequence DESC LIMIT 1")
        row = cursor.fetchone()
    return (int(row[0]), bytes(row[1])) if row else None
