"""The audit chain's byte format, in one place (docs/audit.md, "Format").

Pure functions, no database: the service that appends, the verifier, the benchmark and
the tests all build and check entries with these, so the format cannot drift between them.

    header_canonical = canonical_json(header)          # dict, see HEADER_KEYS
    payload_canonical = canonical_json(payload)        # {"after", "before", "reason"}
    payload_hash = SHA-256(payload_canonical)          # 32 raw bytes
    entry_hash = SHA-256(header_canonical || payload_hash || previous entry_hash)

The first entry's "previous entry_hash" is GENESIS_HASH (32 zero bytes). Hashes are stored
as raw 32-byte digests; they appear as lower-case hex in checkpoints and on screen. The
concatenation is unambiguous because the two trailing parts have a fixed length.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

# Bumped if the header ever gains or loses a key, so old entries stay verifiable as written.
FORMAT_VERSION = 1

GENESIS_HASH = bytes(32)
HASH_SIZE = 32
_HEX_DIGEST = re.compile(f"[0-9a-f]{{{HASH_SIZE * 2}}}")

# Every header carries exactly these keys (JSON object, keys sorted when serialised).
HEADER_KEYS = (
    "action",
    "actor_id",
    "actor_name",
    "agency",
    "government",
    "marking",
    "object_id",
    "object_kind",
    "request_id",
    "sequence",
    "time",
    "v",
)


def canonical_json(value: Any) -> bytes:
    """Deterministic UTF-8 JSON: sorted keys, no whitespace, non-ASCII kept as is.

    DjangoJSONEncoder turns dates, decimals and UUIDs into strings, so callers may pass
    model field values directly. NaN and infinities are refused: they are not JSON.
    """
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        cls=DjangoJSONEncoder,
    ).encode("utf-8")


def canonical_time(moment: datetime) -> str:
    """UTC time as ISO 8601 with a Z, e.g. 2025-01-31T09:30:00.250000Z.

    Microseconds are omitted when zero, exactly as Python's isoformat does; the SQLite
    generated column relies on this to match the text Django itself stores for datetimes.
    """
    if moment.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def payload_hash(payload_canonical: bytes) -> bytes:
    return hashlib.sha256(payload_canonical).digest()


def entry_hash(header_canonical: bytes, payload_digest: bytes, previous: bytes) -> bytes:
    return hashlib.sha256(header_canonical + payload_digest + previous).digest()


def hash_from_hex(text: str) -> bytes:
    """Parse a 64-character hex digest (checkpoint files); ValueError on anything else."""
    if not _HEX_DIGEST.fullmatch(text):
        raise ValueError(f"expected {HASH_SIZE * 2} lower-case hex characters, got {text!r}")
    return bytes.fromhex(text)
