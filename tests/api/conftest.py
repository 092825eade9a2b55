"""The API tests' own workspace and personas (they do not rely on the demo dataset)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.accounts.services import user_add
from kizuna.api.tokens import token_create
from kizuna.dataset.loader import load_dataset
from kizuna.registry.models import Agency

DATA = Path(__file__).parent / "data" / "workspace.yaml"

# username: (government, agency, role), the SECURITY.md personas under names of our own.
PERSONAS: dict[str, tuple[str, str, str]] = {
    "api-usa-desk": ("USA", "commerce", "desk-officer"),
    "api-jpn-desk": ("JPN", "meti", "desk-officer"),
    "api-usa-coordinator": ("USA", "white-house", "coordinator"),
    "api-jpn-coordinator": ("JPN", "kantei", "coordinator"),
    "api-usa-reader": ("USA", "state", "reader"),
}


@dataclass
class Persona:
    user: User
    token: str  # read-write
    read_only_token: str

    def headers(self, *, read_only: bool = False) -> dict[str, str]:
        token = self.read_only_token if read_only else self.token
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> None:
    # The counters live in the cache, which outlives each test's rolled-back transaction.
    cache.clear()


@pytest.fixture
def workspace(db: None) -> None:
    load_dataset([DATA], actor=Actor.operator())


@pytest.fixture
def personas(workspace: None, settings: Any) -> dict[str, Persona]:
    # These users never sign in with a password; Argon2 would cost a second per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    known = dict(Agency.objects.values_list("id", "government_id"))
    found = {}
    for username, (government, agency, role) in PERSONAS.items():
        user, _ = user_add(
            actor=Actor.operator(),
            username=username,
            government=government,
            agency=agency,
            role=role,
            known_agencies=known,
        )
        rw = token_create(actor=Actor.operator(), username=username, name="rw", scope="read-write")
        ro = token_create(actor=Actor.operator(), username=username, name="ro")
        found[username] = Persona(user=user, token=rw.secret, read_only_token=ro.secret)
    return found


@pytest.fixture
def api(client: Client) -> Callable[..., Any]:
    """Call the API as a persona: api("get", "/commitments", persona, data=...)."""

    def call(
        method: str,
        path: str,
        persona: Persona | None = None,
        *,
        read_only: bool = False,
        json: Any = None,
        **params: Any,
    ) -> Any:
        headers = persona.headers(read_only=read_only) if persona else {}
        url = f"/api/v1{path}"
        if method == "get":
            return client.get(url, params, **headers)
        return getattr(client, method)(
            url, json if json is not None else {}, content_type="application/json", **headers
        )

    return call
