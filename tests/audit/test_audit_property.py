"""Property: any single tampering with any entry is detected, at that entry.

Hypothesis picks an entry, a field and a mutation; the attacker (triggers dropped) applies it
with raw SQL; verify_chain, given the checkpoint taken before, must fail naming the first
entry that was touched. Each example runs in a savepoint that is rolled back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from kizuna.audit import chain
from kizuna.audit.models import AuditEntry
from kizuna.audit.verify import checkpoint_head, verify_chain

pytestmark = pytest.mark.django_db

Sql = Callable[..., list[tuple[Any, ...]]]
N = 12
BIG = 10**12

HEADER_VALUES = st.one_of(
    st.text(max_size=20), st.integers(min_value=-(2**53), max_value=2**53), st.none()
)
BYTE_FIELDS = ["payload_canonical", "payload_hash", "entry_hash", "header_canonical"]


@st.composite
def tamperings(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["bytes", "header", "delete", "swap", "move"]))
    index = draw(st.integers(min_value=0, max_value=N - 1))
    plan: dict[str, Any] = {"kind": kind, "index": index}
    if kind == "bytes":
        plan["column"] = draw(st.sampled_from(BYTE_FIELDS))
        plan["position"] = draw(st.integers(min_value=0, max_value=10_000))
        plan["bit"] = draw(st.integers(min_value=0, max_value=7))
    elif kind == "header":
        plan["key"] = draw(st.sampled_from(chain.HEADER_KEYS))
        plan["value"] = draw(HEADER_VALUES)
    elif kind == "swap":
        plan["other"] = draw(st.integers(min_value=0, max_value=N - 1).filter(lambda j: j != index))
    return plan


def flip(raw: bytes, position: int, bit: int) -> bytes:
    data = bytearray(raw)
    data[position % len(data)] ^= 1 << bit
    return bytes(data)


def apply(plan: dict[str, Any], entries: list[AuditEntry], sql: Sql) -> int | None:
    """Tamper as planned; return the first sequence that must be reported, or None when
    the database itself refused the change (so there is nothing to detect)."""
    target = entries[plan["index"]].sequence
    kind = plan["kind"]
    if kind == "bytes":
        column = plan["column"]
        raw = bytes(sql(f"SELECT {column} FROM {{table}} WHERE sequence = %s", [target])[0][0])
        try:
            with transaction.atomic():
                sql(
                    f"UPDATE {{table}} SET {column} = %s WHERE sequence = %s",
                    [flip(raw, plan["position"], plan["bit"]), target],
                )
        except DatabaseError:
            # A header that is no longer valid JSON cannot be stored: its generated columns
            # cannot be computed. Refused is as good as detected.
            assert column == "header_canonical"
            return None
        return target
    if kind == "header":
        raw = bytes(sql("SELECT header_canonical FROM {table} WHERE sequence = %s", [target])[0][0])
        header = json.loads(raw)
        if header[plan["key"]] == plan["value"] and type(header[plan["key"]]) is type(
            plan["value"]
        ):
            plan["value"] = f"{plan['value']}!"  # make sure it is a change
        header[plan["key"]] = plan["value"]
        try:
            with transaction.atomic():
                sql(
                    "UPDATE {table} SET header_canonical = %s WHERE sequence = %s",
                    [chain.canonical_json(header), target],
                )
        except DatabaseError:
            # e.g. a non-integer actor_id or a non-time "time": the generated column's type
            # refuses it; PostgreSQL's JSON text cannot hold a NUL character at all.
            assert (
                plan["key"] in {"actor_id", "time"}
                or plan["value"] is None
                or "\x00" in str(plan["value"])
            )
            return None
        return target
    if kind == "delete":
        sql("DELETE FROM {table} WHERE sequence = %s", [target])
        return target
    if kind == "swap":
        other = entries[plan["other"]].sequence
        sql("UPDATE {table} SET sequence = %s WHERE sequence = %s", [BIG, target])
        sql("UPDATE {table} SET sequence = %s WHERE sequence = %s", [target, other])
        sql("UPDATE {table} SET sequence = %s WHERE sequence = %s", [other, BIG])
        return min(target, other)
    assert kind == "move"  # to the end of the log, leaving a gap (or none, if already last)
    sql("UPDATE {table} SET sequence = %s WHERE sequence = %s", [entries[-1].sequence + 1, target])
    return target


@pytest.fixture
def entries(append_many: Callable[[int], list[AuditEntry]]) -> list[AuditEntry]:
    return append_many(N)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=tamperings())
# Found by this test on PostgreSQL: a NUL in a header is refused there, stored on SQLite.
@example(plan={"kind": "header", "index": 0, "key": "action", "value": "\x00"})
def test_any_tampering_is_detected_at_the_first_touched_entry(
    plan: dict[str, Any],
    entries: list[AuditEntry],
    attacker: Callable[[], AbstractContextManager[None]],
    sql: Sql,
) -> None:
    checkpoint = checkpoint_head()
    assert checkpoint[0] == entries[-1].sequence
    with transaction.atomic():
        with attacker():
            expected = apply(plan, entries, sql)
        result = verify_chain(checkpoint=checkpoint)
        event(f"{plan['kind']} {plan.get('column', plan.get('key', ''))}".strip())
        event("refused by the database" if expected is None else "detected")
        if expected is None:
            assert result.ok, result.reason
        else:
            assert not result.ok, plan
            assert result.first_bad_sequence == expected, (plan, result.reason)
        transaction.set_rollback(True)
    assert verify_chain(checkpoint=checkpoint).ok
