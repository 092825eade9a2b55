"""Background ingestion jobs: create, claim with a lease, run once, and recover from dead workers.

django-tasks (with the django-tasks-db backend) carries the work to a worker, but its task rows
have no lease: a worker killed mid-task leaves its row RUNNING for ever. So each job's own
row, `IngestionJob`, holds the lease (docs/adr/0006-ingestion-jobs.md):

- a worker claims a job with one conditional UPDATE (queued, or running with an expired
  lease), so two workers never both hold it;
- the lease is renewed at each stage of the work;
- `jobs_requeue_expired` (the `worker` command runs it before each batch) re-enqueues jobs
  whose lease has expired and marks the dead task row failed;
- the work itself is idempotent (a text is stored once per owning agency; candidates by
  document and offsets), so a job run again after a crash finishes once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kizuna.access.actor import Actor
from kizuna.documents.models import DocumentKind, IngestionJob, JobStatus
from kizuna.documents.services import (
    IngestionInputError,
    content_hash,
    document_ingest,
    may_ingest,
    resolve_link,
)
from kizuna.extraction import ReadDocument
from kizuna.registry.records import Marking
from kizuna.registry.services import InvalidEdit, PermissionDenied

logger = logging.getLogger(__name__)

# How long a claim holds without renewal. Ingesting one statement takes well under a second;
# a minute leaves room for a large PDF while a dead worker's job comes back soon enough.
DEFAULT_LEASE_SECONDS = 60


def job_create(
    *,
    actor: Actor,
    reading: ReadDocument,
    file_name: str,
    dialogue_id: str | None = None,
    meeting_id: str | None = None,
    marking: str = Marking.PUBLIC,
    kind: str = DocumentKind.STATEMENT,
) -> IngestionJob:
    """Queue a document (already read and found readable) for ingestion by a worker.

    Permission, marking and the named dialogue and meeting are checked now, so the person
    uploading hears about a mistake at once rather than from a failed job.
    """
    from kizuna.documents.tasks import run_ingestion_job

    if not may_ingest(actor):
        raise PermissionDenied(_("only desk officers and coordinators ingest documents"))
    if marking not in Marking.values:
        raise InvalidEdit("marking", f"must be one of {', '.join(Marking.values)}")
    dialogue, meeting = resolve_link(actor=actor, dialogue_id=dialogue_id, meeting_id=meeting_id)
    with transaction.atomic():
        job = IngestionJob.objects.create(
            user_id=actor.user_id,
            requested_by=actor.name,
            file_name=file_name[:300],
            content_hash=content_hash(reading.text),
            text=reading.text,
            title=(reading.title or "")[:500],
            date=reading.date,
            source_url=reading.source_url or "",
            partial=reading.partial,
            kind=kind,
            marking=marking,
            dialogue=dialogue,
            meeting=meeting,
            stage=_("waiting for a worker"),
            language=get_language() or "",
        )
        # The task row is written in the same transaction: no job without its task, and no
        # task a worker could pick up before the job is committed.
        result = run_ingestion_job.enqueue(str(job.pk))
        job.task_result_id = str(result.id)
        job.save(update_fields=["task_result_id"])
    return job


def job_claim(job_id: str, *, worker: str, lease_seconds: int) -> IngestionJob | None:
    """Take the job if it is free: queued, or running under a lease that has expired."""
    now = timezone.now()
    claimable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_until__lt=now)
    taken = IngestionJob.objects.filter(claimable, pk=job_id).update(
        status=JobStatus.RUNNING,
        worker=worker,
        lease_until=now + dt.timedelta(seconds=lease_seconds),
        attempts=F("attempts") + 1,
        stage="",  # the job's first stage, in its language, follows at once
    )
    return IngestionJob.objects.get(pk=job_id) if taken else None


def _report(job: IngestionJob, worker: str, lease_seconds: int, percent: int, stage: str) -> None:
    """Record progress and renew the lease, as long as this worker still holds the job."""
    IngestionJob.objects.filter(pk=job.pk, worker=worker, status=JobStatus.RUNNING).update(
        progress=percent,
        stage=stage,
        lease_until=timezone.now() + dt.timedelta(seconds=lease_seconds),
    )


def _finish(job: IngestionJob, worker: str, **fields: object) -> bool:
    done = IngestionJob.objects.filter(pk=job.pk, worker=worker, status=JobStatus.RUNNING).update(
        finished_at=timezone.now(), lease_until=None, **fields
    )
    return bool(done)


def _job_actor(job: IngestionJob) -> Actor:
    """Who the job acts as, judged now: a disabled or deleted user's job may not run."""
    if job.user is not None:
        return Actor.from_user(job.user) if job.user.is_active else Actor.anonymous()
    if job.requested_by.startswith("operator:"):
        return Actor(name=job.requested_by, is_operator=True)
    return Actor.anonymous()


def job_run(job_id: str, *, worker: str, lease_seconds: int = DEFAULT_LEASE_SECONDS) -> str:
    """Run one job if this worker can claim it; returns the job's status afterwards."""
    job = job_claim(job_id, worker=worker, lease_seconds=lease_seconds)
    if job is None:
        status = IngestionJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
        return status or "missing"
    # Stages and the outcome are read by the requester: written in the language they asked in.
    with translation.override(job.language or None):
        return _run(job, worker=worker, lease_seconds=lease_seconds)


def _run(job: IngestionJob, *, worker: str, lease_seconds: int) -> str:
    _report(job, worker, lease_seconds, 0, _("starting"))
    reading = ReadDocument(
        text=job.text,
        title=job.title or None,
        date=job.date,
        source_url=job.source_url or None,
        partial=job.partial,
    )
    try:
        result = document_ingest(
            actor=_job_actor(job),
            reading=reading,
            file_name=job.file_name,
            dialogue_id=job.dialogue_id,
            meeting_id=job.meeting_id,
            marking=job.marking,
            kind=job.kind,
            progress=lambda percent, stage: _report(job, worker, lease_seconds, percent, stage),
        )
    except (IngestionInputError, InvalidEdit, PermissionDenied) as exc:
        _finish(job, worker, status=JobStatus.FAILED, stage=_("failed"), message=str(exc))
        return JobStatus.FAILED
    except Exception:
        # Unexpected: keep the trace for the operator, show the requester a plain message.
        logger.exception("ingestion job %s failed", job.pk)
        _finish(
            job,
            worker,
            status=JobStatus.FAILED,
            stage=_("failed"),
            # The trace is in the operator's log, not in front of the requester.
            message=_("Ingestion failed unexpectedly; the operator's log has the details."),
        )
        return JobStatus.FAILED
    if result.created:
        message = _("Stored with %(n)s commitment candidate(s) to review.") % {
            "n": result.candidates
        }
    else:
        message = _("This document was already stored; nothing new was added.")
    _finish(
        job,
        worker,
        status=JobStatus.DONE,
        progress=100,
        stage=_("done"),
        document=result.document,
        message=message,
    )
    return JobStatus.DONE


def jobs_requeue_expired(*, now: dt.datetime | None = None) -> int:
    """Give jobs whose worker died (lease expired) or whose task row was lost back to the queue."""
    from django_tasks_db.models import DBTaskResult

    from kizuna.documents.tasks import run_ingestion_job

    now = now or timezone.now()
    expired = list(
        IngestionJob.objects.filter(status=JobStatus.RUNNING, lease_until__lt=now).values_list(
            "pk", "task_result_id"
        )
    )
    # A queued job whose task row finished or vanished would wait for ever.
    live_tasks = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).values_list(
        "id", flat=True
    )
    live = {str(task_id) for task_id in live_tasks}
    orphaned = [
        (pk, task_id)
        for pk, task_id in IngestionJob.objects.filter(status=JobStatus.QUEUED).values_list(
            "pk", "task_result_id"
        )
        if task_id not in live
    ]
    requeued = 0
    for pk, old_task in expired + orphaned:
        with transaction.atomic():
            moved = IngestionJob.objects.filter(
                Q(status=JobStatus.RUNNING, lease_until__lt=now) | Q(status=JobStatus.QUEUED),
                pk=pk,
                task_result_id=old_task,
            ).update(status=JobStatus.QUEUED, lease_until=None, stage="")  # "queued" says it
            if not moved:
                continue
            if old_task:
                DBTaskResult.objects.filter(pk=old_task, status="RUNNING").update(
                    status="FAILED",
                    finished_at=now,
                    exception_class_path="kizuna.documents.jobs.LeaseExpired",
                    traceback="The worker stopped renewing the job's lease; the job was requeued.",
                )
            result = run_ingestion_job.enqueue(str(pk))
            IngestionJob.objects.filter(pk=pk).update(task_result_id=str(result.id))
            requeued += 1
    return requeued


def worker_health(*, waiting_limit_seconds: int = 300) -> str:
    """`ok` while the job queue is being served: no job has waited longer than the limit
    without a worker taking it, and no running job's lease has lapsed."""
    now = timezone.now()
    stuck = IngestionJob.objects.filter(
        status=JobStatus.QUEUED, created_at__lt=now - dt.timedelta(seconds=waiting_limit_seconds)
    ).count()
    lapsed = IngestionJob.objects.filter(status=JobStatus.RUNNING, lease_until__lt=now).count()
    if stuck or lapsed:
        return f"error: {stuck} jobs waiting for a worker, {lapsed} with a lapsed lease"
    return "ok"
