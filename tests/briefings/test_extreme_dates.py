"""The coordinators' page and the brief as of the first and last dates there are."""

from __future__ import annotations

import pytest
from django.test import Client

from kizuna.accounts.models import User


@pytest.fixture
def coordinator(db: None, settings: pytest.FixtureRequest) -> Client:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []  # type: ignore[attr-defined]
    client = Client()
    client.force_login(
        User.objects.create(
            username="t-coord", government="USA", agency="white-house", role="coordinator"
        )
    )
    return client


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("path", ["/coordination/", "/coordination/brief.html"])
def test_a_brief_as_of_year_1_or_9999_is_drafted(coordinator: Client, path: str, day: str) -> None:
    """A valid date, if an unlikely one (a typed 0001 is an easy slip): the brief's look back
    "since" and its calendar ahead stop at the first and last dates there are."""
    response = coordinator.get(f"{path}?as_of={day}")
    assert response.status_code == 200
