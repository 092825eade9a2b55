"""The REST API, /api/v1/: parse → one selector or service → render, like the web views.

Reads start from the same selectors as the web pages (each from `visible_to(actor)`);
writes call the same services, which check permissions and append the audit entry in the
write's own transaction. A record the caller may not see answers 404, exactly like one
that does not exist, and is never listed or named in any response.
"""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Callable
from typing import Any, Literal

import django
from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Query, Status
from ninja.decorators import _apply_decorators
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
    Forbidden,
    Invalid,
    NotFound,
    error_responses,
    install_handlers,
)
from kizuna.api.schemas import (
    AnalysisQuery,
    AsOf,
    AssessmentFilters,
    AssessmentIn,
    CommitmentFilterQuery,
    CommitmentIn,
    CommitmentPatch,
    ConcernFilters,
    DialogueFilters,
    DocumentFilters,
    MarkingIn,
    MeetingFilters,
    Meta,
    Page,
    ReviewIn,
    ShareIn,
)
from kizuna.commitments import services as commitment_services
from kizuna.commitments.models import Assessment, Commitment, Concern
from kizuna.commitments.selectors import (
    CommitmentFilters,
    commitments_visible,
    concerns_visible,
    documents_visible,
)
from kizuna.dataset.kinds import KINDS_BY_LIST
from kizuna.registry import services as registry_services
from kizuna.registry.models import Dialogue, Government, Meeting, Membership
from kizuna.registry.selectors import dialogues_visible, meetings_visible

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
        return patterns, app_name, namespace


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
    limit = page.limit or int(settings.KIZUNA_PAGE_SIZE)
    objects = list(render.prefetched(list_name, queryset)[page.offset : page.offset + limit])
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": page.offset,
        "items": render.dump_many(_actor(request), list_name, objects),
    }


def _detail(
    request: HttpRequest, list_name: str, queryset: models.QuerySet[Any], record_id: str
) -> dict[str, Any]:
    obj = render.prefetched(list_name, queryset).filter(pk=record_id).first()
    if obj is None:
        raise NotFound(f"no {list_name.rstrip('s').replace('_', ' ')} {record_id!r}")
    return render.dump_one(_actor(request), list_name, obj)


def _visible_parties(actor: Actor, party: str) -> models.QuerySet[Any]:
    """Dialogues that `party` is a member of, by the memberships the actor may see."""
    return Membership.objects.visible_to(actor).filter(party_id=party).values("dialogue_id")


def _read(list_name: str) -> dict[str, Any]:
    return {
        "response": {200: render.page_schema(list_name), **error_responses(READ_ERRORS)},
        "tags": [list_name],
    }


def _one(list_name: str) -> dict[str, Any]:
    return {
        "response": {200: render.item_schema(list_name), **error_responses(READ_ERRORS)},
        "tags": [list_name],
    }


def _write(list_name: str, status: int = 200) -> dict[str, Any]:
    return {
        "response": {status: render.item_schema(list_name), **error_responses(WRITE_ERRORS)},
        "tags": [list_name],
    }


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


@api.get("/dialogues/{dialogue_id}", **_one("dialogues"))
def dialogue_detail(request: HttpRequest, dialogue_id: str, filters: Query[AsOf]) -> dict[str, Any]:
    dialogues = dialogues_visible(actor=_actor(request), as_of=filters.as_of)
    return _detail(request, "dialogues", dialogues, dialogue_id)


@api.get("/meetings", **_read("meetings"))
def meeting_list(
    request: HttpRequest, filters: Query[MeetingFilters], page: Query[Page]
) -> dict[str, Any]:
    actor = _actor(request)
    meetings = meetings_visible(actor=actor, as_of=filters.as_of).order_by("date_first", "id")
    if filters.dialogue:
        meetings = meetings.filter(dialogue_id=filters.dialogue)
    if filters.party:
        meetings = meetings.filter(dialogue__in=_visible_parties(actor, filters.party))
    return _page(request, "meetings", meetings, page)


@api.get("/meetings/{meeting_id}", **_one("meetings"))
def meeting_detail(request: HttpRequest, meeting_id: str, filters: Query[AsOf]) -> dict[str, Any]:
    meetings = meetings_visible(actor=_actor(request), as_of=filters.as_of)
    return _detail(request, "meetings", meetings, meeting_id)


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


@api.get("/commitments/{commitment_id}", **_one("commitments"))
def commitment_detail(
    request: HttpRequest, commitment_id: str, filters: Query[AsOf]
) -> dict[str, Any]:
    commitments = commitments_visible(actor=_actor(request), as_of=filters.as_of)
    return _detail(request, "commitments", commitments, commitment_id)


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
    documents = documents_visible(actor=_actor(request), as_of=filters.as_of).order_by(
        "date_first", "id"
    )
    if filters.dialogue:
        documents = documents.filter(dialogue_id=filters.dialogue)
    if filters.meeting:
        documents = documents.filter(meeting_id=filters.meeting)
    if filters.party:
        documents = documents.filter(issuer__government_id=filters.party)
    return _page(request, "documents", documents.defer("text"), page)


@api.get("/documents/{document_id}", **_one("documents"))
def document_detail(request: HttpRequest, document_id: str, filters: Query[AsOf]) -> dict[str, Any]:
    documents = documents_visible(actor=_actor(request), as_of=filters.as_of)
    return _detail(request, "documents", documents, document_id)


@api.get("/concerns", **_read("concerns"))
def concern_list(
    request: HttpRequest, filters: Query[ConcernFilters], page: Query[Page]
) -> dict[str, Any]:
    concerns = concerns_visible(actor=_actor(request), as_of=filters.as_of).order_by(
        "first_raised_first", "id"
    )
    if filters.dialogue:
        concerns = concerns.filter(dialogue_id=filters.dialogue)
    if filters.party:
        concerns = concerns.filter(Q(raised_by_id=filters.party) | Q(about_id=filters.party))
    if filters.topic:
        tagged = Concern.topics.through.objects.filter(
            Q(topic_id=filters.topic)
            | Q(topic__parent_id=filters.topic)  # a family counts its children
        ).values("concern_id")
        concerns = concerns.filter(pk__in=tagged)
    return _page(request, "concerns", concerns, page)


@api.get("/concerns/{concern_id}", **_one("concerns"))
def concern_detail(request: HttpRequest, concern_id: str, filters: Query[AsOf]) -> dict[str, Any]:
    concerns = concerns_visible(actor=_actor(request), as_of=filters.as_of)
    return _detail(request, "concerns", concerns, concern_id)


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
    deadline = payload.deadline
    commitment = commitment_services.commitment_create(
        actor=actor,
        dialogue_id=payload.dialogue,
        text=payload.text,
        made_on=payload.made_on,
        parties=sorted(set(payload.parties)),
        owners=payload.owners,
        marking=payload.marking,
        meeting_id=payload.meeting,
        deadline_text=deadline.text if deadline else "",
        deadline_earliest=deadline.earliest if deadline else None,
        deadline_latest=deadline.latest if deadline else None,
    )
    return Status(201, render.dump_one(actor, "commitments", _fresh(Commitment, commitment.pk)))


def _fresh(model: type[models.Model], pk: Any) -> models.Model:
    manager: Any = model._default_manager
    list_name = next(k.list_name for k in KINDS_BY_LIST.values() if k.model is model)
    return render.prefetched(list_name, manager.all()).get(pk=pk)


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
    if "text" in changes and changes["text"] is None:
        raise Invalid("text cannot be empty", field="text")
    if "deadline_text" in changes and changes["deadline_text"] is None:
        changes["deadline_text"] = ""
    if "lifecycle" in changes and changes["lifecycle"] is None:
        raise Invalid("lifecycle cannot be empty", field="lifecycle")
    registry_services.record_update(
        actor=actor, model=Commitment, record_id=commitment_id, version=version, changes=changes
    )
    return render.dump_one(actor, "commitments", _fresh(Commitment, commitment_id))


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
    return Status(201, render.dump_one(actor, "assessments", _fresh(Assessment, assessment.pk)))


@api.post("/assessments/{assessment_id}/review", **_write("assessments", 201))
def assessment_review(request: HttpRequest, assessment_id: str, payload: ReviewIn) -> Status:
    actor = _actor(request)
    _require_visible(actor, Assessment, assessment_id)
    commitment_services.assessment_review(
        actor=actor, assessment_id=assessment_id, verdict=payload.verdict, reason=payload.reason
    )
    return Status(201, render.dump_one(actor, "assessments", _fresh(Assessment, assessment_id)))


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
_RECORD_WRITE: dict[str, Any] = {
    "response": {200: dict[str, Any], **error_responses(WRITE_ERRORS)},
    "tags": ["records"],
}


@api.post("/records/{kind}/{record_id}/marking", **_RECORD_WRITE)
def marking_change(
    request: HttpRequest, kind: Path[RecordKind], record_id: str, payload: MarkingIn
) -> dict[str, Any]:
    """Change who may read a record; widening its audience needs a `reason`."""
    actor = _actor(request)
    model: Any = KINDS_BY_LIST[kind].model
    _require_visible(actor, model, record_id)
    registry_services.marking_change(
        actor=actor,
        model=model,
        record_id=record_id,
        version=payload.version,
        marking=payload.marking,
        reason=payload.reason,
    )
    return _after_write(actor, kind, model, record_id)


@api.post("/records/{kind}/{record_id}/share", **_RECORD_WRITE)
def record_share(
    request: HttpRequest, kind: Path[RecordKind], record_id: str, payload: ShareIn
) -> dict[str, Any]:
    """Share an agency-internal record with other agencies of its government."""
    actor = _actor(request)
    model: Any = KINDS_BY_LIST[kind].model
    _require_visible(actor, model, record_id)
    registry_services.record_share(
        actor=actor,
        model=model,
        record_id=record_id,
        version=payload.version,
        agencies=payload.agencies,
        reason=payload.reason,
    )
    return _after_write(actor, kind, model, record_id)


def _after_write(actor: Actor, kind: str, model: Any, record_id: str) -> dict[str, Any]:
    # A narrowed marking can hide the record from its own editor (a coordinator marking it
    # agency-internal for another agency): then say so without showing it.
    obj = (
        render.prefetched(kind, model._default_manager.visible_to(actor))
        .filter(pk=record_id)
        .first()
    )
    if obj is None:
        return {"id": record_id, "visible": False}
    return render.dump_one(actor, kind, obj)


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
        since = q.since or as_of - dt.timedelta(days=30)
        return changes.changes(actor=actor, since=since, as_of=as_of)
    return concerns.concerns(actor=actor, as_of=as_of)


# --- unknown query parameters -------------------------------------------------------------


def _strict_query(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse query parameters the operation does not know (422 naming the first).

    A misspelt filter (`?dialouge=x`) would otherwise be ignored and the whole list
    returned, which reads as an answer to the question the client meant to ask. Also
    refuse NUL characters in the query and the path: PostgreSQL cannot hold them in text
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
        for name, value in [*given, *kwargs.items()]:
            if isinstance(value, str) and "\x00" in value:
                return api.on_exception(request, Invalid("NUL characters", field=name))
        return run(request, *args, **kwargs)

    return checked


for _path_view in api.default_router.path_operations.values():
    for _operation in _path_view.operations:
        _apply_decorators((_strict_query,), _operation)
