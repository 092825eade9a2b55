"""Kill -9 during imports and audit appends: the database stays whole and a retry finishes once.

Each round starts a real `kizuna` process on a database of its own, kills it with SIGKILL
at a random moment, then checks: the database passes its integrity check, the audit log
verifies, no record is half-written (a load is all or nothing), and a retry creates no
duplicate. The benchmark `benchmarks/bench_crash.py` runs the long version.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROUNDS = int(os.environ.get("KIZUNA_CRASH_ROUNDS", "50"))


def big_dataset(path: Path, commitments: int = 400) -> Path:
    lines = [
        "governments: [{id: USA, name: United States}, {id: JPN, name: Japan}]",
        "agencies:",
        "  - {id: commerce, government: USA, name: Commerce}",
        "  - {id: meti, government: JPN, name: METI}",
        "dialogues:",
        "  - {id: t-crash, name: Crash test, kind: ministerial-dialogue, launched: '2022', parties: [USA, JPN],"
        " leads: {USA: [commerce], JPN: [meti]}, sources: [{title: S}]}",
        "commitments:",
    ]
    lines += [
        f"  - {{id: t-crash-c{i}, text: 'Commitment {i}', dialogue: t-crash, made_on: '2022',"
        f" parties: [USA, JPN], owners: {{USA: [commerce], JPN: [meti]}}, sources: [{{title: S}}]}}"
        for i in range(commitments)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


APPENDER = r"""
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
import django; django.setup()
from kizuna.access.actor import Actor
from kizuna.commitments.models import Commitment
from kizuna.registry.services import record_update
actor = Actor.operator()
i = 0
while True:
    version = Commitment.objects.values_list("version", flat=True).get(pk="t-crash-c0")
    record_update(actor=actor, model=Commitment, record_id="t-crash-c0", version=version,
                  changes={"text": f"edit {i}"})
    i += 1
"""


def kizuna(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kizuna", *args], env=env, capture_output=True, text=True
    )


def state(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        commitments = connection.execute("SELECT count(*) FROM commitments_commitment").fetchone()[
            0
        ]
        owners = connection.execute("SELECT count(*) FROM commitments_commitmentowner").fetchone()[
            0
        ]
        version = connection.execute(
            "SELECT coalesce(max(version), 0) FROM commitments_commitment WHERE id = 't-crash-c0'"
        ).fetchone()[0]
        updates = connection.execute(
            "SELECT count(*) FROM audit_auditentry WHERE action = 'commitment.update'"
        ).fetchone()[0]
        text = connection.execute(
            "SELECT text FROM commitments_commitment WHERE id = 't-crash-c0'"
        ).fetchone()
    return {
        "commitments": commitments,
        "owners": owners,
        "version": version,
        "updates": updates,
        "edited": int(text is not None and text[0] != "Commitment 0"),
    }


def kill_at_random(
    command: list[str], env: dict[str, str], rng: random.Random, longest: float
) -> None:
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(rng.uniform(0.3, longest))
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_sigkill_during_loads_and_audit_appends_leaves_a_whole_database(tmp_path: Path) -> None:
    rng = random.Random(20261128)
    db = tmp_path / "crash.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "KIZUNA_ENV": "development"}
    data = big_dataset(tmp_path / "big.yaml")
    assert kizuna(env, "init").returncode == 0
    # A load that completes before its kill puts back the edited commitment's text: a version
    # more, written by the load (audited as a load, not as an edit).
    loads_over_edits = 0
    for round_number in range(ROUNDS):
        if round_number % 2 == 0:
            before = state(db)
            kill_at_random([sys.executable, "-m", "kizuna", "load", str(data)], env, rng, 2.2)
            after = state(db)
            # All or nothing: either the load committed (every commitment with both owners) or nothing did.
            assert after["commitments"] in (0, 400)
            assert after["owners"] == 2 * after["commitments"]
            loads_over_edits += before["edited"] - after["edited"]
        else:
            if state(db)["commitments"] == 0:
                assert kizuna(env, "load", str(data)).returncode == 0
            kill_at_random([sys.executable, "-c", APPENDER], env, rng, 2.0)
            after = state(db)
            # Every committed edit bumped the version once and wrote exactly one audit entry.
            assert after["version"] == 1 + after["updates"] + loads_over_edits
        verify = kizuna(env, "audit", "verify")
        assert verify.returncode == 0, verify.stdout + verify.stderr
    # A retry completes the import once: no duplicates, nothing changed.
    retry = kizuna(env, "load", str(data))
    assert retry.returncode == 0, retry.stderr
    final = state(db)
    assert final["commitments"] == 400
    assert final["owners"] == 800
    assert json.dumps(final)
