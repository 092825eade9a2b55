"""The long crash-consistency run: 200 SIGKILLs during loads and audit appends.

Runs the same loop as tests/core/test_crash_consistency.py with more rounds and prints JSON:
rounds survived, seconds, and seconds per round (the floor of a round being a process start).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    start = time.perf_counter()
    floor_start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kizuna", "--version"], check=True, capture_output=True)
    process_start = time.perf_counter() - floor_start
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-m",
            "slow",
            "-p",
            "no:cacheprovider",
            str(REPO / "tests" / "core" / "test_crash_consistency.py"),
        ],
        env={**os.environ, "KIZUNA_CRASH_ROUNDS": str(rounds), "KIZUNA_TEST_SKIP_DEMO": "1"},
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "benchmark": "crash-consistency",
                "rounds": rounds,
                "passed": result.returncode == 0,
                "seconds": round(seconds, 1),
                "seconds_per_round": round(seconds / rounds, 2),
                "floor_process_start_seconds": round(process_start, 2),
            }
        )
    )
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
