from __future__ import annotations

import subprocess
import sys

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
