"""`kizuna backup` and `kizuna restore`, end to end on a database of their own.

The round trip runs the real commands in subprocesses against a fresh SQLite file, or a
fresh PostgreSQL database when the suite runs on PostgreSQL, so the shared test database
is never flushed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DATA = """
governments: [{id: USA, name: United States}, {id: JPN, name: Japan}]
agencies:
  - {id: commerce, government: USA, name: Commerce}
  - {id: meti, government: JPN, name: METI}
dialogues:
  - id: t-b-dialogue
    name: Backup test dialogue
    kind: ministerial-dialogue
    launched: "2022"
    parties: [USA, JPN]
    leads: {USA: [commerce], JPN: [meti]}
    sources: [{title: Statement, publisher: Test}]
commitments:
  - id: t-b-c1
    text: Keep a backup.
    dialogue: t-b-dialogue
    made_on: "2022"
    parties: [USA, JPN]
    sources: [{title: Statement, publisher: Test}]
"""


def kizuna(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "KIZUNA_ENV": "development"}
    return subprocess.run(
        [sys.executable, "-m", "kizuna", *args], capture_output=True, text=True, env=env
    )


def export_counts(database_url: str) -> dict[str, int]:
    result = kizuna(database_url, "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    return {name: len(records) for name, records in data.items() if isinstance(records, list)}


def test_backup_then_restore_gives_back_every_record(database_url: str, tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_text(DATA, encoding="utf-8")
    assert kizuna(database_url, "init").returncode == 0
    assert kizuna(database_url, "load", str(data)).returncode == 0
    backup = tmp_path / "kizuna.backup"
    result = kizuna(database_url, "backup", str(backup))
    assert result.returncode == 0, result.stderr
    before = export_counts(database_url)

    changed = tmp_path / "more.yaml"
    changed.write_text(DATA.replace("t-b-c1", "t-b-c2"), encoding="utf-8")
    assert kizuna(database_url, "load", str(changed)).returncode == 0
    assert export_counts(database_url)["commitments"] == before["commitments"] + 1

    result = kizuna(database_url, "restore", str(backup))
    assert result.returncode == 0, result.stderr
    assert "audit log verified" in result.stdout
    assert export_counts(database_url) == before
    assert kizuna(database_url, "audit", "verify").returncode == 0


def test_restore_refuses_a_file_that_is_not_a_backup(database_url: str, tmp_path: Path) -> None:
    assert kizuna(database_url, "init").returncode == 0
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"this is not a database")
    result = kizuna(database_url, "restore", str(junk))
    assert result.returncode != 0
    assert "not" in result.stderr


def test_restore_refuses_a_missing_file(database_url: str, tmp_path: Path) -> None:
    result = kizuna(database_url, "restore", str(tmp_path / "missing"))
    assert result.returncode != 0
    assert "no such backup file" in result.stderr
