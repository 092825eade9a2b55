"""Walking the demo: pages call governments, agencies, topics and commitments by their names in
the reader's language, not by their slugs; and the smaller things a walk turned up (a deadline
said twice, a stray separator, a link a reader may not follow, a reversed range)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kizuna.accounts.models import User
from kizuna.commitments.models import Commitment
from kizuna.documents.models import CommitmentCandidate, Decision, Document
from kizuna.registry.models import Agency

JA = {"HTTP_ACCEPT_LANGUAGE": "ja"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _text(html: str) -> str:
    """The page's words, tags dropped and spaces folded: what a reader sees."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _client(username: str, government: str, agency: str, role: str) -> Client:
    client = Client()
    client.force_login(
        User.objects.create(username=username, government=government, agency=agency, role=role)
    )
    return client


# --- names, not slugs ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "government", "agency"),
    [(EN, "United States", "Test Department of Commerce"), (JA, "アメリカ合衆国", "テスト商務省")],
)
@pytest.mark.parametrize("url", ["/commitments/wt-c1/", "/meetings/wt-dlg-2022-07-29/"])
def test_the_owner_is_named_in_the_readers_language(
    usa_client: Client, url: str, headers: dict[str, str], government: str, agency: str
) -> None:
    html = usa_client.get(url, **headers).content.decode()
    meta = re.search(r'<p class="meta">.*?</p>', html, re.S)
    assert meta is not None
    assert f'{government}, <a href="/agencies/wt-doc/">{agency}</a>' in meta.group(0)
    assert "USA/" not in meta.group(0) and ">wt-doc<" not in meta.group(0)


@pytest.mark.django_db
def test_a_notes_owner_is_named(jpn_client: Client) -> None:
    html = jpn_client.get("/commitments/wt-c1/", **JA).content.decode()
    notes = html.split('id="notes-h"')[1]
    assert "日本, テスト経済産業省" in notes and "JPN/wt-meti" not in notes


@pytest.mark.django_db
def test_a_participants_agency_is_named(usa_client: Client) -> None:
    url = "/meetings/wt-dlg-2022-07-29/"
    assert "A. Minister (WT-METI), co-chair" in usa_client.get(url, **EN).content.decode()
    # Without an acronym, its name in the reader's language.
    Agency.objects.filter(pk="wt-meti").update(acronym="")
    assert "A. Minister (テスト経済産業省), co-chair" in usa_client.get(url, **JA).content.decode()
    assert "(wt-meti)" not in usa_client.get(url, **EN).content.decode()


@pytest.mark.django_db
def test_the_home_page_names_lead_agencies_without_an_acronym(usa_client: Client) -> None:
    Agency.objects.filter(pk="wt-meti").update(acronym="")
    leads = _text(usa_client.get("/", **JA).content.decode())
    assert "JPN: テスト経済産業省" in leads and "JPN: wt-meti" not in leads
    assert "USA: WT-DOC" in leads  # an acronym still stands for the agency


def _candidates(n: int) -> Document:
    """A public USA statement with `n` decided candidates naming actors and topics."""
    document = Document.objects.create(
        id="wt-doc-review",
        title="Test statement under review",
        date="2024-01-10",
        date_first=dt.date(2024, 1, 10),
        content_hash="wt-review",
        text="The two sides will work together on chips. " * n,
        dialogue_id="wt-dlg",
        marking="public",
        owner_government_id="USA",
        owner_agency_id="wt-doc",
        audience="|JPN|USA|",
    )
    CommitmentCandidate.objects.bulk_create(
        CommitmentCandidate(
            document=document,
            start=i * 44,
            end=i * 44 + 43,
            text="The two sides will work together on chips.",
            actors=["JPN", "EU", "wt-doc", "Ministry of Nowhere"],
            topics=["wt-chips", "no-such-topic"],
            decision=Decision.REJECTED,
            decided_by="wt-usa-desk",
        )
        for i in range(n)
    )
    return document


@pytest.mark.django_db
def test_review_candidates_name_their_actors_and_topics(usa_client: Client) -> None:
    document = _candidates(1)
    url = f"/documents/{document.pk}/review/"
    english = _text(usa_client.get(url, **EN).content.decode())
    # The extractor's "EU" is the registry's EUU (the demo's European Union).
    assert (
        "actors: Japan, European Union, WT-DOC, Ministry of Nowhere"
        " · topics: Test chips, no-such-topic" in english
    )
    japanese = _text(usa_client.get(url, **JA).content.decode())
    assert "日本, 欧州連合, WT-DOC, Ministry of Nowhere" in japanese
    assert "テスト半導体, no-such-topic" in japanese


@pytest.mark.django_db
def test_review_names_cost_no_query_per_candidate(load_workspace: Callable[..., None]) -> None:
    load_workspace()
    client = _client("wt-q-desk", "USA", "wt-doc", "desk-officer")
    url = "/documents/wt-doc-review/review/"
    _candidates(1)
    client.get(url)  # the session and caches settle
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    Document.objects.filter(pk="wt-doc-review").delete()
    _candidates(8)
    with CaptureQueriesContext(connection) as eight:
        assert client.get(url).status_code == 200
    assert len(eight) == len(one)


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [EN, JA])
def test_the_coordinators_page_lists_divergent_commitments_by_their_text(
    workspace_loaded: None, headers: dict[str, str], settings: object
) -> None:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []  # type: ignore[attr-defined]
    client = _client("wt-coord", "USA", "wt-doc", "coordinator")
    html = client.get("/coordination/?as_of=2024-01-01", **headers).content.decode()
    divergent = html.split('id="divergent"')[1].split("</section>")[0]
    assert (
        'href="/commitments/wt-c1/?as_of=2024-01-01">Build a resilient chip supply chain.</a>'
        in (divergent)
    )
    assert ">wt-c1<" not in divergent


# --- the smaller ones ---------------------------------------------------------------------


def _deadline(html: str) -> str:
    found = re.search(r"<dt>(?:Deadline|期限)</dt><dd>(.*?)</dd>", html)
    assert found is not None
    return found.group(1)


@pytest.mark.django_db
def test_a_deadline_is_not_said_twice(usa_client: Client) -> None:
    # Words less precise than the date: the date adds the day.
    assert _deadline(usa_client.get("/commitments/wt-c1/", **EN).content.decode()) == (
        "by 2026 (by Dec. 31, 2026)"
    )
    Commitment.objects.filter(pk="wt-c1").update(
        deadline_text="by March 31, 2027", deadline_latest=dt.date(2027, 3, 31)
    )
    assert _deadline(usa_client.get("/commitments/wt-c1/", **EN).content.decode()) == (
        "by March 31, 2027"
    )
    # Another month's English name than the date form's own abbreviation is the same day.
    Commitment.objects.filter(pk="wt-c1").update(
        deadline_text="no later than 31 January 2027", deadline_latest=dt.date(2027, 1, 31)
    )
    assert _deadline(usa_client.get("/commitments/wt-c1/", **EN).content.decode()) == (
        "no later than 31 January 2027"
    )
    # Japanese words read by a Japanese reader, and a date without words.
    Commitment.objects.filter(pk="wt-c1").update(
        deadline_text="2027年3月31日までに", deadline_latest=dt.date(2027, 3, 31)
    )
    assert _deadline(usa_client.get("/commitments/wt-c1/", **JA).content.decode()) == (
        "2027年3月31日までに"
    )
    Commitment.objects.filter(pk="wt-c1").update(deadline_text="")
    assert _deadline(usa_client.get("/commitments/wt-c1/", **EN).content.decode()) == (
        "by March 31, 2027"
    )


@pytest.mark.django_db
def test_a_source_without_a_publisher_has_no_stray_separator(usa_client: Client) -> None:
    Commitment.objects.filter(pk="wt-c1").update(sources=[{"title": "Only a title"}])
    meta = _text(usa_client.get("/commitments/wt-c1/", **EN).content.decode())
    assert "· Only a title" in meta and ": Only a title" not in meta
    publisher_only = [{"publisher": "Only a publisher"}, {"title": "T", "publisher": "P"}]
    Commitment.objects.filter(pk="wt-c1").update(sources=publisher_only)
    meta = _text(usa_client.get("/commitments/wt-c1/", **EN).content.decode())
    assert "· Only a publisher · P: T" in meta and "Only a publisher:" not in meta


@pytest.mark.django_db
def test_only_those_who_may_ingest_see_the_ingest_link(workspace_loaded: None) -> None:
    reader = _client("wt-reader", "USA", "wt-doc", "reader")
    desk = _client("wt-desk", "USA", "wt-doc", "desk-officer")
    assert 'href="/documents/upload/"' not in reader.get("/review/").content.decode()
    assert 'href="/documents/upload/"' in desk.get("/review/").content.decode()


@pytest.mark.django_db
def test_the_agency_page_says_its_commitments_are_the_active_ones(usa_client: Client) -> None:
    assert (
        "<h2>Active commitments it owns</h2>"
        in usa_client.get("/agencies/wt-doc/", **EN).content.decode()
    )
    assert "Open commitments" not in usa_client.get("/agencies/wt-doc/", **EN).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "words"),
    [
        (EN, "“Deadline to” is before “Deadline from”"),
        (JA, "「期限（まで）」が「期限（から）」より前のため"),
    ],
)
def test_a_reversed_deadline_range_is_reported_not_obeyed(
    usa_client: Client, headers: dict[str, str], words: str
) -> None:
    query = "/commitments/?dialogue=wt-dlg&deadline_from=2027-01-01&deadline_to=2026-01-01"
    response = usa_client.get(query, **headers)
    assert response.status_code == 200
    assert response.context["form"].errors["deadline_to"]
    assert words in response.content.decode()
    ids = [row.pk for row in response.context["page"].object_list]
    assert ids == ["wt-c2", "wt-c1"]  # neither bound applied
