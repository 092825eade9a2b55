"""How fast `kizuna audit verify` is, against the floor of reading and hashing the rows.

    .venv/bin/python benchmarks/bench_audit_verify.py [--entries 1000000]
        [--database-url postgresql://postgres@127.0.0.1:5432/kizuna] [--repeat 3]

Bulk-generates N entries with correct hashes (built with kizuna.audit.chain, not through
append_entry: that would measure the writer, not the verifier) into a temporary SQLite
database and, with --database-url, into a scratch PostgreSQL database created on that
server and dropped afterwards. Then, in one run and on the same rows, it times

- the floor: the same SELECT through the driver's own cursor, read the fastest way the
  driver offers, hashing each row's stored header and payload bytes with hashlib, and
  nothing else;
- verify_chain(), exactly as `kizuna audit verify` calls it;

alternately, `--repeat` times each after a warm-up read, and prints one JSON document with
the best and median times and the ratio. The target (issue 3) is verify within 3x the floor.
Django runs with only the audit app installed, so the figures do not depend on the rest.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

TARGET_RATIO = 3.0
BATCH = 10_000

ACTORS = [
    (101, "usa-coordinator", "USA", "white-house"),
    (102, "usa-desk-officer", "USA", "commerce"),
    (103, "usa-desk-officer-2", "USA", "ustr"),
    (201, "jpn-coordinator", "JPN", "kantei"),
    (202, "jpn-desk-officer", "JPN", "meti"),
    (203, "jpn-desk-officer-2", "JPN", "mofa"),
    (None, "operator:kizuna", "", ""),
]
ACTIONS = [
    ("commitment.update", "commitment"),
    ("assessment.create", "assessment"),
    ("assessment.confirm", "assessment"),
    ("record.share", "commitment"),
    ("marking.change", "document"),
    ("login", "user"),
    ("export", "export"),
]
MARKINGS = ["public", "shared", "government-internal", "agency-internal"]
WORDS = [
    *("supply", "chain", "resilience", "semiconductors", "critical", "minerals", "export"),
    *("controls", "working", "group", "サプライチェーン", "半導体", "重要鉱物", "輸出管理"),
    *("作業部会", "経済安全保障"),
]


def configure_django(sqlite_path: Path, postgres_url: str | None) -> None:
    """Only the audit app, with Kizuna's own connection options for each database."""
    import dj_database_url
    import django
    from django.conf import settings

    os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    import kizuna.settings as kizuna_settings  # builds the SQLite OPTIONS from DATABASE_URL

    databases: dict[str, Any] = {"default": kizuna_settings.DATABASES["default"]}
    if postgres_url:
        databases["postgresql"] = dj_database_url.parse(postgres_url)
    settings.configure(
        INSTALLED_APPS=["kizuna.audit"],
        DATABASES=databases,
        USE_TZ=True,
        TIME_ZONE="UTC",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()


@contextmanager
def scratch_postgres(url: str) -> Iterator[str]:
    """A fresh database on the server of `url`, dropped afterwards."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = f"kizuna_bench_audit_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def generate(count: int, seed: int = 2024) -> Iterator[tuple[int, bytes, bytes, bytes, bytes]]:
    """Entries shaped like real ones (mixed actors, Japanese text, payloads of varied size)."""
    from kizuna.audit import chain

    rng = random.Random(seed)
    previous = chain.GENESIS_HASH
    moment = datetime(2024, 1, 1, tzinfo=UTC)
    for sequence in range(1, count + 1):
        actor_id, actor_name, government, agency = rng.choice(ACTORS)
        action, kind = rng.choice(ACTIONS)
        moment += timedelta(microseconds=rng.randint(1, 5_000_000))
        header = chain.canonical_json(
            {
                "action": action,
                "actor_id": actor_id,
                "actor_name": actor_name,
                "agency": agency,
                "government": government,
                "marking": rng.choice(MARKINGS),
                "object_id": f"jucip-2024-06-26-c{rng.randint(1, 5000)}",
                "object_kind": kind,
                "request_id": uuid.UUID(int=rng.getrandbits(128)).hex,
                "sequence": sequence,
                "time": chain.canonical_time(moment),
                "v": chain.FORMAT_VERSION,
            }
        )
        note = " ".join(rng.choices(WORDS, k=rng.randint(2, 40)))
        payload = chain.canonical_json(
            {
                "before": {"status": "in-progress", "score": 0, "note": note[: len(note) // 2]},
                "after": {"status": "delivered", "score": 1, "note": note},
                "reason": rng.choice(["", "agreed at the working-group meeting"]),
            }
        )
        payload_digest = chain.payload_hash(payload)
        previous = chain.entry_hash(header, payload_digest, previous)
        yield (sequence, header, payload, payload_digest, previous)


def bulk_insert(alias: str, count: int) -> tuple[float, int]:
    """Insert `count` generated entries; returns (seconds, stored canonical bytes)."""
    from django.db import connections, transaction

    from kizuna.audit.models import AuditEntry

    connection = connections[alias]
    table = AuditEntry._meta.db_table
    columns = "sequence, header_canonical, payload_canonical, payload_hash, entry_hash"
    stored = 0
    started = time.perf_counter()
    with transaction.atomic(using=alias):
        connection.ensure_connection()
        raw = connection.connection
        if connection.vendor == "postgresql":
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in generate(count):
                    stored += len(row[1]) + len(row[2])
                    copy.write_row(row)
        else:
            cursor = raw.cursor()
            batch = []
            for row in generate(count):
                stored += len(row[1]) + len(row[2])
                batch.append(row)
                if len(batch) == BATCH:
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (?,?,?,?,?)", batch)
                    batch = []
            if batch:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (?,?,?,?,?)", batch)
            cursor.close()
    with connection.cursor() as cursor:  # fresh planner statistics, as a real log would have
        cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - started, stored


def floor(alias: str, chunk_size: int) -> float:
    """Read the rows verify reads, with the driver's own cursor and the fastest way that
    driver offers (psycopg: binary results streamed in chunks; sqlite3: stepping the cursor),
    and hash each row's stored header and payload bytes. Nothing else."""
    from django.db import connections

    from kizuna.audit.verify import select_chain_sql

    connection = connections[alias]
    connection.ensure_connection()
    raw = connection.connection
    sha256 = hashlib.sha256
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        import psycopg

        with psycopg.Cursor(raw) as cursor:
            for _seq, header, payload, _ph, _eh in cursor.stream(
                select_chain_sql(), binary=True, size=chunk_size
            ):
                sha256(header).digest()
                sha256(payload).digest()
    else:
        cursor = raw.cursor()
        cursor.execute(select_chain_sql())
        for _seq, header, payload, _ph, _eh in cursor:
            sha256(header).digest()
            sha256(payload).digest()
        cursor.close()
    return time.perf_counter() - started


def verify(alias: str, chunk_size: int, expected: int) -> float:
    from kizuna.audit.verify import verify_chain

    started = time.perf_counter()
    result = verify_chain(using=alias, chunk_size=chunk_size)
    elapsed = time.perf_counter() - started
    if not result.ok or result.count != expected:
        raise SystemExit(f"verify_chain failed on generated data: {result}")
    return elapsed


def measure(alias: str, entries: int, repeat: int, chunk_size: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", "audit", database=alias, verbosity=0)
    insert_seconds, stored = bulk_insert(alias, entries)
    floor(alias, chunk_size)  # warm-up: both timings then read from the same cache state
    runs: dict[str, list[float]] = {"floor": [], "verify": []}
    steps: list[tuple[str, Callable[[], float]]] = [
        ("floor", lambda: floor(alias, chunk_size)),
        ("verify", lambda: verify(alias, chunk_size, entries)),
    ]
    for _ in range(repeat):
        for name, step in steps:
            runs[name].append(step())
    best_floor, best_verify = min(runs["floor"]), min(runs["verify"])
    median_floor, median_verify = (
        statistics.median(runs["floor"]),
        statistics.median(runs["verify"]),
    )
    connection = connections[alias]
    return {
        "database": connection.vendor,
        "server_version": _server_version(alias),
        "entries": entries,
        "stored_canonical_bytes": stored,
        "insert_seconds": round(insert_seconds, 3),
        "floor_seconds": round(best_floor, 3),
        "verify_seconds": round(best_verify, 3),
        "ratio": round(best_verify / best_floor, 3),
        "median_floor_seconds": round(median_floor, 3),
        "median_verify_seconds": round(median_verify, 3),
        "median_ratio": round(median_verify / median_floor, 3),
        "verify_entries_per_second": round(entries / best_verify),
        "floor_runs": [round(t, 3) for t in runs["floor"]],
        "verify_runs": [round(t, 3) for t in runs["verify"]],
        "within_target": best_verify <= TARGET_RATIO * best_floor,
    }


def _server_version(alias: str) -> str:
    from django.db import connections

    with connections[alias].cursor() as cursor:
        if connections[alias].vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return str(cursor.fetchone()[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument(
        "--database-url", help="Also measure PostgreSQL (a scratch database on this server)."
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chunk-size", type=int, default=None)
    args = parser.parse_args(argv)
    if args.entries < 1 or args.repeat < 1:
        parser.error("--entries and --repeat must be at least 1")

    with tempfile.TemporaryDirectory(prefix="kizuna-bench-audit-") as directory:
        if args.database_url:
            postgres = scratch_postgres(args.database_url)
            postgres_url: str | None = postgres.__enter__()
        else:
            postgres, postgres_url = None, None
        try:
            configure_django(Path(directory) / "audit.sqlite3", postgres_url)
            from django.db import connections

            from kizuna.audit.verify import DEFAULT_CHUNK_SIZE

            chunk_size = args.chunk_size or DEFAULT_CHUNK_SIZE
            results = [measure("default", args.entries, args.repeat, chunk_size)]
            if postgres_url:
                results.append(measure("postgresql", args.entries, args.repeat, chunk_size))
            connections.close_all()
        finally:
            if postgres is not None:
                postgres.__exit__(None, None, None)

    report = {
        "benchmark": "audit-verify",
        "python": sys.version.split()[0],
        "chunk_size": chunk_size,
        "repeat": args.repeat,
        "target_ratio": TARGET_RATIO,
        "results": results,
    }
    print(json.dumps(report, indent=2))
    return 0 if all(r["within_target"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
