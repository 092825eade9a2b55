"""Eight writers on the same commitments at once: no "database is locked", no lost update.

Each writer is its own process on a database of its own (a SQLite file in WAL mode, or a
fresh PostgreSQL database), reading a commitment's version and editing it, as two desks
would. A writer whose version went stale is refused; every accepted edit is counted, and
the final version and the audit log must account for all of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

WRITER = r"""
import json, os, sys, random
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
import django
django.setup()
from django.db import OperationalError
from kizuna.access.actor import Actor
from kizuna.commitments.models import Commitment
from kizuna.registry.services import StaleEdit, record_update

writer, rounds = int(sys.argv[1]), int(sys.argv[2])
actor = Actor.operator()
accepted = stale = locked = 0
for i in range(rounds):
    target = f"t-cc-c{random.randint(1, 2)}"
    version = Commitment.objects.values_list("version", flat=True).get(pk=target)
    try:
        record_update(actor=actor, model=Commitment, record_id=target, version=version,
                      changes={"text": f"edit {i} by writer {writer}"})
        accepted += 1
    except StaleEdit:
        stale += 1
    except OperationalError as exc:
        locked += 1
        print(f"operational error: {exc}", file=sys.stderr)
print(json.dumps({"accepted": accepted, "stale": stale, "locked": locked}))
"""

DATA = """
governments: [{id: USA, name: United States}, {id: JPN, name: Japan}]
agencies:
  - {id: commerce, government: USA, name: Commerce}
  - {id: meti, government: JPN, name: METI}
dialogues:
  - id: t-cc-dialogue
    name: Concurrency test dialogue
    kind: ministerial-dialogue
    launched: "2022"
    parties: [USA, JPN]
    leads: {USA: [commerce], JPN: [meti]}
    sources: [{title: Statement, publisher: Test}]
commitments:
  - {id: t-cc-c1, text: One, dialogue: t-cc-dialogue, made_on: "2022", parties: [USA, JPN], sources: [{title: S}]}
  - {id: t-cc-c2, text: Two, dialogue: t-cc-dialogue, made_on: "2022", parties: [USA, JPN], sources: [{title: S}]}
"""


def test_eight_parallel_writers_lose_no_update(database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "KIZUNA_ENV": "development"}
    data = tmp_path / "d.yaml"
    data.write_text(DATA, encoding="utf-8")
    for command in (["init"], ["load", str(data)]):
        result = subprocess.run(
            [sys.executable, "-m", "kizuna", *command], env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(n), "25"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    results = []
    for process in writers:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert "database is locked" not in err
        results.append(json.loads(out.strip().splitlines()[-1]))
    accepted = sum(r["accepted"] for r in results)
    assert sum(r["locked"] for r in results) == 0
    assert accepted + sum(r["stale"] for r in results) == 8 * 25
    assert accepted > 0

    check = r"""
import os, json
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
import django; django.setup()
from kizuna.commitments.models import Commitment
from kizuna.audit.models import AuditEntry
versions = sum(Commitment.objects.filter(pk__in=["t-cc-c1", "t-cc-c2"]).values_list("version", flat=True))
updates = AuditEntry.objects.filter(action="commitment.update").count()
print(json.dumps({"versions": versions, "updates": updates}))
"""
    result = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    final = json.loads(result.stdout)
    # Both commitments started at version 1; every accepted edit added exactly one version and one entry.
    assert final == {"versions": 2 + accepted, "updates": accepted}
    verify = subprocess.run(
        [sys.executable, "-m", "kizuna", "audit", "verify"], env=env, capture_output=True, text=True
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
