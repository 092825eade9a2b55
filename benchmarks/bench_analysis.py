"""How fast the coordinators' analyses run at scale, against the floor of one SQL pass.

    .venv/bin/python benchmarks/bench_analysis.py [--commitments 50000] [--full]
        [--database-url postgresql://postgres@127.0.0.1:5432/kizuna] [--repeat 3] [--seed 7]

Builds a synthetic workspace with bulk_create (deterministic for a seed) in a temporary
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
import json
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

TARGET_RATIO = 5.0
BATCH = 5_000
GOVERNMENTS = [
    "USA", "JPN", "KOR", "AUS", "IND", "IDN", "PHL", "SGP", "THA", "VNM",
    "MYS", "NZL", "BRN", "FJI", "CAN", "GBR", "DEU", "FRA", "ITA", "EUU",
]  # fmt: skip
TAXONOMY = {
    "economic-security": [
        "supply-chain-resilience",
        "critical-technology-protection",
        "cybersecurity",
        "non-market-practices",
        "economic-coercion",
        "energy-security",
    ],
    "trade": [
        "market-access",
        "digital-trade",
        "trade-facilitation",
        "labor-rights",
        "trade-and-environment",
        "regional-multilateral-fora",
    ],
    "investment-infrastructure": ["two-way-investment", "third-country-infrastructure"],
    "innovation": ["research-cooperation", "digital-connectivity", "people-to-people"],
    "climate-energy": ["clean-energy-technology", "decarbonization"],
    "health-security": [],
    "rules-and-norms": [],
}
# Children under one leaf, so that the family unions run over three levels.
GRANDCHILDREN = {"critical-technology-protection": ["export-controls", "investment-screening"]}
MARKINGS = ["public"] * 14 + ["shared"] * 3 + ["government-internal"] * 2 + ["agency-internal"]
STATUSES = [
    "not-started",
    "in-progress",
    "in-progress",
    "delivered",
    "delivered",
    "stalled",
    "withdrawn",
]
COMPLETIONS = ["", "not-started", "limited", "substantial", "complete", "complete"]


def configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kizuna.settings"
    os.environ.setdefault("KIZUNA_ENV", "development")
    import django

    django.setup()


def day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def pack(codes: set[str]) -> str:
    from kizuna.registry.records import pack_codes

    return pack_codes(codes)


class Workspace:
    """The synthetic world, built in memory then written with bulk_create."""

    def __init__(self, *, commitments: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.n_commitments = commitments
        self.n_dialogues = 500
        self.n_meetings = max(50, commitments // 20)
        self.agencies: dict[str, list[str]] = {}
        self.topics_leaf: list[str] = []
        self.topics_family: list[str] = []
        self.counts: dict[str, int] = {}

    def build(self) -> dict[str, int]:
        from django.db import transaction

        with transaction.atomic():
            self._reference()
            dialogues = self._dialogues()
            meetings = self._meetings(dialogues)
            commitments = self._commitments(dialogues)
            self._assessments(commitments)
            self._concerns(meetings)
        return self.counts

    def _bulk(self, model: Any, rows: list[Any]) -> None:
        model.objects.bulk_create(rows, batch_size=BATCH)
        label = model._meta.db_table
        self.counts[label] = self.counts.get(label, 0) + len(rows)

    def _record(self, parties: set[str], owner: str, agency: str | None) -> dict[str, Any]:
        marking = self.rng.choice(MARKINGS)
        return {
            "marking": marking,
            "owner_government_id": owner,
            "owner_agency_id": agency if agency or marking != "agency-internal" else None,
            "audience": pack(parties | {owner}),
            "sources": [{"title": "synthetic"}],
        }

    def _reference(self) -> None:
        from kizuna.registry.models import Agency, Government, Topic

        self._bulk(Government, [Government(id=g, name=f"Government {g}") for g in GOVERNMENTS])
        known = {
            "USA": ["white-house", "commerce", "state", "ustr"],
            "JPN": ["kantei", "meti", "mofa"],
        }
        agencies = []
        for g in GOVERNMENTS:
            slugs = known.get(g, []) + [
                f"{g.lower()}-a{i}" for i in range(15 - len(known.get(g, [])))
            ]
            self.agencies[g] = slugs
            agencies += [Agency(id=s, government_id=g, name=s) for s in slugs]
        self._bulk(Agency, agencies)
        topics = []
        for family, children in TAXONOMY.items():
            topics.append(Topic(id=family, name=family))
            (self.topics_family if children else self.topics_leaf).append(family)
        for family, children in TAXONOMY.items():
            for child in children:
                topics.append(Topic(id=child, name=child, parent_id=family))
                (self.topics_family if child in GRANDCHILDREN else self.topics_leaf).append(child)
        for parent, children in GRANDCHILDREN.items():
            for child in children:
                topics.append(Topic(id=child, name=child, parent_id=parent))
                self.topics_leaf.append(child)
        self._bulk(Topic, topics)

    def _dialogues(self) -> list[dict[str, Any]]:
        from kizuna.registry.models import Dialogue, DialogueLead, Membership

        rng = self.rng
        made: list[dict[str, Any]] = []
        rows, memberships, leads = [], [], []
        for i in range(self.n_dialogues):
            anchor = rng.choice(["USA", "JPN", rng.choice(GOVERNMENTS)])
            parties = {anchor, *rng.sample(GOVERNMENTS, rng.randint(1, 4))}
            launched = day(rng, dt.date(2000, 1, 1), dt.date(2024, 6, 1))
            ended = day(rng, launched, dt.date(2026, 1, 1)) if rng.random() < 0.15 else None
            parent = rng.choice(made)["id"] if made and rng.random() < 0.2 else None
            lead_of = {p: rng.sample(self.agencies[p], rng.randint(1, 2)) for p in sorted(parties)}
            owner = sorted(parties)[0]
            did = f"d{i:04d}"
            rows.append(
                Dialogue(
                    id=did,
                    name=f"Dialogue {i}",
                    kind="ministerial-dialogue",
                    parent_id=parent,
                    launched=launched.isoformat(),
                    launched_first=launched,
                    ended=ended.isoformat() if ended else "",
                    ended_first=ended,
                    status="concluded" if ended else "active",
                    **self._record(parties, owner, lead_of[owner][0]),
                )
            )
            memberships += [
                Membership(
                    id=f"{did}-{p.lower()}",
                    dialogue_id=did,
                    party_id=p,
                    joined=launched.isoformat(),
                    joined_first=launched,
                    **self._record(parties, owner, lead_of[owner][0]) | {"marking": "public"},
                )
                for p in sorted(parties)
            ]
            leads += [
                DialogueLead(dialogue_id=did, party_id=p, agency_id=a, position=j)
                for p, agencies in lead_of.items()
                for j, a in enumerate(agencies)
            ]
            made.append(
                {"id": did, "parties": sorted(parties), "launched": launched, "leads": lead_of}
            )
        self._bulk(Dialogue, rows)
        self._bulk(Membership, memberships)
        self._bulk(DialogueLead, leads)
        return made

    def _meetings(self, dialogues: list[dict[str, Any]]) -> list[tuple[str, str]]:
        from kizuna.registry.models import AgendaItem, Meeting

        rng = self.rng
        meetings, items, item_topics = [], [], []
        made: list[tuple[str, str]] = []
        for i in range(self.n_meetings):
            d = rng.choice(dialogues)
            when = day(rng, d["launched"], dt.date(2025, 12, 31))
            mid = f"m{i:06d}"
            owner = d["parties"][0]
            meetings.append(
                Meeting(
                    id=mid,
                    dialogue_id=d["id"],
                    title=f"Round {i}",
                    date=when.isoformat(),
                    date_first=when,
                    level="ministerial",
                    **self._record(set(d["parties"]), owner, d["leads"][owner][0]),
                )
            )
            items.append(
                AgendaItem(
                    id=f"{mid}-i",
                    dialogue_id=d["id"],
                    meeting_id=mid,
                    title="Item",
                    **self._record(set(d["parties"]), owner, d["leads"][owner][0]),
                )
            )
            for topic in rng.sample(self.topics_leaf, rng.randint(1, 2)):
                item_topics.append(
                    AgendaItem.topics.through(agendaitem_id=f"{mid}-i", topic_id=topic)
                )
            made.append((mid, d["id"]))
        self._bulk(Meeting, meetings)
        self._bulk(AgendaItem, items)
        self._bulk(AgendaItem.topics.through, item_topics)
        return made

    def _commitments(self, dialogues: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from kizuna.commitments.models import Commitment, CommitmentOwner

        rng = self.rng
        rows, topics, parties, owners = [], [], [], []
        made: list[dict[str, Any]] = []
        through_topics, through_parties = Commitment.topics.through, Commitment.parties.through
        for i in range(self.n_commitments):
            d = rng.choice(dialogues)
            who = rng.sample(d["parties"], min(2, len(d["parties"])))
            made_on = day(rng, d["launched"], dt.date(2025, 6, 1))
            deadline = (
                made_on + dt.timedelta(days=rng.randint(90, 1500)) if rng.random() < 0.6 else None
            )
            cid = f"c{i:07d}"
            owner = who[0]
            rows.append(
                Commitment(
                    id=cid,
                    text=f"Commitment {i}",
                    dialogue_id=d["id"],
                    made_on=made_on.isoformat(),
                    made_on_first=made_on,
                    deadline_latest=deadline,
                    lifecycle="active"
                    if rng.random() < 0.9
                    else rng.choice(["withdrawn", "superseded"]),
                    **self._record(set(d["parties"]) | set(who), owner, d["leads"][owner][0]),
                )
            )
            tags = rng.sample(self.topics_leaf, rng.choice([1, 1, 2, 2, 3]))
            if rng.random() < 0.05:
                tags.append(rng.choice(self.topics_family))
            topics += [through_topics(commitment_id=cid, topic_id=t) for t in tags]
            parties += [through_parties(commitment_id=cid, government_id=p) for p in who]
            owners += [
                CommitmentOwner(
                    commitment_id=cid, party_id=p, agency_id=rng.choice(self.agencies[p])
                )
                for p in who
            ]
            made.append({"id": cid, "parties": who, "made_on": made_on, "dialogue": d})
        self._bulk(Commitment, rows)
        self._bulk(through_topics, topics)
        self._bulk(through_parties, parties)
        self._bulk(CommitmentOwner, owners)
        return made

    def _assessments(self, commitments: list[dict[str, Any]]) -> None:
        from kizuna.commitments.models import Assessment, AssessmentReview

        rng = self.rng
        rows, reviews = [], []
        n = 0
        for c in commitments:
            # The parties mostly agree on where a commitment stands, as in real use.
            shared_status = rng.choice(STATUSES)
            for party in c["parties"]:
                for _ in range(rng.choice([0, 1, 1, 1, 2])):
                    when = day(rng, c["made_on"], dt.date(2026, 1, 1))
                    aid = f"a{n:07d}"
                    n += 1
                    rows.append(
                        Assessment(
                            id=aid,
                            commitment_id=c["id"],
                            party_id=party,
                            as_of=when,
                            status=shared_status if rng.random() < 0.8 else rng.choice(STATUSES),
                            score=rng.choice([-1, 0, 1, None]),
                            completion=rng.choice(COMPLETIONS),
                            **self._record(set(c["dialogue"]["parties"]), party, None)
                            | {
                                "marking": rng.choice(
                                    ["public"] * 5 + ["shared"] * 2 + ["government-internal"]
                                )
                            },
                        )
                    )
                    others = [p for p in c["parties"] if p != party]
                    if others and rng.random() < 0.05:
                        reviews.append(
                            AssessmentReview(
                                assessment_id=aid,
                                party_id=others[0],
                                verdict="contested",
                                on=when + dt.timedelta(days=10),
                            )
                        )
        self._bulk(Assessment, rows)
        self._bulk(AssessmentReview, reviews)

    def _concerns(self, meetings: list[tuple[str, str]]) -> None:
        from kizuna.commitments.models import Concern

        rng = self.rng
        rows, raised = [], []
        for i in range(max(20, self.n_commitments // 100)):
            by, about = rng.sample(GOVERNMENTS[:6], 2)
            first = day(rng, dt.date(2015, 1, 1), dt.date(2025, 6, 1))
            resolved = day(rng, first, dt.date(2026, 6, 1)) if rng.random() < 0.3 else None
            kid = f"k{i:05d}"
            rows.append(
                Concern(
                    id=kid,
                    title=f"Concern {i}",
                    raised_by_id=by,
                    about_id=about,
                    first_raised=first.isoformat(),
                    first_raised_first=first,
                    status="resolved" if resolved else "open",
                    resolved_on=resolved.isoformat() if resolved else "",
                    resolved_on_first=resolved,
                    **self._record({by, about}, by, None) | {"marking": "public"},
                )
            )
            for mid, _ in rng.sample(meetings, 2):
                raised.append(Concern.raised_at.through(concern_id=kid, meeting_id=mid))
        self._bulk(Concern, rows)
        self._bulk(Concern.raised_at.through, raised)


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
        seconds = best_of(lambda run=run: run(actor), repeat)
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
    counts = Workspace(commitments=commitments, seed=seed).build()
    if _vendor() == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts, round(time.perf_counter() - start, 1)


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


@contextmanager
def scratch_postgres(url: str) -> Iterator[str]:
    """A database of its own on the server named by `url`, dropped afterwards."""
    import psycopg

    name = f"kizuna_bench_{uuid.uuid4().hex[:8]}"
    base, _, _ = url.rpartition("/")
    # The server's maintenance database: the one in the URL need not exist.
    maintenance = f"{base}/postgres"
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        from django.db import connections

        connections.close_all()
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commitments", type=int, default=50_000)
    parser.add_argument("--full", action="store_true", help="the issue's size: 200,000 commitments")
    parser.add_argument(
        "--database-url", help="also run on this PostgreSQL server (a scratch database)"
    )
    parser.add_argument("--only-postgres", action="store_true", help="skip the SQLite run")
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
    if args.database_url:
        if runs:
            # Django is configured once per process: the PostgreSQL run gets a fresh one.
            import subprocess

            child = subprocess.run(
                [sys.executable, __file__, "--only-postgres", "--database-url", args.database_url,
                 "--commitments", str(commitments), "--repeat", str(args.repeat), "--seed", str(args.seed)],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if child.returncode == 0:
                runs += json.loads(child.stdout)["runs"]
            else:
                runs.append(
                    {"database": "postgresql", "error": child.stderr.strip().splitlines()[-1:]}
                )
        else:
            with scratch_postgres(args.database_url) as url:
                runs.append(run_one(url, commitments, args.seed, args.repeat))
    report = {
        "benchmark": "analysis",
        "commitments": commitments,
        "seed": args.seed,
        "target_ratio": TARGET_RATIO,
        "runs": runs,
        "within_target": all(r.get("within_target", False) for r in runs),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
