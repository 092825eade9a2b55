"""The coordinators' page and the brief downloads: thin fronts over `build` and `render`.

Every page needs login (LoginRequiredMiddleware). The pages exist for everyone who signs
in but are for coordinators only: another role gets 403 with a plain message (a role rule
on a page that exists, not a hidden record, so 404 would mislead).

The page is forgiving (a bad parameter is ignored with a message on the same page); a
download is not: it answers a bad parameter with 400 and a page that says what to fix, and
never queues a message (it would turn up on whatever page the reader opens next).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from csp.decorators import csp_update
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kizuna.access.actor import Actor
from kizuna.analysis.frameworks import DEFAULT_FRAMEWORK, UnknownFramework, frameworks
from kizuna.briefings.build import (
    Brief,
    BriefError,
    build_brief,
    meeting_choices,
    one_per_event,
    resolve_meeting,
)
from kizuna.briefings.render import brief_context, render_html, render_pdf, style_hashes
from kizuna.briefings.services import brief_export_record
from kizuna.registry.models import Meeting
from kizuna.web.params import NotADate, date_param, strict_date_param
from kizuna.web.refusals import refused
from kizuna.web.templatetags.kizuna_web import partial_date

COORDINATOR = "coordinator"
TITLE_LENGTH = 200


def _forbidden(request: HttpRequest) -> HttpResponse:
    return refused(request, _("This page is for coordinators (leaders' offices) only."))


def _default_title(day: dt.date) -> str:
    return _("Briefing book for %(day)s") % {"day": partial_date(day)}


def _framework(request: HttpRequest, known: list[str]) -> str:
    slug = request.GET.get("framework", "").strip() or DEFAULT_FRAMEWORK
    if slug not in known:
        messages.warning(request, _("Unknown framework; showing the default."))
        return DEFAULT_FRAMEWORK
    return slug


def _brief_for(request: HttpRequest) -> tuple[Brief | None, dict[str, Any]]:
    """The page's brief, its parameters cleaned (a bad one ignored with a message)."""
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
    framework = _framework(request, known)
    shown = {"as_of": as_of, "since": since, "day": day, "framework": framework}
    try:
        brief = build_brief(
            actor=actor,
            as_of=day,
            title=_default_title(day),
            since=since,
            framework=framework,
        )
    except (BriefError, UnknownFramework) as exc:
        messages.error(request, str(exc))
        return None, shown
    return brief, shown


@require_GET
@never_cache
def coordination(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "role", "") != COORDINATOR:
        return _forbidden(request)
    brief, shown = _brief_for(request)
    context: dict[str, object] = {
        "as_of": shown["as_of"],
        "since": shown["since"],
        "frameworks": frameworks(),
        "brief": brief,
        # The briefing book's form: a meeting from the list, or a date and a title.
        "book_day": shown["day"],
        "book_framework": shown["framework"],
        "meeting_choices": meeting_choices(Actor.from_user(request.user), shown["day"]),
    }
    if brief is not None:
        context.update(brief_context(brief, picture=False))
        # One row per event, as the brief counts them (an assessment that changed the status
        # is its status change's row).
        context["changes"] = one_per_event(brief["changes"])
    return render(request, "briefings/coordination.html", context)


def _shown(value: str) -> str:
    """A parameter quoted back to the reader, at a readable length."""
    return Truncator(value).chars(60)


def _download_brief(request: HttpRequest) -> Brief | list[str]:
    """The brief the download asks for, or what is wrong with the asking (in plain words,
    every problem at once). Nothing is guessed: a brief of something else than was asked
    for is worse than none."""
    actor = Actor.from_user(request.user)
    problems: list[str] = []

    def day(name: str, message: str) -> dt.date | None:
        try:
            return strict_date_param(request, name)
        except NotADate as exc:
            problems.append(message % {"value": _shown(exc.raw)})
            return None

    as_of = day("as_of", _("The date “%(value)s” is not a date in the form YYYY-MM-DD."))
    since = day("since", _("The comparison date “%(value)s” is not a date in the form YYYY-MM-DD."))
    framework = request.GET.get("framework", "").strip() or DEFAULT_FRAMEWORK
    if framework not in {f.slug for f in frameworks()}:
        problems.append(_("There is no framework “%(value)s”.") % {"value": _shown(framework)})
    meeting: Meeting | None = None
    meeting_id = request.GET.get("meeting", "").strip()
    if meeting_id:
        if request.GET.get("as_of", "").strip():
            problems.append(_("Choose a meeting, or a date and a title, not both."))
        try:
            meeting = resolve_meeting(actor, meeting_id)
        except BriefError:  # hidden and missing answer alike
            problems.append(
                _("There is no meeting “%(value)s” that you may see.")
                % {"value": _shown(meeting_id)}
            )
    brief_day = meeting.date_first if meeting else (as_of or dt.date.today())
    if since is not None and since > brief_day:
        problems.append(
            _("The comparison date (%(since)s) is after the date of the brief (%(day)s).")
            % {"since": partial_date(since), "day": partial_date(brief_day)}
        )
    title = request.GET.get("title", "").strip()
    if len(title) > TITLE_LENGTH:
        problems.append(
            _("The title is %(n)s characters long; %(limit)s at most.")
            % {"n": len(title), "limit": TITLE_LENGTH}
        )
    if problems:
        return problems
    try:
        return build_brief(
            actor=actor,
            as_of=brief_day,
            # A meeting's own title unless another is given (as `kizuna brief --meeting`).
            title=title or ("" if meeting else _default_title(brief_day)),
            meeting_id=meeting.pk if meeting else None,
            since=since,
            framework=framework,
        )
    except (BriefError, UnknownFramework) as exc:  # checked above; a last guard
        return [str(exc)]


def _file_name(brief: Brief) -> str:
    what = re.sub(r"[^A-Za-z0-9._-]+", "-", brief["meeting"] or brief["as_of"])
    return f"kizuna-brief-{what}-{get_language() or 'en'}"


def _download(request: HttpRequest, kind: str) -> HttpResponseBase:
    if getattr(request.user, "role", "") != COORDINATOR:
        return _forbidden(request)
    brief = _download_brief(request)
    if isinstance(brief, list):
        return render(request, "briefings/not_drafted.html", {"problems": brief}, status=400)
    base = request.build_absolute_uri("/").rstrip("/")
    name = f"{_file_name(brief)}.{kind}"
    if kind == "pdf":
        pdf = render_pdf(brief, base_url=base)
        brief_export_record(
            actor=Actor.from_user(request.user),
            brief=brief,
            kind=kind,
            query=request.GET.urlencode(),
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    html = render_html(brief, base=base)
    brief_export_record(
        actor=Actor.from_user(request.user), brief=brief, kind=kind, query=request.GET.urlencode()
    )

    def answer(_request: HttpRequest) -> HttpResponse:
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    # Should a browser show the file under the site's policy, its inlined style is allowed by
    # its hash (the policy allows no inline style otherwise).
    return csp_update({"style-src": style_hashes(html)})(answer)(request)


@require_GET
@never_cache
def brief_pdf(request: HttpRequest) -> HttpResponseBase:
    return _download(request, "pdf")


@require_GET
@never_cache
def brief_html(request: HttpRequest) -> HttpResponseBase:
    return _download(request, "html")
