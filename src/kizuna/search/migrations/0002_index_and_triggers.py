"""Fill `search_entry` from the records and keep it in step with triggers; index it.

Triggers, not services, keep the index current: the demo loader, dataset loads and the
synthetic generator write with bulk_create, which calls no save() and sends no signal.

SQLite: each source table's INSERT/UPDATE/DELETE writes `search_entry`; `search_entry`'s own
triggers keep `search_fts`, an external-content FTS5 table with the trigram tokenizer
(SQLite 3.34 or later), in step with it.

PostgreSQL: one plpgsql trigger function per source table writes `search_entry`, which has a
GIN index on `body` with pg_trgm's gin_trgm_ops; ILIKE '%q%' uses it. CREATE EXTENSION needs
the CREATE privilege on the database (docs/operations.md); IF NOT EXISTS lets an operator
create the extension beforehand instead.

The sources are written out here, not imported, so that this migration keeps meaning what it
meant when later code changes the list: a new searchable field is a new migration.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# table: (searchable text columns, the date column used as the tie-break)
SOURCES: dict[str, tuple[tuple[str, ...], str]] = {
    "commitments_commitment": (("text",), "made_on_first"),
    "documents_document": (("title", "text"), "date_first"),
    "registry_meeting": (("title", "title_ja", "place", "place_ja", "summary"), "date_first"),
    "registry_dialogue": (("name", "name_ja", "acronym"), "launched_first"),
}


def _sqlite_body(row: str, columns: tuple[str, ...]) -> str:
    # Fields joined by a newline: a query never holds one, so no match spans two fields.
    return " || char(10) || ".join(f"coalesce({row}.{c}, '')" for c in columns)


def _sqlite_statements() -> list[str]:
    statements = [
        """
        CREATE VIRTUAL TABLE search_fts USING fts5(
            body, content='search_entry', content_rowid='id', tokenize='trigram'
        )
        """,
        """
        CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
            INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body);
        END
        """,
        """
        CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
            INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body);
        END
        """,
        """
        CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN
            INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body);
            INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body);
        END
        """,
    ]
    for table, (columns, dated) in SOURCES.items():
        watched = ", ".join(("id", *columns, dated))
        statements += [
            f"""
            CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN
                DELETE FROM search_entry WHERE kind = '{table}' AND record_id = new.id;
                INSERT INTO search_entry (kind, record_id, body, dated)
                VALUES ('{table}', new.id, {_sqlite_body("new", columns)}, new.{dated});
            END
            """,
            f"""
            CREATE TRIGGER search_{table}_au AFTER UPDATE OF {watched} ON {table} BEGIN
                UPDATE search_entry
                SET record_id = new.id, body = {_sqlite_body("new", columns)}, dated = new.{dated}
                WHERE kind = '{table}' AND record_id = old.id;
            END
            """,
            f"""
            CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN
                DELETE FROM search_entry WHERE kind = '{table}' AND record_id = old.id;
            END
            """,
            f"""
            INSERT INTO search_entry (kind, record_id, body, dated)
            SELECT '{table}', id, {_sqlite_body(table, columns)}, {dated} FROM {table}
            """,
        ]
    return statements


def _sqlite_drop() -> list[str]:
    statements = [
        f"DROP TRIGGER IF EXISTS search_{table}_{event}"
        for table in SOURCES
        for event in ("ai", "au", "ad")
    ]
    statements += [f"DROP TRIGGER IF EXISTS search_entry_{event}" for event in ("ai", "au", "ad")]
    return [*statements, "DROP TABLE IF EXISTS search_fts"]


def _postgresql_statements() -> list[str]:
    statements = [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX search_entry_body_trgm ON search_entry USING gin (body gin_trgm_ops)",
    ]
    for table, (columns, dated) in SOURCES.items():
        body = "concat_ws(E'\\n', " + ", ".join(f"NEW.{c}" for c in columns) + ")"
        backfill = "concat_ws(E'\\n', " + ", ".join(columns) + ")"
        statements += [
            f"""
            CREATE FUNCTION search_index_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    DELETE FROM search_entry WHERE kind = '{table}' AND record_id = OLD.id;
                ELSIF TG_OP = 'UPDATE' THEN
                    UPDATE search_entry SET record_id = NEW.id, body = {body}, dated = NEW.{dated}
                    WHERE kind = '{table}' AND record_id = OLD.id
                      AND (record_id, body, dated) IS DISTINCT FROM (NEW.id, {body}, NEW.{dated});
                ELSE
                    DELETE FROM search_entry WHERE kind = '{table}' AND record_id = NEW.id;
                    INSERT INTO search_entry (kind, record_id, body, dated)
                    VALUES ('{table}', NEW.id, {body}, NEW.{dated});
                END IF;
                RETURN NULL;
            END
            $$
            """,
            f"""
            CREATE TRIGGER search_index AFTER INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION search_index_{table}()
            """,
            f"""
            INSERT INTO search_entry (kind, record_id, body, dated)
            SELECT '{table}', id, {backfill}, {dated} FROM {table}
            """,
        ]
    return statements


def _postgresql_drop() -> list[str]:
    statements = []
    for table in SOURCES:
        statements += [
            f"DROP TRIGGER IF EXISTS search_index ON {table}",
            f"DROP FUNCTION IF EXISTS search_index_{table}()",
        ]
    # The extension stays: other schemas may use it, and dropping it needs ownership.
    return [*statements, "DROP INDEX IF EXISTS search_entry_body_trgm"]


def _run(schema_editor: Any, statements_by_vendor: dict[str, list[str]]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in statements_by_vendor:
        raise RuntimeError(f"full-text search supports SQLite and PostgreSQL, not {vendor}")
    for sql in statements_by_vendor[vendor]:
        schema_editor.execute(sql, params=None)


def create_index(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": _sqlite_statements(), "postgresql": _postgresql_statements()})


def drop_index(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute("DELETE FROM search_entry", params=None)
    _run(schema_editor, {"sqlite": _sqlite_drop(), "postgresql": _postgresql_drop()})


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("commitments", "0003_assessment_series"),
        ("documents", "0002_ingestion"),
        ("registry", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
