from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kizuna.cli import COMMANDS, usage


def test_help_lists_every_command_with_one_line() -> None:
    text = usage()
    for name, summary in COMMANDS.items():
        assert f"  {name}" in text
        assert summary in text
        assert "\n" not in summary


def test_unknown_command_fails_clearly() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kizuna", "frobnicate"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "unknown command 'frobnicate'" in result.stderr


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_listed_command_answers_help(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kizuna", name, "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def test_init_makes_the_home_folder_a_first_run_names(tmp_path: Path) -> None:
    """`KIZUNA_HOME=… kizuna demo` on a folder not made yet failed with SQLite's "unable
    to open database file" and a long traceback."""
    home = tmp_path / "not" / "made" / "yet"
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "kizuna", "init"],
        capture_output=True,
        text=True,
        env=environment | {"KIZUNA_HOME": str(home)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (home / "kizuna.sqlite3").is_file()
