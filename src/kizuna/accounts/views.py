"""Sign in (with a TOTP code where set up), set up TOTP, sign out."""

from __future__ import annotations

from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kizuna.access.actor import Actor
from kizuna.accounts.forms import LoginForm, TokenForm
from kizuna.audit.log import append_entry


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)  # rotates the session key
        if form.otp_device is not None:
            otp_login(self.request, form.otp_device)
        append_entry(
            actor=Actor.from_user(self.request.user),
            action="login",
            object_kind="user",
            object_id=self.request.user.get_username(),
            marking="government-internal",
        )
        return response

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        username = str(form.data.get("username", ""))[:150]
        append_entry(
            actor=Actor.anonymous(),
            action="login.failed",
            object_kind="user",
            object_id=username,
            marking="government-internal",
            after={"address": self.request.META.get("REMOTE_ADDR", "")},
        )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """Signing out is a POST (Django's rule): the session is deleted on the server. Its
    address, opened or reloaded, leads to the home page rather than an empty 405."""

    template_name = "accounts/logged_out.html"
    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return redirect(settings.LOGIN_REDIRECT_URL)


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def totp(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (first time), or enter its code to finish signing in."""
    user: Any = request.user
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"].strip()):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                append_entry(
                    actor=Actor.from_user(user),
                    action="totp.enrol",
                    object_kind="user",
                    object_id=user.username,
                    marking="government-internal",
                )
            otp_login(request, device)
            return redirect("/")
        form.add_error("otp_token", _("That code is not right, or it has expired."))
    context = {"form": form, "enrolling": not device.confirmed}
    if not device.confirmed:
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/totp.html", context)


@login_not_required
def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    return render(request, "accounts/locked_out.html", status=429)
