"""The personal API tokens page (/accounts/tokens/): make, list and revoke your own tokens.

A thin front over kizuna.api.tokens, the service `kizuna token` calls too: it checks who may
manage whose tokens and writes the audit entries. The token is shown once, in the answer to
the POST that made it, which is never cached; it is not stored and cannot be shown again.
As that answer is not a redirect, each form carries a one-time number: the same POST sent
again (a reload) makes no second token that nobody saw.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kizuna.access.actor import Actor
from kizuna.api.models import Scope
from kizuna.api.tokens import TokenError, token_create, token_revoke, tokens_of
from kizuna.web.once import OneTimeNumbers

# Lifetimes offered on the page; the command takes any number of days up to a year.
DAYS_CHOICES = [
    (30, gettext_lazy("30 days")),
    (90, gettext_lazy("90 days")),
    (180, gettext_lazy("180 days")),
    (366, gettext_lazy("One year")),
]
TOKEN_FORMS = OneTimeNumbers("kizuna_token_form_once")


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What it is for"),
        max_length=100,
        help_text=gettext_lazy("For example: weekly report script."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"),
        choices=[
            (Scope.READ_ONLY, gettext_lazy("Read only")),
            (Scope.READ_WRITE, gettext_lazy("Read and write")),
        ],
        initial=Scope.READ_ONLY,
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Expires after"), choices=DAYS_CHOICES, coerce=int, initial=90
    )


@never_cache
@require_http_methods(["GET", "POST"])
def tokens_page(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_user(request.user)
    username = request.user.get_username()
    form = NewTokenForm(request.POST or None)
    secret = ""
    status = 200
    if request.method == "POST":
        if TOKEN_FORMS.used(request):
            # This form was sent already (a reload of the page that showed the token).
            messages.error(
                request,
                _("This form was already sent: no new token was made. Make one below if needed."),
            )
            form = NewTokenForm()
            status = 409
        elif form.is_valid():
            TOKEN_FORMS.use(request)
            try:
                new = token_create(actor=actor, username=username, **form.cleaned_data)
            except TokenError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                secret = new.secret
                form = NewTokenForm()
        else:
            status = 400
    context = {
        "form": form,
        "once": TOKEN_FORMS.new(request),
        "secret": secret,
        "tokens": tokens_of(actor=actor, username=username),
    }
    return render(request, "api/tokens.html", context, status=status)


def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    if request.method != "POST":
        # The form's address opened (reloaded, or reached again after signing in): the
        # tokens page it is on, revoking nothing, not an empty "method not allowed".
        return redirect("accounts:tokens")
    actor = Actor.from_user(request.user)
    # Only one's own tokens here: an admin revokes others' with `kizuna token revoke`.
    own = tokens_of(actor=actor, username=request.user.get_username())
    if not any(token.pk == token_id for token in own):
        messages.error(request, _("No such token of yours."))
        return redirect("accounts:tokens")
    try:
        token = token_revoke(actor=actor, token_id=token_id)
    except TokenError as exc:  # pragma: no cover - checked just above
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
