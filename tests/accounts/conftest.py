from __future__ import annotations

from typing import Any

import pytest

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.accounts.services import user_add
from kizuna.registry.models import Agency, Government

PASSWORD = "a-long-demo-passphrase-42"


@pytest.fixture
def agencies(db: Any) -> dict[str, str]:
    for code, slugs in {
        "USA": ["commerce", "white-house", "state"],
        "JPN": ["meti", "kantei"],
    }.items():
        Government.objects.get_or_create(pk=code, defaults={"name": code})
        for slug in slugs:
            Agency.objects.get_or_create(pk=slug, defaults={"government_id": code, "name": slug})
    return dict(Agency.objects.values_list("id", "government_id"))


@pytest.fixture
def desk_officer(agencies: dict[str, str]) -> User:
    user, _ = user_add(
        actor=Actor.operator(),
        username="t-desk",
        government="USA",
        agency="commerce",
        role="desk-officer",
        password=PASSWORD,
        known_agencies=agencies,
    )
    return user


@pytest.fixture
def coordinator(agencies: dict[str, str]) -> User:
    user, _ = user_add(
        actor=Actor.operator(),
        username="t-coord",
        government="USA",
        agency="white-house",
        role="coordinator",
        password=PASSWORD,
        known_agencies=agencies,
    )
    return user
