"""Template helpers: links that keep the as-of date, names in the reader's language, labels."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html_join
from django.utils.translation import get_language

from kizuna.core.dates import PartialDate, PartialDateError, Precision
from kizuna.web.labels import label as label_for

register = template.Library()


@register.simple_tag(takes_context=True)
def href(context: template.Context, name: str, *args: Any) -> str:
    """The URL of a named page, carrying the page's as-of date so that links stay in that past."""
    url = reverse(f"web:{name}", args=[str(a) for a in args])
    as_of = context.get("as_of")
    if isinstance(as_of, dt.date):
        url += "?" + urlencode({"as_of": as_of.isoformat()})
    return url


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters changed (pagination, sorting)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else {}
    for key, value in changes.items():
        if value in ("", None):
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode() if hasattr(params, "urlencode") else urlencode(params)
    return "?" + encoded if encoded else "?"


@register.filter
def local(obj: Any, field: str = "name") -> str:
    """`obj.<field>_ja` when the reader reads Japanese and it is filled in, else `obj.<field>`."""
    if obj is None:
        return ""
    if (get_language() or "").startswith("ja"):
        ja = getattr(obj, f"{field}_ja", "")
        if ja:
            return str(ja)
    return str(getattr(obj, field, "") or "")


@register.filter
def short(dialogue: Any) -> str:
    """A dialogue's acronym, or its name in the reader's language."""
    return str(getattr(dialogue, "acronym", "") or local(dialogue, "name"))


@register.filter
def label(value: Any) -> str:
    return label_for(value)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """`mapping[key]` in a template, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def partial_date(text: Any) -> str:
    """A partial date (`2024`, `2024-01`, `2024-01-15`, a range) in the reader's usual form."""
    if isinstance(text, dt.date):
        return formats.date_format(text, "DATE_FORMAT")
    raw = str(text or "").strip()
    if not raw:
        return ""
    try:
        parsed = PartialDate.parse(raw)
    except PartialDateError:
        return raw
    if parsed.precision == Precision.DAY:
        return formats.date_format(parsed.first, "DATE_FORMAT")
    if parsed.precision == Precision.MONTH:
        return formats.date_format(parsed.first, "YEAR_MONTH_FORMAT")
    if parsed.precision == Precision.RANGE:
        return (
            formats.date_format(parsed.first, "DATE_FORMAT")
            + " – "
            + formats.date_format(parsed.last, "DATE_FORMAT")
        )
    return raw


@register.simple_tag(takes_context=True)
def kept_params(context: template.Context, *dropped: str) -> str:
    """Hidden inputs repeating the current query, less `dropped`: a form changes one thing."""
    request = context.get("request")
    if request is None:
        return ""
    return format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        ((k, v) for k, values in request.GET.lists() if k not in dropped for v in values),
    )
