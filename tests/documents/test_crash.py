"""SIGKILL in the middle of `kizuna ingest` and of `kizuna worker`, on a database of their own.

The rerun finishes the work: every document stored once, no duplicate candidate, the audit
log verifies and SQLite's integrity check passes.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from .conftest import registry
from .helpers import statement

pytestmark = pytest.mark.slow

FILES = 40


def env_for(database: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "KIZUNA_ENV": "development"}


def kizuna(database: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "kizuna.cli", *args],
        env=env_for(database),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stderr + result.stdout
    return result


def fresh_database(tmp_path: Path) -> Path:
    database = tmp_path / "crash.sqlite3"
    data = tmp_path / "registry.yaml"
    data.write_text(yaml.safe_dump(registry(), allow_unicode=True), encoding="utf-8")
    kizuna(database, "init")
    kizuna(database, "load", str(data))
    return database


def check_whole(database: Path) -> None:
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        duplicates = db.execute(
            "SELECT COUNT(*) FROM (SELECT document_id, start, end FROM documents_commitmentcandidate"
            " GROUP BY document_id, start, end HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        assert duplicates == 0
        orphans = db.execute(
            "SELECT COUNT(*) FROM documents_document d WHERE NOT EXISTS (SELECT 1 FROM"
            " audit_auditentry a WHERE a.object_id = d.id)"
        ).fetchone()
        assert orphans is None or orphans[0] == 0
    kizuna(database, "audit", "verify")


def count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_a_killed_ingest_leaves_no_half_document_and_a_rerun_finishes_once(tmp_path: Path) -> None:
    database = fresh_database(tmp_path)
    paths = []
    for number in range(FILES):
        path = tmp_path / f"s{number:02d}.txt"
        path.write_text(statement(number), encoding="utf-8")
        paths.append(str(path))
    command = [
        sys.executable,
        "-m",
        "kizuna.cli",
        "ingest",
        *paths,
        "--dialogue",
        "t-ted",
        "--no-progress",
    ]
    process = subprocess.Popen(command, env=env_for(database), stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    stored = 0
    while stored < 3:
        line = process.stdout.readline()
        assert line, "ingest ended before it could be killed"
        stored += "stored as" in line
    process.send_signal(signal.SIGKILL)
    process.wait()
    partial = count(database, "documents_document")
    assert 3 <= partial < FILES
    check_whole(database)

    rerun = kizuna(database, "ingest", *paths, "--dialogue", "t-ted", "--no-progress")
    assert rerun.stdout.count("already stored") == partial
    assert rerun.stdout.count("stored as") == FILES
    assert count(database, "documents_document") == FILES
    assert count(database, "documents_commitmentcandidate") == FILES
    check_whole(database)


JOB_SCRIPT = r"""
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
import django; django.setup()
from kizuna.access.actor import Actor
from kizuna.documents.jobs import job_create
from kizuna.extraction import ReadDocument
text = "".join(
    f"The two sides will convene expert group {i} on battery supply chains by the end of 2030.\n"
    for i in range(int(sys.argv[1]))
)
job = job_create(actor=Actor.operator(), reading=ReadDocument(text=text), file_name="big.txt",
                 dialogue_id="t-ted")
print(job.pk)
"""


def job_row(database: Path, job_id: str) -> tuple[str, int]:
    with sqlite3.connect(database) as db:
        row = db.execute(
            "SELECT status, attempts FROM documents_ingestionjob WHERE id = ?",
            [job_id.replace("-", "")],
        ).fetchone()
    return row[0], row[1]


def test_a_killed_worker_leaves_a_job_that_the_next_worker_finishes_once(tmp_path: Path) -> None:
    database = fresh_database(tmp_path)
    created = subprocess.run(
        [sys.executable, "-c", JOB_SCRIPT, "1000"],
        env=env_for(database),
        capture_output=True,
        text=True,
        check=True,
    )
    job_id = created.stdout.strip()
    worker = subprocess.Popen(
        [sys.executable, "-m", "kizuna.cli", "worker", "--lease", "2", "--verbosity", "0"],
        env=env_for(database),
    )
    deadline = time.monotonic() + 60
    while job_row(database, job_id)[0] != "running":
        assert time.monotonic() < deadline, "the worker never started the job"
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert job_row(database, job_id) == ("running", 1)
    assert count(database, "documents_document") == 0

    time.sleep(2.5)  # the dead worker's lease runs out
    kizuna(database, "worker", "--once", "--verbosity", "0")
    assert job_row(database, job_id) == ("done", 2)
    assert count(database, "documents_document") == 1
    assert count(database, "documents_commitmentcandidate") == 1000
    check_whole(database)
