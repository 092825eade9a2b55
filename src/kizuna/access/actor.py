"""The actor behind a read or a write: a signed-in user, an anonymous visitor or the operator."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    """Who is acting. `government` is an ISO3 code, `agency` a slug, `role` a Role value."""

    name: str
    government: str = ""
    agency: str = ""
    role: str = ""
    user_id: int | None = None
    is_operator: bool = False
    is_anonymous: bool = False

    @classmethod
    def operator(cls) -> Actor:
        """The person running a CLI command on the server: full access, named in the audit log."""
        try:
            who = getpass.getuser()
        except Exception:  # getuser raises several types when no user name is known
            who = "unknown"
        return cls(name=f"operator:{who}", is_operator=True)

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(name="anonymous", is_anonymous=True)

    @classmethod
    def from_user(cls, user: Any) -> Actor:
        if user is None or not getattr(user, "is_authenticated", False):
            return cls.anonymous()
        return cls(
            name=user.username,
            government=user.government,
            agency=user.agency,
            role=user.role,
            user_id=user.pk,
        )
