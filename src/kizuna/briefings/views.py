"""The coordinators' page and the brief downloads: thin fronts over `build` and `render`.

Every page needs login (LoginRequiredMiddleware). The pages exist for everyone who signs
in but are for coordinators only: another role gets 403 with a plain message (a role rule
on a page that exists, not a hidden record, so 404 would mislead).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kizuna.access.actor import Actor
from kizuna.analysis.frameworks import DEFAULT_FRAMEWORK, UnknownFramework, frameworks
from kizuna.briefings.build import Brief, BriefError, build_brief
from kizuna.briefings.render import brief_context, render_html, render_pdf
from kizuna.web.params import date_param
from kizuna.web.refusals import refused
from kizuna.web.templatetags.kizuna_web import partial_date

COORDINATOR = "coordinator"


def _forbidden(request: HttpRequest) -> HttpResponse:
    return refused(request, _("This page is for coordinators (leaders' offices) only."))


def _framework(request: HttpRequest, known: list[str]) -> str:
    slug = request.GET.get("framework", "").strip() or DEFAULT_FRAMEWORK
    if slug not in known:
        messages.warning(request, _("Unknown framework; showing the default."))
        return DEFAULT_FRAMEWORK
    return slug


def _brief_for(request: HttpRequest) -> tuple[Brief | None, dt.date | None, dt.date | None]:
    actor = Actor.from_user(request.user)
    as_of = date_param(request, "as_of")
    since = date_param(request, "since")
    if since is not None and as_of is not None and since > as_of:
        messages.warning(
            request, _("The comparison date is after the date shown, so it was ignored.")
        )
        since = None
    known = [f.slug for f in frameworks()]
    day = as_of or dt.date.today()
    title = request.GET.get("title", "").strip() or _("Briefing book for %(day)s") % {
        "day": partial_date(day)
    }
    try:
        brief = build_brief(
            actor=actor,
            as_of=day,
            title=title[:200],
            since=since,
            framework=_framework(request, known),
        )
    except (BriefError, UnknownFramework) as exc:
        messages.error(request, str(exc))
        return None, as_of, since
    return brief, as_of, since


@require_GET
@never_cache
def coordination(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "role", "") != COORDINATOR:
        return _forbidden(request)
    brief, as_of, since = _brief_for(request)
    context: dict[str, object] = {
        "as_of": as_of,
        "since": since,
        "frameworks": frameworks(),
        "brief": brief,
    }
    if brief is not None:
        context.update(brief_context(brief))
        context["changes"] = brief["changes"]
    return render(request, "briefings/coordination.html", context)


def _download(request: HttpRequest, kind: str) -> HttpResponse:
    if getattr(request.user, "role", "") != COORDINATOR:
        return _forbidden(request)
    brief, _as_of, _since = _brief_for(request)
    if brief is None:
        return HttpResponse(
            _("The brief could not be drafted."), status=400, content_type="text/plain"
        )
    name = f"kizuna-brief-{brief['as_of']}-{get_language() or 'en'}"
    base = request.build_absolute_uri("/").rstrip("/")
    if kind == "pdf":
        response = HttpResponse(render_pdf(brief, base_url=base), content_type="application/pdf")
    else:
        response = HttpResponse(
            render_html(brief, standalone=False, base=base), content_type="text/html; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@require_GET
@never_cache
def brief_pdf(request: HttpRequest) -> HttpResponse:
    return _download(request, "pdf")


@require_GET
@never_cache
def brief_html(request: HttpRequest) -> HttpResponse:
    return _download(request, "html")
