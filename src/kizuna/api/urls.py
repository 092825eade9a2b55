"""/api/v1/: ninja's operations and schema, plus the docs page (see docs.py)."""

from django.urls import path

from kizuna.api.api import api
from kizuna.api.docs import docs_asset, docs_page

app_name = "api"  # ninja reverses "api:openapi-json" (urls_namespace="api")
urlpatterns = [
    path("docs", docs_page, name="docs"),
    path("docs/assets/<str:name>", docs_asset, name="docs-asset"),
    *api.urls[0],
]
