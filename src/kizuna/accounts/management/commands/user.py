from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.access.actor import Actor
from kizuna.accounts.services import (
    AccountError,
    user_add,
    user_disable,
    user_enable,
    user_reset_second_factor,
    user_set_role,
)
from kizuna.registry.models import Agency


class Command(BaseCommand):
    help = "Manage users: add, disable, enable, set-role, reset-second-factor."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser(
            "add", help="add a user (prints a generated password unless --password)"
        )
        add.add_argument("username")
        add.add_argument("--government", required=True, help="ISO3 code, e.g. USA")
        add.add_argument("--agency", required=True, help="agency slug, e.g. commerce")
        add.add_argument(
            "--role", required=True, choices=["reader", "desk-officer", "coordinator", "admin"]
        )
        add.add_argument("--password", help="at least 12 characters, not a common one")
        disable = sub.add_parser("disable", help="disable a user (they can no longer sign in)")
        disable.add_argument("username")
        enable = sub.add_parser(
            "enable", help="enable a disabled user again (they sign in with their password)"
        )
        enable.add_argument("username")
        reset = sub.add_parser(
            "reset-second-factor",
            help="forget a user's authenticator app (lost phone): they set up a new one at "
            "their next sign-in",
        )
        reset.add_argument("username")
        set_role = sub.add_parser("set-role", help="change a user's role")
        set_role.add_argument("username")
        set_role.add_argument("role", choices=["reader", "desk-officer", "coordinator", "admin"])

    def handle(self, *args: Any, **options: Any) -> None:
        actor = Actor.operator()
        try:
            if options["action"] == "add":
                known = dict(Agency.objects.values_list("id", "government_id"))
                user, password = user_add(
                    actor=actor,
                    username=options["username"],
                    government=options["government"].upper(),
                    agency=options["agency"],
                    role=options["role"],
                    password=options["password"],
                    known_agencies=known,
                )
                self.stdout.write(
                    f"Added {user.username} ({user.role}, {user.government}/{user.agency})"
                )
                if not options["password"]:
                    self.stdout.write(f"Password: {password}")
            elif options["action"] == "disable":
                user_disable(actor=actor, username=options["username"])
                self.stdout.write(f"Disabled {options['username']}")
            elif options["action"] == "reset-second-factor":
                if user_reset_second_factor(actor=actor, username=options["username"]):
                    self.stdout.write(
                        f"{options['username']} sets up a new authenticator at the next sign-in"
                    )
                else:
                    self.stdout.write(f"{options['username']} has no authenticator; nothing done")
            elif options["action"] == "enable":
                user_enable(actor=actor, username=options["username"])
                self.stdout.write(f"Enabled {options['username']}")
            else:
                user = user_set_role(
                    actor=actor, username=options["username"], role=options["role"]
                )
                self.stdout.write(f"{user.username} is now {user.role}")
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
