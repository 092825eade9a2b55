"""`kizuna worker`: run background jobs (document ingestion) until stopped.

A loop around django-tasks-db's worker: before each batch it gives back to the queue the jobs
whose worker died (their lease expired), then runs every task that is ready.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker

from kizuna.documents import tasks
from kizuna.documents.jobs import DEFAULT_LEASE_SECONDS, jobs_requeue_expired


class Command(BaseCommand):
    help = "Run background jobs (document ingestion); requeues jobs whose worker died."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run what is ready, then exit")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at the queue"
        )
        parser.add_argument(
            "--lease",
            type=int,
            default=DEFAULT_LEASE_SECONDS,
            help="seconds a job stays claimed without renewal before another worker may take it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tasks.lease_seconds = max(1, options["lease"])
        worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        if not options["once"]:
            # SIGTERM/SIGINT between tasks exit at once; during a task, after it (a second
            # one forces). A single pass keeps the defaults: its jobs are safe to cut short.
            worker.configure_signals()
        if options["verbosity"] > 0:
            self.stdout.write(f"Kizuna worker {worker.worker_id} started")
            self.stdout.flush()
        while worker.running:
            requeued = jobs_requeue_expired()
            if requeued and options["verbosity"] > 0:
                self.stdout.write(f"requeued {requeued} job(s) whose worker stopped")
            worker.run()
            if options["once"]:
                return
            time.sleep(options["interval"])
