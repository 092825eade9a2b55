"""Load: 50 signed-in users for 2 minutes against gunicorn (4 workers), on SQLite and PostgreSQL.

    .venv/bin/pip install -e '.[bench]'   # locust
    .venv/bin/python benchmarks/bench_load.py [--duration 120] [--users 50] [--scale 0.05]
        [--databases sqlite,postgresql]
        [--database-url postgresql://postgres:postgres@127.0.0.1:5432/postgres]

For each database, in a temporary folder (and, for PostgreSQL, a scratch database created
on the server named by --database-url and dropped afterwards):

1. `kizuna synth --scale S --seed 7` builds the synthetic workspace; statements are
   ingested as each government's desk officer, so the review queue has candidates to
   decide; each government's coordinator gets a read-write API
   token, and each simulated user a session of a desk officer or reader of its government
   (opened in setup as Django's test client does: signing 50 people in during the run
   would measure Argon2, not Kizuna).
2. gunicorn serves it with 4 workers. The API rate limits are raised above the load for
   the run (KIZUNA_API_RATE_PER_TOKEN and _PER_IP, through a settings module of the run's
   own that imports kizuna.settings).
3. locust runs headless (`-u 50 -r 10 -t 2m --csv`), this same file being the locustfile:
   each simulated user mixes reads — home, the commitment and dialogue pages, search,
   API lists, the coordinators' analyses — with writes: assessments through the API
   (read-write token) and review-queue decisions (accept one in three, else reject), each
   user on candidates of its own so no two users decide the same one.

It prints one JSON document per run: throughput, p50/p95/p99 per request kind, for all
reads, all writes and overall, the error rate, and the trivial request's p95 (`GET
/api/v1/meta`: authentication and nothing else) with each read kind's ratio to it. The
target (issue 7): error rate 0, and reads' p95 within 5x the trivial request's p95.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

TARGET_RATIO = 5.0
TARGET_ERROR_RATE = 0.0
ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PLAN_ENV = "KIZUNA_LOAD_PLAN"
SAMPLES_ENV = "KIZUNA_LOAD_SAMPLES"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
TRIVIAL = "trivial: GET /api/v1/meta"
ANALYSES = ["coverage", "overlaps", "gaps", "slippage", "compliance", "concerns"]
SEARCH_WORDS = ["supply", "energy", "semiconductor", "minerals", "batteries", "investment"]
# Rate limits for the run: far above what 50 users can send in a minute.
RUN_SETTINGS = """from kizuna.settings import *  # noqa: F403

KIZUNA_API_RATE_PER_TOKEN = 1_000_000
KIZUNA_API_RATE_PER_IP = 1_000_000
"""


# --- setup (a child process with Django configured for the run's database) ----------------


def statement(number: int, government: str) -> str:
    """A distinct statement (its own content hash) with three commitment sentences."""
    return (
        f"Joint Statement number {number} of the synthetic dialogue\n\n"
        f"The partners will convene working group {number} on battery supply chains "
        f"before the end of {2026 + number % 3}.\n"
        f"{government} will launch a critical minerals fund number {number} within six months.\n"
        f"The partners intend to publish roadmap {number} on semiconductor resilience by 2027.\n"
        f"The partners discussed item {number}.\n"
    )


def setup(scale: float, seed: int, users: int, plan_path: Path) -> None:
    """Build the workspace, queue candidates, make tokens; write what locust users need."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from kizuna.access.actor import Actor
    from kizuna.accounts.models import User
    from kizuna.api.tokens import token_create
    from kizuna.commitments.models import Commitment
    from kizuna.commitments.selectors import commitments_visible
    from kizuna.documents.models import CommitmentCandidate, Decision
    from kizuna.documents.services import document_ingest, read_upload
    from kizuna.registry.models import Dialogue

    started = time.perf_counter()
    call_command("synth", scale=scale, seed=seed, json=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    synth_seconds = time.perf_counter() - started
    operator = Actor.operator()
    people = list(User.objects.order_by("username"))
    by_role: dict[tuple[str, str], User] = {}
    for user in people:
        by_role.setdefault((user.government, user.role), user)
    governments = sorted({user.government for user in people})
    sides: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    for government in governments:
        coordinator = by_role.get((government, "coordinator"))
        desk = by_role.get((government, "desk-officer"))
        session_users = [
            u.username
            for u in people
            if u.government == government and u.role in {"desk-officer", "reader"}
        ]
        if coordinator is None or desk is None or not session_users:
            continue
        token = token_create(
            actor=operator, username=coordinator.username, name="load", scope="read-write", days=1
        ).secret
        desk_actor = Actor.from_user(desk)
        coordinator_actor = Actor.from_user(coordinator)
        own = commitments_visible(actor=coordinator_actor).filter(parties=government)
        assess = list(own.order_by("id").values_list("id", flat=True)[:500])
        dialogues = list(
            Dialogue.objects.visible_to(desk_actor)
            .filter(memberships__party_id=government)
            .order_by("id")
            .values_list("id", flat=True)[:20]
        )
        candidates: list[int] = []
        # Enough pending candidates for every decision the run can make (about one request
        # in fifteen is a decision), spread over the government's dialogues.
        documents = max(20, users * 4 // len(governments))
        for n in range(documents):
            text = statement(len(sides) * 100_000 + n, government)
            result = document_ingest(
                actor=desk_actor,
                reading=read_upload(text.encode(), file_name=f"load-{n}.txt"),
                file_name=f"load-{n}.txt",
                dialogue_id=dialogues[n % len(dialogues)] if dialogues else None,
            )
            assert result.document is not None
        candidates = list(
            CommitmentCandidate.objects.filter(
                document__owner_government_id=government, decision=Decision.PENDING
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        sides[government] = {
            "coordinator_token": token,
            "session_users": session_users,
            "assess": assess,
            "candidates": candidates,
        }
    setup_seconds = time.perf_counter() - started

    def session(username: str) -> str:
        client = Client()
        client.force_login(User.objects.get(username=username), backend=MODEL_BACKEND)
        return str(client.cookies[settings.SESSION_COOKIE_NAME].value)

    # One locust user per slot; a government's candidates are split between its slots so no
    # two simulated users decide the same candidate.
    order = [g for g in governments if g in sides]
    slots: list[dict[str, Any]] = []
    for i in range(users):
        government = order[i % len(order)]
        side = sides[government]
        mates = list(range(i % len(order), users, len(order)))
        share = side["candidates"][mates.index(i) :: len(mates)]
        slots.append(
            {
                "government": government,
                "username": side["session_users"][(i // len(order)) % len(side["session_users"])],
                "session": session(
                    side["session_users"][(i // len(order)) % len(side["session_users"])]
                ),
                "token": side["coordinator_token"],
                "assess": side["assess"],
                "candidates": share,
            }
        )
    plan = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "slots": slots,
        "workspace": {
            "commitments": Commitment.objects.count(),
            "candidates": sum(len(s["candidates"]) for s in sides.values()),
            "users": len(people),
            "governments": len(governments),
        },
        "synth_seconds": round(synth_seconds, 1),
        "setup_seconds": round(setup_seconds, 1),
    }
    plan_path.write_text(json.dumps(plan))


# --- the locust users (this file is the locustfile when PLAN_ENV is set) ------------------

if os.environ.get(PLAN_ENV):
    from locust import HttpUser, between, events, task

    _PLAN = json.loads(Path(os.environ[PLAN_ENV]).read_text())
    _SLOT = itertools.count()
    _SAMPLES: list[tuple[str, float, int]] = []
    _FAILURES: list[str] = []

    @events.request.add_listener
    def _record(
        name: str, response_time: float, exception: Any, response: Any = None, **_: Any
    ) -> None:
        _SAMPLES.append((name, response_time, 0 if exception is None else 1))
        if exception is not None and len(_FAILURES) < 20:
            status = getattr(response, "status_code", None)
            body = (getattr(response, "text", "") or "")[:200]
            _FAILURES.append(f"{name}: {status} {exception!r} {body}")

    @events.quitting.add_listener
    def _dump(**_: Any) -> None:
        Path(os.environ[SAMPLES_ENV]).write_text(
            json.dumps({"samples": _SAMPLES, "failures": _FAILURES})
        )

    class DeskUser(HttpUser):
        """A signed-in person of one government, with its read-write token for the API."""

        wait_time = between(0.5, 1.5)

        def on_start(self) -> None:
            self.slot = _PLAN["slots"][next(_SLOT) % len(_PLAN["slots"])]
            self.api = {"Authorization": f"Bearer {self.slot['token']}"}
            self.candidates = list(self.slot["candidates"])
            self.decided = 0
            # A session opened in setup (as Django's test client signs in): signing 50 users
            # in here would measure Argon2 under load, not Kizuna's pages.
            self.client.cookies.set(_PLAN["session_cookie"], self.slot["session"])

        @task(3)
        def trivial(self) -> None:
            self.client.get("/api/v1/meta", headers=self.api, name=TRIVIAL)

        @task(2)
        def home(self) -> None:
            self.client.get("/", name="read: home page")

        @task(2)
        def commitments_page(self) -> None:
            self.client.get("/commitments/", name="read: commitments page")

        @task(1)
        def dialogues_page(self) -> None:
            self.client.get("/dialogues/", name="read: dialogues page")

        @task(1)
        def search(self) -> None:
            word = random.choice(SEARCH_WORDS)
            self.client.get(f"/search/?q={word}", name="read: search page")

        @task(2)
        def api_commitments(self) -> None:
            offset = random.randrange(0, 500, 50)
            self.client.get(
                f"/api/v1/commitments?limit=50&offset={offset}",
                headers=self.api,
                name="read: API commitments",
            )

        @task(1)
        def api_assessments(self) -> None:
            self.client.get(
                "/api/v1/assessments?limit=50", headers=self.api, name="read: API assessments"
            )

        @task(1)
        def analysis(self) -> None:
            name = random.choice(ANALYSES)
            self.client.get(f"/api/v1/analysis/{name}", headers=self.api, name="read: analysis")

        @task(1)
        def assess(self) -> None:
            commitment = random.choice(self.slot["assess"])
            self.client.post(
                f"/api/v1/commitments/{commitment}/assessments",
                json={
                    "as_of": time.strftime("%Y-%m-%d", time.gmtime()),
                    "status": random.choice(["in-progress", "delivered", "stalled"]),
                    "evidence": "Load benchmark assessment.",
                },
                headers=self.api,
                name="write: API assessment",
            )

        @task(1)
        def decide(self) -> None:
            if not self.candidates:  # this user's share is used up: read the queue instead
                self.client.get("/api/v1/review", headers=self.api, name="read: API review queue")
                return
            candidate = self.candidates.pop()
            self.decided += 1
            decision = "accept" if self.decided % 3 == 0 else "reject"
            self.client.post(
                f"/api/v1/review/{candidate}/{decision}",
                json={} if decision == "accept" else {"reason": "load benchmark"},
                headers=self.api,
                name=f"write: API review {decision}",
            )


# --- the run ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer {url} within {seconds} s")
        time.sleep(0.5)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (as locust reports), in milliseconds."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return round(ordered[rank - 1], 1)


def summary(samples: list[tuple[str, float, int]]) -> dict[str, Any]:
    times = [t for _, t, _ in samples]
    return {
        "requests": len(samples),
        "failures": sum(f for _, _, f in samples),
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "p99_ms": percentile(times, 99),
    }


def report(samples: list[tuple[str, float, int]], seconds: float) -> dict[str, Any]:
    measured = samples
    kinds = sorted({name for name, _, _ in measured})
    per_kind = {kind: summary([s for s in measured if s[0] == kind]) for kind in kinds}
    trivial_p95 = per_kind.get(TRIVIAL, {}).get("p95_ms", 0.0) or 0.0
    reads = summary([s for s in measured if s[0].startswith("read:")])
    writes = summary([s for s in measured if s[0].startswith("write:")])
    overall = summary(measured)
    for kind, stats in per_kind.items():
        if kind.startswith("read:") and trivial_p95:
            stats["p95_ratio_to_trivial"] = round(stats["p95_ms"] / trivial_p95, 2)
    error_rate = overall["failures"] / overall["requests"] if overall["requests"] else 1.0
    reads_ratio = round(reads["p95_ms"] / trivial_p95, 2) if trivial_p95 else None
    return {
        "throughput_rps": round(len(measured) / seconds, 1),
        "error_rate": round(error_rate, 5),
        "trivial_p95_ms": trivial_p95,
        "reads_p95_ratio_to_trivial": reads_ratio,
        "overall": overall,
        "reads": reads,
        "writes": writes,
        "kinds": per_kind,
        "within_target": error_rate <= TARGET_ERROR_RATE
        and reads_ratio is not None
        and reads_ratio <= TARGET_RATIO,
    }


def run_one(database: str, url: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    (folder / "kizuna_load_settings.py").write_text(RUN_SETTINGS)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "kizuna_load_settings",
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT / "src")]),
        "KIZUNA_HOME": str(folder),
        "KIZUNA_ENV": "development",
        "KIZUNA_DEBUG": "false",
        # Tokens are keyed hashes under SECRET_KEY: setup and every worker share one key.
        "SECRET_KEY": secrets.token_urlsafe(48),
    }
    plan = folder / "plan.json"
    subprocess.run(
        [sys.executable, __file__, "--setup", str(plan), "--scale", str(args.scale),
         "--seed", str(args.seed), "--users", str(args.users)],
        env=env, check=True,
    )  # fmt: skip
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "kizuna.wsgi:application", "--workers", "4",
         "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(folder / "gunicorn.log", "w"),  # noqa: SIM115
    )  # fmt: skip
    try:
        wait_until_up(f"{host}/accounts/login/")
        started = time.monotonic()
        subprocess.run(
            [str(BIN / "locust"), "-f", __file__, "--headless", "-u", str(args.users),
             "-r", "10", "-t", f"{args.duration}s", "--host", host,
             "--csv", str(folder / "locust"), "--only-summary", "--loglevel", "WARNING",
             "--exit-code-on-error", "0"],
            env={**env, PLAN_ENV: str(plan), SAMPLES_ENV: str(folder / "samples.json")},
            stdout=subprocess.DEVNULL, check=True,
        )  # fmt: skip
        seconds = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    recorded = json.loads((folder / "samples.json").read_text())
    samples = [tuple(s) for s in recorded["samples"]]
    built = json.loads(plan.read_text())
    return {
        "database": database,
        "workspace": built["workspace"],
        "synth_seconds": built["synth_seconds"],
        "setup_seconds": built["setup_seconds"],
        "seconds": round(seconds, 1),
        **report(samples, seconds),  # type: ignore[arg-type]
        "first_failures": recorded["failures"][:5],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=120, help="seconds of load (default 120)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--scale", type=float, default=0.05, help="`kizuna synth --scale`")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--database-url",
        default="postgresql://postgres:postgres@127.0.0.1:5432/postgres",
        help="the PostgreSQL server for the scratch database",
    )
    parser.add_argument("--setup", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.setup:
        setup(args.scale, args.seed, args.users, args.setup)
        return 0
    # The analysis benchmark's scratch database (it closes Django's connections when done:
    # this process opens none, but needs settings to say so).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    from bench_analysis import scratch_postgres

    runs = []
    for database in args.databases.split(","):
        with tempfile.TemporaryDirectory(prefix="kizuna-load-") as name:
            folder = Path(name)
            if database == "sqlite":
                runs.append(run_one(database, f"sqlite:///{folder / 'load.sqlite3'}", args, folder))
            elif database == "postgresql":
                with scratch_postgres(args.database_url) as url:
                    runs.append(run_one(database, url, args, folder))
            else:
                parser.error(f"--databases: sqlite or postgresql, not {database!r}")
    result = {
        "benchmark": "load",
        "users": args.users,
        "duration_s": args.duration,
        "scale": args.scale,
        "seed": args.seed,
        "gunicorn_workers": 4,
        "target": {"error_rate": TARGET_ERROR_RATE, "reads_p95_ratio_to_trivial": TARGET_RATIO},
        "runs": runs,
        "within_target": all(run["within_target"] for run in runs),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
