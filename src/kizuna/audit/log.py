"""Appending to the audit log: the only writer of AuditEntry rows.

Call `append_entry` inside the transaction that makes the change it records, so that the
change and its entry commit or roll back together. Call it as late as practical in that
transaction: on PostgreSQL it takes the chain lock, which every other auditing transaction
then waits for until this one commits.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from kizuna.access.actor import Actor
from kizuna.audit import chain
from kizuna.audit.models import AuditEntry
from kizuna.core.requests import current_request_id

# Key of the PostgreSQL transaction-level advisory lock that serialises appenders.
# Any fixed signed 64-bit number works; this one is the first 8 bytes of
# SHA-256("kizuna.audit.chain"), so it is unlikely to collide with another user of advisory locks.
CHAIN_LOCK_KEY = 0x4969801E4E6AF01F

# SECURITY.md's markings (audiences). Kept here as strings: audit imports no domain app.
MARKINGS = frozenset({"public", "shared", "government-internal", "agency-internal"})


def _lock_chain_head(connection: BaseDatabaseWrapper) -> None:
    """Make this transaction the only appender until it ends.

    Without it two transactions could read the same head and write two entries with the
    same previous hash (a fork); the unique sequence would then fail one of them with an
    IntegrityError instead of queueing it.

    SQLite: nothing to do. Kizuna opens every SQLite transaction with BEGIN IMMEDIATE
    (settings.py), which takes the database's single write lock at BEGIN; the caller's
    transaction already holds it. PostgreSQL: a transaction-level advisory lock, released
    at commit or rollback. Under READ COMMITTED (Django's default) the next statement's
    snapshot then includes the entry committed by the previous holder.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def append_entry(
    *,
    actor: Actor,
    action: str,
    object_kind: str = "",
    object_id: str = "",
    marking: str = "public",
    government: str = "",
    agency: str = "",
    before: Any = None,
    after: Any = None,
    reason: str = "",
    request_id: str = "",
    using: str = DEFAULT_DB_ALIAS,
) -> AuditEntry:
    """Append one entry recording `action` by `actor` and return it.

    `government` and `agency` name whose log the entry belongs to (who may read its payload,
    see selectors.py); they default to the actor's. `before`/`after` are JSON-serialisable
    snapshots (dates, decimals and UUIDs become strings). Raises ValueError or TypeError
    before writing anything if the input cannot be recorded.
    """
    if not action:
        raise ValueError("action: required")
    if marking not in MARKINGS:
        raise ValueError(f"marking: must be one of {', '.join(sorted(MARKINGS))}; got {marking!r}")
    payload_canonical = chain.canonical_json({"before": before, "after": after, "reason": reason})
    payload_digest = chain.payload_hash(payload_canonical)
    fields = {
        "action": action,
        "actor_name": actor.name,
        "agency": agency or actor.agency,
        "government": government or actor.government,
        "marking": marking,
        "object_id": object_id,
        "object_kind": object_kind,
        "request_id": request_id or current_request_id.get(),
    }
    for key, value in fields.items():
        if not isinstance(value, str):
            raise TypeError(f"{key}: expected a string, got {type(value).__name__}")

    connection = connections[using]
    with transaction.atomic(using=using):
        _lock_chain_head(connection)
        head = (
            AuditEntry.objects.using(using)
            .order_by("-sequence")
            .values_list("sequence", "entry_hash")
            .first()
        )
        sequence, previous = (head[0] + 1, bytes(head[1])) if head else (1, chain.GENESIS_HASH)
        now = timezone.now()
        header = {
            **fields,
            "actor_id": actor.user_id,
            "sequence": sequence,
            "time": chain.canonical_time(now),
            "v": chain.FORMAT_VERSION,
        }
        header_canonical = chain.canonical_json(header)
        entry = AuditEntry(
            sequence=sequence,
            header_canonical=header_canonical,
            payload_canonical=payload_canonical,
            payload_hash=payload_digest,
            entry_hash=chain.entry_hash(header_canonical, payload_digest, previous),
        )
        entry.save(using=using, force_insert=True)
    return entry
