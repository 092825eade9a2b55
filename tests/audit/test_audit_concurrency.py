"""Parallel appenders never fork the chain (SQLite with IMMEDIATE transactions;
PostgreSQL with the advisory lock).

Real processes against a scratch database of their own, so that commits are real and the
session's test database is left alone. PostgreSQL runs when the suite does
(DATABASE_URL=postgresql://...).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

WORKER = Path(__file__).with_name("concurrency_worker.py")
WORKERS = 4
APPENDS = 25


def run_worker(database_url: str, *args: str) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, str(WORKER), "--database-url", database_url, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def race(database_url: str, tmp_path: Path, *extra: str) -> list[dict[str, Any]]:
    go = tmp_path / f"go-{uuid.uuid4().hex}"
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                str(WORKER),
                "--database-url",
                database_url,
                "--append",
                str(APPENDS),
                "--worker",
                str(worker),
                "--go",
                str(go),
                *extra,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(WORKERS)
    ]
    try:
        for process in processes:  # everyone set up and waiting: start together
            assert process.stdout is not None and process.stderr is not None
            if process.stdout.readline().strip() != "ready":
                pytest.fail(f"worker did not start: {process.stderr.read()}")
        go.touch()
        results = []
        for process in processes:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
        return results
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture(params=["sqlite", "postgresql"])
def scratch_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
        run_worker(url, "--migrate")
        yield url
        return
    base = postgres_url()
    if base is None:
        pytest.skip("PostgreSQL runs when the suite runs with DATABASE_URL=postgresql://...")
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(base)
    name = f"kizuna_audit_concurrency_{uuid.uuid4().hex[:12]}"
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
        url = base.rsplit("/", 1)[0] + "/" + name
        run_worker(url, "--migrate")
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_parallel_appenders_keep_one_chain(scratch_database: str, tmp_path: Path) -> None:
    results = race(scratch_database, tmp_path)
    assert [r["errors"] for r in results] == [[]] * WORKERS
    verified = run_worker(scratch_database, "--verify")
    assert verified["ok"], verified["reason"]
    assert verified["count"] == WORKERS * APPENDS
    assert verified["per_actor"] == {f"worker-{w}": APPENDS for w in range(WORKERS)}


# SQLite needs no control: its IMMEDIATE transactions serialise writers without a lock.
@pytest.mark.parametrize("scratch_database", ["postgresql"], indirect=True)
def test_without_the_lock_postgresql_appenders_collide(
    scratch_database: str, tmp_path: Path
) -> None:
    """Negative control: the race above is real, and the lock is what prevents it."""
    results = race(scratch_database, tmp_path, "--no-lock")
    errors = [e for r in results for e in r["errors"]]
    assert errors and all("IntegrityError" in e for e in errors)
    verified = run_worker(scratch_database, "--verify")
    assert verified["ok"], verified["reason"]  # refused, never forked
