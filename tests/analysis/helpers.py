"""Small helpers for reading analysis results that may also hold the demo's data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def ours(rows: Iterable[Mapping[str, Any]], key: str = "dialogue") -> list[dict[str, Any]]:
    """Only the rows of this suite's fixture (ids and slugs prefixed `t-`)."""
    return [dict(r) for r in rows if str(r.get(key) or "").startswith("t-")]


def find(rows: Iterable[Mapping[str, Any]], **match: Any) -> dict[str, Any] | None:
    found = [dict(r) for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert len(found) <= 1, f"more than one row matches {match}: {found}"
    return found[0] if found else None


def one(rows: Iterable[Mapping[str, Any]], **match: Any) -> dict[str, Any]:
    found = find(rows, **match)
    assert found is not None, f"no row matches {match}"
    return found
