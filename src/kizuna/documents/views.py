"""Ingestion pages: upload, job progress, review queue, review, readouts side by side.

Thin adapters: parse the request, call one service or selector, render. Bad input answers a
4xx with the message on the page; hidden records answer 404 like missing ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kizuna.access.actor import Actor
from kizuna.documents import selectors
from kizuna.documents.forms import DecisionForm, UploadForm
from kizuna.documents.jobs import job_create
from kizuna.documents.models import CommitmentCandidate, Document
from kizuna.documents.services import (
    IngestionInputError,
    UnseenMergeTarget,
    candidate_accept,
    candidate_merge,
    candidate_reject,
    content_hash,
    max_upload_bytes,
    may_ingest,
    read_upload,
)
from kizuna.registry.records import MARKING_ORDER
from kizuna.registry.services import InvalidEdit, PermissionDenied
from kizuna.web.labels import label
from kizuna.web.refusals import refused
from kizuna.web.templatetags.kizuna_web import local


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_user(request.user)


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not may_ingest(actor):
        return refused(request, _("Only desk officers and coordinators ingest documents."))
    dialogues = [(d.pk, local(d, "name")) for d in selectors.documents_dialogues(actor=actor)]
    form = UploadForm(request.POST or None, request.FILES or None, dialogues=dialogues)
    context = {"form": form, "max_mb": max_upload_bytes() // (1024 * 1024)}
    if request.method != "POST":
        return render(request, "documents/upload.html", context)
    if not form.is_valid():
        return render(request, "documents/upload.html", context, status=400)
    uploaded = form.cleaned_data["file"]
    if uploaded.size > max_upload_bytes():
        context["error"] = _("%(name)s is %(size)s bytes, over the limit of %(limit)s MB.") % {
            "name": uploaded.name,
            "size": f"{uploaded.size:,}",
            "limit": context["max_mb"],
        }
        return render(request, "documents/upload.html", context, status=413)
    try:
        reading = read_upload(
            uploaded.read(), file_name=uploaded.name or "upload", date=form.cleaned_data["date"]
        )
    except IngestionInputError as exc:
        context["error"] = str(exc)
        return render(request, "documents/upload.html", context, status=400)
    existing = selectors.document_by_hash(actor=actor, digest=content_hash(reading.text))
    if existing is not None:
        context["error"] = _("This document is already stored; nothing new was added.")
        context["existing"] = existing
        return render(request, "documents/upload.html", context, status=409)
    try:
        job = job_create(
            actor=actor,
            reading=reading,
            file_name=uploaded.name or "upload",
            dialogue_id=form.cleaned_data["dialogue"] or None,
            meeting_id=form.cleaned_data["meeting"] or None,
            marking=form.cleaned_data["marking"],
            kind=form.cleaned_data["kind"],
        )
    except (InvalidEdit, PermissionDenied) as exc:
        context["error"] = str(exc)
        return render(request, "documents/upload.html", context, status=400)
    return redirect("documents:job", job_id=str(job.pk))


@require_GET
def job_page(request: HttpRequest, job_id: str) -> HttpResponse:
    job = selectors.job_for(actor=_actor(request), job_id=job_id)
    if job is None:
        raise Http404(_("No such job."))
    return render(request, "documents/job.html", {"job": job})


@require_GET
def job_status(request: HttpRequest, job_id: str) -> JsonResponse:
    job = selectors.job_for(actor=_actor(request), job_id=job_id)
    if job is None:
        raise Http404(_("No such job."))
    data = selectors.job_progress(job)
    data["status_text"] = label(job.status)  # `status` to act on, this to show
    if job.document_id:
        data["review_url"] = reverse("documents:review", args=[job.document_id])
    return JsonResponse(data)


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    documents = selectors.review_queue(actor=actor)
    # The upload page refuses those who may not ingest: no link to it for them.
    context = {"documents": documents, "may_ingest": may_ingest(actor)}
    return render(request, "documents/queue.html", context)


@require_GET
def review(request: HttpRequest, document_id: str) -> HttpResponse:
    return _review_response(request, document_id)


@dataclass(frozen=True)
class FailedDecision:
    """A decision the reviewer must correct: shown at its candidate, with what was typed."""

    candidate: int
    decision: str
    message: str
    values: dict[str, Any]


def _review_response(
    request: HttpRequest,
    document_id: str,
    *,
    failed: FailedDecision | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.review_page(actor=_actor(request), document_id=document_id)
    if page is None:
        raise Http404(_("No such document."))
    values = {item.candidate.pk: _suggested(page.document, item) for item in page.items}
    if failed is not None and failed.candidate in values:
        values[failed.candidate].update(failed.values)
    context = {"page": page, "values": values, "failed": failed, "markings": MARKING_ORDER}
    return render(request, "documents/review.html", context, status=status)


def _suggested(document: Document, item: selectors.ReviewItem) -> dict[str, Any]:
    """A candidate's decision forms as first shown: the extractor's suggestions, the
    document's marking, and the nearest existing commitment to merge into."""
    c = item.candidate
    return {
        "text": c.text,
        "dialogue": c.suggested_dialogue_id or document.dialogue_id or "",
        "meeting": c.suggested_meeting_id or "",
        "parties": list(c.parties),
        "owners": [slug for slugs in c.owners.values() for slug in slugs],
        "deadline_text": c.deadline_text,
        "deadline_earliest": c.deadline_earliest.isoformat() if c.deadline_earliest else "",
        "deadline_latest": c.deadline_latest.isoformat() if c.deadline_latest else "",
        "topics": list(c.topics),
        "sectors": list(c.sectors),
        "marking": document.marking,
        "commitment": item.near_duplicates[0][0].pk if item.near_duplicates else "",
        "reason": "",
    }


def decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    candidate = selectors.candidates_visible(actor).filter(pk=pk).first()
    if candidate is None:
        raise Http404(_("No such candidate."))
    review = reverse("documents:review", args=[candidate.document_id]) + f"#c{candidate.pk}"
    if request.method != "POST":
        # The form's address, reloaded or opened after signing in again: the review page,
        # at the candidate, not an empty "method not allowed".
        return redirect(review)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise InvalidEdit(field, " ".join(str(error) for error in errors))
        message = _apply(actor, candidate, form)
    except UnseenMergeTarget as exc:
        # A mistyped id is the reviewer's to correct, not a refusal to answer.
        return _failed(request, candidate, form, InvalidEdit(exc.field, str(exc)))
    except PermissionDenied as exc:
        return refused(request, str(exc))
    except InvalidEdit as exc:
        return _failed(request, candidate, form, exc)
    messages.success(request, message)
    return redirect(review)


def _failed(
    request: HttpRequest, candidate: CommitmentCandidate, form: DecisionForm, exc: InvalidEdit
) -> HttpResponse:
    """The review page again, the decision's error at its candidate with what was typed."""
    failed = FailedDecision(
        candidate=candidate.pk,
        decision=request.POST.get("decision", ""),
        message=f"{form.label_of(exc.field)}: {exc.message}",
        values=DecisionForm.values_sent(request.POST),
    )
    return _review_response(request, candidate.document_id, failed=failed, status=400)


def _apply(actor: Actor, candidate: CommitmentCandidate, form: DecisionForm) -> str:
    decision = form.cleaned_data["decision"]
    if decision == "accept":
        commitment = candidate_accept(actor=actor, candidate_id=candidate.pk, **form.accept_edits())
        return _("Accepted as commitment %s.") % commitment.pk
    if decision == "merge":
        commitment = candidate_merge(
            actor=actor,
            candidate_id=candidate.pk,
            commitment_id=form.cleaned_data["commitment"],
            reason=form.cleaned_data.get("reason", ""),
        )
        return _("Merged into commitment %s.") % commitment.pk
    candidate_reject(
        actor=actor, candidate_id=candidate.pk, reason=form.cleaned_data.get("reason", "")
    )
    return _("Rejected.")


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    left, right = request.GET.get("left", ""), request.GET.get("right", "")
    if not left and not right:
        # The address alone (a bookmark, the address typed in): say how to choose two.
        return render(request, "documents/compare.html", {"c": None})
    comparison = selectors.readouts_compare(actor=_actor(request), left_id=left, right_id=right)
    if comparison is None:
        raise Http404(_("Choose two different documents you may see."))
    return render(request, "documents/compare.html", {"c": comparison})


@require_GET
def meeting_readouts(request: HttpRequest, meeting_id: str) -> HttpResponse:
    actor = _actor(request)
    found = selectors.meeting_readouts(actor=actor, meeting_id=meeting_id)
    if found is None:
        raise Http404(_("No such meeting."))
    meeting, documents = found
    comparison = None
    if len(documents) >= 2:
        left = request.GET.get("left") or documents[0].pk
        right = request.GET.get("right") or next(d.pk for d in documents if d.pk != left)
        comparison = selectors.readouts_compare(actor=actor, left_id=left, right_id=right)
    return render(
        request,
        "documents/readouts.html",
        {"meeting": meeting, "documents": documents, "c": comparison},
    )
