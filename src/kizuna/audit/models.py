"""The audit log's one table (docs/audit.md).

Each row stores the canonical bytes that the chain hashes (`header_canonical`,
`payload_canonical`) and the two digests. Those bytes are the record; nothing else is.

The header fields (time, actor, government, action, object ...) are also columns so that
pages can filter and index them, but they are *generated* columns that the database
computes from `header_canonical`. They can therefore never disagree with the hashed
header: an edit must go through the header bytes, which the verifier checks. The payload
has no columns at all; `before`, `after` and `reason` are read from its canonical bytes.

UPDATE, DELETE (and TRUNCATE on PostgreSQL) are refused by triggers (migration 0002);
`save()` and `delete()` refuse too, so a programming error fails loudly before the database
has to say no.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.db import NotSupportedError, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Func
from django.db.models.sql.compiler import SQLCompiler

_KEY = re.compile(r"[a-z_]+")


class HeaderValue(Func):
    """One key of `header_canonical`, as the database reads it: a generated column's expression.

    SQLite reads it with json_extract. PostgreSQL requires generated columns to use immutable
    functions, and convert_from() is only "stable", so migration 0001 defines two immutable
    SQL functions (kizuna_audit_header, kizuna_audit_header_time) that wrap it; they are
    immutable in fact because the input encoding is fixed (UTF-8) and the time is ISO 8601
    with an explicit Z.
    """

    def __init__(self, key: str, *, output_field: models.Field[Any, Any]) -> None:
        if not _KEY.fullmatch(key):
            # The key is pasted into SQL; only plain lower-case names are ever needed.
            raise ValueError(f"header key must match {_KEY.pattern}: {key!r}")
        self.key = key
        super().__init__(models.F("header_canonical"), output_field=output_field)

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        raise NotSupportedError(
            f"the audit log supports SQLite and PostgreSQL, not {connection.vendor}"
        )

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.source_expressions[0])
        sql = f"json_extract(CAST({column} AS TEXT), '$.{self.key}')"
        if isinstance(self.output_field, models.DateTimeField):
            # Django stores SQLite datetimes as "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC, no zone);
            # producing the same text keeps ORM filters and ordering on this column correct.
            sql = f"replace(replace({sql}, 'T', ' '), 'Z', '')"
        return sql, list(params)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.source_expressions[0])
        if isinstance(self.output_field, models.DateTimeField):
            sql = f"kizuna_audit_header_time({column})"
        else:
            sql = f"(kizuna_audit_header({column}) ->> '{self.key}')"
            if isinstance(self.output_field, models.IntegerField):
                sql = f"({sql})::bigint"
        return sql, list(params)


def _header_column(key: str, output_field: models.Field[Any, Any], **kwargs: Any) -> Any:
    return models.GeneratedField(
        expression=HeaderValue(key, output_field=output_field),
        output_field=output_field,
        db_persist=True,  # PostgreSQL 15 has stored generated columns only
        editable=False,
        **kwargs,
    )


class AuditEntry(models.Model):
    sequence = models.PositiveBigIntegerField(primary_key=True)
    header_canonical = models.BinaryField()
    payload_canonical = models.BinaryField()
    payload_hash = models.BinaryField(max_length=32)
    entry_hash = models.BinaryField(max_length=32)

    # Generated from header_canonical (see module docstring); read-only for everyone.
    created_at = _header_column("time", models.DateTimeField())
    actor_id = _header_column("actor_id", models.BigIntegerField(null=True), null=True)
    actor_name = _header_column("actor_name", models.TextField())
    government = _header_column("government", models.TextField())
    agency = _header_column("agency", models.TextField())
    request_id = _header_column("request_id", models.TextField())
    action = _header_column("action", models.TextField())
    object_kind = _header_column("object_kind", models.TextField())
    object_id = _header_column("object_id", models.TextField())
    marking = _header_column("marking", models.TextField())

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "audit entries"
        indexes = [
            # The audit page: one government's entries, newest first.
            models.Index(fields=["government", "sequence"], name="audit_government_seq"),
            # An object's history.
            models.Index(fields=["object_kind", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_kind}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only kizuna.audit.log.append_entry creates rows, with force_insert; any other
        # save would be an UPDATE, which the log never allows.
        if not kwargs.get("force_insert"):
            raise TypeError("audit entries are append-only: use append_entry()")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("audit entries are append-only and cannot be deleted")

    # --- the record, decoded from the hashed bytes -------------------------------------

    @property
    def header(self) -> dict[str, Any]:
        return dict(json.loads(bytes(self.header_canonical)))

    @property
    def payload(self) -> dict[str, Any]:
        return dict(json.loads(bytes(self.payload_canonical)))

    @property
    def before(self) -> Any:
        return self.payload["before"]

    @property
    def after(self) -> Any:
        return self.payload["after"]

    @property
    def reason(self) -> str:
        return str(self.payload["reason"])

    @property
    def payload_hash_hex(self) -> str:
        return bytes(self.payload_hash).hex()

    @property
    def entry_hash_hex(self) -> str:
        return bytes(self.entry_hash).hex()
