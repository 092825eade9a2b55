"""Calendar events as an iCalendar (RFC 5545) feed that calendar programs subscribe to."""

from __future__ import annotations

import datetime as dt

from django.template.defaultfilters import truncatechars
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from kizuna.commitments.selectors import CalendarEvent
from kizuna.core.dates import days_from
from kizuna.web.templatetags.kizuna_web import partial_date


def to_ics(events: list[CalendarEvent], *, base_url: str, ja: bool = False) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Kizuna//Coordination desk//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Kizuna")
    stamp = dt.datetime.now(dt.UTC)
    for e in events:
        event = Event()
        # Stable ids: a calendar program updates an event instead of adding it twice.
        event.add("uid", f"{e.kind}-{e.record_id}@kizuna")
        event.add("dtstamp", stamp)
        event.add("dtstart", e.first)
        event.add("dtend", days_from(e.last, 1))  # all-day events end the day after
        # Calendar programs show a line: a long commitment's words end with "…", not cut.
        title = truncatechars(e.title_ja if ja and e.title_ja else e.title, 200)
        dialogue = e.dialogue.acronym or (ja and e.dialogue.name_ja) or e.dialogue.name
        if e.vague_date:
            # A calendar program needs a day: the first of the month (or year) recorded,
            # said to be no more than that.
            unknown = (
                _("%(date)s; month and day not recorded")
                if e.vague == "year"
                else _("%(date)s; day not recorded")
            )
            title += " (" + unknown % {"date": partial_date(e.vague_date)} + ")"
        if e.kind == "deadline":
            summary = ("期限: " if ja else "Deadline: ") + title
            path = f"/commitments/{e.record_id}/"
        else:
            summary = title
            path = f"/meetings/{e.record_id}/"
            place = e.place_ja if ja and e.place_ja else e.place
            if place:
                event.add("location", place)
        event.add("summary", f"[{dialogue}] {summary}")
        event.add("url", base_url + path)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
