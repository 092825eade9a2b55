"""Appending entries: format, hashes, defaults, transactions."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction

from kizuna.access.actor import Actor
from kizuna.audit import chain
from kizuna.audit.log import append_entry
from kizuna.audit.models import AuditEntry
from kizuna.audit.verify import checkpoint_head, verify_chain

pytestmark = pytest.mark.django_db


def test_appended_entries_verify(append_many: Callable[[int], list[AuditEntry]]) -> None:
    before = verify_chain()
    assert before.ok, before.reason
    entries = append_many(12)
    result = verify_chain()
    assert result.ok, result.reason
    assert result.count == before.count + 12
    assert result.head == checkpoint_head() == (entries[-1].sequence, entries[-1].entry_hash_hex)
    assert [e.sequence for e in entries] == list(range(before.count + 1, before.count + 13))


def test_verify_streams_across_small_chunks(
    append_many: Callable[[int], list[AuditEntry]],
) -> None:
    append_many(7)
    for chunk_size in (1, 2, 3, 1000):
        result = verify_chain(chunk_size=chunk_size)
        assert result.ok, (chunk_size, result.reason)


def test_hashes_follow_the_documented_format(usa_coordinator: Actor, head_before: int) -> None:
    previous = AuditEntry.objects.filter(sequence=head_before).first()
    entry = append_entry(
        actor=usa_coordinator,
        action="marking.change",
        object_kind="commitment",
        object_id="c1",
        marking="shared",
        before={"marking": "agency-internal"},
        after={"marking": "shared"},
        reason="shared with METI 経済産業省",
        request_id="r-1",
    )
    header = bytes(entry.header_canonical)
    payload = bytes(entry.payload_canonical)
    # Canonical JSON: sorted keys, no whitespace, UTF-8 with non-ASCII kept.
    assert (
        payload
        == (
            '{"after":{"marking":"shared"},"before":{"marking":"agency-internal"},'
            '"reason":"shared with METI 経済産業省"}'
        ).encode()
    )
    decoded = json.loads(header)
    assert tuple(decoded) == chain.HEADER_KEYS
    assert (
        header
        == json.dumps(decoded, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )
    assert decoded == {
        "action": "marking.change",
        "actor_id": 101,
        "actor_name": "usa-coordinator",
        "agency": "white-house",
        "government": "USA",
        "marking": "shared",
        "object_id": "c1",
        "object_kind": "commitment",
        "request_id": "r-1",
        "sequence": head_before + 1,
        "time": decoded["time"],
        "v": 1,
    }
    previous_hash = bytes(previous.entry_hash) if previous else bytes(32)
    assert bytes(entry.payload_hash) == hashlib.sha256(payload).digest()
    assert (
        bytes(entry.entry_hash)
        == hashlib.sha256(header + hashlib.sha256(payload).digest() + previous_hash).digest()
    )


def test_header_columns_are_generated_from_the_hashed_header(
    usa_coordinator: Actor, jpn_desk_officer: Actor
) -> None:
    started = datetime.now(UTC)
    entry = append_entry(
        actor=jpn_desk_officer,
        action="assessment.confirm",
        object_kind="assessment",
        object_id="a-7",
        marking="shared",
        request_id="abc",
    )
    stored = AuditEntry.objects.get(sequence=entry.sequence)
    for obj in (entry, stored):
        assert obj.government == "JPN"
        assert obj.agency == "meti"
        assert obj.actor_id == 202
        assert obj.actor_name == "jpn-desk-officer"
        assert obj.action == "assessment.confirm"
        assert (obj.object_kind, obj.object_id) == ("assessment", "a-7")
        assert obj.marking == "shared"
        assert obj.request_id == "abc"
        assert started - timedelta(seconds=1) <= obj.created_at <= datetime.now(UTC)
    assert stored.created_at.isoformat().replace("+00:00", "Z") == stored.header["time"]
    # ORM filters on the generated columns work on both databases, including on time.
    assert (
        AuditEntry.objects.filter(
            government="JPN", created_at__gte=stored.created_at, created_at__lte=stored.created_at
        ).get()
        == stored
    )


def test_government_and_agency_default_to_the_actor_and_can_be_named(
    usa_coordinator: Actor,
) -> None:
    own = append_entry(actor=usa_coordinator, action="brief.export")
    assert (own.header["government"], own.header["agency"]) == ("USA", "white-house")
    other = append_entry(
        actor=Actor.operator(),
        action="user.add",
        government="JPN",
        agency="meti",
        object_kind="user",
        object_id="jpn-reader",
    )
    assert (other.government, other.agency, other.actor_id) == ("JPN", "meti", None)
    assert other.actor_name.startswith("operator:")


def test_payload_is_read_from_its_canonical_bytes(usa_coordinator: Actor) -> None:
    entry = append_entry(
        actor=usa_coordinator,
        action="x",
        before=None,
        after={"when": datetime(2024, 6, 26, tzinfo=UTC), "n": [1, 2]},
        reason="why",
    )
    stored = AuditEntry.objects.get(sequence=entry.sequence)
    assert stored.before is None
    assert stored.after == {"when": "2024-06-26T00:00:00Z", "n": [1, 2]}
    assert stored.reason == "why"
    assert stored.payload == {"before": None, "after": stored.after, "reason": "why"}


def test_entry_rolls_back_with_the_change_it_records(usa_coordinator: Actor) -> None:
    head = checkpoint_head()
    with pytest.raises(RuntimeError), transaction.atomic():
        append_entry(actor=usa_coordinator, action="commitment.create", object_id="c-9")
        raise RuntimeError("the change failed after its entry was appended")
    assert checkpoint_head() == head
    entry = append_entry(actor=usa_coordinator, action="commitment.create", object_id="c-9")
    assert entry.sequence == head[0] + 1
    assert verify_chain().ok


def test_bad_input_is_refused_before_anything_is_written(usa_coordinator: Actor) -> None:
    head = checkpoint_head()
    with pytest.raises(ValueError, match="action"):
        append_entry(actor=usa_coordinator, action="")
    with pytest.raises(ValueError, match="marking"):
        append_entry(actor=usa_coordinator, action="x", marking="secret")
    with pytest.raises(TypeError):
        append_entry(actor=usa_coordinator, action="x", after={"blob": object()})
    with pytest.raises(ValueError):
        append_entry(actor=usa_coordinator, action="x", after={"v": float("nan")})
    with pytest.raises(TypeError, match="object_id"):
        append_entry(actor=usa_coordinator, action="x", object_id=7)  # type: ignore[arg-type]
    assert checkpoint_head() == head


def test_models_refuse_save_and_delete(usa_coordinator: Actor) -> None:
    entry = append_entry(actor=usa_coordinator, action="x")
    with pytest.raises(TypeError, match="append-only"):
        entry.save()
    with pytest.raises(TypeError, match="append-only"):
        entry.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's fallback reader")
def test_verify_with_a_server_side_cursor_when_libpq_cannot_stream_chunks(
    append_many: Callable[[int], list[AuditEntry]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kizuna.audit import verify

    monkeypatch.setattr(verify, "_psycopg_streams_chunks", lambda raw: False)
    entries = append_many(5)
    assert verify_chain(chunk_size=2).ok
    result = verify_chain(checkpoint=(entries[-1].sequence + 1, "0" * 64), chunk_size=2)
    assert result.first_bad_sequence == entries[-1].sequence + 1
