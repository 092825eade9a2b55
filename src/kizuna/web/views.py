"""The web pages: thin adapters that parse the request, call a selector and render.

Every page sits behind login (LoginRequiredMiddleware); hidden records answer 404.
"""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from kizuna.access.actor import Actor
from kizuna.commitments.selectors import (
    CommitmentFilters,
    assessments_visible,
    commitments_visible,
    concerns_visible,
    latest_assessments,
)
from kizuna.core.dates import PartialDateError, parse_iso_date
from kizuna.registry.selectors import (
    agencies_all,
    agenda_visible,
    dialogues_visible,
    meetings_visible,
)


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_user(request.user)


def _as_of(request: HttpRequest) -> dt.date | None:
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return None
    try:
        return parse_iso_date(raw)
    except PartialDateError as exc:
        raise Http404(f"as_of: {exc}") from exc


def home(request: HttpRequest) -> HttpResponse:
    actor, as_of = _actor(request), _as_of(request)
    dialogues = dialogues_visible(actor=actor, as_of=as_of)
    meetings = meetings_visible(actor=actor, as_of=as_of).order_by("-date_first")[:10]
    return render(
        request,
        "web/home.html",
        {
            "dialogues": dialogues,
            "meetings": meetings,
            "as_of": as_of,
            "commitment_count": commitments_visible(actor=actor, as_of=as_of).count(),
        },
    )


def dialogue_list(request: HttpRequest) -> HttpResponse:
    as_of = _as_of(request)
    return render(
        request,
        "web/dialogue_list.html",
        {"dialogues": dialogues_visible(actor=_actor(request), as_of=as_of), "as_of": as_of},
    )


def dialogue_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor, as_of = _actor(request), _as_of(request)
    dialogue = get_object_or_404(dialogues_visible(actor=actor, as_of=as_of), pk=slug)
    return render(
        request,
        "web/dialogue_detail.html",
        {
            "dialogue": dialogue,
            "as_of": as_of,
            "children": dialogues_visible(actor=actor, as_of=as_of).filter(parent=dialogue),
            "meetings": meetings_visible(actor=actor, as_of=as_of).filter(dialogue=dialogue),
            "commitments": commitments_visible(
                actor=actor, as_of=as_of, filters=CommitmentFilters(dialogue=dialogue.pk)
            ),
        },
    )


def meeting_detail(request: HttpRequest, meeting_id: str) -> HttpResponse:
    actor, as_of = _actor(request), _as_of(request)
    meeting = get_object_or_404(meetings_visible(actor=actor, as_of=as_of), pk=meeting_id)
    return render(
        request,
        "web/meeting_detail.html",
        {
            "meeting": meeting,
            "as_of": as_of,
            "agenda": agenda_visible(actor=actor, meeting=meeting),
            "commitments": commitments_visible(actor=actor, as_of=as_of).filter(meeting=meeting),
        },
    )


def commitment_list(request: HttpRequest) -> HttpResponse:
    actor, as_of = _actor(request), _as_of(request)
    filters = CommitmentFilters(
        dialogue=request.GET.get("dialogue", ""),
        party=request.GET.get("party", "").upper(),
        agency=request.GET.get("agency", ""),
        topic=request.GET.get("topic", ""),
        lifecycle=request.GET.get("lifecycle", ""),
        q=request.GET.get("q", "").strip(),
    )
    page = Paginator(commitments_visible(actor=actor, as_of=as_of, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "web/commitment_list.html", {"page": page, "filters": filters, "as_of": as_of}
    )


def commitment_detail(request: HttpRequest, commitment_id: str) -> HttpResponse:
    actor, as_of = _actor(request), _as_of(request)
    commitment = get_object_or_404(commitments_visible(actor=actor, as_of=as_of), pk=commitment_id)
    assessments = assessments_visible(actor=actor, commitment=commitment, as_of=as_of)
    return render(
        request,
        "web/commitment_detail.html",
        {
            "commitment": commitment,
            "as_of": as_of,
            "assessments": assessments,
            "latest": latest_assessments(assessments),
            "highlighted": _highlight(commitment),
        },
    )


def _highlight(commitment: object) -> str:
    """The source document's text with the commitment's passage marked."""
    document = getattr(commitment, "document", None)
    start, end = (
        getattr(commitment, "passage_start", None),
        getattr(commitment, "passage_end", None),
    )
    if document is None or start is None or end is None:
        return ""
    text = document.text
    return mark_safe(  # noqa: S308 - every part is escaped first
        escape(text[:start])
        + "<mark id='passage'>"
        + escape(text[start:end])
        + "</mark>"
        + escape(text[end:])
    )


def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor, as_of = _actor(request), _as_of(request)
    agency = get_object_or_404(agencies_all(), pk=slug)
    return render(
        request,
        "web/agency_detail.html",
        {
            "agency": agency,
            "as_of": as_of,
            "dialogues": dialogues_visible(actor=actor, as_of=as_of)
            .filter(leads__agency=agency)
            .distinct(),
            "commitments": commitments_visible(
                actor=actor, as_of=as_of, filters=CommitmentFilters(agency=slug)
            ),
        },
    )


def concern_list(request: HttpRequest) -> HttpResponse:
    as_of = _as_of(request)
    return render(
        request,
        "web/concern_list.html",
        {"concerns": concerns_visible(actor=_actor(request), as_of=as_of), "as_of": as_of},
    )
