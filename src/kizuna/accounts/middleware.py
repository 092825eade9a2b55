"""Login-related middleware: the second factor, the idle timeout and the way back after it,
no caching of private pages."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

# Pages a signed-in user may reach before passing the second factor.
SECOND_FACTOR_PATHS = ("/accounts/totp/", "/accounts/logout/", "/static/")


def needs_second_factor(user: object) -> bool:
    return getattr(user, "role", None) in settings.KIZUNA_TOTP_REQUIRED_ROLES


class SecondFactorMiddleware:
    """Send users whose role requires TOTP to set it up or enter it before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and needs_second_factor(user)
            and not getattr(user, "is_verified", lambda: False)()
            and not request.path.startswith(SECOND_FACTOR_PATHS)
        ):
            return redirect(reverse("accounts:totp"))
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Pages shown to a signed-in user must not be stored by browsers or proxies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response


# When the session's expiry was last pushed forward (seconds since the epoch).
SESSION_REFRESHED = "_kizuna_refreshed"


def mark_session_refreshed(request: HttpRequest) -> None:
    request.session[SESSION_REFRESHED] = int(time.time())


def on_sign_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """A session saved at sign-in has a fresh expiry: the next minute's pages need not save it."""
    if request is not None and hasattr(request, "session"):
        mark_session_refreshed(request)


class IdleTimeoutMiddleware:
    """Keep a signed-in session alive while it is used, saving it at most once a minute.

    A session ends KIZUNA_IDLE_TIMEOUT_MINUTES after it was last saved (Django writes the
    expiry with each save). Saving it on every request did that with a database write per
    page view: three statements, and on SQLite the database's one write lock, taken by
    every reader. Saving it when its last refresh is KIZUNA_SESSION_REFRESH_SECONDS old
    (default 60) ends an idle session between the timeout less that interval and the
    timeout after its last request. Requests without a signed-in session (static files,
    the API's token calls) leave sessions alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or not request.user.is_authenticated:
            return response
        refreshed = session.get(SESSION_REFRESHED)
        due = not isinstance(refreshed, int) or (
            time.time() - refreshed >= settings.KIZUNA_SESSION_REFRESH_SECONDS
        )
        if due:
            mark_session_refreshed(request)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], *args: Any
    ) -> HttpResponse | None:
        """A page that needs a signed-in user, asked for without one (ahead of Django's
        LoginRequiredMiddleware, which sends a plain page view to sign in and back).

        When the request still carries the cookie of a session that has ended, the sign-in
        page says so. A form sent in place (htmx) would have the sign-in form swapped into
        the page under the form's address: the sign-in page is opened as a whole page
        instead (HX-Redirect). A form's POST-only address is no way back: after signing
        in, the user returns to the page the form was on.
        """
        if request.user.is_authenticated or not getattr(view_func, "login_required", True):
            return None
        if session_ended(request):
            messages.info(request, _("Your session ended; sign in again to continue."))
        in_place = bool(request.headers.get("HX-Request"))
        if request.method == "GET" and not in_place:
            return None
        sign_in = redirect_to_login(way_back(request, in_place), resolve_url(settings.LOGIN_URL))
        if in_place:
            response = HttpResponse()
            response["HX-Redirect"] = sign_in["Location"]
            return response
        return sign_in


def session_ended(request: HttpRequest) -> bool:
    """The browser sent a session cookie that names no live session: it timed out, or was
    ended on the server. (Signing out deletes the cookie as well.)"""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.session.is_empty()


def way_back(request: HttpRequest, in_place: bool) -> str:
    """The page to return to after signing in: the one the user was on (htmx names it; a
    plain form's page is its referrer), when it is on this site; else the home page."""
    page = request.headers.get("HX-Current-URL" if in_place else "Referer", "")
    if page and url_has_allowed_host_and_scheme(
        page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        address = urlsplit(page)
        return address.path + (f"?{address.query}" if address.query else "")
    return resolve_url(settings.LOGIN_REDIRECT_URL)
