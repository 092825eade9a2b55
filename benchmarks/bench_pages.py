"""How fast the main web pages answer at scale, against floors measured in the same run.

    .venv/bin/python benchmarks/bench_pages.py [--scale 1.0] [--requests 30] [--seed 7]
        [--database-url postgresql://postgres:postgres@127.0.0.1:5432/kizuna
         [--keep-database NAME]] [--sqlite-file PATH] [--pages search,trivial]

Builds the synthetic workspace of `kizuna synth` (the issue's sizes times --scale: 200,000
commitments and 400,000 assessments at 1.0) in a temporary SQLite database, or with
--database-url in a scratch PostgreSQL database created on that server and dropped
afterwards (--sqlite-file, or --keep-database on PostgreSQL, keeps the workspace and reuses
it on the next run). Then,
signed in as the U.S. coordinator through Django's test client (the whole middleware stack,
session and login included), it requests each page --requests times after a warm-up, in
interleaved rounds (each page and floor once per round, so that all see the same load),
and prints one JSON document with p50/p95 latencies in milliseconds, the queries per page,
the ratios and pass/fail against the workspace issue's targets:

- list and detail pages (a filtered commitment list, a dialogue, a commitment) within 3x
  the p95 of the trivial page: a signed-in calendar page over an empty range, which goes
  through the same middleware, login and base template and runs two indexed queries that
  find nothing (`/healthz`, which skips login and templates, is printed for reference);
  the list's count (`/commitments.count`, which the list page fetches after showing its
  rows) is printed beside it, without a target: it reads every match;
- the pages that aggregate or search (home, search) within 3x of ONE SQL pass through the
  driver's cursor computing the same counts (latest status per party of the visible
  commitments) or the same matches (the first 50 visible records of each of the four
  searched lists, found and ranked as the page does; the run checks that the pass
  returns exactly the page's records, and a search verdict without that check passing
  fails).

--pages measures only the pages named (and the floors of those that have one).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kizuna.access.actor import Actor

TARGET_RATIO = 3.0
COORDINATOR = "usa-coordinator"
SEARCH_WORDS = "item 42"
LIST_FILTERS = "party=JPN&topic=economic-security&status=in-progress"


def configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kizuna.settings"
    os.environ.setdefault("KIZUNA_ENV", "development")
    # Signed in with force_login, as the demo does: no second factor to enter.
    os.environ["KIZUNA_TOTP_REQUIRED_ROLES"] = ""
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def build(scale: float, seed: int) -> tuple[dict[str, int], float]:
    from bench_analysis import settle_after_bulk_load  # a sibling script

    from kizuna.access.actor import Actor
    from kizuna.synth import Sizes, generate

    start = time.perf_counter()
    counts = generate(Sizes().scaled(scale), seed=seed, actor=Actor.operator())
    settle_after_bulk_load()
    return counts, round(time.perf_counter() - start, 1)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timings(runs: dict[str, Callable[[], Any]], requests: int) -> dict[str, dict[str, float]]:
    """p50 and p95 of each run, timed in interleaved rounds (one of each per round).

    A page and its floor are compared in the same conditions: on a shared machine a burst
    of load that falls on one page's requests alone, timed one page after another, moved
    a ratio by a third between runs.
    """
    for run in runs.values():
        run()
        run()  # warm-up: caches, query plans, templates
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(requests):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            seconds[name].append(time.perf_counter() - start)
    return {
        name: {
            "p50_ms": round(1000 * statistics.median(taken), 2),
            "p95_ms": round(1000 * percentile(taken, 0.95), 2),
        }
        for name, taken in seconds.items()
    }


def _coordinator() -> Actor:
    from kizuna.access.actor import Actor

    return Actor(name=COORDINATOR, government="USA", agency="white-house", role="coordinator")


def targets() -> dict[str, str]:
    """The pages' addresses: a typical record of each kind the coordinator may see."""
    from django.db.models import Count

    from kizuna.commitments.models import Assessment
    from kizuna.commitments.selectors import commitments_visible
    from kizuna.registry.models import Dialogue

    actor = _coordinator()
    # The visible dialogue with the most commitments: the heaviest dialogue page.
    dialogue = (
        Dialogue.objects.visible_to(actor)
        .annotate(n=Count("commitments"))
        .order_by("-n", "id")
        .values_list("id", flat=True)[0]
    )
    # A visible commitment that both its parties have assessed, several times.
    assessed = (
        Assessment.objects.values("commitment_id")
        .annotate(parties=Count("party_id", distinct=True), n=Count("id"))
        .filter(parties=2, n__gte=3)
        .order_by("commitment_id")
        .values("commitment_id")
    )
    commitment = (
        commitments_visible(actor=actor)
        .filter(pk__in=assessed[:200])
        .order_by("id")
        .values_list("id", flat=True)[0]
    )
    return {
        "trivial": "/calendar/?from=2100-01-01&to=2100-01-02",
        "healthz": "/healthz",
        "home": "/",
        "commitment_list": f"/commitments/?{LIST_FILTERS}&sort=deadline",
        # The list's count, which the page fetches after its rows: printed, no target.
        "commitment_count": f"/commitments.count?{LIST_FILTERS}",
        "dialogue": f"/dialogues/{dialogue}/",
        "commitment": f"/commitments/{commitment}/",
        "search": f"/search/?q={SEARCH_WORDS.replace(' ', '+')}",
    }


def _visible(alias: str) -> str:
    """The access rule for the U.S. coordinator, written out as SQL for the floors."""
    return (
        f"({alias}.marking = 'public'"
        f" OR ({alias}.marking = 'shared' AND ({alias}.owner_government_id = 'USA'"
        f" OR {alias}.audience LIKE '%%|USA|%%'))"
        f" OR ({alias}.marking IN ('government-internal', 'agency-internal')"
        f" AND {alias}.owner_government_id = 'USA')"
        f" OR ({alias}.marking = 'agency-internal' AND {alias}.shared_with LIKE '%%|white-house|%%'))"
    )


def home_sql() -> str:
    """Each party's latest visible status over the visible commitments, counted: one pass."""
    return (
        "SELECT a.party_id, a.status, COUNT(*) FROM commitments_assessment a"
        " JOIN commitments_commitment c ON c.id = a.commitment_id"
        " JOIN registry_dialogue d ON d.id = c.dialogue_id"
        f" WHERE {_visible('a')} AND {_visible('c')} AND {_visible('d')}"
        " AND NOT EXISTS (SELECT 1 FROM commitments_assessment b"
        " WHERE b.commitment_id = a.commitment_id AND b.party_id = a.party_id"
        f" AND {_visible('b')}"
        " AND (b.as_of > a.as_of OR (b.as_of = a.as_of AND b.id > a.id)))"
        " GROUP BY a.party_id, a.status"
    )


# The searched lists, as the search page reads them: (table, its dialogue column or None).
# The searched lists: each table, the column naming its dialogue (which must be visible),
# and whether its records may sit in a round (which must then be visible and held).
SEARCHED = [
    ("commitments_commitment", "dialogue_id", False),
    ("documents_document", None, False),
    ("registry_meeting", "dialogue_id", False),
    ("registry_dialogue", None, False),
    ("registry_agendaitem", "dialogue_id", True),
]


def search_sql(vendor: str) -> str:
    """The first 50 visible matches of each searched list, in one statement.

    The same matches as the page: the search index's own test of the words (FTS5 phrase on
    SQLite, ILIKE through the trigram index on PostgreSQL), ranked the same way (bm25 or
    trigram similarity, then the later date, then the id), each record and its dialogue
    under the access rule. Written in the fastest form known for one statement: the
    matches found once, and each list's tested for access in rank order until 50 pass (a
    plain join of index and records, ordered and limited, reads two to three times
    longer). What the page adds is Django's work: the statement and the records' queries
    built, the records read as objects, the template.
    """
    if vendor == "sqlite":
        matches = (
            "SELECT e.kind, e.record_id, e.dated, search_fts.rank AS score"
            " FROM search_fts CROSS JOIN search_entry e"
            f" WHERE search_fts MATCH '\"{SEARCH_WORDS}\"' AND e.id = search_fts.rowid"
        )
    else:
        matches = (
            f"SELECT kind, record_id, dated, -similarity('{SEARCH_WORDS}', body) AS score"
            f" FROM search_entry WHERE body ILIKE '%%{SEARCH_WORDS}%%'"
        )
    rank = "score, dated DESC NULLS LAST, record_id"
    parts = []
    for table, dialogue_column, in_round in SEARCHED:
        in_dialogue = (
            f" AND EXISTS (SELECT 1 FROM registry_dialogue d WHERE d.id = v.{dialogue_column}"
            f" AND {_visible('d')})"
            if dialogue_column
            else ""
        )
        if in_round:
            in_dialogue += (
                " AND (v.meeting_id IS NULL OR EXISTS (SELECT 1 FROM registry_meeting g"
                f" WHERE g.id = v.meeting_id AND {_visible('g')} AND EXISTS (SELECT 1 FROM"
                f" registry_dialogue gd WHERE gd.id = g.dialogue_id AND {_visible('gd')})))"
            )
        parts.append(
            f"SELECT * FROM (SELECT kind, record_id FROM"
            f" (SELECT * FROM m WHERE kind = '{table}' ORDER BY {rank}) r"
            f" WHERE EXISTS (SELECT 1 FROM {table} v WHERE v.id = r.record_id"
            f" AND {_visible('v')}{in_dialogue}) ORDER BY {rank} LIMIT 50) s_{table}"
        )
    return f"WITH m AS MATERIALIZED ({matches}) " + " UNION ALL ".join(parts)


def search_floor_finds_the_page_results(sql: str) -> bool:
    """Whether the floor's statement returns exactly the records the search page lists."""
    from django.db import connection

    from kizuna.commitments.selectors import search

    with connection.cursor() as cursor:
        cursor.execute(sql)
        floor = sorted((kind, record_id) for kind, record_id in cursor.fetchall())
    found = search(actor=_coordinator(), q=SEARCH_WORDS)
    page = sorted(
        (record._meta.db_table, str(record.pk))
        for records in (
            found.commitments,
            found.documents,
            found.meetings,
            found.dialogues,
            found.agenda_items,
        )
        for record in records
    )
    return floor == page


def sql_pass(sql: str) -> Callable[[], Any]:
    from django.db import connection

    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    return run


def measure(requests: int, only: set[str] | None = None) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kizuna.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=COORDINATOR))
    urls = targets()
    if only is not None:
        if unknown := only - urls.keys():
            raise SystemExit(f"--pages: no page named {', '.join(sorted(unknown))}")
        urls = {name: url for name, url in urls.items() if name in only}

    def fetch(url: str) -> Callable[[], Any]:
        def run() -> Any:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            return response

        return run

    pages: dict[str, Any] = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as captured:
            fetch(url)()
        pages[name] = {"url": url, "queries": len(captured)}
    floor_sql = {"home": home_sql(), "search": search_sql(connection.vendor)}
    floor_sql = {name: sql for name, sql in floor_sql.items() if name in pages}
    taken = timings(
        {name: fetch(url) for name, url in urls.items()}
        | {f"floor:{name}": sql_pass(sql) for name, sql in floor_sql.items()},
        requests,
    )
    for name in pages:
        pages[name] |= taken[name]
    floors = {name: taken[f"floor:{name}"] for name in floor_sql}
    verdicts: dict[str, Any] = {}
    for name in ("commitment_list", "dialogue", "commitment"):
        if name in pages and "trivial" in pages:
            ratio = pages[name]["p95_ms"] / pages["trivial"]["p95_ms"]
            verdicts[name] = {"against": "trivial p95", "ratio": round(ratio, 2)}
    for name, floor in floors.items():
        pages[name]["one_sql_pass"] = floor
        if name == "search":
            floor["same_matches_as_page"] = search_floor_finds_the_page_results(floor_sql[name])
        ratio = pages[name]["p95_ms"] / floor["p95_ms"]
        verdicts[name] = {"against": "one SQL pass p95", "ratio": round(ratio, 2)}
    for verdict in verdicts.values():
        verdict["pass"] = verdict["ratio"] <= TARGET_RATIO
    if "search" in verdicts:
        # A floor that finds other records than the page measures something else.
        verdicts["search"]["pass"] &= pages["search"]["one_sql_pass"]["same_matches_as_page"]
    return {
        "pages": pages,
        "targets": verdicts,
        "within_target": all(v["pass"] for v in verdicts.values()),
    }


def run(database_url: str, args: argparse.Namespace, *, build_it: bool) -> dict[str, Any]:
    configure(database_url)
    from django.db import connection

    migrate()  # a kept workspace gets this version's indexes too
    counts, seconds = build(args.scale, args.seed) if build_it else ({}, 0.0)
    return {
        "database": connection.vendor,
        "build_seconds": seconds,
        "rows": counts,
    } | measure(args.requests, set(args.pages.split(",")) if args.pages else None)


def main(argv: list[str] | None = None) -> int:
    from bench_analysis import add_keep_database, postgres_database  # a sibling script

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="the issue's sizes times this")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--database-url", help="run on this PostgreSQL server (a scratch database) instead"
    )
    add_keep_database(parser)
    parser.add_argument(
        "--sqlite-file", type=Path, help="keep the SQLite workspace here; reuse it when it exists"
    )
    parser.add_argument(
        "--pages",
        help="measure only these pages, comma-separated (e.g. search,trivial); default: all",
    )
    args = parser.parse_args(argv)
    if args.requests < 1 or args.scale <= 0:
        parser.error("--requests must be 1 or more and --scale above 0")
    if args.database_url:
        with postgres_database(args.database_url, keep=args.keep_database) as (url, built):
            result = run(url, args, build_it=not built)
    elif args.sqlite_file:
        exists = args.sqlite_file.exists()
        result = run(f"sqlite:///{args.sqlite_file.resolve()}", args, build_it=not exists)
    else:
        with tempfile.TemporaryDirectory() as folder:
            result = run(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", args, build_it=True)
    report = {
        "benchmark": "pages",
        "scale": args.scale,
        "seed": args.seed,
        "requests": args.requests,
        "target_ratio": TARGET_RATIO,
    } | result
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
