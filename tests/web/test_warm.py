"""A server process warms up before it serves (kizuna.wsgi calls kizuna.web.warm)."""

from __future__ import annotations

from django.conf import settings

from kizuna.briefings import render
from kizuna.web.warm import warm_up


def test_warm_up_builds_the_status_chart_shape_in_every_language() -> None:
    render._status_shape.cache_clear()
    warm_up()
    # One shape per language, so the first home page of either language builds nothing.
    assert render._status_shape.cache_info().currsize == len(settings.LANGUAGES)
