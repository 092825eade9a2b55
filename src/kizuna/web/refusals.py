"""A refusal in plain words, inside the page's own frame."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def refused(
    request: HttpRequest, message: str, status: int = 403, heading: str | None = None
) -> HttpResponse:
    """Answer a page the reader may not use with the reason, in the normal page: the
    header and navigation stay, so the reader can go on from there."""
    context = {"message": message, "heading": heading or _("Not allowed")}
    return render(request, "web/refused.html", context, status=status)


def form_expired(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its valid CSRF token (CSRF_FAILURE_VIEW): most often a page left
    open across a sign-out or a restart. Said in the reader's language, in Kizuna's page,
    with what to do; Django's own answer is a bare technical page in English."""
    return refused(
        request,
        _("The form had expired or came from elsewhere; reload the page and try again."),
        heading=_("The form was not sent"),
    )
