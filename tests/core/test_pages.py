"""One page of an ordered list: the same rows as slicing, read without parallel workers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL

from kizuna.core.pages import page_rows
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
