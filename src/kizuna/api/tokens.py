"""Create, check and revoke personal API tokens. Creating and revoking are audited.

A token reads `kzn_<prefix>_<secret>`: the prefix (8 random characters) is stored in clear
to find the row, the whole token only as HMAC-SHA256 under a key derived from SECRET_KEY
(Django's `salted_hmac` with a salt of our own). A leaked database therefore yields no usable
token; rotating SECRET_KEY invalidates every token unless the old key stays in
SECRET_KEY_FALLBACKS, which are tried too (the same rule Django applies to sessions).
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.api.models import ApiToken, Scope
from kizuna.audit.log import append_entry

TOKEN_MARK = "kzn"
HASH_SALT = "kizuna.api.token"
MAX_DAYS = 366
# last_used_at is refreshed at most this often, so reading through the API does not turn
# every request into a database write (SQLite has one writer).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenError(ValueError):
    """A token cannot be created or revoked; the message says why."""


class TokenRejected(Exception):
    """The presented token is unknown, malformed, expired or revoked (the API answers 401)."""


def token_hash(token: str, secret: str | None = None) -> str:
    return salted_hmac(HASH_SALT, token, secret=secret, algorithm="sha256").hexdigest()


def _matches(token: str, stored: str) -> bool:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(hmac.compare_digest(token_hash(token, key), stored) for key in keys)


def _audit(actor: Actor, action: str, token: ApiToken, user: User) -> None:
    append_entry(
        actor=actor,
        action=action,
        object_kind="api-token",
        object_id=str(token.pk),
        marking="government-internal",
        government=user.government,
        agency=user.agency,
        # Never the token or its hash: the log is read by more people than the token's owner.
        after={
            "user": user.username,
            "name": token.name,
            "prefix": token.prefix,
            "scope": token.scope,
            "expires_at": token.expires_at.isoformat(),
        },
    )


def _may_manage(actor: Actor, user: User) -> bool:
    """The operator, the token's own user, or an admin of the user's government."""
    if actor.is_operator:
        return True
    if actor.user_id == user.pk:
        return True
    return actor.role == "admin" and actor.government == user.government


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token, to show once


def token_create(
    *, actor: Actor, username: str, name: str, scope: str = Scope.READ_ONLY, days: int = 90
) -> NewToken:
    if scope not in Scope.values:
        raise TokenError(f"scope: must be one of {', '.join(Scope.values)}; got {scope!r}")
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(f"days: between 1 and {MAX_DAYS}; got {days}")
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenError("name: 1 to 100 characters")
    user = User.objects.filter(username=username).first()
    if user is None:
        raise TokenError(f"user: no user named {username!r}")
    if not user.is_active:
        raise TokenError(f"user: {username!r} is disabled")
    if not _may_manage(actor, user):
        raise TokenError("only the user, an admin of its government or the operator make tokens")
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_MARK}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            token_hash=token_hash(secret),
            scope=scope,
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        _audit(actor, "api-token.create", token, user)
    return NewToken(token=token, secret=secret)


def token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    with transaction.atomic():
        token = (
            ApiToken.objects.select_for_update().select_related("user").filter(pk=token_id).first()
        )
        if token is None or not _may_manage(actor, token.user):
            raise TokenError(f"no token {token_id} that you may revoke")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            _audit(actor, "api-token.revoke", token, token.user)
    return token


def tokens_of(*, actor: Actor, username: str) -> list[ApiToken]:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise TokenError(f"user: no user named {username!r}")
    if not _may_manage(actor, user):
        raise TokenError("only the user, an admin of its government or the operator list tokens")
    return list(ApiToken.objects.filter(user=user))


def token_authenticate(secret: str) -> ApiToken:
    """The active token `secret` names, with its user; TokenRejected otherwise."""
    parts = secret.split("_", 2)  # the secret part may itself contain "_"
    if len(parts) != 3 or parts[0] != TOKEN_MARK or not parts[1] or not parts[2]:
        raise TokenRejected("malformed token")
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    # Hash before answering either way, so timing does not tell a known prefix from an unknown.
    stored = token.token_hash if token is not None else token_hash("unknown")
    if not _matches(secret, stored) or token is None:
        raise TokenRejected("unknown token")
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRejected("this token was revoked")
    if token.expires_at <= now:
        raise TokenRejected("this token has expired")
    if not token.user.is_active:
        raise TokenRejected("this token's user is disabled")
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
