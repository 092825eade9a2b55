"""Warming a server process before it serves, so that no reader's page pays for start-up.

Django and Kizuna load lazily: the URL patterns and every view module on the first request,
the template libraries on the first page, and the home page's chart needs altair (half a
second to import) and the chart's shape, built once per language. Left to the first requests,
that cost 1.5 s on the first home page of every gunicorn worker.
"""

from __future__ import annotations

from django.conf import settings
from django.template import engines
from django.urls import get_resolver
from django.utils import translation

from kizuna.web.labels import STATUSES


def warm_up() -> None:
    """Load what the first pages would: the URL patterns, the templates' libraries, the
    status chart's shape in each language."""
    from kizuna.briefings.render import status_spec
    from kizuna.commitments.selectors import StatusRow

    get_resolver().url_patterns  # noqa: B018  (imports every view module)
    for engine in engines.all():
        engine.engine.template_libraries  # type: ignore[attr-defined]  # noqa: B018
    row = StatusRow(party="", counts={}, unassessed=1, total=1)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            status_spec([row], STATUSES)
