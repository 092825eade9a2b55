"""Statements planned with settings of their own: the same rows, the settings put back after."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL

from kizuna.commitments.models import Commitment
from kizuna.core.planner import one_record, page_rows, planner_settings
from kizuna.registry.models import Government

pytestmark = pytest.mark.django_db

WORKERS = "current_setting('max_parallel_workers_per_gather')"


@pytest.fixture
def governments() -> list[str]:
    codes = [f"Q{n:02d}" for n in range(12)]
    Government.objects.bulk_create(Government(pk=code, name=code) for code in codes)
    return codes


def test_a_page_holds_the_rows_slicing_gives(governments: list[str]) -> None:
    ordered = Government.objects.filter(pk__in=governments).order_by("-pk")
    ids = ordered.values_list("pk", flat=True)
    assert page_rows(ids, 0, 5) == list(ids[0:5])
    assert page_rows(ids, 10, 16) == list(ids[10:16]) == ["Q01", "Q00"]
    assert page_rows(ids, 20, 30) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel workers are PostgreSQL's")
def test_the_page_is_read_without_parallel_workers_and_the_setting_comes_back(
    governments: list[str],
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 3")
    read = (
        Government.objects.filter(pk__in=governments)
        .annotate(workers=RawSQL(WORKERS, []))
        .order_by("pk")
        .values_list("workers", flat=True)
    )
    assert set(page_rows(read, 0, 4)) == {"0"}
    # The test runs inside a transaction, as a page read inside any atomic block would:
    # the statements after it get their workers back.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {WORKERS}")
        assert cursor.fetchone() == ("3",)
        cursor.execute("RESET max_parallel_workers_per_gather")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner settings are PostgreSQL's")
def test_settings_come_back_after_the_block_and_after_an_error() -> None:
    def current() -> tuple[str, str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('join_collapse_limit'), current_setting('work_mem')"
            )
            return cursor.fetchone()

    before = current()
    with planner_settings("default", join_collapse_limit="1", work_mem="1234kB"):
        assert current() == ("1", "1234kB")
    assert current() == before
    with pytest.raises(ZeroDivisionError), planner_settings("default", join_collapse_limit="2"):
        assert current()[0] == "2"
        _ = 1 / 0
    assert current() == before


def test_one_record_is_the_record_with_what_it_joins_or_none() -> None:
    found = Commitment.objects.select_related("dialogue", "meeting").order_by("pk")
    first = found.first()
    assert first is not None
    record = one_record(found.filter(pk=first.pk))
    assert record == first
    assert record is not None and record.dialogue.pk == first.dialogue_id  # joined, not lazy
    assert one_record(found.filter(pk="no-such-commitment")) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner settings are PostgreSQL's")
def test_one_record_is_planned_in_the_order_written() -> None:
    limit = Government.objects.annotate(
        limit=RawSQL("current_setting('join_collapse_limit')", [])
    ).values_list("limit", flat=True)
    assert one_record(limit.filter(pk="USA")) == "1"
    assert limit.filter(pk="USA").first() != "1"
