"""`audit verify` and `audit checkpoint` (management command)."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kizuna.audit.models import AuditEntry
from kizuna.audit.verify import checkpoint_head

pytestmark = pytest.mark.django_db

Attacker = Callable[[], AbstractContextManager[None]]
Sql = Callable[..., list[tuple[Any, ...]]]


def run(*args: str) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def log(append_many: Callable[[int], list[AuditEntry]]) -> list[AuditEntry]:
    return append_many(6)


def test_verify_ok_prints_one_line_with_the_count(log: list[AuditEntry]) -> None:
    output = run("verify")
    head = checkpoint_head()
    assert output == f"OK: audit log intact, {head[0]} entries, head {head[0]} {head[1]}\n"


def test_verify_names_the_first_bad_entry(
    log: list[AuditEntry], attacker: Attacker, sql: Sql
) -> None:
    target = log[2].sequence
    with attacker():
        sql("DELETE FROM {table} WHERE sequence = %s", [target])
    with pytest.raises(CommandError) as failure:
        run("verify")
    assert failure.value.returncode == 1
    assert f"FAILED verification at entry {target}:" in str(failure.value)
    assert "missing" in str(failure.value)


def test_checkpoint_then_verify_catches_truncation(
    log: list[AuditEntry], attacker: Attacker, sql: Sql, tmp_path: Path
) -> None:
    out = tmp_path / "head.json"
    printed = run("checkpoint", "--out", str(out))
    document = json.loads(out.read_text())
    assert set(document) == {"sequence", "entry_hash", "written_at"}
    assert (document["sequence"], document["entry_hash"]) == checkpoint_head()
    assert document["written_at"].endswith("Z")
    assert f"entry {document['sequence']}" in printed

    assert run("verify", "--checkpoint", str(out)).startswith("OK:")
    with attacker():
        sql("DELETE FROM {table} WHERE sequence >= %s", [log[4].sequence])
    assert run("verify").startswith("OK:")  # consistent with itself ...
    with pytest.raises(CommandError, match=f"at entry {log[4].sequence}: .*truncated") as e:
        run("verify", "--checkpoint", str(out))
    assert e.value.returncode == 1


def test_checkpoint_refuses_a_tampered_log(
    log: list[AuditEntry], attacker: Attacker, sql: Sql, tmp_path: Path
) -> None:
    with attacker():
        sql("UPDATE {table} SET entry_hash = %s WHERE sequence = %s", [bytes(32), log[1].sequence])
    out = tmp_path / "head.json"
    with pytest.raises(CommandError, match=f"at entry {log[1].sequence}"):
        run("checkpoint", "--out", str(out))
    assert not out.exists()


@pytest.mark.parametrize(
    "content",
    [
        "",
        "[]",
        '{"sequence": "3", "entry_hash": "' + "0" * 64 + '"}',
        '{"sequence": 3, "entry_hash": "abc"}',
        '{"sequence": true, "entry_hash": "' + "0" * 64 + '"}',
        '{"sequence": 3}',
    ],
)
def test_unusable_checkpoint_file_exits_2(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError) as failure:
        run("verify", "--checkpoint", str(path))
    assert failure.value.returncode == 2
    assert str(path) in str(failure.value)


def test_missing_checkpoint_file_exits_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read") as failure:
        run("verify", "--checkpoint", str(tmp_path / "nope.json"))
    assert failure.value.returncode == 2


def test_unwritable_checkpoint_exits_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot write") as failure:
        run("checkpoint", "--out", str(tmp_path / "missing-dir" / "head.json"))
    assert failure.value.returncode == 2


def test_subcommand_is_required() -> None:
    with pytest.raises(CommandError):
        call_command("audit")
