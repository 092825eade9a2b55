"""The demo personas of SECURITY.md: five per government, one per role and desk."""

from __future__ import annotations

import os

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.accounts.services import generated_password, user_add, user_set_password

# (suffix, role, agency) per government
PERSONAS: dict[str, list[tuple[str, str, str]]] = {
    "USA": [
        ("coordinator", "coordinator", "white-house"),
        ("desk-officer", "desk-officer", "commerce"),
        ("desk-officer-2", "desk-officer", "ustr"),
        ("reader", "reader", "state"),
        ("admin", "admin", "white-house"),
    ],
    "JPN": [
        ("coordinator", "coordinator", "kantei"),
        ("desk-officer", "desk-officer", "meti"),
        ("desk-officer-2", "desk-officer", "mofa"),
        ("reader", "reader", "mofa"),
        ("admin", "admin", "kantei"),
    ],
}


def demo_password() -> str:
    """The one password every persona shares for this run; random unless the environment sets it."""
    chosen = os.environ.get("KIZUNA_DEMO_PASSWORD")
    if chosen:
        return chosen
    return generated_password(*(User(username=username) for username in persona_usernames()))


def persona_usernames() -> list[str]:
    return [
        _username(government, suffix)
        for government, personas in PERSONAS.items()
        for suffix, _role, _agency in personas
    ]


def _username(government: str, suffix: str) -> str:
    return f"{government.lower()}-{suffix}"


def ensure_personas(
    *, actor: Actor, password: str, known_agencies: dict[str, str]
) -> list[tuple[str, str, str]]:
    """Create the personas that are missing and set every persona's password; (username, role, agency)."""
    created = []
    for government, personas in PERSONAS.items():
        for suffix, role, agency in personas:
            username = _username(government, suffix)
            if User.objects.filter(username=username).exists():
                user_set_password(actor=actor, username=username, password=password)
            else:
                user_add(
                    actor=actor,
                    username=username,
                    government=government,
                    agency=agency,
                    role=role,
                    password=password,
                    known_agencies=known_agencies,
                )
            created.append((username, role, agency))
    return created
