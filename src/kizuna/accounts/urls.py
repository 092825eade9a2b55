from django.urls import path

from kizuna.accounts import user_views, views
from kizuna.api import token_views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("totp/", views.totp, name="totp"),
    path("tokens/", token_views.tokens_page, name="tokens"),
    path("tokens/<int:token_id>/revoke/", token_views.token_revoke_view, name="token-revoke"),
    # An admin's users: the list and adding a user; each change is a POST naming the user.
    path("users/", user_views.users_page, name="users"),
    path("users/role/", user_views.user_role_view, name="user-role"),
    path("users/disable/", user_views.user_disable_view, name="user-disable"),
    path("users/enable/", user_views.user_enable_view, name="user-enable"),
    path("users/password/", user_views.user_password_view, name="user-password"),
    path("users/second-factor/", user_views.user_second_factor_view, name="user-second-factor"),
]
