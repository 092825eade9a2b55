"""Index agenda items too: a round's agenda is where a topic discussed there is written
(often in Japanese as well), and search could not find a meeting by what was on it.

An agenda item is a record with its own marking, so it is indexed as itself, not folded into
its meeting's text (a hidden item's words would then find a visible round). Same triggers as
0002; an item has no date of its own, so it carries none for the tie-break. Written out, as
0002 is, so that this migration keeps meaning what it meant.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "registry_agendaitem"
COLUMNS = ("title", "title_ja")


def _sqlite_body(row: str) -> str:
    return " || char(10) || ".join(f"coalesce({row}.{c}, '')" for c in COLUMNS)


def _sqlite_statements() -> list[str]:
    watched = ", ".join(("id", *COLUMNS))
    return [
        f"""
        CREATE TRIGGER search_{TABLE}_ai AFTER INSERT ON {TABLE} BEGIN
            DELETE FROM search_entry WHERE kind = '{TABLE}' AND record_id = new.id;
            INSERT INTO search_entry (kind, record_id, body, dated)
            VALUES ('{TABLE}', new.id, {_sqlite_body("new")}, NULL);
        END
        """,
        f"""
        CREATE TRIGGER search_{TABLE}_au AFTER UPDATE OF {watched} ON {TABLE} BEGIN
            UPDATE search_entry SET record_id = new.id, body = {_sqlite_body("new")}
            WHERE kind = '{TABLE}' AND record_id = old.id;
        END
        """,
        f"""
        CREATE TRIGGER search_{TABLE}_ad AFTER DELETE ON {TABLE} BEGIN
            DELETE FROM search_entry WHERE kind = '{TABLE}' AND record_id = old.id;
        END
        """,
        f"""
        INSERT INTO search_entry (kind, record_id, body, dated)
        SELECT '{TABLE}', id, {_sqlite_body(TABLE)}, NULL FROM {TABLE}
        """,
    ]


def _postgresql_statements() -> list[str]:
    body = "concat_ws(E'\\n', " + ", ".join(f"NEW.{c}" for c in COLUMNS) + ")"
    backfill = "concat_ws(E'\\n', " + ", ".join(COLUMNS) + ")"
    return [
        f"""
        CREATE FUNCTION search_index_{TABLE}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                DELETE FROM search_entry WHERE kind = '{TABLE}' AND record_id = OLD.id;
            ELSIF TG_OP = 'UPDATE' THEN
                UPDATE search_entry SET record_id = NEW.id, body = {body}
                WHERE kind = '{TABLE}' AND record_id = OLD.id
                  AND (record_id, body) IS DISTINCT FROM (NEW.id, {body});
            ELSE
                DELETE FROM search_entry WHERE kind = '{TABLE}' AND record_id = NEW.id;
                INSERT INTO search_entry (kind, record_id, body, dated)
                VALUES ('{TABLE}', NEW.id, {body}, NULL);
            END IF;
            RETURN NULL;
        END
        $$
        """,
        f"""
        CREATE TRIGGER search_index AFTER INSERT OR UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION search_index_{TABLE}()
        """,
        f"""
        INSERT INTO search_entry (kind, record_id, body, dated)
        SELECT '{TABLE}', id, {backfill}, NULL FROM {TABLE}
        """,
    ]


def _drop() -> dict[str, list[str]]:
    return {
        "sqlite": [f"DROP TRIGGER IF EXISTS search_{TABLE}_{e}" for e in ("ai", "au", "ad")],
        "postgresql": [
            f"DROP TRIGGER IF EXISTS search_index ON {TABLE}",
            f"DROP FUNCTION IF EXISTS search_index_{TABLE}()",
        ],
    }


def _run(schema_editor: Any, statements_by_vendor: dict[str, list[str]]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in statements_by_vendor:
        raise RuntimeError(f"full-text search supports SQLite and PostgreSQL, not {vendor}")
    for sql in statements_by_vendor[vendor]:
        schema_editor.execute(sql, params=None)


def create_index(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": _sqlite_statements(), "postgresql": _postgresql_statements()})


def drop_index(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(f"DELETE FROM search_entry WHERE kind = '{TABLE}'", params=None)
    _run(schema_editor, _drop())


class Migration(migrations.Migration):
    dependencies = [("search", "0002_index_and_triggers")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
