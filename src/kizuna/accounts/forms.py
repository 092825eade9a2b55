from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice


class LoginForm(AuthenticationForm):
    """Username and password, and the TOTP code for users who have set one up."""

    otp_token = forms.CharField(
        label=_("Six-digit code (if you use an authenticator app)"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.otp_device: TOTPDevice | None = None

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return
        token = (self.cleaned_data.get("otp_token") or "").strip()
        if not token:
            raise forms.ValidationError(
                _("Enter the six-digit code from your authenticator app."), code="otp_required"
            )
        device = match_token(user, token)
        if device is None:
            raise forms.ValidationError(
                _("That code is not right, or it has expired."), code="otp_invalid"
            )
        self.otp_device = device


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Six-digit code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
