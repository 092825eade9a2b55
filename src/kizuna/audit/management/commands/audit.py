"""`kizuna audit verify [--checkpoint FILE]` and `kizuna audit checkpoint --out FILE`.

Exit status: 0 when the log verifies, 1 when it does not (the message names the first bad
entry and why), 2 when the command cannot run as asked (unreadable checkpoint file, unwritable
output). Both subcommands only read the database.
"""

from __future__ import annotations

import json
import os
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from kizuna.audit.verify import (
    Checkpoint,
    VerifyResult,
    checkpoint_document,
    read_checkpoint,
    verify_chain,
)

EXIT_TAMPERED = 1
EXIT_USAGE = 2


class Command(BaseCommand):
    help = "Verify the hash-chained audit log, or write its head to a checkpoint file."
    # Verification must work whatever state the rest of the project's configuration is in
    # (URLs, templates ...); it needs only the database.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)."
        )
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        verify = commands.add_parser(
            "verify",
            help="Recompute the chain; exit 1 naming the first bad entry.",
            description="Recompute every entry's hashes in sequence order. With --checkpoint, "
            "also fail if the log no longer reaches the checkpoint's entry or it changed.",
        )
        verify.add_argument(
            "--checkpoint",
            type=Path,
            metavar="FILE",
            help="A file written by `audit checkpoint` (catches truncation).",
        )
        checkpoint = commands.add_parser(
            "checkpoint",
            help="Verify, then write the head (sequence, entry hash) to FILE.",
            description="Verify the chain, then write its head as JSON "
            '{"sequence", "entry_hash", "written_at"} to FILE. Keep FILE outside the '
            "database: it is what later exposes truncation or a rewritten chain.",
        )
        checkpoint.add_argument("--out", type=Path, required=True, metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        using = options["database"]
        if options["subcommand"] == "verify":
            self._verify(using, options["checkpoint"])
        else:
            self._checkpoint(using, options["out"])

    def _verify(self, using: str, checkpoint_path: Path | None) -> None:
        checkpoint: Checkpoint | None = None
        if checkpoint_path is not None:
            try:
                checkpoint = read_checkpoint(checkpoint_path)
            except ValueError as exc:
                raise CommandError(str(exc), returncode=EXIT_USAGE) from exc
        result = verify_chain(checkpoint=checkpoint, using=using)
        _fail_unless_ok(result)
        assert result.head is not None
        against = f"; reaches checkpoint entry {checkpoint[0]}" if checkpoint else ""
        self.stdout.write(
            f"OK: audit log intact, {result.count} entries, head {result.head[0]} "
            f"{result.head[1]}{against}"
        )

    def _checkpoint(self, using: str, out: Path) -> None:
        # Anchor only a chain that verifies: a checkpoint of a tampered log would vouch for it.
        result = verify_chain(using=using)
        _fail_unless_ok(result)
        assert result.head is not None
        document = checkpoint_document(result.head)
        try:
            _write_atomically(out, json.dumps(document, indent=2) + "\n")
        except OSError as exc:
            raise CommandError(
                f"{out}: cannot write: {exc.strerror or exc}", returncode=EXIT_USAGE
            ) from exc
        self.stdout.write(
            f"OK: checkpoint written to {out}: entry {document['sequence']} "
            f"{document['entry_hash']}"
        )


def _fail_unless_ok(result: VerifyResult) -> None:
    if not result.ok:
        raise CommandError(
            f"audit log FAILED verification at entry {result.first_bad_sequence}: "
            f"{result.reason} ({result.count} {'entry' if result.count == 1 else 'entries'} "
            "before it verified)",
            returncode=EXIT_TAMPERED,
        )


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written checkpoint."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
