"""Statements that PostgreSQL's planner is told how to plan, for their duration only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connections, transaction
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


@contextmanager
def planner_settings(using: str, **settings: str) -> Iterator[None]:
    """The statements inside run with these PostgreSQL settings; the settings come back after.

    In their own transaction (a savepoint inside another), with each setting's value read
    first and put back after: SET LOCAL lasts until the outermost transaction ends, not the
    savepoint, and would otherwise reach whatever encloses the block. On an error the
    savepoint's rollback undoes the settings too. Other databases run the block as it is.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    names = sorted(settings)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join("current_setting(%s), set_config(%s, %s, true)" for _ in names),
            [value for name in names for value in (name, name, settings[name])],
        )
        before = cursor.fetchone()[0::2]
        yield
        cursor.execute(
            "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names),
            [value for name, old in zip(names, before, strict=True) for value in (name, old)],
        )


def page_rows(rows: QuerySet[Any, Any], start: int, stop: int) -> list[Any]:
    """`rows[start:stop]`, read in index order without PostgreSQL's parallel workers.

    A page is a walk down the sort index that stops once the page is full. PostgreSQL
    plans it with two parallel workers, whose start costs more than the walk: the
    filtered commitment list's ids took 58 ms with them and 25 ms without (p50 of 20, 200,000
    commitments, docs/operations.md). Turning workers off for the whole connection would
    slow the pages that aggregate, which gain from them; so only this statement goes
    without.
    """
    with planner_settings(rows.db, max_parallel_workers_per_gather="0"):
        return list(rows[start:stop])


def one_record(records: QuerySet[M]) -> M | None:
    """The record `records` finds by its key, with the records it joins in, or None.

    Joined in the order written: the record by its key, then each joined record by its key.
    That is the best order, and PostgreSQL's search for it cost more than the read: a
    commitment with its dialogue, round, document, pillar and owners, under the access rule,
    took 11–14 ms to plan and 0.5 ms to run; 1.1 ms to plan as written (docs/operations.md).
    """
    with planner_settings(records.db, join_collapse_limit="1"):
        return records.first()
