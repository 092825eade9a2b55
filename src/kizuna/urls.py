from django.urls import include, path

urlpatterns = [
    path("accounts/", include("kizuna.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("kizuna.web.urls")),
]
