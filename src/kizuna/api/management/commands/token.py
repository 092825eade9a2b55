"""`kizuna token create|list|revoke`: personal API tokens, managed by the operator."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.access.actor import Actor
from kizuna.api.models import Scope
from kizuna.api.tokens import TokenError, token_create, token_revoke, tokens_of


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens (the token is printed once, at creation)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a token and print it once")
        create.add_argument("--user", required=True, metavar="USERNAME")
        create.add_argument("--name", required=True, help="what the token is for")
        create.add_argument("--scope", choices=Scope.values, default=Scope.READ_ONLY)
        create.add_argument("--days", type=int, default=90, help="days until it expires")
        revoke = sub.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("id", type=int)
        listing = sub.add_parser("list", help="a user's tokens (never the tokens themselves)")
        listing.add_argument("--user", required=True, metavar="USERNAME")

    def handle(self, *args: Any, **options: Any) -> None:
        # The CLI acts as the operator (SECURITY.md); the audit entry names the OS user.
        actor = Actor.operator()
        try:
            if options["action"] == "create":
                new = token_create(
                    actor=actor,
                    username=options["user"],
                    name=options["name"],
                    scope=options["scope"],
                    days=options["days"],
                )
                self.stdout.write(new.secret)
                self.stderr.write(
                    f"token {new.token.pk} for {options['user']} ({new.token.scope}), expires "
                    f"{new.token.expires_at:%Y-%m-%d %H:%M UTC}. Copy it now: it is not stored "
                    "and cannot be shown again."
                )
            elif options["action"] == "revoke":
                token = token_revoke(actor=actor, token_id=options["id"])
                self.stdout.write(f"token {token.pk} ({token.name}) revoked")
            else:
                for token in tokens_of(actor=actor, username=options["user"]):
                    used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                    self.stdout.write(
                        f"{token.pk}\t{token.prefix}\t{token.name}\t{token.scope}\t"
                        f"{token.state()}\texpires {token.expires_at:%Y-%m-%d}\tlast used {used}"
                    )
        except TokenError as exc:
            raise CommandError(str(exc)) from exc
