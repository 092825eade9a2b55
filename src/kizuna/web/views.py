"""The web pages: thin adapters that parse the request, call a selector and render.

Every page sits behind login (LoginRequiredMiddleware); hidden records answer 404, the same
answer as a record that does not exist, so a page never reveals what it hides. Every page
honours `as_of=YYYY-MM-DD`: the workspace as it stood on that date.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kizuna.access.actor import Actor
from kizuna.commitments.models import Commitment
from kizuna.commitments.selectors import (
    CommitmentRow,
    agency_page,
    calendar_events,
    commitment_page,
    commitment_rows_of,
    commitments_visible,
    concerns_visible,
    dialogue_page,
    home_overview,
    meeting_page,
    page_ids,
    search,
    statuses_for,
)
from kizuna.core.dates import days_from
from kizuna.core.names import in_reader_language
from kizuna.dataset.exporter import csv_cell
from kizuna.registry.selectors import agencies_all, dialogues_visible, governments_all
from kizuna.web import services
from kizuna.web.forms import CommitmentFilterForm
from kizuna.web.ics import to_ics
from kizuna.web.labels import STATUSES
from kizuna.web.params import date_param
from kizuna.web.refusals import refused


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_user(request.user)


def _as_of(request: HttpRequest, *, warn: bool = True) -> dt.date | None:
    return date_param(request, "as_of", warn=warn)


def _ja() -> bool:
    return (get_language() or "").startswith("ja")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 page, with the as-of date the address asked for (a record made later is not
    found on an earlier day): the header's date bar then names that day, not today."""
    return render(request, "404.html", {"as_of": _as_of(request, warn=False)}, status=404)


def _page(
    request: HttpRequest, template: str, as_of: dt.date | None, **context: Any
) -> HttpResponse:
    return render(request, template, {"as_of": as_of, **context})


def home(request: HttpRequest) -> HttpResponse:
    as_of = _as_of(request)
    since = date_param(request, "since")
    overview = home_overview(actor=_actor(request), as_of=as_of, since=since)
    return _page(request, "web/home.html", as_of, overview=overview, since=since, statuses=STATUSES)


def dialogue_list(request: HttpRequest) -> HttpResponse:
    as_of = _as_of(request)
    dialogues = dialogues_visible(actor=_actor(request), as_of=as_of)
    return _page(request, "web/dialogue_list.html", as_of, dialogues=dialogues)


def dialogue_detail(request: HttpRequest, slug: str) -> HttpResponse:
    as_of = _as_of(request)
    page = dialogue_page(actor=_actor(request), dialogue_id=slug, as_of=as_of)
    if page is None:
        raise Http404(_("No such dialogue."))
    return _page(request, "web/dialogue_detail.html", as_of, page=page, dialogue=page.dialogue)


def meeting_detail(request: HttpRequest, meeting_id: str) -> HttpResponse:
    as_of = _as_of(request)
    page = meeting_page(actor=_actor(request), meeting_id=meeting_id, as_of=as_of)
    if page is None:
        raise Http404(_("No such meeting."))
    return _page(request, "web/meeting_detail.html", as_of, page=page, meeting=page.meeting)


def commitment_detail(request: HttpRequest, commitment_id: str) -> HttpResponse:
    return commitment_response(request, commitment_id)


def commitment_response(
    request: HttpRequest, commitment_id: str, *, failed_review: dict[str, str] | None = None
) -> HttpResponse:
    """The commitment page; with `failed_review` (the assessment, the message, what was
    sent), the review form that failed shows why beside its field, as it was filled in."""
    as_of = _as_of(request)
    page = commitment_page(actor=_actor(request), commitment_id=commitment_id, as_of=as_of)
    if page is None:
        raise Http404(_("No such commitment."))
    response = _page(
        request,
        "web/commitment_detail.html",
        as_of,
        failed_review=failed_review or {},
        page=page,
        commitment=page.commitment,
        highlighted=_highlight(page.commitment),
        # Each side, its reviews and its history are headed by the government's name in
        # the reader's language, not its ISO code.
        party_names={
            g.pk: in_reader_language(g) for g in governments_all().only("id", "name", "name_ja")
        },
    )
    if failed_review:
        response.status_code = 400
    return response


def _highlight(commitment: Commitment) -> SafeString | str:
    """The source document's text with the commitment's passage marked."""
    document = commitment.document
    start, end = commitment.passage_start, commitment.passage_end
    if document is None or start is None or end is None:
        return ""
    text = document.text
    return mark_safe(
        escape(text[:start])
        + '<mark id="passage">'
        + escape(text[start:end])
        + "</mark>"
        + escape(text[end:])
    )


def _filtered(
    request: HttpRequest, *, page: bool = True
) -> tuple[Actor, dt.date | None, CommitmentFilterForm]:
    """The reader, the as-of date and the list's filters; `page=False` for the answers that
    are not a page (the count, the downloads), which must not queue the page's warnings."""
    actor, as_of = _actor(request), _as_of(request, warn=page)
    return actor, as_of, CommitmentFilterForm(request.GET, actor=actor, as_of=as_of, ja=_ja())


LIST_COUNT_CAP = 10_000
"""A list counts its matches up to this many; past it the count says "more than", and the
CSV download (which streams every row) is the way to the rest."""


@dataclass
class ListPage:
    """One page of a list, found without counting the list: a count reads every matching row
    (a filter that matches few of 200,000 commitments reads them all to find those few), while
    a page sorted by an index stops when it is full. The count comes apart (`commitment_count`).
    """

    number: int
    object_list: list[CommitmentRow]
    more: bool  # a row was found past this page

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.more

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    def past_the_end(self) -> bool:
        """A page asked for past the list's last (an old link, a typed number): it holds no
        row, and which page is last would take a count, which the list does not make."""
        return self.number > 1 and not self.object_list


def _page_number(request: HttpRequest) -> int:
    """The `page` parameter; anything but a whole number from 1 up means the first page (so
    does a number of more than nine digits: Python refuses to read a long enough one)."""
    raw = request.GET.get("page", "")
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 1
    return max(number, 1)


def commitment_list(request: HttpRequest) -> HttpResponse:
    actor, as_of, form = _filtered(request)
    filters = form.filters()
    commitments = commitments_visible(actor=actor, as_of=as_of, filters=filters)
    # Page the ids first, then load that page's rows: without the joins of the full rows,
    # the database reads the sort index in order and stops when the page is full (one row
    # more says whether there is a next page). Paging stops at the cap's rows, as the count
    # does: past them, the CSV download; a page past them is past the end, unread.
    size = settings.KIZUNA_PAGE_SIZE
    last = -(-LIST_COUNT_CAP // size)
    number = _page_number(request)
    start = (number - 1) * size
    ids = page_ids(commitments, filters.sort, start, start + size + 1) if number <= last else []
    page = ListPage(
        number=number,
        object_list=commitment_rows_of(actor=actor, ids=ids[:size]),
        more=len(ids) > size and number < last,
    )
    return _page(
        request,
        "web/commitment_list.html",
        as_of,
        form=form,
        page=page,
        sort=filters.sort,
        statuses=statuses_for(actor=actor, commitments=page.object_list, as_of=as_of),
    )


def commitment_count(request: HttpRequest) -> HttpResponse:
    """How many commitments the filtered list holds, up to LIST_COUNT_CAP: the list page
    fetches it after showing its rows (htmx), so counting never holds the rows back."""
    actor, as_of, form = _filtered(request, page=False)
    commitments = commitments_visible(actor=actor, as_of=as_of, filters=form.filters())
    count = commitments.order_by().values("pk")[: LIST_COUNT_CAP + 1].count()
    return render(
        request,
        "web/_commitment_count.html",
        {"count": count, "cap": LIST_COUNT_CAP, "capped": count > LIST_COUNT_CAP},
    )


CSV_HEADER = [
    "id", "text", "dialogue", "meeting", "made_on", "parties", "owners", "deadline",
    "deadline_earliest", "deadline_latest", "topics", "sectors", "lifecycle", "lifecycle_target",
    "latest_status", "marking", "owner_government", "owner_agency", "confidence", "illustrative",
]  # fmt: skip


def commitment_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered list as CSV, every row, streamed; cells guarded against formula injection."""
    actor, as_of, form = _filtered(request, page=False)
    if not services.may_export(actor):
        return refused(request, str(services.EXPORT_REFUSED))
    commitments = commitments_visible(actor=actor, as_of=as_of, filters=form.filters())
    services.commitments_export_record(actor=actor, query=request.GET.urlencode())

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(CSV_HEADER)
        batch: list[Commitment] = []
        for commitment in commitments.iterator(chunk_size=500):
            batch.append(commitment)
            if len(batch) == 500:
                yield from _csv_rows(writer, actor, as_of, batch)
                batch = []
        yield from _csv_rows(writer, actor, as_of, batch)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kizuna-commitments.csv"'
    return response


def _csv_rows(
    writer: Any, actor: Actor, as_of: dt.date | None, batch: list[Commitment]
) -> Iterator[str]:
    statuses = statuses_for(actor=actor, commitments=batch, as_of=as_of)
    for c in batch:
        latest = statuses.get(c.pk, {})
        values = [
            c.pk, c.text, c.dialogue_id, c.meeting_id or "", c.made_on,
            " ".join(p.pk for p in c.parties.all()),
            " ".join(f"{o.party_id}:{o.agency_id}" for o in c.owners.all()),
            c.deadline_text, c.deadline_earliest, c.deadline_latest,
            " ".join(t.pk for t in c.topics.all()), " ".join(s.pk for s in c.sectors.all()),
            c.lifecycle, c.lifecycle_target_id or "",
            " ".join(f"{party}:{status}" for party, status in sorted(latest.items())),
            c.marking, c.owner_government_id, c.owner_agency_id or "", c.confidence,
            c.illustrative,
        ]  # fmt: skip
        yield writer.writerow([csv_cell(v) for v in values])


def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    as_of = _as_of(request)
    agency = get_object_or_404(agencies_all(), pk=slug)  # agencies are public reference data
    page = agency_page(actor=_actor(request), agency=agency, as_of=as_of)
    return _page(request, "web/agency_detail.html", as_of, page=page, agency=agency)


def concern_list(request: HttpRequest) -> HttpResponse:
    as_of = _as_of(request)
    concerns = concerns_visible(actor=_actor(request), as_of=as_of)
    return _page(request, "web/concern_list.html", as_of, concerns=concerns)


def search_page(request: HttpRequest) -> HttpResponse:
    as_of = _as_of(request)
    q = request.GET.get("q", "")[:200]
    results = search(actor=_actor(request), q=q, as_of=as_of)
    return _page(request, "web/search.html", as_of, results=results, q=results.q)


# The calendar shows this many days before and after its reference date, unless asked.
CALENDAR_BEFORE, CALENDAR_AFTER = 90, 365
# The feed reaches further back: a subscriber's calendar keeps past rounds.
FEED_BEFORE, FEED_AFTER = 5 * 365, 5 * 365


def calendar_page(request: HttpRequest) -> HttpResponse:
    as_of = _as_of(request)
    today = as_of or dt.date.today()
    start = date_param(request, "from") or days_from(today, -CALENDAR_BEFORE)
    end = date_param(request, "to") or days_from(today, CALENDAR_AFTER)
    # Reversed dates hold nothing; the page says why rather than "nothing between them".
    reversed_range = start > end
    events = (
        []
        if reversed_range
        else calendar_events(actor=_actor(request), start=start, end=end, as_of=as_of)
    )
    return _page(
        request,
        "web/calendar.html",
        as_of,
        events=events,
        reversed_range=reversed_range,
        start=start,
        end=end,
        has_feed=hasattr(request.user, "calendar_feed"),
        # Shown once, right after it is made: only its hash is stored.
        new_feed_url=request.session.pop("new_feed_url", None),
    )


def _ics_response(
    request: HttpRequest,
    actor: Actor,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    as_of: dt.date | None = None,
) -> HttpResponse:
    today = as_of or dt.date.today()
    events = calendar_events(
        actor=actor,
        start=start or days_from(today, -FEED_BEFORE),
        end=end or days_from(today, FEED_AFTER),
        as_of=as_of,
    )
    body = to_ics(events, base_url=request.build_absolute_uri("/").rstrip("/"), ja=_ja())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kizuna.ics"'
    return response


@require_GET
def calendar_ics(request: HttpRequest) -> HttpResponse:
    """The signed-in user's calendar, for a one-off download: the dates the calendar page
    showed (its `from` and `to`, as of its date), or the feed's reach without them."""
    # A download shows no messages: a malformed date is left out, as on the page.
    start, end = date_param(request, "from", warn=False), date_param(request, "to", warn=False)
    as_of = _as_of(request, warn=False)
    return _ics_response(request, _actor(request), start=start, end=end, as_of=as_of)


@login_not_required  # the secret in the address is the credential; calendar programs hold no session
@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A user's subscription: only what that user may see, while the address is not revoked."""
    feed = services.calendar_feed_of(token)
    if feed is None:
        return HttpResponseForbidden(_feed_refusal(), content_type="text/plain; charset=utf-8")
    with translation.override(feed.language):
        return _ics_response(request, Actor.from_user(feed.user))


def _feed_refusal() -> str:
    """The refusal in every language of the workspace, one per line.

    A calendar program names no language, and a revoked address's record, which kept its
    subscriber's, is gone: whoever reads the message may read either.
    """
    lines = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            lines.append(str(_("This calendar address is not valid or was revoked.")))
    return "\n".join(lines) + "\n"


@require_http_methods(["GET", "POST"])
def calendar_feed_manage(request: HttpRequest) -> HttpResponse:
    """Create (or replace) the user's secret feed address, or revoke it. The form's address
    opened on its own (a bookmark, the back button) leads to the calendar, where the form is."""
    if request.method == "GET":
        return redirect("web:calendar")
    actor, user = _actor(request), request.user
    if request.POST.get("action") == "revoke":
        services.calendar_feed_revoke(actor=actor, user=user)  # type: ignore[arg-type]
        messages.success(request, _("Your calendar address was revoked; it no longer works."))
    else:
        token = services.calendar_feed_create(
            actor=actor,
            user=user,  # type: ignore[arg-type]
            language=get_language() or settings.LANGUAGE_CODE,
        )
        request.session["new_feed_url"] = request.build_absolute_uri(f"/calendar/feed/{token}.ics")
        messages.success(
            request, _("Your new calendar address is below. Any earlier address stops working.")
        )
    return redirect("web:calendar")


def commitment_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered list as a workbook in the dataset format, so `kizuna load` reads it back."""
    import io

    from openpyxl import Workbook

    from kizuna.dataset.exporter import WITHHELD, VisibleIds, dump_record, hide_references
    from kizuna.dataset.kinds import KINDS_BY_LIST

    actor, as_of, form = _filtered(request, page=False)
    if not services.may_export(actor):
        return refused(request, str(services.EXPORT_REFUSED))
    commitments = commitments_visible(actor=actor, as_of=as_of, filters=form.filters())
    services.commitments_export_record(actor=actor, query=request.GET.urlencode(), format="xlsx")
    kind = KINDS_BY_LIST["commitments"]
    columns = [*kind.field_names(), "version", WITHHELD]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("commitments")
    sheet.append(columns)
    visible = VisibleIds(actor)
    for commitment in commitments.prefetch_related("owners", "parties", "topics", "sectors"):
        record = hide_references(kind, dump_record(kind, commitment), visible)
        sheet.append([csv_cell(record.get(column)) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="kizuna-commitments.xlsx"'
    return response
