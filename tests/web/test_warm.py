"""A server process warms up before it serves (kizuna.wsgi calls kizuna.web.warm)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from kizuna.briefings import render
from kizuna.web.warm import warm_up


def test_warm_up_builds_the_status_chart_shape_in_every_language() -> None:
    render._status_shape.cache_clear()
    warm_up()
    # One shape per language, so the first home page of either language builds nothing.
    assert render._status_shape.cache_info().currsize == len(settings.LANGUAGES)


def test_the_wsgi_application_is_warm_before_it_serves(tmp_path: Path) -> None:
    # A fresh process, as a gunicorn worker is: importing kizuna.wsgi (what the server does)
    # must leave the chart shapes built, without a request.
    probe = (
        "import kizuna.wsgi\n"
        "from kizuna.briefings import render\n"
        "print(render._status_shape.cache_info().currsize)\n"
    )
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "kizuna.settings",
        "KIZUNA_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "KIZUNA_HOME": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(len(settings.LANGUAGES))
