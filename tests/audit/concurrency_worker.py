"""A separate process appending to a scratch database (used by test_audit_concurrency.py).

Runs Django with only the audit app, against the database named by --database-url, using
the same connection options as Kizuna's settings (for SQLite: WAL, IMMEDIATE transactions,
busy timeout). Modes: --migrate, --append N (after the parent says go), --verify.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    import django
    from django.conf import settings

    import kizuna.settings as kizuna_settings

    settings.configure(
        INSTALLED_APPS=["kizuna.audit"],
        DATABASES=kizuna_settings.DATABASES,
        USE_TZ=True,
        TIME_ZONE="UTC",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()


def append(count: int, worker: int, go: Path, slow: float, no_lock: bool) -> dict[str, Any]:
    from django.db import DatabaseError, transaction

    from kizuna.access.actor import Actor
    from kizuna.audit import log
    from kizuna.audit.models import AuditEntry

    if no_lock:  # negative control: shows the test would catch a missing lock
        log._lock_chain_head = lambda connection: None
    original_save = AuditEntry.save

    def slow_save(self: AuditEntry, *args: Any, **kwargs: Any) -> None:
        # Widen the window between reading the head and inserting the next entry.
        time.sleep(slow)
        original_save(self, *args, **kwargs)

    AuditEntry.save = slow_save  # type: ignore[method-assign]
    actor = Actor(
        name=f"worker-{worker}",
        government="USA",
        agency="commerce",
        role="desk-officer",
        user_id=worker,
    )
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.005)
    errors: list[str] = []
    for i in range(count):
        try:
            with transaction.atomic():
                log.append_entry(
                    actor=actor,
                    action="test.append",
                    object_id=f"{worker}-{i}",
                    after={"worker": worker, "i": i},
                )
        except DatabaseError as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    return {"worker": worker, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--migrate", action="store_true")
    parser.add_argument("--verify", action="store_true")
    parser.add_argument("--append", type=int, default=0)
    parser.add_argument("--worker", type=int, default=0)
    parser.add_argument("--go", type=Path)
    parser.add_argument("--slow", type=float, default=0.002)
    parser.add_argument("--no-lock", action="store_true")
    args = parser.parse_args()
    setup(args.database_url)
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", "audit", verbosity=0)
        print(json.dumps({"migrated": True}))
    elif args.verify:
        from django.db.models import Count

        from kizuna.audit.models import AuditEntry
        from kizuna.audit.verify import verify_chain

        result = verify_chain()
        per_actor = dict(
            AuditEntry.objects.values_list("actor_name").annotate(n=Count("sequence")).order_by()
        )
        print(
            json.dumps(
                {
                    "ok": result.ok,
                    "count": result.count,
                    "reason": result.reason,
                    "per_actor": per_actor,
                }
            )
        )
    else:
        assert args.go is not None
        print(json.dumps(append(args.append, args.worker, args.go, args.slow, args.no_lock)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
