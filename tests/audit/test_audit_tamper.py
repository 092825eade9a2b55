"""Tampering behind the application's back is detected, naming the first bad entry.

The attacker has database access: they drop the append-only triggers and edit rows with
raw SQL. Everything runs inside the test's transaction and is rolled back afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from kizuna.audit import chain
from kizuna.audit.models import AuditEntry
from kizuna.audit.verify import VerifyResult, checkpoint_head, verify_chain

pytestmark = pytest.mark.django_db

Attacker = Callable[[], AbstractContextManager[None]]
Sql = Callable[..., list[tuple[Any, ...]]]
N = 10
BIG = 10**12  # a free sequence number for moving rows around


@pytest.fixture
def log(append_many: Callable[[int], list[AuditEntry]]) -> list[AuditEntry]:
    entries = append_many(N)
    assert verify_chain().ok
    return entries


def stored(sql: Sql, sequence: int, column: str) -> bytes:
    return bytes(sql(f"SELECT {column} FROM {{table}} WHERE sequence = %s", [sequence])[0][0])


def rewrite_json(raw: bytes, **changes: Any) -> bytes:
    return chain.canonical_json({**json.loads(raw), **changes})


def assert_bad(result: VerifyResult, sequence: int, *words: str) -> None:
    assert not result.ok
    assert result.first_bad_sequence == sequence, result.reason
    assert result.count == sequence - 1
    for word in words:
        assert word in result.reason


def test_edited_payload(log: list[AuditEntry], attacker: Attacker, sql: Sql) -> None:
    target = log[4].sequence
    forged = rewrite_json(stored(sql, target, "payload_canonical"), reason="nothing to see")
    with attacker():
        sql("UPDATE {table} SET payload_canonical = %s WHERE sequence = %s", [forged, target])
    assert_bad(verify_chain(), target, "payload")


def test_edited_header(log: list[AuditEntry], attacker: Attacker, sql: Sql) -> None:
    target = log[4].sequence
    forged = rewrite_json(stored(sql, target, "header_canonical"), actor_name="someone-else")
    with attacker():
        sql("UPDATE {table} SET header_canonical = %s WHERE sequence = %s", [forged, target])
    # The generated column follows the forged header: the columns never disagree with it.
    assert AuditEntry.objects.get(sequence=target).actor_name == "someone-else"
    assert_bad(verify_chain(), target, "header")


def test_edited_header_with_its_hash_recomputed(
    log: list[AuditEntry], attacker: Attacker, sql: Sql
) -> None:
    target = log[4].sequence
    header = rewrite_json(stored(sql, target, "header_canonical"), action="nothing")
    digest = chain.entry_hash(header, bytes(log[4].payload_hash), bytes(log[3].entry_hash))
    with attacker():
        sql(
            "UPDATE {table} SET header_canonical = %s, entry_hash = %s WHERE sequence = %s",
            [header, digest, target],
        )
    # The edited entry now checks out on its own; the next one no longer links to it.
    assert_bad(verify_chain(), target + 1, "previous entry")


@pytest.mark.parametrize("column", ["payload_hash", "entry_hash"])
def test_edited_hash(log: list[AuditEntry], attacker: Attacker, sql: Sql, column: str) -> None:
    target = log[6].sequence
    with attacker():
        sql(f"UPDATE {{table}} SET {column} = %s WHERE sequence = %s", [bytes(32), target])
    assert_bad(verify_chain(), target)


def test_deleted_middle_entry(log: list[AuditEntry], attacker: Attacker, sql: Sql) -> None:
    target = log[4].sequence
    with attacker():
        sql("DELETE FROM {table} WHERE sequence = %s", [target])
    assert_bad(verify_chain(), target, "missing")


def test_deleted_and_renumbered(log: list[AuditEntry], attacker: Attacker, sql: Sql) -> None:
    """Closing the gap by renumbering the later entries does not help."""
    target = log[4].sequence
    with attacker():
        sql("DELETE FROM {table} WHERE sequence = %s", [target])
        sql("UPDATE {table} SET sequence = sequence + %s WHERE sequence > %s", [BIG, target])
        sql("UPDATE {table} SET sequence = sequence - %s WHERE sequence > %s", [BIG + 1, BIG])
    assert_bad(verify_chain(), target, f"written as number {target + 1}")


def test_reordered_entries(log: list[AuditEntry], attacker: Attacker, sql: Sql) -> None:
    first, second = log[3].sequence, log[7].sequence
    with attacker():
        sql("UPDATE {table} SET sequence = %s WHERE sequence = %s", [BIG, first])
        sql("UPDATE {table} SET sequence = %s WHERE sequence = %s", [first, second])
        sql("UPDATE {table} SET sequence = %s WHERE sequence = %s", [second, BIG])
    assert_bad(verify_chain(), first, f"written as number {second}")


def test_inserted_entry(log: list[AuditEntry], attacker: Attacker, sql: Sql) -> None:
    """A forged entry slipped in, with correct hashes of its own, breaks the next link."""
    target = log[4].sequence
    previous = bytes(log[3].entry_hash)
    header = rewrite_json(stored(sql, target, "header_canonical"), action="forged")
    payload = chain.canonical_json({"before": None, "after": None, "reason": ""})
    payload_digest = chain.payload_hash(payload)
    with attacker():
        sql("UPDATE {table} SET sequence = sequence + %s WHERE sequence >= %s", [BIG, target])
        sql("UPDATE {table} SET sequence = sequence - %s WHERE sequence >= %s", [BIG - 1, BIG])
        sql(
            "INSERT INTO {table} (sequence, header_canonical, payload_canonical, "
            "payload_hash, entry_hash) VALUES (%s, %s, %s, %s, %s)",
            [
                target,
                header,
                payload,
                payload_digest,
                chain.entry_hash(header, payload_digest, previous),
            ],
        )
    assert_bad(verify_chain(), target + 1, f"written as number {target}")


def test_truncated_tail_needs_a_checkpoint(
    log: list[AuditEntry], attacker: Attacker, sql: Sql
) -> None:
    checkpoint = checkpoint_head()
    cut = log[7].sequence
    with attacker():
        sql("DELETE FROM {table} WHERE sequence >= %s", [cut])
    # The remaining chain is consistent with itself ...
    assert verify_chain().ok
    # ... but no longer reaches the head kept outside the database.
    assert_bad(verify_chain(checkpoint=checkpoint), cut, "truncated")
    # An older checkpoint that the log still reaches passes.
    assert verify_chain(checkpoint=(log[2].sequence, log[2].entry_hash_hex)).ok


def test_whole_log_deleted_needs_a_checkpoint(
    log: list[AuditEntry], attacker: Attacker, sql: Sql
) -> None:
    checkpoint = checkpoint_head()
    with attacker():
        sql("DELETE FROM {table}")
    assert verify_chain().ok
    assert_bad(verify_chain(checkpoint=checkpoint), 1, "truncated")


def test_rewritten_tail_is_caught_by_the_checkpoint(
    log: list[AuditEntry], attacker: Attacker, sql: Sql
) -> None:
    """Editing an entry and recomputing every later hash fools verify without a checkpoint."""
    checkpoint = checkpoint_head()
    rows = sql(
        "SELECT sequence, header_canonical, payload_canonical FROM {table} "
        "WHERE sequence >= %s ORDER BY sequence",
        [log[4].sequence],
    )
    previous = bytes(log[3].entry_hash)
    with attacker():
        for index, (sequence, header, payload) in enumerate(rows):
            header = bytes(header)
            payload = bytes(payload)
            if index == 0:
                payload = rewrite_json(payload, reason="rewritten")
            payload_digest = chain.payload_hash(payload)
            previous = chain.entry_hash(header, payload_digest, previous)
            sql(
                "UPDATE {table} SET payload_canonical = %s, payload_hash = %s, entry_hash = %s "
                "WHERE sequence = %s",
                [payload, payload_digest, previous, sequence],
            )
    assert verify_chain().ok
    assert_bad(verify_chain(checkpoint=checkpoint), checkpoint[0], "checkpoint")


def test_checkpoint_of_an_earlier_entry_catches_a_rewrite_before_a_later_failure(
    log: list[AuditEntry], attacker: Attacker, sql: Sql
) -> None:
    checkpoint = (log[5].sequence, log[5].entry_hash_hex)
    with attacker():
        sql("UPDATE {table} SET entry_hash = %s WHERE sequence = %s", [bytes(32), log[5].sequence])
    # Entry log[5] itself fails its hash check first.
    assert_bad(verify_chain(checkpoint=checkpoint), log[5].sequence)


def test_malformed_checkpoint_is_refused() -> None:
    with pytest.raises(ValueError):
        verify_chain(checkpoint=(1, "not-a-hash"))
    with pytest.raises(ValueError):
        verify_chain(checkpoint=(-1, "0" * 64))


def test_generated_columns_cannot_be_edited_even_without_triggers(
    log: list[AuditEntry], attacker: Attacker, sql: Sql
) -> None:
    with attacker(), pytest.raises(DatabaseError), transaction.atomic():
        sql("UPDATE {table} SET government = 'XXX' WHERE sequence = %s", [log[0].sequence])


# --- the database refuses UPDATE and DELETE while the triggers are in place --------------


def test_database_refuses_orm_update_and_delete(log: list[AuditEntry]) -> None:
    target = log[0].sequence
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(sequence=target).update(payload_canonical=b"{}")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(sequence=target).delete()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert verify_chain().ok


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {table} SET payload_canonical = payload_canonical WHERE sequence = %s",
        "UPDATE {table} SET sequence = sequence + 1000000 WHERE sequence = %s",
        "DELETE FROM {table} WHERE sequence = %s",
        "DELETE FROM {table} WHERE sequence <> %s",
        "DELETE FROM {table}",
    ],
)
def test_database_refuses_raw_update_and_delete(
    log: list[AuditEntry], sql: Sql, statement: str
) -> None:
    params = [log[0].sequence] if "%s" in statement else []
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        sql(statement, params)
    assert verify_chain().ok
    assert AuditEntry.objects.filter(sequence__in=[e.sequence for e in log]).count() == N


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_truncate(log: list[AuditEntry], sql: Sql) -> None:
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        sql("TRUNCATE {table}")
    assert verify_chain().ok
