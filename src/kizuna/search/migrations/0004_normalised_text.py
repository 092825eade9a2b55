"""Fold the indexed text as queries are folded: NFKC, every dash a hyphen-minus.

`ＥＰＣＣ` typed by a Japanese input method found nothing, nor `U.S.-Japan` the dialogues
stored as `U.S.–Japan` (kizuna.search.normalisation says what the fold does and why). The
triggers of 0002 and 0003 are replaced by ones writing `search_normalise(body)`, and the
entries already written are folded in place: fields are joined by a newline, which NFKC
never composes with its neighbours, so folding the joined text folds each field.

SQLite: `search_normalise` is kizuna.search.normalisation.normalise, which the app gives
every connection (the triggers cannot run without it). PostgreSQL: an SQL function created
here, normalize(…, NFKC) then translate, which needs a UTF8 database (PostgreSQL 13 or later).

Undone, the triggers write the text as stored again and the entries are rebuilt from the
records. The sources and the dashes are written out, as in 0002, so that this migration keeps
meaning what it meant.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# table: (searchable text columns, the date column used as the tie-break, if any)
SOURCES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "commitments_commitment": (("text",), "made_on_first"),
    "documents_document": (("title", "text"), "date_first"),
    "registry_meeting": (("title", "title_ja", "place", "place_ja", "summary"), "date_first"),
    "registry_dialogue": (("name", "name_ja", "acronym"), "launched_first"),
    "registry_agendaitem": (("title", "title_ja"), None),
}

# As kizuna.search.normalisation.DASHES when this migration was written.
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"

POSTGRESQL_FUNCTION = f"""
    CREATE FUNCTION search_normalise(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT translate(normalize($1, NFKC), '{DASHES}', '{"-" * len(DASHES)}') $$
"""

REFOLD = (
    "UPDATE search_entry SET body = search_normalise(body) WHERE body <> search_normalise(body)"
)


def _folded(body: str, normalised: bool) -> str:
    return f"search_normalise({body})" if normalised else body


def _sqlite_triggers(normalised: bool) -> list[str]:
    statements: list[str] = []
    for table, (columns, dated) in SOURCES.items():
        joined = " || char(10) || ".join(f"coalesce(new.{c}, '')" for c in columns)
        body = _folded(joined, normalised)
        new_dated = f"new.{dated}" if dated else "NULL"
        watched = ", ".join(("id", *columns, *([dated] if dated else [])))
        statements += [
            f"DROP TRIGGER IF EXISTS search_{table}_ai",
            f"DROP TRIGGER IF EXISTS search_{table}_au",
            f"""
            CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN
                DELETE FROM search_entry WHERE kind = '{table}' AND record_id = new.id;
                INSERT INTO search_entry (kind, record_id, body, dated)
                VALUES ('{table}', new.id, {body}, {new_dated});
            END
            """,
            f"""
            CREATE TRIGGER search_{table}_au AFTER UPDATE OF {watched} ON {table} BEGIN
                UPDATE search_entry SET record_id = new.id, body = {body}, dated = {new_dated}
                WHERE kind = '{table}' AND record_id = old.id;
            END
            """,
        ]
    return statements


def _postgresql_triggers(normalised: bool) -> list[str]:
    statements: list[str] = []
    for table, (columns, dated) in SOURCES.items():
        body = _folded(
            "concat_ws(E'\\n', " + ", ".join(f"NEW.{c}" for c in columns) + ")", normalised
        )
        new_dated = f"NEW.{dated}" if dated else "NULL"
        statements.append(
            f"""
            CREATE OR REPLACE FUNCTION search_index_{table}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    DELETE FROM search_entry WHERE kind = '{table}' AND record_id = OLD.id;
                ELSIF TG_OP = 'UPDATE' THEN
                    UPDATE search_entry SET record_id = NEW.id, body = {body}, dated = {new_dated}
                    WHERE kind = '{table}' AND record_id = OLD.id
                      AND (record_id, body, dated) IS DISTINCT FROM (NEW.id, {body}, {new_dated});
                ELSE
                    DELETE FROM search_entry WHERE kind = '{table}' AND record_id = NEW.id;
                    INSERT INTO search_entry (kind, record_id, body, dated)
                    VALUES ('{table}', NEW.id, {body}, {new_dated});
                END IF;
                RETURN NULL;
            END
            $$
            """
        )
    return statements


def _rebuilt_from_the_records(vendor: str) -> list[str]:
    statements: list[str] = []
    for table, (columns, dated) in SOURCES.items():
        if vendor == "sqlite":
            body = " || char(10) || ".join(f"coalesce({c}, '')" for c in columns)
        else:
            body = "concat_ws(E'\\n', " + ", ".join(columns) + ")"
        statements += [
            f"DELETE FROM search_entry WHERE kind = '{table}'",
            f"""
            INSERT INTO search_entry (kind, record_id, body, dated)
            SELECT '{table}', id, {body}, {dated or "NULL"} FROM {table}
            """,
        ]
    return statements


def _run(schema_editor: Any, statements_by_vendor: dict[str, list[str]]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in statements_by_vendor:
        raise RuntimeError(f"full-text search supports SQLite and PostgreSQL, not {vendor}")
    for sql in statements_by_vendor[vendor]:
        schema_editor.execute(sql, params=None)


def fold_the_index(apps: Any, schema_editor: Any) -> None:
    _run(
        schema_editor,
        {
            "sqlite": [*_sqlite_triggers(normalised=True), REFOLD],
            "postgresql": [POSTGRESQL_FUNCTION, *_postgresql_triggers(normalised=True), REFOLD],
        },
    )


def unfold_the_index(apps: Any, schema_editor: Any) -> None:
    _run(
        schema_editor,
        {
            "sqlite": [*_sqlite_triggers(normalised=False), *_rebuilt_from_the_records("sqlite")],
            "postgresql": [
                *_postgresql_triggers(normalised=False),
                *_rebuilt_from_the_records("postgresql"),
                "DROP FUNCTION IF EXISTS search_normalise(text)",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_agenda_items")]

    operations = [migrations.RunPython(fold_the_index, unfold_the_index, elidable=False)]
