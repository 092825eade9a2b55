"""Every URL is on the explicit public list or needs a signed-in user."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# The only pages an anonymous visitor may reach.
PUBLIC_URLS = {
    "accounts/login/",
    "accounts/logout/",
    "i18n/setlang/",
    "healthz",
}
SAMPLE_VALUES = {
    "slug": "jucip",
    "meeting_id": "x",
    "commitment_id": "x",
    "pk": "1",
    "id": "x",
    "token_id": "1",
}


def all_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            found += all_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append(prefix + str(pattern.pattern))
    return found


def concrete(route: str) -> str:
    path = route
    for name, value in SAMPLE_VALUES.items():
        for converter in ("slug", "str", "int", "path"):
            path = path.replace(f"<{converter}:{name}>", value)
    return "/" + path.lstrip("^").rstrip("$")


@pytest.mark.django_db
def test_every_url_is_public_or_needs_login(client: Client) -> None:
    routes = all_patterns()
    assert len(routes) > 5
    unguarded = []
    for route in routes:
        if route.replace("^", "").rstrip("$") in PUBLIC_URLS or route.startswith("static/"):
            continue
        for method in ("get", "post"):
            response: Any = getattr(client, method)(concrete(route))
            login_redirect = response.status_code == 302 and response["Location"].startswith(
                "/accounts/login/"
            )
            if not (login_redirect or response.status_code in (401, 403, 405)):
                unguarded.append((route, method, response.status_code))
    assert unguarded == []
