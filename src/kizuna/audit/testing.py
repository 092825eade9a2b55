"""TEST-ONLY ways around the audit log's append-only triggers. Never import from app code.

Some tests must empty every table: pytest-django's `transactional_db` and `live_server`
tests end with Django's `flush`, which issues DELETE (SQLite) or TRUNCATE (PostgreSQL) and
is therefore refused by the audit triggers. The helpers here drop the triggers, do the
work and recreate them, in one transaction, from the definitions the database itself holds
(sqlite_master, pg_get_triggerdef), so they restore exactly what the migrations created.

Every helper refuses to run unless Django's test environment is set up (pytest-django and
Django's test runner both do that) and KIZUNA_ENV is not production. No management command
imports this module.

Wire it into a test suite with one session fixture:

    @pytest.fixture(scope="session", autouse=True)
    def _audit_log_flushable():
        with audit_log_flushable_in_tests():
            yield
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from kizuna.audit.models import AuditEntry


def _require_test_environment() -> None:
    # setup_test_environment() installs mail.outbox; nothing else does.
    if getattr(settings, "PRODUCTION", False) or not hasattr(mail, "outbox"):
        raise RuntimeError(
            "kizuna.audit.testing is for tests only: it needs Django's test environment "
            "and refuses to run with KIZUNA_ENV=production"
        )


def _table(connection: BaseDatabaseWrapper) -> str:
    return connection.ops.quote_name(AuditEntry._meta.db_table)


def _trigger_definitions(connection: BaseDatabaseWrapper) -> list[tuple[str, str]]:
    """(name, CREATE statement) of every user trigger on the audit table."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [AuditEntry._meta.db_table],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [AuditEntry._meta.db_table],
            )
        else:
            raise NotImplementedError(connection.vendor)
        return [(str(name), str(sql)) for name, sql in cursor.fetchall()]


@contextmanager
def audit_triggers_dropped_for_tests(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Inside the block the audit table accepts UPDATE and DELETE, as it would for an
    attacker with database access. Runs in one transaction; the triggers come back at the
    end of the block whether it succeeds or not."""
    _require_test_environment()
    connection = connections[using]
    with transaction.atomic(using=using):
        definitions = _trigger_definitions(connection)
        if not definitions:
            raise RuntimeError("no audit triggers found: have the audit migrations run?")
        with connection.cursor() as cursor:
            for name, _sql in definitions:
                on_table = f" ON {_table(connection)}" if connection.vendor == "postgresql" else ""
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}{on_table}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for _name, sql in definitions:
                    # No parameters: the PostgreSQL trigger text may hold a literal '%'.
                    cursor.execute(sql, None)


def empty_audit_log_for_tests(using: str = DEFAULT_DB_ALIAS) -> None:
    """Delete every audit entry (tests that must start from empty tables)."""
    connection = connections[using]
    with audit_triggers_dropped_for_tests(using), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table(connection)}")


_original_execute_sql_flush: dict[type, Callable[..., Any]] = {}


@contextmanager
def audit_log_flushable_in_tests() -> Iterator[None]:
    """While active, Django's flush (the end of every transactional test) may empty the
    audit table: the triggers are dropped and recreated around it, inside its transaction."""
    _require_test_environment()
    patched: list[type] = []
    for connection in connections.all(initialized_only=False):
        operations_class = type(connection.ops)
        if operations_class in _original_execute_sql_flush:
            continue  # already patched by an enclosing use (nested conftest files)
        original = operations_class.execute_sql_flush
        _original_execute_sql_flush[operations_class] = original

        def execute_sql_flush(
            self: Any, sql_list: list[str], _original: Callable[..., Any] = original
        ) -> None:
            table = AuditEntry._meta.db_table
            if not any(table in sql for sql in sql_list):
                _original(self, sql_list)
                return
            with audit_triggers_dropped_for_tests(self.connection.alias):
                _original(self, sql_list)

        operations_class.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign,assignment]
        patched.append(operations_class)
    try:
        yield
    finally:
        for operations_class in patched:
            operations_class.execute_sql_flush = _original_execute_sql_flush.pop(  # type: ignore[method-assign]
                operations_class
            )
