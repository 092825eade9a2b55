"""Operational endpoints."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and the job queue is served; 503 otherwise.

    Says nothing about any record. (The one view in `core` that asks a feature app: health
    is an operational front, like the CLI.)
    """
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # any database failure means unhealthy
        checks["database"] = f"error: {type(exc).__name__}"
    if checks["database"] == "ok":
        from kizuna.documents.jobs import worker_health

        checks["worker"] = worker_health()
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
