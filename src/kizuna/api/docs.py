"""The interactive API docs (Swagger UI) for a signed-in user.

Kizuna's CSP allows scripts and styles from 'self' only, and ninja's own docs page needs
either `ninja` in INSTALLED_APPS or a CDN. So the page is ours and its assets are served
from the installed django-ninja package through `docs_asset`, named one by one: nothing is
vendored into this repository and nothing is loaded from elsewhere. Both views sit behind
the login (LoginRequiredMiddleware), as every non-public URL does.
"""

from __future__ import annotations

import json
from pathlib import Path

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control

ASSETS_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
}


def docs_page(request: HttpRequest) -> HttpResponse:
    settings = {
        "url": reverse("api:openapi-json"),
        "layout": "BaseLayout",
        "deepLinking": True,
    }
    return render(request, "api/docs.html", {"swagger_settings": json.dumps(settings)})


@cache_control(private=True, max_age=3600)
def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in ASSETS:
        raise Http404("no such asset")
    return FileResponse((ASSETS_DIR / name).open("rb"), content_type=ASSETS[name])
