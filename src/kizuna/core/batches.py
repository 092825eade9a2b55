"""Long id lists cut into pieces a database takes in one IN clause."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

# Ids per query: under every database's limit on bound parameters and SQLite's expression
# depth (1000; a 20k-record load failed with 2000), with room for the rest of a statement.
BATCH = 500


def chunked(items: Iterable[str], size: int = BATCH) -> Iterator[list[str]]:
    """Split a long id list so that no IN clause exceeds SQLite's variable limit."""
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
