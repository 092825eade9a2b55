"""The list's filter choices of named records come in the order of the labels the reader
sees: a Japanese reader's by their Japanese labels (as Python sorts text), an English
reader's as before; "any" first in both. Status, lifecycle and sort keep their own order
(a status ladder, a sort menu) in both languages."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from kizuna.registry.models import Agency, Government, Sector, Topic
from kizuna.web.labels import LIFECYCLES, STATUSES

pytestmark = pytest.mark.django_db

NAMED = ("dialogue", "party", "agency", "topic", "sector")
FIXED = ("status", "lifecycle", "sort")
SELECTS = NAMED + FIXED
SORTS = ["-made", "made", "deadline", "-deadline", "dialogue"]


@pytest.fixture
def more_names(workspace_loaded: None) -> None:
    """Names whose Japanese order is not their ids' (the registry's English order): hiragana
    before katakana before kanji, and a name with no Japanese, shown in English, before all."""
    for model in (Topic, Sector):
        model.objects.create(id="wt-order-1", name="Energy", name_ja="エネルギー")
        model.objects.create(id="wt-order-2", name="Agriculture", name_ja="農業")
        model.objects.create(id="wt-order-3", name="Chemistry", name_ja="かがく")
        model.objects.create(id="wt-order-4", name="Zinc")
    Agency.objects.create(id="wt-order-1", government_id="USA", name="Treasury", name_ja="財務省")
    Agency.objects.create(id="wt-order-2", government_id="USA", name="State", name_ja="国務省")


def _options(page: str) -> dict[str, list[tuple[str, str]]]:
    """Each filter select's (value, label) pairs, in the page's order."""
    found = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        found[name] = [
            (unescape(value), unescape(label))
            for value, label in re.findall(
                r'<option value="([^"]*)"(?: selected)?>(.*?)</option>', body, re.S
            )
        ]
    return found


def _page(client: Client, language: str, query: str = "") -> dict[str, list[tuple[str, str]]]:
    response = client.get("/commitments/" + query, headers={"accept-language": language})
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    options = _options(response.content.decode())
    assert set(SELECTS) <= set(options)
    return options


def test_a_japanese_readers_choices_are_in_the_order_of_their_japanese_labels(
    usa_client: Client, more_names: None
) -> None:
    english = _page(usa_client, "en")
    japanese = _page(usa_client, "ja")
    reordered = []
    for name in NAMED:
        pairs = japanese[name]
        labels = [label for _, label in pairs[1:]]
        assert labels == sorted(labels), name
        # The same choices as in English, only in another order; "any" first.
        assert pairs[0][0] == english[name][0][0] == ""
        assert sorted(v for v, _ in pairs) == sorted(v for v, _ in english[name]), name
        if [v for v, _ in pairs] != [v for v, _ in english[name]]:
            reordered.append(name)
    # Japanese labels sort apart from English ones: the check above is not vacuous.
    assert reordered == list(NAMED)
    for name in FIXED:  # the same order as in English, with the Japanese labels
        assert [v for v, _ in japanese[name]] == [v for v, _ in english[name]], name
    topics = [value for value, _ in japanese["topic"] if value.startswith("wt-order-")]
    assert topics == ["wt-order-4", "wt-order-3", "wt-order-1", "wt-order-2"]
    assert ("wt-order-4", "Zinc") in japanese["sector"]  # no Japanese name: the English one
    assert ("wt-meti", "JPN · テスト経済産業省") in japanese["agency"]
    agencies = [value for value, _ in japanese["agency"] if value.startswith("wt-order-")]
    assert agencies == ["wt-order-2", "wt-order-1"]  # 国 (U+56FD) before 財 (U+8CA1)
    assert japanese["sort"][0] == ("-made", "新しい順")
    assert ("stalled", "停滞") in japanese["status"]


def test_an_english_readers_choices_keep_their_order(usa_client: Client, more_names: None) -> None:
    english = _page(usa_client, "en")

    def values(name: str) -> list[str]:
        return [value for value, _ in english[name]]

    assert values("party") == ["", *Government.objects.values_list("pk", flat=True)]
    assert values("agency") == ["", *Agency.objects.values_list("pk", flat=True)]
    assert values("topic") == ["", *Topic.objects.values_list("pk", flat=True)]
    assert values("sector") == ["", *Sector.objects.values_list("pk", flat=True)]
    assert values("status") == ["", *STATUSES]
    assert values("lifecycle") == ["", *LIFECYCLES]
    assert values("sort") == SORTS
    dialogues = english["dialogue"][1:]
    assert dialogues == sorted(dialogues, key=lambda pair: (pair[1].casefold(), pair[0]))
    assert ("wt-chips", "Test chips") in english["topic"]
    topics = [value for value, _ in english["topic"] if value.startswith("wt-order-")]
    assert topics == ["wt-order-1", "wt-order-2", "wt-order-3", "wt-order-4"]


def test_each_language_keeps_its_own_order_between_pages(
    usa_client: Client, more_names: None
) -> None:
    """The kept choices (filter_choices, docs/adr/0014) are per language: a Japanese page
    between two English ones, and the other way about, finds each in its own order."""
    first_english = _page(usa_client, "en")
    first_japanese = _page(usa_client, "ja", "?sort=made")
    assert first_japanese != first_english
    assert _page(usa_client, "en", "?sort=made") == first_english
    assert _page(usa_client, "ja") == first_japanese
    # A chosen value is marked, not moved.
    chosen = usa_client.get(
        "/commitments/?status=stalled&topic=wt-chips", headers={"accept-language": "ja"}
    ).content.decode()
    assert _options(chosen) == first_japanese
    assert '<option value="stalled" selected>停滞</option>' in chosen
