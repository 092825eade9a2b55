"""The header names the signed-in user's agency, read once at sign-in, not on every page."""

from __future__ import annotations

import pytest
from django.test import Client

from kizuna.registry.models import Agency

pytestmark = pytest.mark.django_db


def _header(client: Client, language: str = "en") -> str:
    html = client.get("/concerns/", headers={"accept-language": language}).content.decode()
    return html.split("<header", 1)[1].split("</header>", 1)[0]


def test_the_header_shows_the_agency_by_its_acronym(usa_client: Client) -> None:
    header = _header(usa_client)
    assert "wt-usa-desk · USA · WT-DOC · desk officer" in header


def test_without_an_acronym_the_agency_is_named_in_the_readers_language(
    workspace_loaded: None,
) -> None:
    from kizuna.accounts.models import User

    Agency.objects.filter(pk="wt-meti").update(acronym="")
    client = Client()
    client.force_login(
        User.objects.create(username="wt-h", government="JPN", agency="wt-meti", role="reader")
    )
    assert "· テスト経済産業省 ·" in _header(client, "ja")
    assert "· Test Ministry of Economy ·" in _header(client, "en")


def test_the_pages_read_no_agency_for_the_header(usa_client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        usa_client.get("/concerns/")
    assert not [q for q in queries if 'FROM "registry_agency"' in q["sql"]]
