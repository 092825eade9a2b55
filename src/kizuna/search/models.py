"""The search index's one table, written only by database triggers (migration 0001)."""

from __future__ import annotations

from django.db import models


class SearchEntry(models.Model):
    """The searchable text of one record, its fields joined by newlines.

    `kind` is the record's table name, `record_id` its id. The integer primary key is the
    rowid the SQLite FTS5 index refers to: unlike the rowid of a table keyed by a string,
    it survives VACUUM.
    """

    kind = models.CharField(max_length=60)
    record_id = models.CharField(max_length=200)
    body = models.TextField()
    # The record's (first) date, the tie-break after relevance: newer first.
    dated = models.DateField(null=True)

    class Meta:
        db_table = "search_entry"
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="search_entry_unique_record")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.record_id}"
