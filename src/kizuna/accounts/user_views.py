"""The users page (/accounts/users/): an admin manages the users of its own government.

SECURITY.md gives the admin role this one power. The page is a thin front over the
services `kizuna user` calls too (kizuna.accounts.services): they check that the actor
manages the user's government, refuse an admin's slip against itself (disabling itself,
giving up its own admin role), write and append the audit entry. Like the `user` command,
it is a front, and so reads the registry (the agencies) and draws in the web's frame.

Every other role is refused in plain words (403, kept in the log as a denial). A user of
another government, or none, is never looked up beyond the admin's own government: a
form naming one is refused the same way, and changes nothing.

A generated password is shown once, in the answer to the POST that made it, which is
never cached; as that answer is not a redirect, each form carries a one-time number (as
the API tokens page does), so that a reload adds nobody twice and does not replace the
password just shown by another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kizuna.access.actor import Actor
from kizuna.accounts.forms import ROLE_CHOICES, UserAddForm
from kizuna.accounts.middleware import needs_second_factor
from kizuna.accounts.models import Role, User
from kizuna.accounts.services import (
    AccountError,
    generated_password,
    user_add,
    user_disable,
    user_enable,
    user_list,
    user_reset_second_factor,
    user_set_password,
    user_set_role,
)
from kizuna.core.names import in_reader_language
from kizuna.registry.models import Agency
from kizuna.registry.selectors import agencies_all, governments_all
from kizuna.web.forms import focus_first_error
from kizuna.web.labels import label
from kizuna.web.once import OneTimeNumbers
from kizuna.web.refusals import refused

# The add and reset forms show a password once (kizuna.web.once).
USER_FORMS = OneTimeNumbers("kizuna_user_form_once")


def _admin(request: HttpRequest) -> Actor | None:
    """The signed-in admin, or None for every other role."""
    actor = Actor.from_user(request.user)
    if actor.role != Role.ADMIN or not actor.government:
        return None
    return actor


def _not_an_admin(request: HttpRequest) -> HttpResponse:
    return refused(request, _("This page is for your government's administrators only."))


def _own_user(request: HttpRequest, actor: Actor) -> User | None:
    """The user the form names, among the admin's own government's users only."""
    username = str(request.POST.get("username", ""))
    return user_list(actor=actor, government=actor.government).filter(username=username).first()


def _target(request: HttpRequest) -> tuple[Actor, User] | HttpResponse:
    """The admin and the user a change form names, or what answers the request instead:
    the page, for a GET of the form's address (reloaded, or reached again after signing
    in: the page it is on, changing nothing, not an empty "method not allowed"), or a
    refusal."""
    if request.method != "POST":
        return redirect("accounts:users")
    actor = _admin(request)
    if actor is None:
        return _not_an_admin(request)
    user = _own_user(request, actor)
    if user is None:
        return _no_such_user(request)
    return actor, user


def _no_such_user(request: HttpRequest) -> HttpResponse:
    username = str(request.POST.get("username", ""))[:150]
    return refused(
        request,
        _("Your government has no user of that name; nothing was changed."),
        object_kind="user",
        object_id=username,
    )


def _agencies(actor: Actor) -> list[Agency]:
    return list(agencies_all().filter(government_id=actor.government))


def _agency_label(agency: Agency) -> str:
    name = in_reader_language(agency)
    return f"{name} ({agency.acronym})" if agency.acronym else name


def _add_form(actor: Actor, data: Any = None) -> UserAddForm:
    choices = sorted(((a.pk, _agency_label(a)) for a in _agencies(actor)), key=lambda c: c[1])
    return UserAddForm(data, agencies=[("", _("Choose an agency")), *choices])


def _sent_twice(request: HttpRequest, actor: Actor) -> HttpResponse:
    messages.error(
        request,
        _("This form was already sent: nothing was done a second time."),
    )
    return _page(request, actor, status=409)


def _page(
    request: HttpRequest,
    actor: Actor,
    *,
    form: UserAddForm | None = None,
    shown: dict[str, Any] | None = None,
    problem: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The list of the government's users and the form to add one.

    `shown`: a password just generated (username, password, added, needs_totp).
    `problem`: a change refused (username, reason), said above the list."""
    agencies = {agency.pk: agency for agency in _agencies(actor)}
    users = user_list(actor=actor, government=actor.government)
    rows = [
        {
            "user": user,
            "agency": _agency_label(agencies[user.agency]) if user.agency in agencies else "",
            "is_self": user.pk == actor.user_id,
        }
        for user in users
    ]
    government = governments_all().filter(pk=actor.government).first()
    context = {
        "form": form or _add_form(actor),
        "rows": rows,
        "roles": ROLE_CHOICES,
        "government_name": in_reader_language(government) or actor.government,
        "once": USER_FORMS.new(request),
        "shown": shown,
        "problem": problem,
    }
    return render(request, "accounts/users.html", context, status=status)


def _changed(
    request: HttpRequest, actor: Actor, user: User, change: Callable[[], object], done: str
) -> HttpResponse:
    """Make one change to a user and go back to the page saying `done`, or say why not."""
    try:
        change()
    except AccountError as exc:
        return _refused_change(request, actor, user, exc)
    messages.success(request, done)
    return redirect("accounts:users")


def _refused_change(
    request: HttpRequest, actor: Actor, user: User, exc: AccountError
) -> HttpResponse:
    return _page(
        request, actor, problem={"username": user.username, "reason": exc.message}, status=400
    )


@never_cache
@require_http_methods(["GET", "POST"])
def users_page(request: HttpRequest) -> HttpResponse:
    """The list (GET); adding a user (POST), whose password is shown once."""
    actor = _admin(request)
    if actor is None:
        return _not_an_admin(request)
    if request.method != "POST":
        return _page(request, actor)
    if USER_FORMS.used(request):
        return _sent_twice(request, actor)
    form = _add_form(actor, request.POST)
    if not form.is_valid():
        focus_first_error(form)
        return _page(request, actor, form=form, status=400)
    USER_FORMS.use(request)
    try:
        user, password = user_add(
            actor=actor,
            username=form.cleaned_data["username"],
            government=actor.government,
            agency=form.cleaned_data["agency"],
            role=form.cleaned_data["role"],
            known_agencies=dict(Agency.objects.values_list("id", "government_id")),
        )
    except AccountError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, capfirst(exc.message))
        focus_first_error(form)
        return _page(request, actor, form=form, status=400)
    shown = {
        "username": user.username,
        "password": password,
        "added": True,
        "needs_totp": needs_second_factor(user),
    }
    return _page(request, actor, shown=shown)


@never_cache
def user_role_view(request: HttpRequest) -> HttpResponse:
    target = _target(request)
    if isinstance(target, HttpResponse):
        return target
    actor, user = target
    role = str(request.POST.get("role", ""))
    if role == user.role:
        messages.info(
            request,
            _("%(username)s already has the role %(role)s; nothing was changed.")
            % {"username": user.username, "role": label(role)},
        )
        return redirect("accounts:users")
    return _changed(
        request,
        actor,
        user,
        lambda: user_set_role(actor=actor, username=user.username, role=role),
        _("The role of %(username)s is now %(role)s.")
        % {"username": user.username, "role": label(role)},
    )


@never_cache
def user_disable_view(request: HttpRequest) -> HttpResponse:
    """Disabling asks first (a page that says what it does), then disables."""
    target = _target(request)
    if isinstance(target, HttpResponse):
        return target
    actor, user = target
    if not user.is_active:
        messages.info(request, _("%(username)s is already disabled.") % {"username": user.username})
        return redirect("accounts:users")
    # One's own account goes straight to the service, which refuses it: no question asked
    # about a change that cannot be made.
    if request.POST.get("confirm") != "yes" and user.pk != actor.user_id:
        agency = agencies_all().filter(pk=user.agency).first()
        context = {"target": user, "agency": in_reader_language(agency) or user.agency}
        return render(request, "accounts/user_disable.html", context)
    return _changed(
        request,
        actor,
        user,
        lambda: user_disable(actor=actor, username=user.username),
        _("%(username)s is disabled and can no longer sign in.") % {"username": user.username},
    )


@never_cache
def user_second_factor_view(request: HttpRequest) -> HttpResponse:
    """Forget a user's authenticator app (a lost phone): they set up a new one at their next
    sign-in. Nothing is lost by it that the user cannot set up again, so no question."""
    target = _target(request)
    if isinstance(target, HttpResponse):
        return target
    actor, user = target
    try:
        reset = user_reset_second_factor(actor=actor, username=user.username)
    except AccountError as exc:
        return _refused_change(request, actor, user, exc)
    if reset:
        messages.success(
            request,
            _(
                "The authenticator of %(username)s is forgotten and their sessions have ended: "
                "they set up a new one when they next sign in. Make sure the request came from "
                "them."
            )
            % {"username": user.username},
        )
    else:
        messages.info(
            request,
            _("%(username)s has no authenticator set up; nothing was changed.")
            % {"username": user.username},
        )
    return redirect("accounts:users")


@never_cache
def user_enable_view(request: HttpRequest) -> HttpResponse:
    """A disabled user may sign in again; nothing is lost by it, so no question is asked."""
    target = _target(request)
    if isinstance(target, HttpResponse):
        return target
    actor, user = target
    if user.is_active:
        messages.info(
            request,
            _("%(username)s is already active; nothing was changed.") % {"username": user.username},
        )
        return redirect("accounts:users")
    return _changed(
        request,
        actor,
        user,
        lambda: user_enable(actor=actor, username=user.username),
        _("%(username)s is enabled and can sign in again with their password.")
        % {"username": user.username},
    )


@never_cache
def user_password_view(request: HttpRequest) -> HttpResponse:
    """A new generated password for a user, shown once."""
    target = _target(request)
    if isinstance(target, HttpResponse):
        return target
    actor, user = target
    if USER_FORMS.used(request):
        return _sent_twice(request, actor)
    USER_FORMS.use(request)
    try:
        password = generated_password(user)
        user = user_set_password(actor=actor, username=user.username, password=password)
    except AccountError as exc:
        return _refused_change(request, actor, user, exc)
    if user.pk == actor.user_id:
        update_session_auth_hash(request, user)  # an admin's own reset keeps it signed in
    shown = {
        "username": user.username,
        "password": password,
        "added": False,
        "needs_totp": False,
    }
    return _page(request, actor, shown=shown)
