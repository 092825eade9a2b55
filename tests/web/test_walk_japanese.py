"""Walking the pages in Japanese: the words drawn from stored values (statuses, kinds,
markings, roles) and the dates are in the reader's language, not left in English."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from kizuna.accounts.models import User
from kizuna.analysis.coverage import Coverage
from kizuna.api.models import ApiToken
from kizuna.briefings.render import heatmap_spec
from kizuna.documents.models import Document

JA = {"HTTP_ACCEPT_LANGUAGE": "ja"}


def _options(html: str, name: str) -> list[str]:
    """The words of the <option>s of the <select name=name>."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, name
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


@pytest.mark.django_db
def test_the_assessment_form_offers_its_choices_in_japanese(jpn_client: Client) -> None:
    html = jpn_client.get("/commitments/wt-c1/assess/", **JA).content.decode()
    assert _options(html, "status") == ["未着手", "進行中", "達成", "停滞", "撤回"]
    assert _options(html, "completion") == ["—", "未着手", "限定的", "相当程度", "完了"]
    assert _options(html, "marking") == ["公開", "共有", "政府内限り", "省庁内限り"]
    # The same form, next in English: the words follow each request's language.
    english = jpn_client.get("/commitments/wt-c1/assess/", HTTP_ACCEPT_LANGUAGE="en")
    assert _options(english.content.decode(), "status")[0] == "not started"


@pytest.mark.django_db
def test_the_commitment_filters_offer_statuses_and_lifecycles_in_japanese(
    usa_client: Client,
) -> None:
    html = usa_client.get("/commitments/", **JA).content.decode()
    assert _options(html, "status") == ["すべて", "未着手", "進行中", "達成", "停滞", "撤回"]
    assert _options(html, "lifecycle") == [
        "すべて",
        "有効",
        "置き換え済み",
        "統合済み",
        "移管済み",
        "撤回",
    ]


@pytest.mark.django_db
def test_the_upload_form_offers_kinds_and_markings_in_japanese(usa_client: Client) -> None:
    html = usa_client.get("/documents/upload/", **JA).content.decode()
    kinds = _options(html, "kind")
    assert "共同声明" in kinds and "会談概要" in kinds and "ファクトシート" in kinds
    assert not any("Statement" in kind or "Readout" in kind for kind in kinds)
    assert _options(html, "marking") == ["公開", "共有", "政府内限り", "省庁内限り"]


@pytest.mark.django_db
def test_the_header_names_the_readers_role_in_japanese(usa_client: Client) -> None:
    html = usa_client.get("/concerns/", **JA).content.decode()
    assert "wt-usa-desk · USA · WT-DOC · 担当官" in html
    assert "desk-officer</span>" not in html


@pytest.mark.django_db
def test_the_agency_page_names_its_kind_in_japanese(usa_client: Client) -> None:
    html = usa_client.get("/agencies/wt-meti/", **JA).content.decode()
    assert "<p>日本 · 省</p>" in html


@pytest.mark.django_db
def test_the_review_queue_writes_the_documents_date_in_the_readers_form(
    usa_client: Client,
) -> None:
    Document.objects.filter(pk="wt-doc-r1").update(date="2026-11-20")
    document = Document.objects.get(pk="wt-doc-r1")
    document.candidates.create(text="Build a fab.", start=0, end=10)
    japanese = usa_client.get("/review/", **JA).content.decode()
    assert "<td>2026年11月20日</td>" in japanese and "2026-11-20" not in japanese
    english = usa_client.get("/review/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>Nov. 20, 2026</td>" in english


@pytest.mark.django_db
def test_the_token_page_writes_the_expiry_in_the_readers_form(db: None) -> None:
    user = User.objects.create(username="wt-token-reader", government="JPN", role="reader")
    ApiToken.objects.create(
        user=user,
        name="script",
        prefix="wtexpiry",
        token_hash="0" * 64,
        expires_at=dt.datetime(2027, 2, 27, 12, 0, tzinfo=dt.UTC),
        last_used_at=timezone.now(),
    )
    client = Client()
    client.force_login(user)
    html = client.get("/accounts/tokens/", **JA).content.decode()
    assert "<td>2027年2月27日</td>" in html and "2027-02-27" not in html
    assert "閲覧者" in html  # the role in the header


def test_the_heatmap_legend_says_what_it_counts() -> None:
    cov: Coverage = {
        "as_of": "2024-01-01",
        "cells": [
            {
                "topic": "chips",
                "dialogue": "ted",
                "party": "USA",
                "agencies": [],
                "agenda_items": 1,
                "commitments": 2,
            }
        ],
        "families": [],
        "totals": [{"topic": "chips", "dialogue": "ted", "agenda_items": 1, "commitments": 2}],
    }
    for language, title in (("en", "Agenda items and commitments"), ("ja", "議題とコミットメント")):
        with translation.override(language):
            assert heatmap_spec(cov)["encoding"]["color"]["title"] == title


def test_each_heatmap_cell_is_read_out_in_the_readers_words() -> None:
    """A screen reader heard "dialogue: …; topic: …; 議題とコミットメント: 2" (field names in
    English, twice) and the chart itself as "Vega visualization"."""
    cov: Coverage = {
        "as_of": "2024-01-01",
        "cells": [],
        "families": [],
        "totals": [{"topic": "chips", "dialogue": "ted", "agenda_items": 1, "commitments": 2}],
    }
    with translation.override("ja"):
        spec = heatmap_spec(cov)
    assert spec["encoding"]["description"]["field"] == "said"
    said = spec["data"]["values"][0]["said"]
    assert "chips" in said and "ted" in said and "3" in said and "dialogue" not in said
    assert "議題とコミットメント" in said
    assert "ヒートマップ" in spec["description"]


@pytest.mark.django_db
def test_the_coordinators_page_draws_no_picture_on_the_server(
    workspace_loaded: None, settings: Any
) -> None:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []  # the second factor has its own tests
    client = Client()
    client.force_login(
        User.objects.create(
            username="wt-coord-page", government="USA", agency="wt-doc", role="coordinator"
        )
    )
    html = client.get("/coordination/").content.decode()
    assert 'class="chart chart-wide" data-vega-json="{' in html  # drawn in the browser
    assert "data:image/svg+xml" not in html  # not also drawn on the server, for each view
    assert 'class="heatmap-table"' in html  # the same figures without script


def test_the_coverage_table_runs_in_the_order_of_the_names_shown() -> None:
    from kizuna.briefings.build import Names
    from kizuna.briefings.render import heatmap_table

    cov: Coverage = {
        "as_of": "2024-01-01",
        "cells": [],
        "families": [],
        "totals": [
            {"topic": t, "dialogue": d, "agenda_items": 1, "commitments": 0}
            for t in ("a-topic", "z-topic")
            for d in ("a-dialogue", "z-dialogue")
        ],
    }
    names = Names(
        topics={"a-topic": "Trade", "z-topic": "Infrastructure"},
        dialogues={"a-dialogue": "JUCIP", "z-dialogue": "CoRe"},
        agencies={},
    )
    table = heatmap_table(cov, names)
    assert [row["topic"] for row in table["rows"]] == ["Infrastructure", "Trade"]
    assert table["dialogues"] == ["CoRe", "JUCIP"]


def test_the_heatmap_axes_run_in_the_tables_order() -> None:
    from kizuna.briefings.build import Names
    from kizuna.briefings.render import heatmap_table

    cov: Coverage = {
        "as_of": "2024-01-01",
        "cells": [],
        "families": [],
        "totals": [
            {"topic": "t", "dialogue": d, "agenda_items": 1, "commitments": 0}
            for d in ("a", "b", "c")
        ],
    }
    names = Names(topics={}, dialogues={"a": "JUCIP", "b": "Japan–Philippines", "c": "CoRe"})
    spec = heatmap_spec(cov, names)
    assert spec["encoding"]["x"]["sort"] == heatmap_table(cov, names)["dialogues"]
    assert spec["encoding"]["x"]["sort"] == ["CoRe", "Japan–Philippines", "JUCIP"]
