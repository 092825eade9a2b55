"""The REST API, /api/v1/: parse → one selector or service → render, like the web views.

Reads start from the same selectors as the web pages (each from `visible_to(actor)`);
writes call the same services, which check permissions and append the audit entry in the
write's own transaction. A record the caller may not see answers 404, exactly like one
that does not exist, and is never listed or named in any response.
"""

from __future__ import annotations

import datetime as dt
import functools
import platform
from collections.abc import Callable
from typing import Any, Literal

import django
from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from ninja import File, Form, NinjaAPI, Path, Query, Schema, Status
from ninja.decorators import _apply_decorators
from ninja.files import UploadedFile
from ninja.openapi.docs import DocsBase
from ninja.operation import Operation
from ninja.params.models import QueryModel

import kizuna
from kizuna.access.actor import Actor
from kizuna.api import render
from kizuna.api.auth import ApiAuth, caller
from kizuna.api.errors import (
    READ_ERRORS,
    WRITE_ERRORS,
    Conflict,
    Forbidden,
    Invalid,
    MethodNotAllowed,
    NotFound,
    TooLarge,
    error_responses,
    install_handlers,
)
from kizuna.api.schemas import (
    AcceptIn,
    AnalysisQuery,
    AsOf,
    AssessmentFilters,
    AssessmentIn,
    Body,
    CandidateOut,
    CandidatePage,
    CommitmentFilterQuery,
    CommitmentIn,
    CommitmentPatch,
    ConcernFilters,
    DialogueFilters,
    DocumentFilters,
    JobOut,
    MarkingIn,
    MeetingFilters,
    MergeIn,
    Meta,
    Page,
    RejectIn,
    ReviewFilters,
    ReviewIn,
    ShareIn,
    UploadFields,
)
from kizuna.commitments import services as commitment_services
from kizuna.commitments.models import Assessment, Commitment, Concern
from kizuna.commitments.selectors import (
    CommitmentFilters,
    commitments_visible,
    concerns_visible,
    documents_visible,
)
from kizuna.core.dates import days_from
from kizuna.core.text import as_sentence
from kizuna.dataset.kinds import KINDS_BY_LIST
from kizuna.documents import selectors as document_selectors
from kizuna.documents import services as document_services
from kizuna.documents.jobs import job_create
from kizuna.registry import services as registry_services
from kizuna.registry.models import Dialogue, Government, Meeting, Membership
from kizuna.registry.selectors import dialogues_visible, meetings_visible
from kizuna.registry.services import PermissionDenied
from kizuna.registry.taxonomy import Taxonomy

API_VERSION = "1"


class _NoDocs(DocsBase):
    """ninja's docs page is off (docs_url=None): kizuna.api.docs serves ours under CSP 'self'."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        raise NotImplementedError  # pragma: no cover - docs_url is None


class KizunaApi(NinjaAPI):
    def create_response(
        self, request: HttpRequest, data: Any, *, status: int | None = None, **kwargs: Any
    ) -> HttpResponse:
        response = super().create_response(request, data, status=status, **kwargs)
        # API answers are private to their caller: never stored by browsers or proxies.
        response["Cache-Control"] = "no-store"
        return response

    @property
    def urls(self) -> Any:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            # Django's LoginRequiredMiddleware would send token callers to the login page;
            # every operation authenticates itself (ApiAuth), and the schema view is guarded
            # by docs_guard, so each view opts out of the session-only check.
            callback: Any = getattr(pattern, "callback", None)
            # ninja's root view (a 404 naming the docs) keeps the login check.
            if callback is not None and getattr(pattern, "name", "") != "api-root":
                callback.login_required = False
                pattern.callback = _json_method_errors(callback)
        return patterns, app_name, namespace


def _json_method_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ninja answers a method that a path does not take with a plain-text 405; a client
    reads every failure as the one error body (docs/api.md, "Errors"), so say it there,
    with the Allow header naming the methods the path takes."""

    @functools.wraps(view)  # keeps csrf_exempt and login_required
    def answered(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = sorted(method.strip() for method in response["Allow"].split(","))
        return api.on_exception(request, MethodNotAllowed(request.method or "", allowed))

    return answered


def docs_guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema needs a caller too (a token or a session): every URL is public or guarded."""

    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            request.auth = ApiAuth()(request)  # type: ignore[attr-defined]
        except Exception as exc:  # ApiError subclasses; rendered in the one error shape
            return api.on_exception(request, exc)
        return view(request, *args, **kwargs)

    return guarded


api = KizunaApi(
    title="Kizuna API",
    version=API_VERSION,
    description=(
        "Kizuna's REST API. Authenticate with `Authorization: Bearer <token>` (a personal "
        "token from `kizuna token create`) or a signed-in session (send X-CSRFToken on "
        "writes). Records have the shape of `kizuna export` (docs/dataset-format.md). "
        "Records you may not see answer 404. Errors: "
        '`{"error": {"code", "message", "field"?}}`. See docs/api.md.'
    ),
    urls_namespace="api",
    auth=ApiAuth(),
    docs=_NoDocs(),
    docs_url=None,
    docs_decorator=docs_guard,
)
install_handlers(api)


def _actor(request: HttpRequest) -> Actor:
    return caller(request).actor


def _page(
    request: HttpRequest, list_name: str, queryset: models.QuerySet[Any], page: Page
) -> dict[str, Any]:
    actor = _actor(request)
    return _paged(
        render.prefetched(list_name, queryset, actor),
        page,
        lambda objects: render.dump_many(actor, list_name, objects),
    )


def _paged(
    queryset: models.QuerySet[Any], page: Page, dump: Callable[[list[Any]], list[dict[str, Any]]]
) -> dict[str, Any]:
    """The list envelope every list answers: {"count", "limit", "offset", "items"}."""
    limit = page.limit or int(settings.KIZUNA_PAGE_SIZE)
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": page.offset,
        "items": dump(list(queryset[page.offset : page.offset + limit])),
    }


def _detail(
    request: HttpRequest, list_name: str, queryset: models.QuerySet[Any], record_id: str
) -> dict[str, Any]:
    obj = render.prefetched(list_name, queryset, _actor(request)).filter(pk=record_id).first()
    if obj is None:
        raise NotFound(f"no {list_name.rstrip('s').replace('_', ' ')} {record_id!r}")
    return render.dump_one(_actor(request), list_name, obj)


def _visible_parties(actor: Actor, party: str) -> models.QuerySet[Any]:
    """Dialogues that `party` is a member of, by the memberships the actor may see."""
    return Membership.objects.visible_to(actor).filter(party_id=party).values("dialogue_id")


def _narrowed(queryset: models.QuerySet[Any], filters: Any, **lookups: str) -> models.QuerySet[Any]:
    """Each filter the client gave (by its name in `filters`) as an exact `lookup`."""
    for name, lookup in lookups.items():
        value = getattr(filters, name)
        if value:
            queryset = queryset.filter(**{lookup: value})
    return queryset


def _answers(tag: str, schema: Any, errors: tuple[int, ...], status: int = 200) -> dict[str, Any]:
    """An operation's documented answers: `schema` on success, the error body otherwise."""
    return {"response": {status: schema, **error_responses(errors)}, "tags": [tag]}


def _read(list_name: str) -> dict[str, Any]:
    return _answers(list_name, render.page_schema(list_name), READ_ERRORS)


def _one(list_name: str) -> dict[str, Any]:
    return _answers(list_name, render.item_schema(list_name), READ_ERRORS)


def _write(list_name: str, status: int = 200) -> dict[str, Any]:
    return _answers(list_name, render.item_schema(list_name), WRITE_ERRORS, status)


# --- meta ---------------------------------------------------------------------------------


@api.get("/meta", response={200: Meta, **error_responses(READ_ERRORS)}, tags=["meta"])
def meta(request: HttpRequest) -> dict[str, Any]:
    """Versions of Kizuna, this API, Django, Python and the database."""
    version = ".".join(str(part) for part in connection.get_database_version())
    return {
        "kizuna": kizuna.__version__,
        "api": API_VERSION,
        "django": django.get_version(),
        "python": platform.python_version(),
        "database": {"vendor": connection.vendor, "version": version},
    }


# --- reads --------------------------------------------------------------------------------


@api.get("/dialogues", **_read("dialogues"))
def dialogue_list(
    request: HttpRequest, filters: Query[DialogueFilters], page: Query[Page]
) -> dict[str, Any]:
    actor = _actor(request)
    dialogues = dialogues_visible(actor=actor, as_of=filters.as_of)
    if filters.party:
        dialogues = dialogues.filter(pk__in=_visible_parties(actor, filters.party))
    return _page(request, "dialogues", dialogues, page)


@api.get("/meetings", **_read("meetings"))
def meeting_list(
    request: HttpRequest, filters: Query[MeetingFilters], page: Query[Page]
) -> dict[str, Any]:
    actor = _actor(request)
    meetings = meetings_visible(actor=actor, as_of=filters.as_of).order_by("date_first", "id")
    meetings = _narrowed(meetings, filters, dialogue="dialogue_id")
    if filters.party:
        meetings = meetings.filter(dialogue__in=_visible_parties(actor, filters.party))
    return _page(request, "meetings", meetings, page)


def _commitment_filters(filters: CommitmentFilterQuery) -> CommitmentFilters:
    return CommitmentFilters(
        dialogue=filters.dialogue or "",
        party=filters.party or "",
        agency=filters.agency or "",
        topic=filters.topic or "",
        sector=filters.sector or "",
        status=filters.status or "",
        lifecycle=filters.lifecycle or "",
        q=filters.q or "",
    )


@api.get("/commitments", **_read("commitments"))
def commitment_list(
    request: HttpRequest, filters: Query[CommitmentFilterQuery], page: Query[Page]
) -> dict[str, Any]:
    commitments = commitments_visible(
        actor=_actor(request), as_of=filters.as_of, filters=_commitment_filters(filters)
    )
    return _page(request, "commitments", commitments, page)


def _assessments(actor: Actor, filters: AssessmentFilters | AsOf) -> models.QuerySet[Any]:
    """Visible assessments of visible commitments, dated on or before `as_of`."""
    narrowing = (
        CommitmentFilters(dialogue=filters.dialogue or "", topic=filters.topic or "")
        if isinstance(filters, AssessmentFilters)
        else CommitmentFilters()
    )
    commitments = commitments_visible(actor=actor, as_of=filters.as_of, filters=narrowing)
    assessments = Assessment.objects.visible_to(actor).filter(
        commitment__in=commitments.order_by().values("pk")
    )
    if filters.as_of is not None:
        assessments = assessments.filter(as_of__lte=filters.as_of)
    if isinstance(filters, AssessmentFilters):
        if filters.commitment:
            assessments = assessments.filter(commitment_id=filters.commitment)
        if filters.party:
            assessments = assessments.filter(party_id=filters.party)
    return assessments.order_by("commitment_id", "party_id", "as_of", "id")


@api.get("/commitments/{commitment_id}", **_one("commitments"))
def commitment_detail(
    request: HttpRequest, commitment_id: str, filters: Query[AsOf]
) -> dict[str, Any]:
    # Not a _detail_endpoint: PATCH shares this path, so its parameter keeps its own name.
    commitments = commitments_visible(actor=_actor(request), as_of=filters.as_of)
    return _detail(request, "commitments", commitments, commitment_id)


@api.get("/assessments", **_read("assessments"))
def assessment_list(
    request: HttpRequest, filters: Query[AssessmentFilters], page: Query[Page]
) -> dict[str, Any]:
    return _page(request, "assessments", _assessments(_actor(request), filters), page)


@api.get("/assessments/{assessment_id}", **_one("assessments"))
def assessment_detail(
    request: HttpRequest, assessment_id: str, filters: Query[AsOf]
) -> dict[str, Any]:
    assessments = _assessments(_actor(request), filters)
    return _detail(request, "assessments", assessments, assessment_id)


@api.get("/documents", **_read("documents"))
def document_list(
    request: HttpRequest, filters: Query[DocumentFilters], page: Query[Page]
) -> dict[str, Any]:
    documents = _narrowed(
        documents_visible(actor=_actor(request), as_of=filters.as_of),
        filters,
        dialogue="dialogue_id",
        meeting="meeting_id",
        party="issuer__government_id",
    ).order_by("date_first", "id")
    return _page(request, "documents", documents.defer("text"), page)


@api.get("/concerns", **_read("concerns"))
def concern_list(
    request: HttpRequest, filters: Query[ConcernFilters], page: Query[Page]
) -> dict[str, Any]:
    concerns = concerns_visible(actor=_actor(request), as_of=filters.as_of)
    concerns = _narrowed(
        concerns.order_by("first_raised_first", "id"), filters, dialogue="dialogue_id"
    )
    if filters.party:
        concerns = concerns.filter(Q(raised_by_id=filters.party) | Q(about_id=filters.party))
    if filters.topic:
        tagged = Concern.topics.through.objects.filter(
            topic_id__in=Taxonomy.load().subtree(filters.topic)  # a family counts its subtree
        ).values("concern_id")
        concerns = concerns.filter(pk__in=tagged)
    return _page(request, "concerns", concerns, page)


def _detail_endpoint(
    list_name: str, selector: Callable[..., models.QuerySet[Any]], id_name: str
) -> None:
    """GET /{list}/{id}: one record of `selector(actor=, as_of=)`, or 404 (five lists alike)."""

    def detail(request: HttpRequest, record_id: str, filters: Query[AsOf]) -> dict[str, Any]:
        queryset = selector(actor=_actor(request), as_of=filters.as_of)
        return _detail(request, list_name, queryset, record_id)

    detail.__name__ = f"{id_name.removesuffix('_id')}_detail"  # the schema's operationId
    api.get(f"/{list_name}/{{record_id}}", **_one(list_name))(detail)


_detail_endpoint("dialogues", dialogues_visible, "dialogue_id")
_detail_endpoint("meetings", meetings_visible, "meeting_id")
_detail_endpoint("documents", documents_visible, "document_id")
_detail_endpoint("concerns", concerns_visible, "concern_id")


# --- writes -------------------------------------------------------------------------------


def _require_visible(actor: Actor, model: type[models.Model], record_id: str) -> None:
    """404 before the service runs, so a hidden record is never told from a missing one."""
    manager: Any = model._default_manager
    if not manager.visible_to(actor).filter(pk=record_id).exists():
        raise NotFound(f"no {model._meta.verbose_name} {record_id!r}")


@api.post("/commitments", **_write("commitments", 201))
def commitment_create(request: HttpRequest, payload: CommitmentIn) -> Status:
    actor = _actor(request)
    _require_visible(actor, Dialogue, payload.dialogue)
    known = set(Government.objects.filter(pk__in=payload.parties).values_list("pk", flat=True))
    unknown = sorted(set(payload.parties) - known)
    if unknown:
        raise Invalid(f"unknown parties {unknown}", field="parties")
    if payload.meeting is not None:
        meeting = Meeting.objects.visible_to(actor).filter(pk=payload.meeting).first()
        if meeting is None or meeting.dialogue_id != payload.dialogue:
            raise Invalid("no meeting of this dialogue with that id", field="meeting")
    # Stored as the review path stores an accepted candidate's words (`as_sentence`).
    text = as_sentence(payload.text)
    if not text:
        raise Invalid("text cannot be empty", field="text")
    deadline = payload.deadline
    commitment = commitment_services.commitment_create(
        actor=actor,
        dialogue_id=payload.dialogue,
        text=text,
        made_on=payload.made_on,
        parties=sorted(set(payload.parties)),
        owners=payload.owners,
        marking=payload.marking,
        meeting_id=payload.meeting,
        deadline_text=as_sentence(deadline.text) if deadline else "",
        deadline_earliest=deadline.earliest if deadline else None,
        deadline_latest=deadline.latest if deadline else None,
    )
    return Status(
        201, render.dump_one(actor, "commitments", _fresh(actor, Commitment, commitment.pk))
    )


def _fresh(actor: Actor, model: type[models.Model], pk: Any) -> models.Model:
    manager: Any = model._default_manager
    list_name = next(k.list_name for k in KINDS_BY_LIST.values() if k.model is model)
    return render.prefetched(list_name, manager.all(), actor).get(pk=pk)


@api.patch("/commitments/{commitment_id}", **_write("commitments"))
def commitment_update(
    request: HttpRequest, commitment_id: str, payload: CommitmentPatch
) -> dict[str, Any]:
    actor = _actor(request)
    _require_visible(actor, Commitment, commitment_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    if not changes:
        raise Invalid("send at least one field to change besides version")
    if "text" in changes:
        # Tidied as on creation; blank once tidied is no text.
        changes["text"] = as_sentence(changes["text"] or "")
        if not changes["text"]:
            raise Invalid("text cannot be empty", field="text")
    if "deadline_text" in changes:
        changes["deadline_text"] = as_sentence(changes["deadline_text"] or "")
    if "lifecycle" in changes and changes["lifecycle"] is None:
        raise Invalid("lifecycle cannot be empty", field="lifecycle")
    registry_services.record_update(
        actor=actor, model=Commitment, record_id=commitment_id, version=version, changes=changes
    )
    return render.dump_one(actor, "commitments", _fresh(actor, Commitment, commitment_id))


@api.post("/commitments/{commitment_id}/assessments", **_write("assessments", 201))
def assessment_create(request: HttpRequest, commitment_id: str, payload: AssessmentIn) -> Status:
    actor = _actor(request)
    _require_visible(actor, Commitment, commitment_id)
    assessment = commitment_services.assessment_record(
        actor=actor,
        commitment_id=commitment_id,
        as_of=payload.as_of,
        status=payload.status,
        score=payload.score,
        completion=payload.completion,
        evidence=payload.evidence,
        marking=payload.marking,
    )
    return Status(
        201, render.dump_one(actor, "assessments", _fresh(actor, Assessment, assessment.pk))
    )


@api.post("/assessments/{assessment_id}/review", **_write("assessments", 201))
def assessment_review(request: HttpRequest, assessment_id: str, payload: ReviewIn) -> Status:
    actor = _actor(request)
    _require_visible(actor, Assessment, assessment_id)
    commitment_services.assessment_review(
        actor=actor, assessment_id=assessment_id, verdict=payload.verdict, reason=payload.reason
    )
    return Status(
        201, render.dump_one(actor, "assessments", _fresh(actor, Assessment, assessment_id))
    )


# Lists whose records may have their marking changed or be shared through the API.
RecordKind = Literal[
    "dialogues",
    "pillars",
    "memberships",
    "counterpart_pairs",
    "meetings",
    "agenda_items",
    "documents",
    "commitments",
    "assessments",
    "concerns",
    "notes",
]
_RECORD_WRITE = _answers("records", dict[str, Any], WRITE_ERRORS)


@api.post("/records/{kind}/{record_id}/marking", **_RECORD_WRITE)
def marking_change(
    request: HttpRequest, kind: Path[RecordKind], record_id: str, payload: MarkingIn
) -> dict[str, Any]:
    """Change who may read a record; widening its audience needs a `reason`."""
    return _record_write(request, kind, record_id, registry_services.marking_change, payload)


@api.post("/records/{kind}/{record_id}/share", **_RECORD_WRITE)
def record_share(
    request: HttpRequest, kind: Path[RecordKind], record_id: str, payload: ShareIn
) -> dict[str, Any]:
    """Share an agency-internal record with other agencies of its government."""
    return _record_write(request, kind, record_id, registry_services.record_share, payload)


def _record_write(
    request: HttpRequest, kind: str, record_id: str, write: Callable[..., Any], payload: Body
) -> dict[str, Any]:
    """Run one registry service on a record of any kind, then answer with what is visible.

    The payload's fields are exactly the service's keyword arguments (MarkingIn, ShareIn).
    """
    actor = _actor(request)
    model: Any = KINDS_BY_LIST[kind].model
    _require_visible(actor, model, record_id)
    write(actor=actor, model=model, record_id=record_id, **payload.dict())
    # A narrowed marking can hide the record from its own editor (a coordinator marking it
    # agency-internal for another agency): then say so without showing it.
    obj = (
        render.prefetched(kind, model._default_manager.visible_to(actor), actor)
        .filter(pk=record_id)
        .first()
    )
    if obj is None:
        return {"id": record_id, "visible": False}
    return render.dump_one(actor, kind, obj)


# --- documents and the review queue ----------------------------------------------------
# The same services as the upload and review pages (kizuna.documents.views): an upload is
# read and checked at once (size, format, already stored), then queued as an ingestion job;
# a decision on a candidate is candidate_accept / _merge / _reject, audited by the service.


@api.post("/documents", **_answers("documents", JobOut, WRITE_ERRORS, status=202))
def document_upload(
    request: HttpRequest, file: File[UploadedFile], fields: Form[UploadFields]
) -> Status:
    """Upload a statement (.txt, .html or .pdf, multipart field `file`) for ingestion (202).

    The answer is the ingestion job; follow it at `GET /jobs/{id}`. The same text already
    stored answers 409 `already-stored` and stores nothing.
    """
    actor = _actor(request)
    if not document_services.may_ingest(actor):
        raise PermissionDenied("only desk officers and coordinators ingest documents")
    limit = document_services.max_upload_bytes()
    if file.size is not None and file.size > limit:
        raise TooLarge(
            f"{file.name} is {file.size:,} bytes, over the limit of {limit // 2**20} MB",
            field="file",
        )
    file_name = file.name or "upload"
    try:
        reading = document_services.read_upload(file.read(), file_name=file_name)
    except document_services.IngestionInputError as exc:
        raise Invalid(str(exc), field="file") from None
    digest = document_services.content_hash(reading.text)
    existing = document_selectors.document_by_hash(actor=actor, digest=digest)
    if existing is not None:
        raise Conflict(
            f"this document is already stored as {existing.pk}; nothing new was added",
            code="already-stored",
        )
    job = job_create(actor=actor, reading=reading, file_name=file_name, **_service_args(fields))
    return Status(202, document_selectors.job_progress(job))


@api.get("/jobs/{job_id}", **_answers("documents", JobOut, READ_ERRORS))
def job_status(request: HttpRequest, job_id: str) -> dict[str, object]:
    """An ingestion job's progress; only its requester (and the operator) may follow it."""
    job = document_selectors.job_for(actor=_actor(request), job_id=job_id)
    if job is None:
        raise NotFound(f"no ingestion job {job_id!r}")
    return document_selectors.job_progress(job)


@api.get("/review", **_answers("review", CandidatePage, READ_ERRORS))
def review_queue(
    request: HttpRequest, filters: Query[ReviewFilters], page: Query[Page]
) -> dict[str, Any]:
    """Commitment candidates whose review you may follow, pending ones by default: those of
    the documents your government ingested (another government's review is its own), less
    any that became a commitment you may not see."""
    actor = _actor(request)
    candidates = _narrowed(
        document_selectors.review_work_seen(actor).filter(decision=filters.decision),
        filters,
        document="document_id",
    ).order_by("document__date_first", "document_id", "start", "pk")
    return _paged(candidates, page, lambda objects: render.candidates(actor, objects))


_DECISION = _answers("review", CandidateOut, WRITE_ERRORS)


@api.post("/review/{candidate_id}/accept", **_DECISION)
def candidate_accept(request: HttpRequest, candidate_id: int, payload: AcceptIn) -> dict[str, Any]:
    """Make the candidate a commitment; the fields you send override the suggestions."""
    edits = _service_args(payload, exclude_unset=True)
    return _decide(request, candidate_id, document_services.candidate_accept, **edits)


@api.post("/review/{candidate_id}/merge", **_DECISION)
def candidate_merge(request: HttpRequest, candidate_id: int, payload: MergeIn) -> dict[str, Any]:
    """Record the candidate as another statement of an existing commitment."""
    args = _service_args(payload)
    return _decide(request, candidate_id, document_services.candidate_merge, **args)


@api.post("/review/{candidate_id}/reject", **_DECISION)
def candidate_reject(request: HttpRequest, candidate_id: int, payload: RejectIn) -> dict[str, Any]:
    """Not a commitment; the reason is kept in the audit log."""
    args = _service_args(payload)
    return _decide(request, candidate_id, document_services.candidate_reject, **args)


def _service_args(payload: Schema, *, exclude_unset: bool = False) -> dict[str, Any]:
    """A body's fields as the service's keyword arguments: a reference `x` is `x_id` there."""
    fields = payload.dict(exclude_unset=exclude_unset)
    references = {"dialogue", "meeting", "commitment"}
    return {(f"{k}_id" if k in references else k): v for k, v in fields.items()}


def _decide(
    request: HttpRequest, candidate_id: int, decide: Callable[..., Any], **fields: Any
) -> dict[str, Any]:
    """404 for a candidate whose review you may not follow (as on the review page); else
    the service decides."""
    actor = _actor(request)
    visible = document_selectors.review_work_seen(actor)
    if not visible.filter(pk=candidate_id).exists():
        raise NotFound(f"no candidate {candidate_id}")
    decide(actor=actor, candidate_id=candidate_id, **fields)
    return render.candidates(actor, [visible.get(pk=candidate_id)])[0]


# --- analyses -----------------------------------------------------------------------------

AnalysisName = Literal[
    "coverage", "overlaps", "gaps", "slippage", "compliance", "changes", "concerns"
]
ANALYSIS_ROLES = {"coordinator"}


@api.get(
    "/analysis/{name}",
    response={200: dict[str, Any], **error_responses(READ_ERRORS)},
    tags=["analysis"],
)
def analysis(
    request: HttpRequest, name: Path[AnalysisName], filters: Query[AnalysisQuery]
) -> dict[str, Any]:
    """The coordinators' analyses (SECURITY.md: analyses are a coordinator's), as `actor` sees."""
    from kizuna.analysis.asof import AnalysisDateError
    from kizuna.analysis.frameworks import UnknownFramework

    actor = _actor(request)
    if not (actor.is_operator or actor.role in ANALYSIS_ROLES):
        raise Forbidden("analyses are for coordinators")
    as_of = filters.as_of or dt.date.today()
    try:
        return _run_analysis(name, actor, as_of, filters)
    except AnalysisDateError as exc:
        raise Invalid(str(exc), field="since") from exc
    except UnknownFramework as exc:
        raise Invalid(str(exc), field="framework") from exc


def _run_analysis(name: str, actor: Actor, as_of: dt.date, q: AnalysisQuery) -> Any:
    # Imported here: analysis sits below the API, but loading it is only needed when asked.
    from kizuna.analysis import changes, compliance, concerns, coverage, gaps, overlaps, slippage

    if name == "coverage":
        return coverage.coverage(actor=actor, as_of=as_of)
    if name == "overlaps":
        return overlaps.overlaps(actor=actor, as_of=as_of)
    if name == "gaps":
        if q.framework:
            return gaps.gaps(actor=actor, as_of=as_of, framework=q.framework)
        return gaps.gaps(actor=actor, as_of=as_of)
    if name == "slippage":
        return slippage.slippage(actor=actor, as_of=as_of, stale_days=q.stale_days)
    if name == "compliance":
        return compliance.compliance(actor=actor, as_of=as_of)
    if name == "changes":
        since = q.since or days_from(as_of, -30)
        return changes.changes(actor=actor, since=since, as_of=as_of)
    return concerns.concerns(actor=actor, as_of=as_of)


# --- unknown query parameters -------------------------------------------------------------


def _strict_query(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse query parameters the operation does not know (422 naming the first).

    A misspelt filter (`?dialouge=x`) would otherwise be ignored and the whole list
    returned, which reads as an answer to the question the client meant to ask. Refuse a
    parameter given twice for the same reason, and NUL characters in the query and the path: PostgreSQL cannot hold them in text
    and would fail the query (a 500) instead of finding nothing.
    """
    operation: Operation = run.__self__  # type: ignore[attr-defined]
    allowed: set[str] = set()
    for model in operation.models:
        if issubclass(model, QueryModel):
            allowed |= set(getattr(model, "__ninja_flatten_map__", None) or model.model_fields)

    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        unknown = sorted(set(request.GET) - allowed)
        if unknown:
            problem = Invalid(f"unknown query parameter {unknown[0]!r}", field=unknown[0])
            return api.on_exception(request, problem)
        given = [(k, v) for k, values in request.GET.lists() for v in values]
        # Every filter takes one value: `?document=a&document=b` would silently use the last.
        repeated = sorted(k for k, values in request.GET.lists() if len(values) > 1)
        if repeated:
            problem = Invalid(
                f"query parameter {repeated[0]!r} given more than once", field=repeated[0]
            )
            return api.on_exception(request, problem)
        for name, value in [*given, *kwargs.items()]:
            if isinstance(value, str) and "\x00" in value:
                return api.on_exception(request, Invalid("NUL characters", field=name))
        return run(request, *args, **kwargs)

    return checked


for _path_view in api.default_router.path_operations.values():
    for _operation in _path_view.operations:
        _apply_decorators((_strict_query,), _operation)
