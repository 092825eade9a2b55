"""Resolve the `--as-user` option shared by the CLI commands that read or write records."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from kizuna.access.actor import Actor


def add_as_user_option(parser: CommandParser) -> None:
    parser.add_argument(
        "--as-user",
        metavar="USERNAME",
        help="act as this user (their access rule applies); default: the operator, with full access",
    )


def actor_for(username: str | None) -> Actor:
    if not username:
        return Actor.operator()
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--as-user: no user named {username!r}")
    if not user.is_active:
        raise CommandError(f"--as-user: user {username!r} is disabled")
    return Actor.from_user(user)
