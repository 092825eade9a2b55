"""The test-only reset path (kizuna.audit.testing) works, restores the triggers, and
refuses to run outside a test environment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction

from kizuna.audit import testing
from kizuna.audit.models import AuditEntry
from kizuna.audit.verify import verify_chain

pytestmark = pytest.mark.django_db

Sql = Callable[..., list[tuple[Any, ...]]]


def flush_audit_table() -> None:
    """What Django's flush does at the end of a transactional test, for this table only."""
    statements = connection.ops.sql_flush(no_style(), [AuditEntry._meta.db_table])
    connection.ops.execute_sql_flush(statements)


def assert_still_append_only(sql: Sql) -> None:
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        sql("DELETE FROM {table}")


def test_empty_audit_log_for_tests_empties_and_restores_the_triggers(
    append_many: Callable[[int], list[AuditEntry]], sql: Sql
) -> None:
    append_many(3)
    testing.empty_audit_log_for_tests()
    assert AuditEntry.objects.count() == 0
    assert verify_chain().ok
    append_many(2)
    assert verify_chain().count == 2
    assert_still_append_only(sql)


def test_flush_works_only_inside_audit_log_flushable(
    append_many: Callable[[int], list[AuditEntry]], sql: Sql
) -> None:
    append_many(2)
    with pytest.raises(IntegrityError), transaction.atomic():
        flush_audit_table()
    with testing.audit_log_flushable_in_tests(), testing.audit_log_flushable_in_tests():
        flush_audit_table()  # nested use is harmless
    assert AuditEntry.objects.count() == 0
    append_many(1)
    assert_still_append_only(sql)
    with pytest.raises(IntegrityError), transaction.atomic():
        flush_audit_table()  # the patch is gone again


def test_helpers_refuse_outside_a_test_environment(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    monkeypatch.delattr(mail, "outbox")
    with pytest.raises(RuntimeError, match="tests only"):
        testing.empty_audit_log_for_tests()
    monkeypatch.setattr(mail, "outbox", [], raising=False)
    settings.PRODUCTION = True
    with pytest.raises(RuntimeError, match="tests only"), testing.audit_log_flushable_in_tests():
        pass
