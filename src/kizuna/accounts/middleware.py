"""Login-related middleware: the second factor, and no caching of private pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

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
