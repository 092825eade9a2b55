"""Writes the web front owns: a user's calendar feed address; the record of a list's download.
Audited."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils.translation import gettext_lazy

from kizuna.access.actor import Actor
from kizuna.access.rules import WRITER_ROLES
from kizuna.accounts.models import User
from kizuna.audit.log import append_entry
from kizuna.registry.services import PermissionDenied
from kizuna.web.models import CalendarFeed


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_create(*, actor: Actor, user: User, language: str = "en") -> str:
    """A new secret feed token for `user` (replacing any old one), whose events are written
    in `language`; returned once, never stored."""
    if actor.user_id != user.pk:
        raise PermissionError("only the user may create their own calendar feed")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        CalendarFeed.objects.create(user=user, token_hash=token_hash(token), language=language)
        append_entry(
            actor=actor, action="calendar_feed.create", object_kind="user",
            object_id=user.username, marking="government-internal",
            government=user.government, agency=user.agency,
        )  # fmt: skip
    return token


def calendar_feed_revoke(*, actor: Actor, user: User) -> bool:
    """Revoke `user`'s feed; True when there was one."""
    if actor.user_id != user.pk:
        raise PermissionError("only the user may revoke their own calendar feed")
    with transaction.atomic():
        deleted, _ = CalendarFeed.objects.filter(user=user).delete()
        if deleted:
            append_entry(
                actor=actor, action="calendar_feed.revoke", object_kind="user",
                object_id=user.username, marking="government-internal",
                government=user.government, agency=user.agency,
            )  # fmt: skip
    return bool(deleted)


def calendar_feed_of(token: str) -> CalendarFeed | None:
    """The feed a token opens, with its (active) user, or None."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), user__is_active=True)
        .first()
    )


# SECURITY.md's roles: desk officers and coordinators export; readers (and admins, who
# read as readers) view what they may see in the pages, and do not download it in bulk.
EXPORT_REFUSED = gettext_lazy(
    "Downloading a list is for desk officers and coordinators; as a reader, you read it"
    " on its page."
)


def may_export(actor: Actor) -> bool:
    return actor.is_operator or actor.role in WRITER_ROLES


def commitments_export_record(*, actor: Actor, query: str, format: str = "csv") -> None:
    """Audit a download of the list (SECURITY.md: exports are logged) in its format, with
    the filters it used; refused to those who may not export."""
    if not may_export(actor):
        raise PermissionDenied(str(EXPORT_REFUSED))
    append_entry(
        actor=actor, action="commitments.export", object_kind="commitment-list",
        object_id=query[:200], marking="government-internal",
        after={"format": format, "query": query},
    )  # fmt: skip
