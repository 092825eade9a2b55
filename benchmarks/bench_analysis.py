"""How fast the coordinators' analyses run at scale, against the floor of one SQL pass.

    .venv/bin/python benchmarks/bench_analysis.py [--commitments 50000] [--full]
        [--database-url postgresql://postgres@127.0.0.1:5432/kizuna [--keep-database NAME]]
        [--sqlite-file PATH] [--repeat 3] [--seed 7]

Builds a synthetic workspace with `kizuna.synth` (deterministic for a seed) in a temporary
SQLite database and, with --database-url, in a scratch PostgreSQL database created on that
server and dropped afterwards. Sizes follow the workspace issue's proportions: 20
governments, 300 agencies, 500 dialogues, one meeting per 20 commitments, two assessments
per commitment; `--full` is the issue's 200,000 commitments. Markings, owners and parties
are spread as in real use, so the access rule does real work.

Then, in one run and on the same rows, it times

- the floor: one SQL pass counting commitments per topic and dialogue, through the
  driver's cursor;
- each analysis, exactly as `kizuna analyze` calls it, as a U.S. coordinator;

best of `--repeat` runs after a warm-up, and prints one JSON document with the times, the
ratios to the floor and the number of queries. The target (issue 6) is each analysis
within 5x the floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

TARGET_RATIO = 5.0


def configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kizuna.settings"
    os.environ.setdefault("KIZUNA_ENV", "development")
    import django

    django.setup()


def build_workspace(commitments: int, seed: int) -> dict[str, int]:
    """The product's generator (`kizuna synth`) at this benchmark's proportions."""
    from kizuna.access.actor import Actor
    from kizuna.synth import Sizes, generate

    sizes = Sizes(
        commitments=commitments, meetings=max(50, commitments // 20), assessments=2 * commitments
    )
    return generate(sizes, seed=seed, actor=Actor.operator())


def floor_query() -> Callable[[], Any]:
    """One pass over the commitments' topic tags, counting per topic and dialogue."""
    from django.db import connection

    from kizuna.commitments.models import Commitment

    through = Commitment.topics.through._meta.db_table
    table = Commitment._meta.db_table
    sql = (
        f"SELECT t.topic_id, c.dialogue_id, COUNT(*) FROM {through} t "
        f"JOIN {table} c ON c.id = t.commitment_id GROUP BY t.topic_id, c.dialogue_id"
    )

    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    return run


def analyses(as_of: dt.date) -> dict[str, Callable[[Any], Any]]:
    from kizuna.analysis.changes import changes
    from kizuna.analysis.compliance import compliance
    from kizuna.analysis.concerns import concerns
    from kizuna.analysis.coverage import coverage
    from kizuna.analysis.frameworks import framework_for
    from kizuna.analysis.gaps import gaps
    from kizuna.analysis.overlaps import overlaps
    from kizuna.analysis.slippage import slippage

    return {
        "coverage": lambda a: coverage(actor=a, as_of=as_of),
        "overlaps": lambda a: overlaps(actor=a, as_of=as_of),
        "gaps": lambda a: gaps(actor=a, as_of=as_of, framework=framework_for("economic-security")),
        "slippage": lambda a: slippage(actor=a, as_of=as_of),
        "compliance": lambda a: compliance(actor=a, as_of=as_of),
        "changes": lambda a: changes(actor=a, since=as_of - dt.timedelta(days=365), as_of=as_of),
        "concerns": lambda a: concerns(actor=a, as_of=as_of),
    }


def best_of(run: Callable[[], Any], repeat: int) -> float:
    run()  # warm-up: caches, query plans
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kizuna.access.actor import Actor

    actor = Actor(
        name="usa-coordinator", government="USA", agency="white-house", role="coordinator"
    )
    as_of = dt.date(2025, 6, 1)
    floor = best_of(floor_query(), repeat)
    results: dict[str, Any] = {}
    for name, run in analyses(as_of).items():
        seconds = best_of(functools.partial(run, actor), repeat)
        with CaptureQueriesContext(connection) as captured:
            run(actor)
        results[name] = {
            "seconds": round(seconds, 4),
            "ratio": round(seconds / floor, 2),
            "queries": len(captured),
        }
    return {
        "floor_seconds": round(floor, 4),
        "analyses": results,
        "worst_ratio": max(r["ratio"] for r in results.values()),
        "within_target": all(r["ratio"] <= TARGET_RATIO for r in results.values()),
    }


def migrate_and_build(commitments: int, seed: int) -> tuple[dict[str, int], float]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    counts = build_workspace(commitments, seed)
    settle_after_bulk_load()
    return counts, round(time.perf_counter() - start, 1)


def settle_after_bulk_load() -> None:
    """Leave the database as a server leaves it minutes after a bulk load.

    Fresh statistics for the planner (ANALYZE) on both databases; on PostgreSQL also
    VACUUM, which autovacuum runs on its own after a large insert: until then the
    visibility map is empty and every index-only scan (the list's filters) reads the table
    rows too.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if _vendor() == "postgresql" else "ANALYZE")


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


@contextmanager
def scratch_postgres(url: str) -> Iterator[str]:
    """A database of its own on the server named by `url`, dropped afterwards."""
    with postgres_database(url, keep=None) as (database, _):
        yield database


@contextmanager
def postgres_database(url: str, *, keep: str | None) -> Iterator[tuple[str, bool]]:
    """A database on the server named by `url`, and whether it holds a workspace already.

    Without `keep`, a scratch database, dropped afterwards. With `keep`, the database of
    that name: created when missing, reused as it is when it exists (a workspace built by an
    earlier run with the same sizes and seed), never dropped. Building the full workspace
    takes minutes; reusing it lets one measure again after a change.
    """
    import psycopg

    name = keep or f"kizuna_bench_{uuid.uuid4().hex[:8]}"
    base, _, _ = url.rpartition("/")
    # The server's maintenance database: the one in the URL need not exist.
    maintenance = f"{base}/postgres"
    with psycopg.connect(maintenance, autocommit=True) as admin:
        exists = bool(
            admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        )
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}", exists
    finally:
        from django.db import connections

        connections.close_all()
        if keep is None:
            with psycopg.connect(maintenance, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_one(
    database_url: str, commitments: int, seed: int, repeat: int, *, build: bool = True
) -> dict[str, Any]:
    configure(database_url)
    counts: dict[str, int] = {}
    build_seconds = 0.0
    if build:
        counts, build_seconds = migrate_and_build(commitments, seed)
    result = {"database": _vendor(), "build_seconds": build_seconds, "rows": counts}
    result |= measure(repeat)
    return result


def postgres_runs(
    args: argparse.Namespace,
    commitments: int,
    run_one: Callable[..., dict[str, Any]],
    *,
    script: str,
    ran_sqlite: bool,
) -> list[dict[str, Any]]:
    """The PostgreSQL run of a benchmark script (`--database-url`), on a scratch database.

    Django is configured once per process: after a SQLite run, the PostgreSQL run is the same
    script in a child process with `--only-postgres`, whose JSON runs are taken over.
    """
    if not args.database_url:
        return []
    if not ran_sqlite:
        with postgres_database(args.database_url, keep=args.keep_database) as (url, built):
            return [run_one(url, commitments, args.seed, args.repeat, build=not built)]
    import subprocess

    keep = ["--keep-database", args.keep_database] if args.keep_database else []
    child = subprocess.run(
        [sys.executable, script, "--only-postgres", "--database-url", args.database_url, *keep,
         "--commitments", str(commitments), "--repeat", str(args.repeat), "--seed", str(args.seed)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if child.returncode == 0:
        return list(json.loads(child.stdout)["runs"])
    return [{"database": "postgresql", "error": child.stderr.strip().splitlines()[-1:]}]


def add_keep_database(parser: argparse.ArgumentParser) -> None:
    """The sized benchmarks' option to keep their PostgreSQL workspace between runs."""
    parser.add_argument(
        "--keep-database",
        metavar="NAME",
        help="with --database-url: keep the workspace in this PostgreSQL database and reuse it "
        "when it exists",
    )


def summary(
    benchmark: str, target_ratio: float, commitments: int, seed: int, runs: list[dict[str, Any]]
) -> dict[str, Any]:
    """The JSON every sized benchmark prints: its runs and whether all met the target."""
    return {
        "benchmark": benchmark,
        "commitments": commitments,
        "seed": seed,
        "target_ratio": target_ratio,
        "runs": runs,
        "within_target": all(r.get("within_target", False) for r in runs),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commitments", type=int, default=50_000)
    parser.add_argument("--full", action="store_true", help="the issue's size: 200,000 commitments")
    parser.add_argument(
        "--database-url", help="also run on this PostgreSQL server (a scratch database)"
    )
    parser.add_argument("--only-postgres", action="store_true", help="skip the SQLite run")
    add_keep_database(parser)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--sqlite-file",
        type=Path,
        help="keep the SQLite workspace in this file; reuse it when it exists",
    )
    args = parser.parse_args(argv)
    commitments = 200_000 if args.full else args.commitments
    runs: list[dict[str, Any]] = []
    if args.sqlite_file and not args.only_postgres:
        exists = args.sqlite_file.exists()
        url = f"sqlite:///{args.sqlite_file.resolve()}"
        runs.append(run_one(url, commitments, args.seed, args.repeat, build=not exists))
        args.only_postgres = True
    if not args.only_postgres:
        with tempfile.TemporaryDirectory() as folder:
            runs.append(
                run_one(
                    f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                    commitments,
                    args.seed,
                    args.repeat,
                )
            )
    runs += postgres_runs(args, commitments, run_one, script=__file__, ran_sqlite=bool(runs))
    report = summary("analysis", TARGET_RATIO, commitments, args.seed, runs)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
