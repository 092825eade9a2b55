"""The background task that ingests one queued document (run by `kizuna worker`)."""

from __future__ import annotations

import os
import socket

from django_tasks import TaskContext, task

from kizuna.documents import jobs

# The `worker` command may shorten or lengthen the lease for the tasks its process runs.
lease_seconds = jobs.DEFAULT_LEASE_SECONDS


@task(takes_context=True)
def run_ingestion_job(context: TaskContext, job_id: str) -> str:
    """Claim the job under a lease and ingest its document; safe to run more than once."""
    worker_ids = context.task_result.worker_ids
    worker = (worker_ids[-1] if worker_ids else "") or f"{socket.gethostname()}:{os.getpid()}"
    return jobs.job_run(job_id, worker=worker[:64], lease_seconds=lease_seconds)
