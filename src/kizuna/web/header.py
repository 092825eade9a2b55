"""The header's name for the signed-in user's agency.

Read from the registry once, at sign-in, and kept in the session: the header is on every
page, and a query per page for one name would cost every page (the trivial one included).
An agency renamed since shows its new name at the next sign-in; a session from before
this was kept shows the slug, as the header did.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.http import HttpRequest

from kizuna.core.names import in_reader_language
from kizuna.registry.models import Agency

SESSION_KEY = "kizuna_agency_names"


def remember_agency(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """At sign-in: keep the user's agency's acronym and names in the session."""
    if request is None or not hasattr(request, "session"):
        return
    names = (
        Agency.objects.filter(pk=getattr(user, "agency", ""))
        .values("acronym", "name", "name_ja")
        .first()
    )
    if names is not None:
        request.session[SESSION_KEY] = names


def header(request: HttpRequest) -> dict[str, str]:
    """Template context: `header_agency`, the acronym, else the name in the reader's
    language, else the slug."""
    user = getattr(request, "user", None)
    slug = str(getattr(user, "agency", "") or "")
    session = getattr(request, "session", None)
    names = session.get(SESSION_KEY) if session is not None else None
    if not names:
        return {"header_agency": slug}
    name = in_reader_language(SimpleNamespace(**names)) or slug
    return {"header_agency": names.get("acronym") or name}
