from django.urls import path

from kizuna.accounts import views
from kizuna.api import token_views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("totp/", views.totp, name="totp"),
    path("tokens/", token_views.tokens_page, name="tokens"),
    path("tokens/<int:token_id>/revoke/", token_views.token_revoke_view, name="token-revoke"),
]
