"""One-time numbers for forms whose answer shows a secret once (a new API token, a password).

That answer is not a redirect, so reloading it sends the form again; each form shown carries
a number good for one use, and a form sent with a used number is told apart and refused.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.http import HttpRequest

# Numbers kept per session: a few pages may be open at once.
KEPT = 10


@dataclass(frozen=True)
class OneTimeNumbers:
    session_key: str

    def new(self, request: HttpRequest) -> str:
        """A number for one form shown."""
        once = secrets.token_urlsafe(16)
        kept = request.session.get(self.session_key, [])[-(KEPT - 1) :]
        request.session[self.session_key] = [*kept, once]
        return once

    def used(self, request: HttpRequest) -> bool:
        """The form sent carries a number already used (or never given)."""
        sent = request.POST.get("once")
        return sent is not None and sent not in request.session.get(self.session_key, [])

    def use(self, request: HttpRequest) -> None:
        sent = request.POST.get("once")
        if sent is not None:
            unused = request.session.get(self.session_key, [])
            request.session[self.session_key] = [once for once in unused if once != sent]
