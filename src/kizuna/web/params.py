"""Query parameters the pages share."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kizuna.core.dates import PartialDateError, parse_iso_date


class NotADate(ValueError):
    """A query parameter that should hold a YYYY-MM-DD date holds `raw` instead."""

    def __init__(self, raw: str) -> None:
        super().__init__(raw)
        self.raw = raw


def strict_date_param(request: HttpRequest, name: str) -> dt.date | None:
    """A YYYY-MM-DD query parameter, None when absent; `NotADate` when malformed."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return parse_iso_date(raw)
    except PartialDateError:
        raise NotADate(raw) from None


def date_param(request: HttpRequest, name: str, *, warn: bool = True) -> dt.date | None:
    """A YYYY-MM-DD query parameter; a malformed one is ignored with a message saying so.

    `warn=False` for answers that show no messages (a fragment, a download): a message
    queued there would appear on whatever page the reader opens next.
    """
    try:
        return strict_date_param(request, name)
    except NotADate as exc:
        if warn:
            messages.warning(
                request,
                _("“%(value)s” is not a date in the form YYYY-MM-DD, so it was ignored.")
                % {"value": exc.raw},
            )
        return None
