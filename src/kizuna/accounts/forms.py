from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from kizuna.accounts.services import AccountError, check_new_username


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


# The roles in the order of their powers, as the user add and role forms offer them.
ROLE_CHOICES = [
    ("reader", _("reader")),
    ("desk-officer", _("desk officer")),
    ("coordinator", _("coordinator")),
    ("admin", _("administrator")),
]


class UserAddForm(forms.Form):
    """A new user of the admin's own government: the password is generated, not chosen.

    The form offers only the government's agencies and the roles, and asks the service
    about the name, so that every mistake is said at once, beside its field; the service
    checks everything again when it adds the user, and the page shows any reason it gives
    beside the field that reason names."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("Letters, digits, “-”, “_” and “.”; for example usa-analyst."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    agency = forms.ChoiceField(
        label=_("Agency"),
        error_messages={"invalid_choice": _("Choose one of your government's agencies.")},
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=ROLE_CHOICES,
        initial="reader",
        error_messages={"invalid_choice": _("Choose one of the roles listed.")},
    )

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agency"]).choices = agencies

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        try:
            check_new_username(username)
        except AccountError as exc:
            raise forms.ValidationError(capfirst(exc.message), code="username") from exc
        return username
