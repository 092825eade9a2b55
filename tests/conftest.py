"""Fixtures shared by the whole suite.

The test database gets the demo dataset once per session (tests run inside a
transaction that is rolled back), so most tests read the real U.S.–Japan data.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation

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


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test ends in the default language: a request read in Japanese leaves Japanese
    active in the thread (LocaleMiddleware activates it, nothing deactivates it), and a
    later test drafting a brief or a message would then write Japanese."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _filter_choices_forgotten() -> Iterator[None]:
    """The list's filter choices are kept until the audit log moves (kizuna.web.forms); tests
    write records directly, without the entry every service appends, and roll back between
    them, so the log's newest entry would not tell one test's workspace from the next."""
    from kizuna.web.forms import forget_filter_choices

    forget_filter_choices()
    yield


@pytest.fixture
def operator() -> Actor:
    return Actor.operator()


@pytest.fixture
def database_url(tmp_path: Path, db: Any) -> Iterator[str]:
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'kizuna.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    name = f"kizuna_backup_{uuid.uuid4().hex[:8]}"
    dsn = f"host={settings['HOST']} port={settings['PORT'] or 5432} user={settings['USER']} dbname=postgres"
    if settings.get("PASSWORD"):
        dsn += f" password={settings['PASSWORD']}"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    yield f"postgresql://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT'] or 5432}/{name}"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
