"""Every change to users: add, disable, set a role, set up TOTP. Each is audited."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from kizuna.access.actor import Actor
from kizuna.accounts.models import Role, User
from kizuna.audit.log import append_entry

# A draw fails the validators perhaps once in thousands; a hundred failures means the
# validators refuse any random password (a settings mistake), not bad luck.
_PASSWORD_DRAWS = 100


class AccountError(ValueError):
    """A user cannot be added or changed; the message says why."""


def _require_manager(actor: Actor, government: str) -> None:
    """The operator manages everyone; an admin manages users of its own government."""
    if actor.is_operator:
        return
    if actor.role == Role.ADMIN and actor.government == government:
        return
    raise AccountError("only the operator or an admin of that government may manage its users")


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
    for _ in range(_PASSWORD_DRAWS):
        password = secrets.token_urlsafe(15)
        try:
            for user in users or (None,):
                validate_password(password, user)
        except ValidationError:
            continue
        return password
    raise AccountError(
        f"password: no random password passed the validators in {_PASSWORD_DRAWS} draws"
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
    if role not in Role.values:
        raise AccountError(f"role: must be one of {', '.join(Role.values)}; got {role!r}")
    if known_agencies.get(agency) is None:
        raise AccountError(f"agency: unknown agency {agency!r}")
    if known_agencies[agency] != government:
        raise AccountError(f"agency: {agency!r} is not an agency of {government}")
    if not username or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise AccountError("username: letters, digits, '-', '_' and '.' only")
    _require_manager(actor, government)
    user = User(username=username, government=government, agency=agency, role=role)
    password = password or generated_password(user)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError("password: " + " ".join(exc.messages)) from exc
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise AccountError(f"username: {username!r} is taken")
        user.set_password(password)
        user.save()
        append_entry(
            actor=actor,
            action="user.add",
            object_kind="user",
            object_id=username,
            marking="government-internal",
            government=government,
            agency=agency,
            after=_snapshot(user),
        )
    return user, password


def _change_user(*, actor: Actor, username: str, action: str, field: str, value: object) -> User:
    """Set one field of a user the actor manages, audited with before and after."""
    with transaction.atomic():
        user = _get(username)
        _require_manager(actor, user.government)
        before = _snapshot(user)
        setattr(user, field, value)
        user.save(update_fields=[field])
        append_entry(
            actor=actor,
            action=action,
            object_kind="user",
            object_id=username,
            marking="government-internal",
            government=user.government,
            agency=user.agency,
            before=before,
            after=_snapshot(user),
        )
    return user


def user_disable(*, actor: Actor, username: str) -> User:
    return _change_user(
        actor=actor, username=username, action="user.disable", field="is_active", value=False
    )


def user_set_role(*, actor: Actor, username: str, role: str) -> User:
    if role not in Role.values:
        raise AccountError(f"role: must be one of {', '.join(Role.values)}; got {role!r}")
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
            raise AccountError("password: " + " ".join(exc.messages)) from exc
        user.set_password(password)
        user.save(update_fields=["password"])
        append_entry(
            actor=actor,
            action="user.set-password",
            object_kind="user",
            object_id=username,
            marking="government-internal",
            government=user.government,
            agency=user.agency,
        )
    return user


def _get(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise AccountError(f"no user named {username!r}")
    return user
