"""Every change to users: add, disable, enable, set a role, set a password. Each is audited.

The messages are in the reader's language (the web page's; English for the command line),
each naming the field it is about, as `AccountError.field`, so that a page can show it
beside that field.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from kizuna.access.actor import Actor
from kizuna.accounts.models import Role, User
from kizuna.audit.log import append_entry

# A draw fails the validators perhaps once in thousands; a hundred failures means the
# validators refuse any random password (a settings mistake), not bad luck.
_PASSWORD_DRAWS = 100


class AccountError(ValueError):
    """A user cannot be added or changed; the message says why.

    `field` names the input at fault ("username", "agency", "role", "password"), or is
    empty; `message` is the reason without it. `str()` is "field: message", as the command
    line prints it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


def _require_manager(actor: Actor, government: str) -> None:
    """The operator manages everyone; an admin manages users of its own government."""
    if actor.is_operator:
        return
    if actor.role == Role.ADMIN and actor.government and actor.government == government:
        return
    raise AccountError(
        "", _("only the operator or an admin of that government may manage its users")
    )


def _is_self(actor: Actor, user: User) -> bool:
    return not actor.is_operator and actor.user_id is not None and actor.user_id == user.pk


def user_list(*, actor: Actor, government: str) -> QuerySet[User]:
    """The users of one government, for the operator or an admin of that government."""
    _require_manager(actor, government)
    return User.objects.filter(government=government).order_by("username")


def _snapshot(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "government": user.government,
        "agency": user.agency,
        "role": user.role,
        "is_active": user.is_active,
    }


def generated_password(*users: User) -> str:
    """A random password the validators accept for every one of `users`.

    A random draw can, now and then, resemble a username ("…-are7…" against
    "api-usa-reader"); the similarity check would then refuse a password nobody chose,
    so draw again rather than fail the operator's command.
    """
    for _draw in range(_PASSWORD_DRAWS):
        password = secrets.token_urlsafe(15)
        try:
            for user in users or (None,):
                validate_password(password, user)
        except ValidationError:
            continue
        return password
    raise AccountError(
        "password",
        _("no random password passed the validators in %(n)d draws") % {"n": _PASSWORD_DRAWS},
    )


def user_add(
    *,
    actor: Actor,
    username: str,
    government: str,
    agency: str,
    role: str,
    password: str | None = None,
    known_agencies: dict[str, str],
) -> tuple[User, str]:
    """Create a user; returns the user and the password (generated when none is given).

    `known_agencies` maps agency slugs to their government, so this app needs no import
    of the registry (accounts sits below the domain apps).
    """
    _check_role(role)
    if known_agencies.get(agency) is None:
        raise AccountError("agency", _("unknown agency %(agency)r") % {"agency": agency})
    if known_agencies[agency] != government:
        raise AccountError(
            "agency",
            _("%(agency)r is not an agency of %(government)s")
            % {"agency": agency, "government": government},
        )
    _check_username_characters(username)
    _require_manager(actor, government)
    user = User(username=username, government=government, agency=agency, role=role)
    password = password or generated_password(user)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError("password", " ".join(exc.messages)) from exc
    with transaction.atomic():
        if _name_in_use(username):
            raise _taken(username)
        user.set_password(password)
        user.save()
        _audit(actor, user, "user.add", after=_snapshot(user))
    return user, password


# Latin letters and digits (str.isalnum also takes kana, kanji and other scripts' letters,
# which the page's hint does not offer and a sign-in form may not type alike).
_USERNAME = re.compile(r"[A-Za-z0-9._-]+")


def _check_username_characters(username: str) -> None:
    if not _USERNAME.fullmatch(username):
        raise AccountError("username", _("letters, digits, “-”, “_” and “.” only"))


def _name_in_use(username: str) -> bool:
    """Whether a user has this name, whatever its case: "USA-READER" beside "usa-reader"
    would be two accounts that people take for one."""
    return User.objects.filter(username__iexact=username).exists()


def _taken(username: str) -> AccountError:
    return AccountError("username", _("%(username)r is taken") % {"username": username})


def check_new_username(username: str) -> None:
    """Refuse a name `user_add` would refuse (its characters, or taken), for a form to say
    so beside the field together with its other errors; `user_add` checks again."""
    _check_username_characters(username)
    if _name_in_use(username):
        raise _taken(username)


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise AccountError(
            "role",
            _("must be one of %(roles)s; got %(role)r")
            % {"roles": ", ".join(Role.values), "role": role},
        )


def _change_user(*, actor: Actor, username: str, action: str, field: str, value: object) -> User:
    """Set one field of a user the actor manages, audited with before and after.

    An admin may not disable itself nor give up its own admin role: a slip would leave
    its government without anyone to manage its users. A value the user already has
    (disabling a disabled user, enabling an active one, the same role) changes and writes
    nothing."""
    with transaction.atomic():
        user = _get(username)
        _require_manager(actor, user.government)
        if getattr(user, field) == value:
            return user
        if _is_self(actor, user):
            if field == "is_active":
                raise AccountError(
                    "", _("you may not disable yourself; another admin or the operator may")
                )
            raise AccountError(
                field,
                _("you may not change your own role; another admin or the operator may"),
            )
        before = _snapshot(user)
        setattr(user, field, value)
        user.save(update_fields=[field])
        _audit(actor, user, action, before=before, after=_snapshot(user))
    return user


def user_disable(*, actor: Actor, username: str) -> User:
    """The user can no longer sign in, and its open sessions end now: a session left open
    (on a lost laptop, say) would otherwise come back to life if the user were enabled
    again before it timed out."""
    user = _change_user(
        actor=actor, username=username, action="user.disable", field="is_active", value=False
    )
    _end_sessions(user)
    return user


def _end_sessions(user: User) -> None:
    """Delete the user's unexpired sessions (the database backend's: settings keep the
    default engine). Each session is decoded to find its user: there are only as many as
    people signed in within the idle timeout."""
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()


def user_reset_second_factor(*, actor: Actor, username: str) -> bool:
    """Forget the user's authenticator app (a lost or replaced phone): at the next sign-in,
    with their password, they set up a new one. Their open sessions end too. Whether there
    was one to forget; none, and nothing is written. Refused for oneself, as disabling is: an
    admin's own second factor is reset by another admin or the operator."""
    with transaction.atomic():
        user = _get(username)
        _require_manager(actor, user.government)
        devices = TOTPDevice.objects.filter(user=user)
        if not devices.exists():
            return False
        if _is_self(actor, user):
            raise AccountError(
                "",
                _("you may not reset your own authenticator; another admin or the operator may"),
            )
        devices.delete()
        _audit(actor, user, "user.reset-second-factor")
    _end_sessions(user)
    return True


def user_enable(*, actor: Actor, username: str) -> User:
    """A disabled user may sign in again (with the password they had); its API tokens and
    calendar addresses not revoked nor expired work again."""
    return _change_user(
        actor=actor, username=username, action="user.enable", field="is_active", value=True
    )


def user_set_role(*, actor: Actor, username: str, role: str) -> User:
    _check_role(role)
    return _change_user(
        actor=actor, username=username, action="user.set-role", field="role", value=role
    )


def user_set_password(*, actor: Actor, username: str, password: str) -> User:
    with transaction.atomic():
        user = _get(username)
        _require_manager(actor, user.government)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise AccountError("password", " ".join(exc.messages)) from exc
        user.set_password(password)
        user.save(update_fields=["password"])
        _audit(actor, user, "user.set-password")
    return user


def _audit(actor: Actor, user: User, action: str, **change: Any) -> None:
    """One audit entry for a change to a user, internal to the user's government."""
    append_entry(
        actor=actor,
        action=action,
        object_kind="user",
        object_id=user.username,
        marking="government-internal",
        government=user.government,
        agency=user.agency,
        **change,
    )


def _get(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise AccountError("", _("no user named %(username)r") % {"username": username})
    return user
