from django.urls import include, path

from kizuna.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("kizuna.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("kizuna.api.urls")),
    path("", include("kizuna.documents.urls")),
    path("", include("kizuna.briefings.urls")),
    path("", include("kizuna.web.urls")),
]
