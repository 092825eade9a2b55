"""Reading one page of a long ordered list."""

from __future__ import annotations

from typing import Any

from django.db import connections, transaction
from django.db.models import QuerySet


def page_rows(rows: QuerySet[Any, Any], start: int, stop: int) -> list[Any]:
    """`rows[start:stop]`, read in index order without PostgreSQL's parallel workers.

    A page is a walk down the sort index that stops once the page is full. PostgreSQL
    plans it with two parallel workers, whose start costs more than the walk: the
    filtered commitment list's ids took 58 ms with them and 25 ms without (p50 of 20, 200,000
    commitments, docs/operations.md). Turning workers off for the whole connection would
    slow the pages that aggregate, which gain from them; so only this statement goes
    without, in its own transaction, and the setting is put back for whatever encloses it.
    """
    page = rows[start:stop]
    connection = connections[rows.db]
    if connection.vendor != "postgresql":
        return list(page)
    with transaction.atomic(using=rows.db), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_parallel_workers_per_gather'),"
            " set_config('max_parallel_workers_per_gather', '0', true)"
        )
        before, _ = cursor.fetchone()
        found = list(page)
        # SET LOCAL lasts until the outermost transaction ends, not the savepoint.
        cursor.execute("SELECT set_config('max_parallel_workers_per_gather', %s, true)", [before])
    return found
