from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from kizuna.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("kizuna.accounts.urls")),
    # The language switch works before sign-in too: the sign-in page has it in its header.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", include("kizuna.api.urls")),
    path("", include("kizuna.documents.urls")),
    path("", include("kizuna.briefings.urls")),
    path("", include("kizuna.web.urls")),
]

# A page not found under an as-of date says which date it looked at (the header's date bar).
handler404 = "kizuna.web.views.not_found"
