"""Fixtures shared by the whole suite.

The test database gets the demo dataset once per session (tests run inside a
transaction that is rolled back), so most tests read the real U.S.–Japan data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

from kizuna.access.actor import Actor

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[None]:
    """The migrated test database, with the demo dataset loaded once."""
    if os.environ.get("KIZUNA_TEST_SKIP_DEMO") == "1":
        yield  # for work on parts that bring their own data
        return
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        call_command("load_demo", verbosity=0)
    yield


@pytest.fixture
def operator() -> Actor:
    return Actor.operator()
