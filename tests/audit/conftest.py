"""Fixtures for the audit log tests.

The session's database may already hold entries (the demo load appends one), so tests
work relative to the current head rather than assuming an empty log. Tests that tamper run
inside the `db` fixture's transaction: dropping a trigger is transactional DDL on both
SQLite and PostgreSQL, so the rollback at the end of the test restores it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import connection

from kizuna.access.actor import Actor
from kizuna.audit.log import append_entry
from kizuna.audit.models import AuditEntry
from kizuna.audit.testing import audit_triggers_dropped_for_tests
from kizuna.audit.verify import checkpoint_head


@pytest.fixture
def usa_coordinator() -> Actor:
    return Actor(
        name="usa-coordinator",
        government="USA",
        agency="white-house",
        role="coordinator",
        user_id=101,
    )


@pytest.fixture
def jpn_coordinator() -> Actor:
    return Actor(
        name="jpn-coordinator",
        government="JPN",
        agency="kantei",
        role="coordinator",
        user_id=201,
    )


@pytest.fixture
def jpn_desk_officer() -> Actor:
    return Actor(
        name="jpn-desk-officer",
        government="JPN",
        agency="meti",
        role="desk-officer",
        user_id=202,
    )


@pytest.fixture
def append_many(
    usa_coordinator: Actor, jpn_desk_officer: Actor
) -> Callable[[int], list[AuditEntry]]:
    """Append n varied entries (both governments, Japanese text, nested payloads)."""

    def append(n: int) -> list[AuditEntry]:
        entries = []
        for i in range(n):
            actor = usa_coordinator if i % 2 else jpn_desk_officer
            entries.append(
                append_entry(
                    actor=actor,
                    action="commitment.update",
                    object_kind="commitment",
                    object_id=f"jucip-2024-06-26-c{i}",
                    marking="agency-internal" if i % 3 else "shared",
                    before={"status": "in-progress", "note": f"草案 {i}", "score": 0},
                    after={
                        "status": "delivered",
                        "note": f"完了 {i}",
                        "score": 1,
                        "tags": ["chips", i],
                    },
                    reason="updated after the working-group meeting" if i % 4 else "",
                    request_id=f"req-{i:04d}",
                )
            )
        return entries

    return append


@pytest.fixture
def attacker(db: None) -> Callable[[], AbstractContextManager[None]]:
    """Someone with database access who has dropped the append-only triggers."""
    return lambda: audit_triggers_dropped_for_tests()


@pytest.fixture
def sql() -> Callable[..., list[tuple[Any, ...]]]:
    """Run raw SQL on the test database, the way an attacker would."""

    def run(statement: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        table = connection.ops.quote_name(AuditEntry._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(statement.format(table=table), params or [])
            return list(cursor.fetchall()) if cursor.description else []

    return run


@pytest.fixture
def head_before(db: None) -> Iterator[int]:
    """The sequence of the newest entry already in the database when the test starts."""
    yield checkpoint_head()[0]
