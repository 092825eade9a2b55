"""Verifying the audit chain: read the stored bytes, hash them, compare.

The verifier never re-serialises anything: it streams (sequence, header bytes, payload
bytes, payload hash, entry hash) in sequence order through a raw cursor and checks, for
every row, that

1. its sequence is the next one (catches deletion and renumbering),
2. SHA-256(payload bytes) equals the stored payload hash (catches payload edits),
3. SHA-256(header bytes + payload hash + previous entry hash) equals the stored entry hash
   (catches header edits, reordering, insertion and the removal of an earlier entry).

An attacker who rewrites the tail of the chain and recomputes every hash after the edit,
or who deletes the newest entries, leaves a chain that is consistent with itself; only a
head kept outside the database (a checkpoint) exposes that, which is why `verify` accepts one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from kizuna.audit import chain
from kizuna.audit.models import AuditEntry

# Rows per round trip. Large enough that per-fetch overhead vanishes next to hashing; small
# enough that a chunk (a few MB) never matters for memory.
DEFAULT_CHUNK_SIZE = 5000

Checkpoint = tuple[int, str]
Row = tuple[int, bytes, bytes, bytes, bytes]


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of a verification.

    `count` is the number of entries found good: all of them when `ok`, otherwise those
    before `first_bad_sequence`. `head` is set when `ok`: the newest entry as
    (sequence, entry hash hex), (0, 64 zeros) for an empty log; a checkpoint of exactly the
    rows that were verified.
    """

    ok: bool
    count: int
    first_bad_sequence: int | None = None
    reason: str = ""
    head: Checkpoint | None = None


def select_chain_sql() -> str:
    """The one query both the verifier and the benchmark's floor read the chain with."""
    table = AuditEntry._meta.db_table
    return (
        "SELECT sequence, header_canonical, payload_canonical, payload_hash, entry_hash "
        f"FROM {table} ORDER BY sequence"
    )


def verify_chain(
    *,
    checkpoint: Checkpoint | None = None,
    using: str = DEFAULT_DB_ALIAS,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> VerifyResult:
    """Check the whole chain; with `checkpoint` (sequence, entry hash hex) also check that
    the log still reaches that entry and that it is unchanged (catches truncation and
    rewritten tails). Raises ValueError for a malformed checkpoint."""
    expected_head: tuple[int, bytes] | None = None
    if checkpoint is not None:
        sequence, digest = checkpoint
        if not isinstance(sequence, int) or sequence < 0:
            raise ValueError(f"checkpoint sequence must be a non-negative integer: {sequence!r}")
        expected_head = (sequence, chain.hash_from_hex(digest))

    with stream_chain_rows(using=using, chunk_size=chunk_size) as rows:
        return _verify_rows(rows, expected_head)


@contextmanager
def stream_chain_rows(
    *, using: str = DEFAULT_DB_ALIAS, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> Iterator[Iterator[Row]]:
    """Yield an iterator over (sequence, header, payload, payload hash, entry hash) in
    sequence order, streamed through the driver's own cursor with bytes values.

    One statement, so one consistent snapshot on both databases, and never the whole log in
    memory. The cursor is the driver's, not Django's wrapper, because the wrapper's per-row
    work would be a noticeable share of verifying a row.
    """
    connection = connections[using]
    connection.ensure_connection()
    raw: Any = connection.connection
    with connection.wrap_database_errors:
        if connection.vendor == "postgresql" and _psycopg_streams_chunks(raw):
            # Binary results (bytea arrives as bytes, not hex text to decode) in chunks of
            # rows: measured at about a quarter of the time of a text-mode server-side
            # cursor. Runs in the caller's transaction or, in autocommit, as one statement.
            import psycopg

            # A plain psycopg cursor: Django's connection makes client-side-binding cursors,
            # which cannot return binary results.
            pg_cursor = psycopg.Cursor(raw)
            stream = cast(
                "Generator[Row, None, None]",
                pg_cursor.stream(select_chain_sql(), binary=True, size=chunk_size),
            )
            try:
                yield stream
            finally:
                stream.close()  # abandons the rest of the result if we stopped early
                pg_cursor.close()
        elif connection.vendor == "postgresql":
            # Older libpq: a server-side cursor, which needs a transaction (outside one
            # Django declares it WITH HOLD, and the server copies the whole result first).
            with transaction.atomic(using=using), connection.chunked_cursor() as cursor:
                cursor.execute(select_chain_sql())
                yield _chunks(cursor.fetchmany, chunk_size)
        else:
            # SQLite steps through the result as it is fetched. No transaction on purpose:
            # BEGIN would be IMMEDIATE (settings.py) and hold off every writer while we
            # read; in WAL mode the statement alone reads one consistent snapshot.
            sqlite_cursor = raw.cursor()
            try:
                sqlite_cursor.execute(select_chain_sql())
                yield sqlite_cursor
            finally:
                sqlite_cursor.close()


def _psycopg_streams_chunks(raw_connection: Any) -> bool:
    """psycopg 3 with libpq 17 or later can stream results in chunks of many rows."""
    try:
        import psycopg
    except ImportError:
        return False
    return isinstance(raw_connection, psycopg.Connection) and psycopg.pq.version() >= 170000


def _chunks(fetchmany: Callable[[int], Sequence[Any]], size: int) -> Iterator[Row]:
    while rows := fetchmany(size):
        for row in rows:
            yield _as_bytes(row)


def _verify_rows(rows: Iterable[Row], expected_head: tuple[int, bytes] | None) -> VerifyResult:
    # The hot loop: local names only, no attribute lookups, no allocations beyond the one
    # concatenation the hash is defined over. Failures leave the loop to be explained.
    sha256 = hashlib.sha256
    previous = chain.GENESIS_HASH
    expected = 1
    checkpoint_sequence, checkpoint_digest = expected_head or (0, b"")
    for sequence, header, payload, payload_digest, digest in rows:
        if (
            sequence != expected
            or sha256(payload).digest() != payload_digest
            or sha256(header + payload_digest + previous).digest() != digest
        ):
            return _explain(expected, (sequence, header, payload, payload_digest, digest))
        if sequence == checkpoint_sequence and digest != checkpoint_digest:
            return VerifyResult(
                ok=False,
                count=sequence - 1,
                first_bad_sequence=sequence,
                reason=(
                    f"entry {sequence} does not match the checkpoint: the chain up to it was "
                    "rewritten (an entry at or before it was changed and the hashes after it "
                    "recomputed)"
                ),
            )
        previous = digest
        expected += 1

    count = expected - 1
    if checkpoint_sequence > count:
        return VerifyResult(
            ok=False,
            count=count,
            first_bad_sequence=count + 1,
            reason=(
                f"the log ends at entry {count} but the checkpoint names entry "
                f"{checkpoint_sequence}: entries {count + 1} to {checkpoint_sequence} were "
                "removed (truncated)"
            ),
        )
    return VerifyResult(ok=True, count=count, head=(count, previous.hex()))


def _as_bytes(row: Sequence[Any]) -> Row:
    # psycopg 2 and some adapters return memoryview for binary columns.
    return (row[0], bytes(row[1]), bytes(row[2]), bytes(row[3]), bytes(row[4]))


def _explain(expected: int, row: Row) -> VerifyResult:
    """Say which check failed on the first bad row, in words an operator can act on."""
    sequence, header, payload, payload_digest, _digest = row
    if sequence != expected:
        if expected == 1:
            reason = f"entry 1 is missing: the log starts at entry {sequence}"
        else:
            reason = (
                f"entry {expected} is missing: entry {expected - 1} is followed by entry "
                f"{sequence} (deleted or renumbered)"
            )
        return VerifyResult(False, expected - 1, expected, reason)
    if hashlib.sha256(payload).digest() != payload_digest:
        reason = "its payload does not match its payload hash (payload or payload hash edited)"
    else:
        written_as = _header_sequence(header)
        if written_as is not None and written_as != sequence:
            reason = (
                f"it holds the entry written as number {written_as} (entries reordered, "
                "inserted or renumbered)"
            )
        else:
            reason = (
                "its hash does not match its header, payload hash and the previous entry's "
                "hash (header or hash edited, or the entry before it removed or replaced)"
            )
    return VerifyResult(False, expected - 1, sequence, f"entry {sequence}: {reason}")


def _header_sequence(header: bytes) -> int | None:
    try:
        value = json.loads(header).get("sequence")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, int) else None


def checkpoint_head(*, using: str = DEFAULT_DB_ALIAS) -> Checkpoint:
    """The newest entry as (sequence, entry hash hex), without verifying anything;
    (0, 64 zeros) for an empty log."""
    row = (
        AuditEntry.objects.using(using)
        .order_by("-sequence")
        .values_list("sequence", "entry_hash")
        .first()
    )
    if row is None:
        return (0, chain.GENESIS_HASH.hex())
    return (row[0], bytes(row[1]).hex())


# --- checkpoint files -------------------------------------------------------------------


def checkpoint_document(head: Checkpoint, *, written_at: datetime | None = None) -> dict[str, Any]:
    moment = written_at or datetime.now(UTC)
    return {"sequence": head[0], "entry_hash": head[1], "written_at": chain.canonical_time(moment)}


def read_checkpoint(path: Path) -> Checkpoint:
    """Parse a checkpoint file written by `kizuna audit checkpoint`; ValueError if unusable."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise ValueError(f"{path}: not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a JSON object with sequence and entry_hash")
    sequence, digest = document.get("sequence"), document.get("entry_hash")
    if type(sequence) is not int or sequence < 0:
        raise ValueError(f"{path}: sequence must be a non-negative integer, got {sequence!r}")
    if not isinstance(digest, str):
        raise ValueError(f"{path}: entry_hash must be a string, got {digest!r}")
    try:
        chain.hash_from_hex(digest)
    except ValueError as exc:
        raise ValueError(f"{path}: entry_hash: {exc}") from exc
    return (sequence, digest)
