"""A refusal in plain words, inside the page's own frame."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kizuna.access.actor import Actor
from kizuna.audit.log import append_entry


def refused(
    request: HttpRequest, message: str, *, object_kind: str = "web-request", object_id: str = ""
) -> HttpResponse:
    """Answer a page the reader may not use (403) with the reason, in the normal page: the
    header and navigation stay, so the reader can go on from there.

    A refusal is a denial, which the log keeps (SECURITY.md, as the API's `api.denied`):
    `object_kind` and `object_id` name what was refused, the path by default."""
    _denial_record(request, message, object_kind=object_kind, object_id=object_id)
    return _refusal_page(request, message, _("Not allowed"))


def _denial_record(
    request: HttpRequest, reason: str, *, object_kind: str, object_id: str = ""
) -> None:
    """Audit a refused web request in the refused user's name. An anonymous visitor is not
    recorded: there is nobody to name, and a client that has not signed in must not be able
    to write to the log (LoginRequiredMiddleware sends it to sign in before any page's own
    refusal)."""
    actor = Actor.from_user(request.user)
    if actor.is_anonymous:
        return
    append_entry(
        actor=actor,
        action="web.denied",
        object_kind=object_kind,
        object_id=(object_id or request.path)[:200],
        marking="government-internal",
        after={"method": request.method, "path": request.path},
        reason=reason,
    )


def _refusal_page(request: HttpRequest, message: str, heading: str) -> HttpResponse:
    context = {"message": message, "heading": heading}
    return render(request, "web/refused.html", context, status=403)


def form_expired(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its valid CSRF token (CSRF_FAILURE_VIEW): most often a page left
    open across a sign-out or a restart. Said in the reader's language, in Kizuna's page,
    with what to do; Django's own answer is a bare technical page in English.

    Not logged as a denial: nobody's rights were weighed, and a forged form is stopped
    before it does anything. Logging it would let any other site write entries in a
    signed-in visitor's name by making their browser post to Kizuna."""
    return _refusal_page(
        request,
        _("The form had expired or came from elsewhere; reload the page and try again."),
        _("The form was not sent"),
    )
