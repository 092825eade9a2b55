"""Documentation is part of the product: every setting and command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from kizuna.cli import COMMANDS

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "src" / "kizuna"


def settings_read() -> set[str]:
    """Environment variables settings.py reads, and KIZUNA_* settings code reads with getattr."""
    names = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', (SOURCE / "settings.py").read_text()))
    for path in SOURCE.rglob("*.py"):
        names |= set(re.findall(r'getattr\(\s*settings,\s*"(KIZUNA_[A-Z_]+)"', path.read_text()))
    names |= set(
        re.findall(
            r'os\.environ\.get\("(KIZUNA_[A-Z_]+)"',
            "".join(p.read_text() for p in SOURCE.rglob("*.py")),
        )
    )
    return names


def test_every_setting_is_in_the_operations_guide() -> None:
    guide = (REPO / "docs" / "operations.md").read_text()
    names = settings_read()
    assert {"DATABASE_URL", "SECRET_KEY", "KIZUNA_ENV"} <= names
    missing = sorted(name for name in names if f"`{name}`" not in guide)
    assert missing == []


def test_every_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    missing = sorted(name for name in COMMANDS if f"kizuna {name}" not in readme)
    assert missing == []


def test_the_readme_gives_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text()
    assert "make demo" in readme
    assert "make test" in readme
