"""How fast full-text search runs at scale, against one LIKE pass computing the same matches.

    .venv/bin/python benchmarks/bench_search.py [--commitments 50000] [--full]
        [--database-url postgresql://postgres@127.0.0.1:5432/kizuna [--keep-database NAME]] [--repeat 3] [--seed 7]

Builds the synthetic workspace of bench_analysis.py (`kizuna.synth`, deterministic for a
seed; the search index is filled by its triggers during the bulk load) in a temporary SQLite
database and, with --database-url, in a scratch PostgreSQL database. Then, for queries from
rare to common, in English and Japanese, long and short, it times in the same run

- the floor: one SQL pass through the driver's cursor that finds the same matches the old
  way, `LIKE '%q%'` over every searchable column of the four tables (no access rule);
- `search()`, what the search page shows (four kinds, ranked, through the access rule);
- `list_page`: the first page of the commitment list filtered by `q`;

as a U.S. coordinator, best of `--repeat` after a warm-up, and prints JSON with the times,
the ratios to the floor and the number of queries. The target (issue 4): search within 3x
of the floor.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_analysis import (  # a sibling script, not a package
    add_keep_database,
    best_of,
    configure,
    migrate_and_build,
    postgres_runs,
    summary,
)

TARGET_RATIO = 3.0

# From one match to every commitment; a two-character Japanese query takes the LIKE fallback.
# The synthetic text is "Commitment N: the parties will cooperate on item M." throughout, so
# "cooperate" is the worst case: every row matches and every match is ranked.
QUERIES = {
    "rare": "Commitment 1234:",
    "moderate": "on item 42.",
    "common": "item 4",
    "every_row": "cooperate",
    "japanese": "対話 1",
    "japanese_two_characters": "対話",
    "no_match": "zzyzx",
}

# The columns search covers (kizuna/search/migrations/0002), for the floor's LIKE pass.
COLUMNS = {
    "commitments_commitment": ("text",),
    "documents_document": ("title", "text"),
    "registry_meeting": ("title", "title_ja", "place", "place_ja", "summary"),
    "registry_dialogue": ("name", "name_ja", "acronym"),
}


def floor_query(q: str) -> Callable[[], Any]:
    """One pass over the four tables with LIKE: the ids of every record containing `q`."""
    from django.db import connection

    like = "ILIKE" if connection.vendor == "postgresql" else "LIKE"
    parts, params = [], []
    for table, columns in COLUMNS.items():
        parts.append(
            f"SELECT id FROM {table} WHERE " + " OR ".join(f"{c} {like} %s" for c in columns)
        )
        params += [f"%{q}%"] * len(columns)
    sql = " UNION ALL ".join(parts)

    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def measure(repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kizuna.access.actor import Actor
    from kizuna.commitments.selectors import CommitmentFilters, commitments_visible, search

    actor = Actor(
        name="usa-coordinator", government="USA", agency="white-house", role="coordinator"
    )
    results: dict[str, Any] = {}
    for name, q in QUERIES.items():
        floor_run = floor_query(q)
        floor = best_of(floor_run, repeat)

        def search_run(q: str = q) -> Any:
            return search(actor=actor, q=q)

        def list_run(q: str = q) -> Any:
            return list(commitments_visible(actor=actor, filters=CommitmentFilters(q=q))[:50])

        search_seconds = best_of(search_run, repeat)
        list_seconds = best_of(list_run, repeat)
        with CaptureQueriesContext(connection) as captured:
            found = search_run()
        results[name] = {
            "q": q,
            "floor_matches": len(floor_run()),
            "shown": {
                "commitments": len(found.commitments),
                "documents": len(found.documents),
                "meetings": len(found.meetings),
                "dialogues": len(found.dialogues),
            },
            "floor_seconds": round(floor, 4),
            "search_seconds": round(search_seconds, 4),
            "search_ratio": round(search_seconds / floor, 2),
            "list_page_seconds": round(list_seconds, 4),
            "search_queries": len(captured),
        }
    return {
        "queries": results,
        "worst_search_ratio": max(r["search_ratio"] for r in results.values()),
        "within_target": all(r["search_ratio"] <= TARGET_RATIO for r in results.values()),
    }


def run_one(
    database_url: str, commitments: int, seed: int, repeat: int, *, build: bool = True
) -> dict[str, Any]:
    configure(database_url)
    from django.db import connection

    counts: dict[str, int] = {}
    build_seconds = 0.0
    if build:
        counts, build_seconds = migrate_and_build(commitments, seed)
    result = {"database": connection.vendor, "build_seconds": build_seconds, "rows": counts}
    return result | measure(repeat)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--commitments", type=int, default=50_000)
    parser.add_argument("--full", action="store_true", help="the issue's size: 200,000 commitments")
    parser.add_argument("--database-url", help="run on this PostgreSQL server (a scratch database)")
    parser.add_argument("--only-postgres", action="store_true", help="skip the SQLite run")
    add_keep_database(parser)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    commitments = 200_000 if args.full else args.commitments
    runs: list[dict[str, Any]] = []
    if not args.only_postgres:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            runs.append(run_one(url, commitments, args.seed, args.repeat))
    runs += postgres_runs(args, commitments, run_one, script=__file__, ran_sqlite=bool(runs))
    report = summary("search", TARGET_RATIO, commitments, args.seed, runs)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
