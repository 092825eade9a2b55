"""The concerns page says at which rounds each concern was raised, not only when."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.dataset.loader import load_dataset


@pytest.fixture
def raised_at_a_hidden_round(tmp_path: Path, workspace_loaded: None) -> None:
    """A concern raised at the first round and at Japan's internal preparatory meeting."""
    data = {
        "concerns": [
            {
                "id": "wt-concern-prep",
                "marking": "public",
                "sources": [{"title": "Concerns fixture", "publisher": "Kizuna tests"}],
                "title": "Test export licences",
                "raised_by": "JPN",
                "about": "USA",
                "dialogue": "wt-dlg",
                "raised_at": ["wt-dlg-2022-07-29", "wt-dlg-2023-01-15"],
                "first_raised": "2022-07-29",
                "status": "open",
            }
        ]
    }
    path = tmp_path / "concerns.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    load_dataset([path], actor=Actor.operator())


def _row(html: str, title: str) -> str:
    return html.split(title, 1)[1].split("</tr>", 1)[0]


@pytest.mark.django_db
def test_each_round_is_named_and_linked(usa_client: Client) -> None:
    html = usa_client.get("/concerns/").content.decode()
    row = _row(html, "Test steel tariffs")
    assert '<a href="/meetings/wt-dlg-2022-07-29/">Test dialogue, first round</a>' in row
    assert "(July 29, 2022)" in row


@pytest.mark.django_db
def test_the_round_is_named_in_the_readers_language(usa_client: Client) -> None:
    html = usa_client.get("/concerns/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    row = _row(html, "テスト鉄鋼関税")
    assert '<a href="/meetings/wt-dlg-2022-07-29/">テスト対話 第1回</a>' in row
    assert "(2022年7月29日)" in row


@pytest.mark.django_db
def test_a_round_the_reader_may_not_see_is_not_named(
    raised_at_a_hidden_round: None, usa_client: Client, jpn_client: Client
) -> None:
    usa = _row(usa_client.get("/concerns/").content.decode(), "Test export licences")
    assert "Test dialogue, first round" in usa
    assert "JPN-only preparatory meeting" not in usa and "wt-dlg-2023-01-15" not in usa
    jpn = _row(jpn_client.get("/concerns/").content.decode(), "Test export licences")
    assert '<a href="/meetings/wt-dlg-2023-01-15/">JPN-only preparatory meeting</a>' in jpn
