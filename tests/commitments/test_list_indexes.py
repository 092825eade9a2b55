"""A list page is read from a sort index, and each entry is tested from the index itself.

At 200,000 commitments a narrow filter walks thousands of index entries to fill one page.
These tests keep the two things that make that walk cheap (docs/operations.md): the sort
is read, not computed, and every column the access rule and the list's filters test on the
commitment's own row is in the index entry.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection

from kizuna.access.actor import Actor
from kizuna.commitments.models import Commitment
from kizuna.commitments.selectors import CommitmentFilters, commitments_visible, page_ids

COORDINATOR = Actor(name="test", government="USA", agency="white-house", role="coordinator")
DESK_OFFICER = Actor(name="test", government="JPN", agency="meti", role="desk-officer")

# Every filter that tests the commitment's own row, at once.
ROW_FILTERS = CommitmentFilters(
    party="JPN",
    lifecycle="active",
    deadline_from=dt.date(2020, 1, 1),
    deadline_to=dt.date(2030, 1, 1),
)

SORT_INDEX = {
    "-made": "commitment_by_made",
    "made": "commitment_by_made",
    "deadline": "commitment_by_deadline",
    "-deadline": "commitment_by_deadline",
    "dialogue": "commitment_by_dialogue",
}

# Read only for agency-internal rows; kept out of the entries (models._row_tests says why).
NOT_IN_ENTRIES = {"shared_with"}


def _outer_where(sql: str) -> str:
    """The WHERE clause of the outer query, subqueries cut out."""
    where = sql.split(" WHERE ", 1)[1].rsplit(" ORDER BY ", 1)[0]
    while "(SELECT" in where:
        start = where.index("(SELECT")
        depth = 0
        for end in range(start, len(where)):
            depth += {"(": 1, ")": -1}.get(where[end], 0)
            if depth == 0:
                where = where[:start] + where[end + 1 :]
                break
    return where


@pytest.mark.django_db
@pytest.mark.parametrize("actor", [COORDINATOR, DESK_OFFICER], ids=["coordinator", "desk"])
def test_every_column_tested_on_the_row_is_in_each_sort_index(actor: Actor) -> None:
    commitments = commitments_visible(actor=actor, as_of=dt.date(2025, 1, 1), filters=ROW_FILTERS)
    sql = str(commitments.values("pk").query)
    tested = set(re.findall(r'"commitments_commitment"\."(\w+)"', _outer_where(sql)))
    assert {"marking", "audience", "made_on_first", "lifecycle"} <= tested  # the rule and filters
    columns = {f.name: f.column for f in Commitment._meta.fields}
    for index in Commitment._meta.indexes:
        entry = {columns[name] for name in index.fields}
        missing = tested - entry - NOT_IN_ENTRIES
        assert not missing, f"{index.name} lacks {sorted(missing)}: add them to _row_tests"


@pytest.mark.django_db
@pytest.mark.parametrize("sort", sorted(SORT_INDEX))
def test_a_page_is_read_in_its_sort_index_order_not_sorted(sort: str) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans by its statistics; measured in benchmarks/bench_pages.py")
    filters = CommitmentFilters(party="JPN", status="in-progress", sort=sort)
    captured: list[tuple[str, tuple[object, ...]]] = []

    def capture(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        page_ids(commitments_visible(actor=COORDINATOR, filters=filters), sort, 0, 51)
    sql, params = captured[0]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        steps = cursor.fetchall()
    # (id, parent, _, detail); the outer query's steps have parent 0.
    outer = [detail for _, parent, _, detail in steps if parent == 0]
    assert SORT_INDEX[sort] in outer[0], steps
    assert not any("TEMP B-TREE" in step for step in outer), steps
    # The narrowest probe, the latest status, is the first run for each entry (`_probes`).
    first_probe = next(i for i, _, _, detail in steps if "SUBQUERY" in detail)
    assert "assessment" in next(d for _, parent, _, d in steps if parent == first_probe), steps


@pytest.mark.django_db
def test_newest_first_puts_the_later_record_first_on_the_same_day() -> None:
    """Newest first reads the made-on index backwards, so ties on the day go to the higher id."""
    rows = commitments_visible(actor=COORDINATOR).values_list("made_on_first", "pk")
    listed = list(rows)
    assert listed == sorted(listed, reverse=True)
    assert len({day for day, _ in listed}) < len(listed)  # the demo has same-day commitments
