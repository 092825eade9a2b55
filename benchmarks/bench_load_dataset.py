"""How fast a dataset loads (`kizuna load`), against the floor of reading its files.

    .venv/bin/python benchmarks/bench_load_dataset.py [--records 20000] [--seed 7]
        [--database-url postgresql://postgres@127.0.0.1:5432/kizuna] [--demo]

Writes a synthetic dataset (deterministic for a seed) as JSON files beside the demo's
reference and taxonomy files: 20 dialogues with 2 to 6 parties, a meeting per 40
commitments, then commitments, one or two assessments per commitment and some notes, in the
proportions of real use, so that `--records` is the number of records loaded. One in five
commitments restates an earlier one in other words, so near-duplicate linking does real
work. `--demo` loads the U.S.–Japan demo instead.

Each load runs in a fresh database (a temporary SQLite file, or with --database-url a
scratch PostgreSQL database created on that server and dropped afterwards), in a child
process so that nothing is shared. In one run it times

- the floor: reading and parsing the files (`read_dataset`), which any load must do;
- the whole load, exactly as `kizuna load` runs it, and within it the audience refresh
  and the near-duplicate linking;

and prints one JSON document with the times and the ratio of the load to the floor.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEMO_DATA = REPO / "src" / "kizuna" / "demo" / "data"
REFERENCE_FILES = ("00-reference.yaml", "01-taxonomy.yaml")
PARTIES = ["USA", "JPN", "AUS", "IND", "KOR", "IDN", "PHL", "SGP", "THA", "VNM", "NZL", "EUU"]
LEADS = {"USA": "commerce", "JPN": "meti"}
TOPICS = ["supply-chain-resilience", "critical-technology-protection", "digital-trade"]
SECTORS = ["semiconductors", "critical-minerals", "batteries"]
MARKINGS = ["public", "public", "shared", "shared", "government-internal"]
SOURCE = [{"title": "synthetic", "publisher": "benchmark", "date": "2024"}]
# Words of real pledges, plus made-up ones so the vocabulary has a long tail.
DOMAIN_TEXT = (
    "semiconductor supply chain resilience critical minerals export controls investment "
    "screening research security cybersecurity energy hydrogen ammonia nuclear reactors grid "
    "batteries shipbuilding biotechnology quantum computing artificial intelligence standards "
    "workforce training startups infrastructure ports railways financing transparency "
    "procurement subsidies overcapacity coercion sanctions customs enforcement tariffs quotas "
    "steel aluminium fisheries agriculture vaccines pandemic preparedness satellites space "
    "cables telecommunications undersea connectivity digital trade privacy data flows"
)
DOMAIN_WORDS = DOMAIN_TEXT.split()
# Made-up words are built from many syllables, so that their 4-letter shingles are as varied
# as English ones (a few syllables would make every word look like every other).
ONSETS = ["", "b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "k", "l", "m", "n", "p"]
ONSETS += ["pl", "qu", "r", "s", "sh", "st", "t", "tr", "v", "w", "z"]
CODAS = ["", "", "n", "r", "s", "t", "l", "m", "x", "nd", "rk", "st"]
VERBS = ["Strengthen", "Launch", "Expand", "Coordinate", "Establish", "Promote", "Support"]


def vocabulary(rng: random.Random) -> list[str]:
    def syllable() -> str:
        return rng.choice(ONSETS) + rng.choice("aeiouy") + rng.choice(CODAS)

    made_up = {"".join(syllable() for _ in range(rng.randint(2, 4))) for _ in range(20_000)}
    return DOMAIN_WORDS + sorted(made_up - set(DOMAIN_WORDS))


def pledge(rng: random.Random, words: list[str], weights: list[float]) -> list[str]:
    """Content words drawn with a long tail (Zipf-like): a few common, most rare."""
    return rng.choices(words, cum_weights=weights, k=rng.randint(6, 14))


def restate(rng: random.Random, words: list[str], vocab: list[str]) -> list[str]:
    """The same pledge in other words: shuffled, one word swapped, one dropped."""
    changed = list(words)
    rng.shuffle(changed)
    changed[rng.randrange(len(changed))] = rng.choice(vocab)
    if len(changed) > 6:
        changed.pop(rng.randrange(len(changed)))
    return changed


def commitment_texts(rng: random.Random, count: int) -> list[str]:
    """`count` pledges; one in five restates an earlier one."""
    vocab = vocabulary(rng)
    weights = list(itertools.accumulate(1 / (rank + 20) for rank in range(len(vocab))))
    pledges: list[list[str]] = []
    for _ in range(count):
        restating = pledges and rng.random() < 0.2
        pledges.append(
            restate(rng, rng.choice(pledges), vocab) if restating else pledge(rng, vocab, weights)
        )
    return [f"{rng.choice(VERBS)} {' '.join(words)}." for words in pledges]


def synthetic_dataset(records: int, seed: int) -> dict[str, list[dict[str, Any]]]:
    """About `records` records: per commitment 1.4 assessments and 0.2 notes on average."""
    rng = random.Random(seed)
    commitments_wanted = max(1, int(records / 2.6))
    texts = commitment_texts(rng, commitments_wanted)
    dialogues = []
    for index in range(20):
        parties = ["USA", "JPN", *rng.sample(PARTIES[2:], rng.randint(0, 4))]
        dialogues.append(
            {
                "id": f"syn-d{index}",
                "name": f"Synthetic dialogue {index}",
                "kind": "working-group",
                "launched": "2020",
                "parties": parties,
                "leads": {"USA": ["commerce"], "JPN": ["meti"]},
                "marking": rng.choice(MARKINGS),
                "sources": SOURCE,
            }
        )
    meetings = []
    for index in range(max(1, commitments_wanted // 40)):
        dialogue = dialogues[index % len(dialogues)]
        meetings.append(
            {
                "id": f"syn-m{index}",
                "dialogue": dialogue["id"],
                "title": f"Round {index}",
                "date": f"{2021 + index % 4}-0{1 + index % 9}-1{index % 10}",
                "level": "working",
                "marking": dialogue["marking"],
                "sources": SOURCE,
            }
        )
    commitments: list[dict[str, Any]] = []
    assessments = []
    notes = []
    for index in range(commitments_wanted):
        meeting = meetings[index % len(meetings)]
        dialogue = dialogues[int(meeting["id"][5:]) % len(dialogues)]
        parties = dialogue["parties"][: rng.randint(1, len(dialogue["parties"]))]
        commitment_id = f"syn-c{index}"
        commitments.append(
            {
                "id": commitment_id,
                "text": texts[index],
                "dialogue": dialogue["id"],
                "meeting": meeting["id"],
                "parties": parties,
                "owners": {p: [LEADS[p]] for p in parties if p in LEADS},
                "topics": [rng.choice(TOPICS)],
                "sectors": [rng.choice(SECTORS)],
                "marking": rng.choice(MARKINGS),
                "owner": {"government": "USA", "agency": "commerce"},
                "sources": SOURCE,
            }
        )
        for number, party in enumerate(parties[: 1 + (rng.random() < 0.5)]):
            assessments.append(
                {
                    "id": f"{commitment_id}-a{number}",
                    "commitment": commitment_id,
                    "party": party,
                    "as_of": "2024-06-30",
                    "status": rng.choice(["not-started", "in-progress", "delivered"]),
                    "marking": rng.choice(MARKINGS),
                    "owner": {"government": party, "agency": LEADS.get(party)},
                    "sources": SOURCE,
                }
            )
        if rng.random() < 0.2:
            notes.append(
                {
                    "id": f"{commitment_id}-n",
                    "commitment": commitment_id,
                    "text": "Follow up at the next round.",
                    "written_on": "2024-07-01",
                    "marking": "government-internal",
                    "owner": {"government": "USA", "agency": "commerce"},
                }
            )
    return {
        "dialogues": dialogues,
        "meetings": meetings,
        "commitments": commitments,
        "assessments": assessments,
        "notes": notes,
    }


def write_dataset(folder: Path, records: int, seed: int) -> int:
    for name in REFERENCE_FILES:
        shutil.copy(DEMO_DATA / name, folder / name)
    dataset = synthetic_dataset(records, seed)
    (folder / "10-synthetic.json").write_text(json.dumps(dataset), encoding="utf-8")
    return sum(len(items) for items in dataset.values())


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def child(folder: Path, database_url: str) -> dict[str, Any]:
    """One load into a fresh database; runs in its own process."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kizuna.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kizuna.access.actor import Actor
    from kizuna.commitments.models import Commitment, CommitmentLink
    from kizuna.dataset import loader

    call_command("migrate", verbosity=0)
    floor, (by_list, _) = timed(lambda: loader.read_dataset([folder]))
    phases: dict[str, float] = {}

    def phase(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            seconds, result = timed(lambda: function(*args, **kwargs))
            phases[name] = phases.get(name, 0.0) + seconds
            return result

        return run

    # Time the loader's own steps as it calls them (the functions run unchanged).
    loader._refresh_audiences = phase("audiences_s", loader._refresh_audiences)  # type: ignore[method-assign]
    loader.link_all_near_duplicates = phase("near_duplicates_s", loader.link_all_near_duplicates)  # type: ignore[method-assign]
    load, report = timed(lambda: loader.load_dataset([folder], actor=Actor.operator()))
    return {
        "vendor": connection.vendor,
        "records": sum(len(records) for records in by_list.values()),
        "commitments": Commitment.objects.count(),
        "links": CommitmentLink.objects.count(),
        "floor_parse_s": round(floor, 3),
        "load_s": round(load, 3),
        **{name: round(seconds, 3) for name, seconds in phases.items()},
        "ratio": round(load / floor, 1),
        "summary": report.summary(),
    }


def near_duplicates(count: int, seed: int, reference_pairs: int) -> dict[str, Any]:
    """Linking `count` commitments: every pair (after a load) and one against all (a write)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    import django

    django.setup()
    from kizuna.commitments import similarity

    texts = commitment_texts(random.Random(seed), count)
    rows = [(f"c{index:06d}", text) for index, text in enumerate(texts)]
    similarity.fingerprint.cache_clear()
    # The floor: reading every text once into its word and shingle sets.
    floor, _ = timed(lambda: [similarity._fingerprint(text) for text in texts])
    every_pair, pairs = timed(lambda: list(similarity.near_duplicate_pairs(rows)))
    one, hits = timed(lambda: similarity.most_similar(texts[-1], rows[:-1], limit=20))
    # The pairwise comparison it replaces, timed on a sample and scaled to all pairs.
    rng = random.Random(seed)
    sample = [(rng.choice(texts), rng.choice(texts)) for _ in range(reference_pairs)]
    sampled, _ = timed(lambda: [similarity.similarity(a, b) for a, b in sample])
    all_pairs = count * (count - 1) // 2
    return {
        "commitments": count,
        "links": len(pairs),
        "floor_fingerprints_s": round(floor, 3),
        "all_pairs_s": round(every_pair, 3),
        "all_pairs_ratio": round(every_pair / floor, 1),
        "one_against_all_s": round(one, 3),
        "one_against_all_hits": len(hits),
        "pairwise_estimate_s": round(sampled / reference_pairs * all_pairs, 1),
    }


@contextmanager
def scratch_database(postgres_url: str | None, home: Path) -> Iterator[str]:
    if not postgres_url:
        yield f"sqlite:///{home / f'load-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    import psycopg

    base, _, _ = postgres_url.rpartition("/")
    name = f"kizuna_bench_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--demo", action="store_true", help="load the demo dataset instead")
    parser.add_argument("--database-url", help="a PostgreSQL server to run on as well")
    parser.add_argument(
        "--near-duplicates",
        type=int,
        nargs="+",
        metavar="N",
        help="time near-duplicate linking at N commitments instead (no database)",
    )
    parser.add_argument(
        "--child", nargs=2, metavar=("FOLDER", "DATABASE_URL"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(Path(args.child[0]), args.child[1])))
        return 0
    if args.near_duplicates:
        runs = [near_duplicates(count, args.seed, 200_000) for count in args.near_duplicates]
        print(json.dumps({"near_duplicates": runs}, indent=2))
        return 0
    results: dict[str, Any] = {"dataset": "demo" if args.demo else f"synthetic-{args.records}"}
    with tempfile.TemporaryDirectory(prefix="kizuna-bench-load-") as tmp:
        home = Path(tmp)
        folder = DEMO_DATA
        if not args.demo:
            folder = home / "data"
            folder.mkdir()
            write_dataset(folder, args.records, args.seed)
        for postgres_url in [None, *([args.database_url] if args.database_url else [])]:
            with scratch_database(postgres_url, home) as url:
                env = {**os.environ, "KIZUNA_HOME": str(home)}
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(folder), url],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                if out.returncode:
                    sys.exit(f"the load failed:\n{out.stderr}")
                run = json.loads(out.stdout.strip().splitlines()[-1])
                results[run.pop("vendor")] = run
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
