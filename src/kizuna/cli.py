"""`kizuna …`: a thin front over Kizuna's management commands.

Only the commands listed here are offered; each runs the management command of the
same name (hyphens become underscores), so `kizuna X --help` shows its options.
"""

from __future__ import annotations

import os
import sys

# name -> one line for `kizuna --help`
COMMANDS: dict[str, str] = {
    "demo": "create the database, load the U.S.–Japan demo and serve it on http://127.0.0.1:8000",
    "init": "create the database or migrate it to this version",
    "check": "run Django's system checks (e.g. --deploy --fail-level WARNING)",
    "load-demo": "load the U.S.–Japan demo dataset (idempotent)",
    "load": "load a dataset folder or file (YAML, JSON or CSV) in one transaction",
    "export": "export what you may see: --format json|csv [--out PATH] [--as-user U]",
    "serve": "serve the web app (--host, --port)",
    "extract": "find the commitments in a statement: PATH [--date YYYY-MM-DD] [--json]",
    "ingest": "store statements, extract their commitments, queue them for review: PATH... [--dialogue SLUG] [--meeting ID] [--as-user U]",
    "worker": "run background jobs (document ingestion); --once runs what is ready and exits",
    "eval-extraction": "score the extractor on a labelled folder (labels.json)",
    "backup": "write a consistent backup of the database to PATH",
    "restore": "replace the database's content with a backup, then verify the audit log",
    "user": "manage users: add, disable, enable, set-role, reset-second-factor",
    "analyze": "coverage, overlaps, gaps, slippage, compliance, changes, concerns (--as-of, --json)",
    "token": "create, list or revoke personal API tokens",
    "brief": "draft the briefing book for a meeting or a date (--out FILE.pdf|.html)",
    "audit": "verify the audit log's hash chain, or write a checkpoint of its head",
    "synth": "build a synthetic workspace (sizes as options, --scale, --seed) in an empty database",
}


def usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [
        "usage: kizuna COMMAND [options]   (kizuna COMMAND --help for its options)",
        "",
        "Kizuna: the coordination desk for allied economic dialogues.",
        "",
        "commands:",
    ]
    lines += [f"  {name.ljust(width)}  {summary}" for name, summary in COMMANDS.items()]
    lines += [
        "",
        "DATABASE_URL selects the database (default: kizuna.sqlite3 in KIZUNA_HOME or here).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return
    if args[0] in {"--version", "version"}:
        from kizuna import __version__

        print(f"kizuna {__version__}")
        return
    name = args[0]
    if name not in COMMANDS:
        print(f"kizuna: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        sys.exit(2)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kizuna", name.replace("-", "_"), *args[1:]])


if __name__ == "__main__":
    main()
