"""The number of SQL queries per page does not grow with the data (no N+1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kizuna.accounts.models import User

URLS = [
    "/",
    "/dialogues/",
    "/dialogues/wt-dlg/",
    "/meetings/wt-dlg-2022-07-29/",
    "/commitments/",
    "/commitments/?dialogue=wt-dlg&party=JPN&status=in-progress&sort=deadline",
    "/commitments/wt-c1/",
    "/agencies/wt-doc/",
    "/concerns/",
    "/search/?q=commitment",
    "/commitments.count?dialogue=wt-dlg&party=JPN&status=in-progress",
    "/commitments.csv?dialogue=wt-dlg",
    "/calendar/?from=2020-01-01&to=2030-12-31",
    "/calendar.ics",
]


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
def test_query_counts_do_not_depend_on_the_data_size(
    load_workspace: Callable[..., None],
    django_assert_max_num_queries: Callable[..., object],
    settings: object,
) -> None:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []  # type: ignore[attr-defined]  # as the demo sets it
    # The session's own once-a-minute refresh is not the page's: keep it out of the counts
    # however long the two passes take.
    settings.KIZUNA_SESSION_REFRESH_SECONDS = 3600  # type: ignore[attr-defined]
    client = Client()
    load_workspace(extra_commitments=3)
    client.force_login(
        User.objects.create(username="wt-q", government="USA", agency="wt-doc", role="coordinator")
    )
    small = {url: _count(client, url) for url in URLS}
    load_workspace(extra_commitments=60)
    for url in URLS:
        # Same number of queries with twenty times the commitments and assessments.
        with django_assert_max_num_queries(small[url]):
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
