"""Full-text search (issue 4): the index follows the records, finds English and Japanese,
respects what each actor may see and when, and takes any text as plain text.

Runs on the demo dataset (loaded once per session) plus records each test adds; every test's
writes are rolled back.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.commitments.models import Commitment
from kizuna.commitments.selectors import (
    CommitmentFilters,
    commitments_visible,
    search,
)
from kizuna.commitments.services import commitment_create
from kizuna.dataset.loader import load_dataset
from kizuna.documents.models import Document
from kizuna.registry.models import AgendaItem, Dialogue, Meeting
from kizuna.registry.services import record_update
from kizuna.search.models import SearchEntry
from kizuna.search.normalisation import DASHES, normalise
from kizuna.search.selectors import matching, ranked

pytestmark = pytest.mark.django_db

USA = Actor(name="usa-coordinator", government="USA", agency="white-house", role="coordinator")
JPN = Actor(name="jpn-desk-officer", government="JPN", agency="meti", role="desk-officer")


def _ids(records: Sequence[Model]) -> list[str]:
    return [str(r.pk) for r in records]


def _made_by(actor: Actor, text: str, **extra: Any) -> Commitment:
    """A commitment of the actor's government alone, owned by its agency, in JUCIP."""
    party, agency = actor.government, actor.agency
    return commitment_create(
        actor=actor,
        dialogue_id="jucip",
        text=text,
        made_on="2024-06-26",
        parties=[party],
        owners={party: [agency]},
        **extra,
    )


def _usa_public(text: str) -> Commitment:
    return _made_by(USA, text, marking="public")


def _jpn_internal(text: str) -> Commitment:
    return _made_by(JPN, text, marking="government-internal", commitment_id="search-test-internal")


def test_the_index_holds_one_entry_per_record() -> None:
    for model in (Commitment, Document, Meeting, Dialogue, AgendaItem):
        kind = model._meta.db_table
        assert model.objects.count() > 0
        assert SearchEntry.objects.filter(kind=kind).count() == model.objects.count(), kind


def test_english_words_find_each_kind() -> None:
    results = search(actor=USA, q="semiconductors")
    assert results.commitments and results.meetings
    assert all("semiconductors" in c.text.lower() for c in results.commitments)
    results = search(actor=USA, q="Economic Policy Consultative")
    assert "epcc" in _ids(results.dialogues)
    assert results.documents and all(
        "economic policy consultative" in (d.title + d.text).lower()
        for d in Document.objects.filter(pk__in=_ids(results.documents))
    )


def test_case_does_not_matter() -> None:
    assert _ids(search(actor=USA, q="EPCC").dialogues) == _ids(
        search(actor=USA, q="epcc").dialogues
    )


def test_a_japanese_name_is_found() -> None:
    assert _ids(search(actor=USA, q="日米経済政策協議").dialogues) == ["epcc"]
    assert "jucip" not in _ids(search(actor=USA, q="日米経済政策協議").dialogues)
    meetings = search(actor=USA, q="東京").meetings  # two characters: the LIKE fallback
    assert meetings and all("東京" in m.place_ja for m in meetings)


def test_a_two_character_japanese_query_finds_what_a_longer_one_does() -> None:
    short = set(_ids(search(actor=USA, q="経済").dialogues))
    assert "epcc" in short
    assert set(_ids(search(actor=USA, q="経済政策").dialogues)) <= short


def test_one_character_matches_too() -> None:
    assert search(actor=USA, q="日").dialogues


def test_a_new_record_is_found_an_edited_one_follows_a_deleted_one_is_gone() -> None:
    created = _usa_public("Set up a quokkafriendly semiconductor hub.")
    assert _ids(search(actor=USA, q="quokkafriendly").commitments) == [created.pk]

    record_update(
        actor=USA,
        model=Commitment,
        record_id=created.pk,
        version=created.version,
        changes={"text": "Set up a wombatwise semiconductor hub."},
    )
    assert search(actor=USA, q="quokkafriendly").commitments == []
    assert _ids(search(actor=USA, q="wombatwise").commitments) == [created.pk]

    Commitment.objects.filter(pk=created.pk).delete()
    assert search(actor=USA, q="wombatwise").commitments == []
    assert not SearchEntry.objects.filter(record_id=created.pk).exists()


def test_bulk_created_records_are_indexed_too() -> None:
    jucip = Dialogue.objects.get(pk="jucip")
    Dialogue.objects.bulk_create(
        [
            Dialogue(
                id="search-test-bulk",
                name="Platypus dialogue",
                name_ja="カモノハシ対話",
                acronym="PLTD",
                kind=jucip.kind,
                launched="2020-01-01",
                launched_first=dt.date(2020, 1, 1),
                marking="public",
                owner_government_id="USA",
            )
        ]
    )
    assert _ids(search(actor=USA, q="カモノハシ").dialogues) == ["search-test-bulk"]
    assert _ids(search(actor=USA, q="pltd").dialogues) == ["search-test-bulk"]


def test_another_governments_internal_record_is_never_returned() -> None:
    _jpn_internal("Brief the minister on the aardvarkian steel safeguard.")
    assert search(actor=USA, q="aardvarkian").commitments == []
    assert "search-test-internal" not in _ids(search(actor=USA, q="aa").commitments)
    assert not commitments_visible(actor=USA, filters=CommitmentFilters(q="aardvarkian")).exists()
    assert _ids(search(actor=JPN, q="aardvarkian").commitments) == ["search-test-internal"]


def test_as_of_hides_what_came_later() -> None:
    assert search(actor=USA, q="日米経済政策協議", as_of=dt.date(2022, 1, 20)).dialogues == []
    assert _ids(search(actor=USA, q="日米経済政策協議", as_of=dt.date(2022, 1, 21)).dialogues) == [
        "epcc"
    ]
    later = search(actor=USA, q="semiconductors")
    earlier = search(actor=USA, q="semiconductors", as_of=dt.date(2022, 1, 1))
    assert len(earlier.commitments) < len(later.commitments)
    assert all(c.made_on_first <= dt.date(2022, 1, 1) for c in earlier.commitments)


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"semiconductors',
        "semi*",
        "*",
        "%",
        "_",
        "100%",
        "a_b",
        "chips AND steel",
        "NEAR(chips steel)",
        "chips OR",
        "NOT",
        "body:chips",
        "^chips",
        "(",
        "'; DROP TABLE search_entry; --",
        "\\",
        "a\x00b",
        "\u3000経済\u3000",
    ],
)
def test_any_text_is_plain_text_never_an_error(q: str) -> None:
    results = search(actor=USA, q=q)
    assert isinstance(results.commitments, list)
    assert list(commitments_visible(actor=USA, filters=CommitmentFilters(q=q))[:5]) is not None
    assert SearchEntry.objects.exists()


def test_wildcards_and_operators_match_only_themselves() -> None:
    created = _usa_public('Raise the 50%_share "quota" AND NEAR( the cap* by 2030.')
    for q in ["50%_share", '"quota" AND NEAR(', "cap*", "%_", '"q']:
        assert _ids(search(actor=USA, q=q).commitments) == [created.pk], q
    assert search(actor=USA, q="50%xshare").commitments == []
    assert search(actor=USA, q="cap* x").commitments == []


def test_ranking_is_stable_and_puts_the_closer_match_first() -> None:
    first = search(actor=USA, q="critical minerals").commitments
    assert first and _ids(first) == _ids(search(actor=USA, q="critical minerals").commitments)
    visible = commitments_visible(actor=USA)
    assert len(ranked(visible, "critical minerals", limit=3)) == min(3, len(first))


def test_a_better_ranked_hidden_match_takes_no_visible_ones_place() -> None:
    """The limit counts what the actor may see: a hidden match is passed over, not counted."""
    _jpn_internal("Quokkaline.")  # the shortest text holding the word: the best match
    shown = _usa_public("Survey the quokkaline wetlands along the northern coast by 2030.")
    assert _ids(ranked(commitments_visible(actor=USA), "quokkaline", limit=1)) == [shown.pk]
    assert _ids(ranked(commitments_visible(actor=JPN), "quokkaline", limit=2)) == [
        "search-test-internal",
        shown.pk,
    ]


def test_the_search_page_reads_each_kind_of_record_once() -> None:
    """The page shows names and dates: no row reads a left-out field or a related record later."""
    client = Client()
    client.force_login(
        User.objects.create(
            username="search-reads", government="USA", agency="commerce", role="desk-officer"
        )
    )
    q = "economic"
    results = search(actor=USA, q=q)
    kinds = {
        Commitment: results.commitments,
        Document: results.documents,
        Meeting: results.meetings,
        Dialogue: results.dialogues,
        AgendaItem: results.agenda_items,
    }
    assert all(kinds.values())
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/search/", {"q": q}).status_code == 200
    for model in kinds:
        table = model._meta.db_table
        # Rows read; not the check of which linked rounds the reader may see (ids alone).
        reads = [
            s
            for s in (query["sql"] for query in queries)
            if s.startswith(f'SELECT "{table}".')
            and not s.startswith(f'SELECT "{table}"."id" AS "pk" FROM')
        ]
        assert len(reads) == 1, (table, reads)


def test_the_list_filter_uses_the_same_matching() -> None:
    visible = commitments_visible(actor=USA)
    listed = commitments_visible(actor=USA, filters=CommitmentFilters(q="semiconductors"))
    assert set(_ids(list(listed))) == set(_ids(list(matching(visible, "semiconductors"))))
    assert listed.count() > 0
    assert all("semiconductors" in c.text.lower() for c in listed)


def test_the_search_page_and_the_list_answer_a_japanese_query() -> None:
    client = Client()
    client.force_login(
        User.objects.create(
            username="search-test", government="USA", agency="commerce", role="desk-officer"
        )
    )
    html = client.get("/search/?q=日米経済政策協議").content.decode()
    assert "/dialogues/epcc/" in html
    response = client.get("/commitments/?q=%25%22*")
    assert response.status_code == 200


def test_the_database_uses_its_trigram_index() -> None:
    """SQLite answers a three-character query from FTS5, PostgreSQL from the GIN index."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH '\"経済政\"'")
            assert cursor.fetchone()[0] >= 1
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_body_trgm'"
            )
            assert "gin_trgm_ops" in cursor.fetchone()[0]


def test_the_api_q_filter_uses_the_index() -> None:
    created = _usa_public("Map the narwhalish rare-earth deposits.")
    _jpn_internal("Brief the minister on the narwhalish deposits.")
    client = Client()
    client.force_login(
        User.objects.create(
            username="search-api", government="USA", agency="commerce", role="desk-officer"
        )
    )
    response = client.get("/api/v1/commitments", {"q": "narwhalish"})
    assert response.status_code == 200, response.content
    assert [item["id"] for item in response.json()["items"]] == [created.pk]
    assert client.get("/api/v1/commitments", {"q": 'NEAR("%_*'}).status_code == 200


def test_a_round_is_found_by_what_was_on_its_agenda_in_either_language() -> None:
    for q in ("半導体", "semiconductors and strategic materials"):
        items = search(actor=USA, q=q).agenda_items
        assert "epcc-2022-07-29-a3" in _ids(items), q
    item = next(
        a for a in search(actor=JPN, q="半導体").agenda_items if a.pk == "epcc-2022-07-29-a3"
    )
    assert item.meeting is not None and item.meeting.pk == "epcc-2022-07-29"
    # Before the round was held, its agenda is not found.
    earlier = search(actor=USA, q="半導体", as_of=dt.date(2022, 7, 28)).agenda_items
    assert "epcc-2022-07-29-a3" not in _ids(earlier)


def test_a_hidden_agenda_item_or_one_of_a_hidden_round_is_never_found(tmp_path: Path) -> None:
    internal = {"marking": "government-internal", "owner": {"government": "JPN", "agency": "meti"}}
    source = [{"title": "Search test", "publisher": "Kizuna tests", "date": "2024-01-01"}]
    data = {
        "meetings": [
            {
                "id": "t-search-hidden-round",
                "dialogue": "jucip",
                "date": "2024-03-01",
                "level": "working",
                "title": "T internal preparatory call",
                "sources": source,
                **internal,
            }
        ],
        "agenda_items": [
            {
                "id": "t-search-hidden-item",
                "dialogue": "jucip",
                "title": "Zanzibarian tariff line, our fallback",
                "sources": source,
                **internal,
            },
            {
                "id": "t-search-item-of-hidden-round",
                "dialogue": "jucip",
                "meeting": "t-search-hidden-round",
                "title": "Zanzibarian quota talks",
                "marking": "public",
                "owner": {"government": "JPN", "agency": "meti"},
                "sources": source,
            },
        ],
    }
    path = tmp_path / "t-search.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    load_dataset([path], actor=Actor.operator())
    assert search(actor=USA, q="Zanzibarian").agenda_items == []
    assert sorted(_ids(search(actor=JPN, q="Zanzibarian").agenda_items)) == [
        "t-search-hidden-item",
        "t-search-item-of-hidden-round",
    ]


# Normalisation: the index and the query are folded alike (kizuna.search.normalisation).


def _found(q: str) -> dict[str, list[str]]:
    results = search(actor=USA, q=q)
    return {
        "commitments": _ids(results.commitments),
        "documents": _ids(results.documents),
        "meetings": _ids(results.meetings),
        "dialogues": _ids(results.dialogues),
        "agenda_items": _ids(results.agenda_items),
    }


@pytest.mark.parametrize(("typed", "plain"), [("ｊｕｃｉｐ", "jucip"), ("ＥＰＣＣ", "EPCC")])
def test_full_width_letters_find_what_plain_ones_do(typed: str, plain: str) -> None:
    """As a Japanese input method types them."""
    assert _found(typed) == _found(plain)
    assert _found(typed)["dialogues"] == [plain.lower()]


def test_the_search_page_shows_the_query_as_typed() -> None:
    """Only the lookup is folded: the reader's box still holds what they typed."""
    client = Client()
    client.force_login(
        User.objects.create(
            username="search-typed", government="USA", agency="commerce", role="desk-officer"
        )
    )
    html = client.get("/search/", {"q": "ＥＰＣＣ"}).content.decode()
    assert 'value="ＥＰＣＣ"' in html
    assert "/dialogues/epcc/" in html


def test_any_dash_finds_a_name_written_with_an_en_dash() -> None:
    en_dash = _found("U.S.–Japan")
    assert len(en_dash["dialogues"]) >= 2
    for dash in "-\u2010\u2014\u2212\uff0d":
        assert _found(f"U.S.{dash}Japan") == en_dash, dash


def test_an_en_dash_finds_text_written_with_a_hyphen() -> None:
    created = _usa_public("Hold the Quokka-Japan supply review every spring.")
    for q in ("Quokka-Japan", "Quokka–Japan", "ｑｕｏｋｋａ－ｊａｐａｎ"):
        assert _ids(search(actor=USA, q=q).commitments) == [created.pk], q
    visible = commitments_visible(actor=USA)
    assert _ids(list(matching(visible, "Quokka—Japan"))) == [created.pk]


def test_a_record_written_full_width_is_found_by_plain_text_once_indexed() -> None:
    created = _usa_public("Launch the ＷＯＭＢＡＴ－２ minerals desk.")
    record_update(
        actor=USA,
        model=Commitment,
        record_id=created.pk,
        version=created.version,
        changes={"text": "Launch the ＮＵＭＢＡＴ－２ minerals desk."},
    )
    assert search(actor=USA, q="wombat-2").commitments == []
    assert _ids(search(actor=USA, q="numbat-2").commitments) == [created.pk]
    assert _ids(search(actor=USA, q="NUMBAT–2").commitments) == [created.pk]


def test_a_katakana_word_keeps_its_prolonged_sound_mark() -> None:
    """ー is a letter of the word, not a dash: サプライチェーン is not サプライチェ-ン."""
    found = _found("サプライチェーン")
    assert found["dialogues"] and found["agenda_items"]
    assert _found("ｻﾌﾟﾗｲﾁｪｰﾝ") == found  # half-width katakana, as older texts hold it
    assert not any(_found("サプライチェ-ン").values())
    dialogues = search(actor=USA, q="クリーンエネルギー").dialogues
    assert "jucep" in _ids(dialogues)
    assert all("クリーンエネルギー" in d.name_ja for d in dialogues)


def test_the_database_folds_as_the_query_is_folded() -> None:
    """The index's `search_normalise` (Python on SQLite, SQL on PostgreSQL) and the query's
    fold agree, dashes, full-width and half-width forms and the prolonged sound mark alike."""
    text = "ＥＰＣＣ ｻﾌﾟﾗｲﾁｪｰﾝ ｼﾞｪﾄﾛ サプライチェーン ①㍻ 1〜3 " + DASHES
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_normalise(%s)", [text])
        assert cursor.fetchone()[0] == normalise(text)
    assert normalise(text).endswith("1〜3 " + "-" * len(DASHES))
    assert normalise("ｰー") == "ーー"


def test_the_migration_folds_entries_written_before_it() -> None:
    """0004 folds the text 0002 and 0003 indexed as stored, in place."""
    migration = importlib.import_module("kizuna.search.migrations.0004_normalised_text")
    created = _usa_public("Open the Dingo–Japan desk.")
    entries = SearchEntry.objects.filter(kind="commitments_commitment", record_id=created.pk)
    entries.update(body="Open the Ｄｉｎｇｏ–Japan desk.")  # as the old triggers wrote it
    with connection.cursor() as cursor:
        cursor.execute(migration.REFOLD)
    assert entries.get().body == "Open the Dingo-Japan desk."
    assert _ids(search(actor=USA, q="Dingo–Japan").commitments) == [created.pk]
