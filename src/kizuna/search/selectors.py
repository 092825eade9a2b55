"""Which records contain a piece of text: the one reader of the search index.

Callers pass a queryset that already holds what the actor may see (and as of when); these
functions only narrow and order it, so search can never show more than the lists do.

A query is a piece of text found anywhere in the record's searchable fields, case-insensitive,
full-width letters as plain ones and any dash as a hyphen (the index and the query are folded
alike: kizuna.search.normalisation), otherwise as typed: quotes, `*`, `%`, `_`, AND, NEAR( are
plain characters. Three characters or more (once folded) go through the trigram index; one or
two (a Japanese word is often two: 経済) cannot, since a trigram index holds three-character
pieces, and fall back to a scan of the index table with LIKE: correct, only slower.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import F, Lookup, Model, QuerySet
from django.db.models.expressions import RawSQL

from kizuna.search.models import SearchEntry
from kizuna.search.normalisation import normalise

# Queries shorter than this cannot use a trigram index.
TRIGRAM = 3

_M = TypeVar("_M", bound=Model)


def normalise_query(q: str) -> str:
    """The query as the reader typed it, trimmed, without NUL characters (no database stores
    them): what the search page shows back."""
    return q.replace("\x00", "").strip()


def _folded_query(q: str) -> str:
    """The query as it is looked up: folded as the index's text is."""
    return normalise(normalise_query(q))


def matching(queryset: QuerySet[_M], q: str) -> QuerySet[_M]:
    """The records of `queryset` whose searchable text contains `q`, in the queryset's order."""
    q = _folded_query(q)
    if not q:
        return queryset
    return queryset.filter(pk__in=_entries(queryset.model, q).values("record_id"))


def ranked(queryset: QuerySet[_M], q: str, *, limit: int) -> list[_M]:
    """The best `limit` records of `queryset` containing `q` (see `ranked_each`)."""
    return ranked_each([queryset], q, limit=limit)[0]


def ranked_each(querysets: Sequence[QuerySet[Any]], q: str, *, limit: int) -> list[list[Any]]:
    """For each queryset (one per model), its best `limit` records containing `q`.

    Most relevant first: FTS5's bm25 on SQLite, pg_trgm's similarity on PostgreSQL (for
    1-2 characters on SQLite, no relevance); ties go to the later date, then the id, so the
    order is stable. One pass over the index for all kinds, then one query per kind for the
    records (with whatever its queryset prefetches): a constant number of queries.
    """
    q = _folded_query(q)
    if not q or not querysets:
        return [[] for _ in querysets]
    found: dict[str, list[str]] = {_kind(qs.model): [] for qs in querysets}
    for kind, record_id in _ranked_ids(querysets, q, limit):
        found[kind].append(record_id)
    results: list[list[Any]] = []
    for queryset in querysets:
        ids = found[_kind(queryset.model)]
        position = {record_id: i for i, record_id in enumerate(ids)}
        records = list(queryset.filter(pk__in=ids)) if ids else []
        results.append(sorted(records, key=lambda record: position[str(record.pk)]))
    return results


def _kind(model: type[Model]) -> str:
    return model._meta.db_table


def _fts_phrase(q: str) -> str:
    """`q` as one FTS5 phrase: every character literal, operators and all."""
    return '"' + q.replace('"', '""') + '"'


class _ILikeContains(Lookup[str]):
    """`lhs ILIKE '%' || rhs || '%'` with rhs escaped: the form a pg_trgm GIN index serves.

    (Django's icontains on PostgreSQL is UPPER(x) LIKE UPPER(y), which no index on `x` serves.)
    """

    lookup_name = "kizuna_ilike_contains"
    prepare_rhs = False

    def get_db_prep_lookup(self, value: Any, connection: Any) -> tuple[str, list[str | int]]:
        return "%s", [_like_pattern(str(value))]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


def _entries(model: type[Model], q: str) -> QuerySet[SearchEntry]:
    """The index entries of `model`'s records that contain `q`."""
    entries = SearchEntry.objects.filter(kind=_kind(model))
    if len(q) < TRIGRAM:
        # A scan (LIKE … ESCAPE; UPPER(body) LIKE on PostgreSQL, which keeps the planner off
        # the trigram index: with no trigram to look up it would read all of it).
        return entries.filter(body__icontains=q)
    if connection.vendor == "postgresql":
        return entries.filter(_ILikeContains(F("body"), q))
    return entries.filter(
        id__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [_fts_phrase(q)])
    )


def _like_pattern(q: str) -> str:
    """`%q%` with LIKE's wildcards and the escape character taken literally (ESCAPE '\\')."""
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# The order of a kind's matches: most relevant first, then the later date, then the id.
_RANK = "score, dated DESC NULLS LAST, record_id"


def _ranked_ids(querysets: Sequence[QuerySet[Any]], q: str, limit: int) -> list[tuple[str, str]]:
    """(kind, record id) of the best `limit` visible matches of each kind, in rank order.

    Raw SQL, in two steps. First the matches of all kinds, found once and materialised, each
    with a score (lower is better). Then, per kind, the first `limit` visible ones by score,
    date and id (the queryset's own compiled, parameterised SQL as an EXISTS on the record id).
    Each kind's matches are sorted before that test, so that PostgreSQL tests them in rank
    order and stops at `limit` (a nested-loop semi-join under the LIMIT) instead of testing
    every match: a third of its time at 2,000 matches. SQLite tests every match either way.

    The plan is pinned on purpose. Left alone, SQLite may loop over the entries and run the
    FTS5 MATCH once per row (minutes at 50,000 rows): CROSS JOIN keeps the MATCH outermost.
    PostgreSQL, given one filter with a subquery per kind, estimated costs high enough to
    JIT-compile the query (seconds); and for 1-2 characters it scanned the whole trigram
    index, so short queries use UPPER(body) LIKE (as `matching`), which no index serves.
    """
    if connection.vendor == "sqlite" and len(q) >= TRIGRAM:
        matches = (
            "SELECT e.kind, e.record_id, e.dated, search_fts.rank AS score"
            " FROM search_fts CROSS JOIN search_entry AS e"
            " WHERE search_fts MATCH %s AND e.id = search_fts.rowid"
        )
        match_params: list[Any] = [_fts_phrase(q)]
    elif connection.vendor == "postgresql" and len(q) >= TRIGRAM:
        # similarity() of a contained query grows as the text around it shrinks.
        matches = (
            "SELECT kind, record_id, dated, -similarity(%s, body) AS score"
            " FROM search_entry WHERE body ILIKE %s"
        )
        match_params = [q, _like_pattern(q)]
    elif connection.vendor == "postgresql":
        matches = (
            "SELECT kind, record_id, dated, 0 AS score FROM search_entry"
            " WHERE UPPER(body) LIKE UPPER(%s)"
        )
        match_params = [_like_pattern(q)]
    else:  # SQLite, 1-2 characters: a scan with LIKE, so no relevance either
        matches = (
            "SELECT kind, record_id, dated, 0 AS score FROM search_entry"
            " WHERE body LIKE %s ESCAPE '\\'"
        )
        match_params = [_like_pattern(q)]
    branches: list[str] = []
    branch_params: list[Any] = []
    for queryset in querysets:
        visible = queryset.order_by().values("pk")
        visible_sql, visible_params = visible.query.get_compiler(using=visible.db).as_sql()
        branches.append(
            "SELECT * FROM (SELECT kind, record_id, score, dated FROM"
            f" (SELECT kind, record_id, score, dated FROM m WHERE kind = %s ORDER BY {_RANK}) r"
            f" WHERE EXISTS (SELECT 1 FROM ({visible_sql}) v WHERE v.pk = r.record_id)"
            f" ORDER BY {_RANK} LIMIT %s) b"
        )
        branch_params += [_kind(queryset.model), *visible_params, limit]
    sql = (
        f"WITH m AS MATERIALIZED ({matches}) "
        + " UNION ALL ".join(branches)
        + f" ORDER BY kind, {_RANK}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*match_params, *branch_params])
        return [(row[0], row[1]) for row in cursor.fetchall()]
