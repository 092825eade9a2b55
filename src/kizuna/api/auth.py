"""Who is calling: a personal token (Authorization: Bearer) or the signed-in web session.

Either way the request resolves to an Actor through Actor.from_user, so the API applies
exactly the access rule the web applies. The rate limits are counted here too, because
this is the one place every operation passes through before its body runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from kizuna.access.actor import Actor
from kizuna.accounts.middleware import needs_second_factor
from kizuna.api import ratelimit
from kizuna.api.errors import Forbidden, Unauthorized
from kizuna.api.models import ApiToken, Scope
from kizuna.api.tokens import TokenRejected, token_authenticate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Caller:
    actor: Actor
    token: ApiToken | None = None


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites
    # it, so trusting it would let anyone pick the address their requests count against.
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def caller(request: HttpRequest) -> Caller:
    """The Caller that an operation's `request.auth` holds (set by ApiAuth)."""
    auth: Any = getattr(request, "auth", None)
    if not isinstance(auth, Caller):  # pragma: no cover - ninja runs ApiAuth first
        raise Unauthorized("not signed in")
    return auth


class ApiAuth(HttpBearer):
    """Bearer token first; else the session (with CSRF on writes, as a web form would)."""

    def __call__(self, request: HttpRequest) -> Caller:
        ratelimit.check("ip", client_address(request))
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, secret = header.partition(" ")
            if scheme.lower() != "bearer" or not secret.strip():
                raise Unauthorized("expected Authorization: Bearer <token>")
            return self.authenticate(request, secret.strip())
        user: Any = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            raise Unauthorized("send Authorization: Bearer <token>, or sign in")
        if needs_second_factor(user) and not user.is_verified():
            raise Unauthorized("finish signing in with your authenticator code first")
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise Forbidden("CSRF check failed: send the X-CSRFToken header", code="csrf")
        ratelimit.check("token", f"user:{user.pk}")
        return Caller(actor=Actor.from_user(user))

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        try:
            found = token_authenticate(token)
        except TokenRejected as exc:
            raise Unauthorized(str(exc)) from exc
        if found.scope == Scope.READ_ONLY and request.method not in SAFE_METHODS:
            raise Forbidden("this token is read-only", code="read-only-token")
        ratelimit.check("token", f"token:{found.pk}")
        return Caller(actor=Actor.from_user(found.user), token=found)
