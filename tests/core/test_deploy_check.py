"""Production settings pass Django's deploy check at WARNING level."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kizuna", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )


def test_production_settings_pass_the_deploy_check() -> None:
    result = run_check(
        {"KIZUNA_ENV": "production", "SECRET_KEY": "k" * 20 + "-a-real-secret-of-fifty-chars-x1"}
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {"KIZUNA_ENV": "production", "SECRET_KEY": ""}
    result = run_check(env)
    assert result.returncode != 0
    assert "SECRET_KEY: required" in result.stderr


def test_a_malformed_setting_is_named() -> None:
    result = run_check({"KIZUNA_PAGE_SIZE": "many"})
    assert result.returncode != 0
    assert "KIZUNA_PAGE_SIZE: expected a whole number" in result.stderr


@pytest.mark.django_db
def test_healthz_answers_without_login(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "worker": "ok"}}


@pytest.mark.django_db
def test_healthz_reports_a_queue_no_worker_serves(client: Client) -> None:
    import datetime as dt

    from django.utils import timezone

    from kizuna.documents.models import IngestionJob

    job = IngestionJob.objects.create(
        requested_by="t", file_name="a.txt", content_hash="h", text="x"
    )
    IngestionJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"].startswith("error: 1 jobs waiting")
