"""Background jobs: claimed under a lease, run once, given back when their worker died."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kizuna.access.actor import Actor
from kizuna.documents.jobs import job_claim, job_create, job_run, jobs_requeue_expired
from kizuna.documents.models import IngestionJob, JobStatus
from kizuna.documents.services import read_upload
from kizuna.registry.services import InvalidEdit

from .helpers import STATEMENT, ingested

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(usa_actor: Actor) -> IngestionJob:
    return job_create(
        actor=usa_actor,
        reading=read_upload(STATEMENT.encode(), file_name="s.txt"),
        file_name="s.txt",
        dialogue_id="t-ted",
    )


def test_creating_a_job_queues_a_task_for_the_worker(job: IngestionJob) -> None:
    assert job.status == JobStatus.QUEUED and job.progress == 0
    task = DBTaskResult.objects.get(pk=job.task_result_id)
    assert task.status == "READY" and task.args_kwargs["args"] == [str(job.pk)]


def test_a_bad_dialogue_is_refused_when_the_job_is_created(usa_actor: Actor) -> None:
    with pytest.raises(InvalidEdit):
        job_create(
            actor=usa_actor,
            reading=read_upload(STATEMENT.encode(), file_name="s.txt"),
            file_name="s.txt",
            dialogue_id="t-nope",
        )
    assert not IngestionJob.objects.exists()


def test_the_worker_runs_the_job_to_the_end(job: IngestionJob) -> None:
    call_command("worker", once=True, verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100 and job.attempts == 1
    assert job.document is not None and job.document.candidates.count() >= 2
    assert job.lease_until is None and "candidate" in job.message
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "SUCCESSFUL"


def test_a_leased_job_is_not_claimed_by_a_second_worker(job: IngestionJob) -> None:
    assert job_claim(str(job.pk), worker="first", lease_seconds=60) is not None
    assert job_claim(str(job.pk), worker="second", lease_seconds=60) is None
    assert job_run(str(job.pk), worker="second") == JobStatus.RUNNING
    assert not ingested().exists()


def test_a_job_whose_worker_died_is_requeued_and_finishes_once(job: IngestionJob) -> None:
    # A worker claimed it, then was killed: its task row stays RUNNING, its lease runs out.
    job_claim(str(job.pk), worker="dead", lease_seconds=60)
    DBTaskResult.objects.filter(pk=job.task_result_id).update(status="RUNNING")
    assert jobs_requeue_expired() == 0  # the lease still holds
    later = timezone.now() + dt.timedelta(seconds=61)
    assert jobs_requeue_expired(now=later) == 1
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "FAILED"
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    call_command("worker", once=True, verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert ingested().count() == 1
    assert jobs_requeue_expired(now=later) == 0


def test_running_a_finished_job_again_changes_nothing(job: IngestionJob) -> None:
    assert job_run(str(job.pk), worker="w1") == JobStatus.DONE
    assert job_run(str(job.pk), worker="w2") == JobStatus.DONE
    assert ingested().count() == 1


def test_two_jobs_for_the_same_text_store_it_once(job: IngestionJob, usa_actor: Actor) -> None:
    twin = job_create(
        actor=usa_actor,
        reading=read_upload(STATEMENT.encode(), file_name="copy.txt"),
        file_name="copy.txt",
        dialogue_id="t-ted",
    )
    call_command("worker", once=True, verbosity=0)
    twin.refresh_from_db()
    job.refresh_from_db()
    assert job.status == twin.status == JobStatus.DONE
    assert job.document_id == twin.document_id and ingested().count() == 1
    assert "already stored" in (job.message + twin.message)


def test_a_job_of_a_disabled_user_fails_instead_of_running(job: IngestionJob) -> None:
    assert job.user is not None
    job.user.is_active = False
    job.user.save()
    assert job_run(str(job.pk), worker="w") == JobStatus.FAILED
    job.refresh_from_db()
    assert "desk officers and coordinators" in job.message
    assert not ingested().exists()


def test_a_job_whose_user_was_deleted_does_not_run_as_the_operator(job: IngestionJob) -> None:
    assert job.user is not None
    job.user.delete()
    assert job_run(str(job.pk), worker="w") == JobStatus.FAILED
    assert not ingested().exists()


def test_an_unexpected_failure_tells_the_requester_plainly_and_the_operator_in_full(
    job: IngestionJob, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(**_: object) -> None:
        raise RuntimeError("internal detail /srv/kizuna/secret.py line 12")

    monkeypatch.setattr("kizuna.documents.jobs.document_ingest", broken)
    assert job_run(str(job.pk), worker="w") == JobStatus.FAILED
    job.refresh_from_db()
    assert job.message == "Ingestion failed unexpectedly; the operator's log has the details."
    assert "internal detail" in caplog.text  # the trace is in the operator's log
