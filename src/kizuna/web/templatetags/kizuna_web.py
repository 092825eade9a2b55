"""Template helpers: links that keep the as-of date, names in the reader's language, labels."""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import re
from typing import Any
from urllib.parse import urlencode

from django import template
from django.template.defaultfilters import truncatechars
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from kizuna.commitments.selectors import CommitmentRow, TimelineRound
from kizuna.core.dates import PartialDate, PartialDateError, Precision
from kizuna.core.names import in_reader_language
from kizuna.extraction.deadlines import DAY_DATE_PATTERN, normalise
from kizuna.web.labels import label as label_for

register = template.Library()


@register.simple_tag(takes_context=True)
def href(context: template.Context, name: str, *args: Any) -> str:
    """The URL of a named page, carrying the page's as-of date so that links stay in that past."""
    url = _address(context, name, [str(a) for a in args])
    as_of = context.get("as_of")
    if isinstance(as_of, dt.date):
        url += "?" + urlencode({"as_of": as_of.isoformat()})
    return url


# Ids made of these characters only are written into an address as they are: every path
# converter accepts them and `reverse` quotes none of them.
_PLAIN_ID = re.compile(r"[-a-zA-Z0-9_]+")
_STAND_IN = "record_id"


def _address(context: template.Context, name: str, args: list[str]) -> str:
    """`reverse(f"web:{name}", args=args)`, reversing each page's address once per request.

    `reverse` costs tens of microseconds, as much as the rest of a table row, and a page
    links to hundreds of records (home: 500 dialogues and 300 agencies). A plain id takes
    the place of a stand-in in the address reversed once for the request; any other id,
    and any other number of arguments, goes through `reverse` itself.
    """
    request = context.get("request")
    if len(args) != 1 or request is None or not _PLAIN_ID.fullmatch(args[0]):
        return reverse(f"web:{name}", args=args)
    patterns: dict[str, tuple[str, str] | None] = request.__dict__.setdefault(
        "_kizuna_addresses", {}
    )
    if name not in patterns:
        try:
            before, _, after = reverse(f"web:{name}", args=[_STAND_IN]).rpartition(_STAND_IN)
            patterns[name] = (before, after)
        except NoReverseMatch:  # a converter that takes no words (an int): reverse each time
            patterns[name] = None
    pattern = patterns[name]
    if pattern is None:
        return reverse(f"web:{name}", args=args)
    return pattern[0] + args[0] + pattern[1]


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
    return in_reader_language(obj, field)


@register.filter
def spec_json(spec: Any) -> str:
    """A chart's spec as JSON text for a `data-vega-json` attribute (autoescaped there).

    Not a `<script type="application/json">`: htmx, told to take no script tags from the
    server (`allowScriptTags: false`), drops every script of a piece of page it swaps in, so
    a chart on a page updated in place lost its spec and was never redrawn.
    """
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":"))


@register.filter
def short(record: Any) -> str:
    """A record's acronym when it has one (a dialogue, an agency), else its name in the
    reader's language."""
    return str(getattr(record, "acronym", "") or local(record, "name"))


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
        return _local_date(text, get_language() or "")
    raw = str(text or "").strip()
    return _local_date(raw, get_language() or "") if raw else ""


@functools.lru_cache(maxsize=4096)
def _local_date(date: dt.date | str, language: str) -> str:
    """`partial_date` for one value in one language, worked out once.

    A dialogue's timeline and its commitments table show the same few hundred dates again
    and again; parsing and formatting each took about 7% of the dialogue page's time
    (profiled). The formats depend only on the language (settings and locale files).
    """
    if isinstance(date, dt.date):
        return formats.date_format(date, "DATE_FORMAT")
    try:
        parsed = PartialDate.parse(date)
    except PartialDateError:
        return date
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
    # A year alone: "2024", and "2024年" for a Japanese reader (no Django format says it).
    return pgettext("a year on its own, as a date", "%(year)s") % {"year": parsed.first.year}


@register.filter
def calendar_heading(day: dt.date | str) -> str:
    """The calendar's heading for a group of events: the month, or the year alone for
    rounds known only to the year (listed under it, not under January)."""
    if isinstance(day, dt.date):
        return formats.date_format(day, "YEAR_MONTH_FORMAT")
    return partial_date(day)


@register.filter
def deadline(commitment: Any) -> str:
    """A commitment's deadline as written, with the day it falls by when the words do not
    already name that day: "by 2026 (by Dec. 31, 2026)", but "by March 31, 2027" once."""
    words = commitment.deadline_text or ""
    day = commitment.deadline_latest
    if day is None:
        return words or "—"
    by = f"{_('by')} {formats.date_format(day, 'DATE_FORMAT')}"
    if not words:
        return by
    return words if _names_day(words, day) else f"{words} ({by})"


_DAY_NAMED = re.compile(DAY_DATE_PATTERN)


def _names_day(words: str, day: dt.date) -> bool:
    """Whether a deadline's words name `day`: as the page writes dates (the Japanese
    "2027年3月31日"), or as statements do ("31 January 2027", which the page writes
    "Jan. 31, 2027")."""
    if formats.date_format(day, "DATE_FORMAT") in words:
        return True
    return any(normalise(found.group(0)) == (day, day) for found in _DAY_NAMED.finditer(words))


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


def _shortened(text: str, length: int) -> str:
    """`truncatechars`, which walks every character of every text to count combining marks:
    a text no longer than `length` characters has no more than `length` to show."""
    return text if len(text) <= length else truncatechars(text, length)


@register.simple_tag(takes_context=True)
def commitment_rows(
    context: template.Context,
    commitments: list[CommitmentRow],
    statuses: dict[str, dict[str, str]],
) -> SafeString:
    """The body rows of a commitments table (web/_commitment_table.html), written in Python.

    Each row through the template engine cost about 0.4 ms (a dozen variable lookups,
    filters and two URL tags), more than the page's queries; here a row costs a fraction.
    `statuses` is {commitment id: {party: latest status}} (`statuses_for`).
    """
    # Every value is plain text (fields, labels, dates), so html.escape is Django's escape
    # without its checks for lazy and safe strings; the few distinct words are looked up once.
    esc = html.escape
    words: dict[str, str] = {}

    def word(value: str) -> str:
        if value not in words:
            words[value] = esc(label(value))
        return words[value]

    not_assessed = esc(_("not assessed"))
    rows = []
    for c in commitments:
        latest = statuses.get(c.pk, {})
        tags = ""
        if c.lifecycle != "active":
            tags += f' <span class="tag">{word(c.lifecycle)}</span>'
        if c.marking != "public":
            tags += f' <span class="marking marking-{esc(c.marking)}">{word(c.marking)}</span>'
        party_tags = status_cells = ""
        for code in c.party_list:
            party, status = esc(code), latest.get(code)
            party_tags += f'<span class="tag">{party}</span>'
            status_cells += (
                f'<span class="status status-{esc(status or "none")}">{party}: '
                f"{not_assessed if status is None else word(status)}</span> "
            )
        rows.append(
            f'<tr>\n<td><a href="{esc(href(context, "commitment", c.pk))}">'
            f"{esc(_shortened(c.text, 160))}</a>{tags}</td>\n"
            f'<td><a href="{esc(href(context, "dialogue", c.dialogue.pk))}">'
            f"{esc(short(c.dialogue))}</a></td>\n"
            f"<td>{party_tags}</td>\n<td>{status_cells}</td>\n"
            f"<td>{esc(c.deadline_text or '—')}</td><td>{esc(partial_date(c.made_on))}</td></tr>\n"
        )
    return mark_safe("".join(rows))  # every value above is escaped


@register.simple_tag(takes_context=True)
def timeline_rounds(context: template.Context, rounds: list[TimelineRound]) -> SafeString:
    """The items of a dialogue's timeline (web/dialogue_detail.html), written in Python as
    `commitment_rows` is: through the template engine each round, its agenda and its
    outcomes cost about a fifth of the page's rendering, for two dozen lookups a round."""
    esc = html.escape
    agenda_heading, outcomes_heading = esc(_("Agenda")), esc(_("Outcomes"))
    carried = f' <span class="tag">{esc(_("carried over"))}</span>'
    items = []
    for entry in rounds:
        meeting = entry.meeting
        number = esc(_("Round %(n)s") % {"n": meeting.round}) + " · " if meeting.round else ""
        place = f" · {esc(local(meeting, 'place'))}" if meeting.place else ""
        item = (
            f'<li>\n<h3><a href="{esc(href(context, "meeting", meeting.pk))}">{number}'
            f"{esc(partial_date(meeting.date))} · {esc(local(meeting, 'title'))}</a></h3>\n"
            f'<p class="sub">{esc(label(meeting.level))}{place}</p>\n'
        )
        if entry.agenda:
            named = "; ".join(
                esc(local(a, "title")) + (carried if a.carried_from_id else "")
                for a in entry.agenda
            )
            item += f"<p>{agenda_heading}: {named}</p>\n"
        if entry.outcomes:
            named = "; ".join(
                f'{esc(d.title)} <span class="sub">({esc(label(d.kind))})</span>'
                for d in entry.outcomes
            )
            item += f"<p>{outcomes_heading}: {named}</p>\n"
        items.append(item + "</li>")
    return mark_safe("".join(items))  # every value above is escaped
