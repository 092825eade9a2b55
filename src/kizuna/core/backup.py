"""Back up and restore the whole database: SQLite's online backup, or pg_dump's custom format."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connection


class BackupError(RuntimeError):
    """A backup or restore could not be done; the message says why."""


def _pg_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = [
        "--host",
        str(settings_dict.get("HOST") or "127.0.0.1"),
        "--port",
        str(settings_dict.get("PORT") or 5432),
    ]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise BackupError(f"{tool} is not installed (Debian package postgresql-client)")
    return found


def backup_database(path: Path) -> str:
    """Write a consistent copy of the live database to `path`; returns the format written."""
    if path.exists() and path.is_dir():
        raise BackupError(f"{path} is a folder; give a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw: Any = connection.connection
        partial = path.with_name(path.name + ".partial")
        target = sqlite3.connect(partial)
        try:
            # The online backup copies pages while other connections keep writing.
            raw.backup(target)
        finally:
            target.close()
        partial.replace(path)  # never leave a half-written backup under the final name
        return "sqlite"
    if connection.vendor == "postgresql":
        args, env = _pg_env(settings_dict)
        partial = path.with_name(path.name + ".partial")
        command = [
            _require("pg_dump"),
            "--format=custom",
            "--no-owner",
            *args,
            "--file",
            str(partial),
            str(settings_dict["NAME"]),
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        partial.replace(path)
        return "pg_dump"
    raise BackupError(f"backups of {connection.vendor} databases are not supported")


def restore_database(path: Path) -> None:
    """Replace the live database's content with the backup at `path`."""
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            source.execute("PRAGMA schema_version").fetchone()
            check = source.execute("PRAGMA integrity_check").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not an SQLite backup: {exc}") from exc
        if check is None or check[0] != "ok":
            raise BackupError(f"{path} fails SQLite's integrity check")
        connection.ensure_connection()
        raw: Any = connection.connection
        try:
            source.backup(raw)
        finally:
            source.close()
        return
    if connection.vendor == "postgresql":
        with path.open("rb") as handle:
            if handle.read(5) != b"PGDMP":
                raise BackupError(f"{path} is not a pg_dump custom-format backup")
        args, env = _pg_env(settings_dict)
        connection.close()
        command = [
            _require("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            "--dbname",
            str(settings_dict["NAME"]),
            str(path),
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        return
    raise BackupError(f"restores of {connection.vendor} databases are not supported")
