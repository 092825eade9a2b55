"""Units: sentences, items without markers, headings, Japanese; offsets round-trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kizuna.extraction import read_document, segment


def texts(text: str) -> list[str]:
    units = segment(text)
    for unit in units:
        assert text[unit.start : unit.end] == unit.text
    return [unit.text for unit in units]


def test_sentences_split_but_not_after_abbreviations_or_initials() -> None:
    text = (
        "U.S. Trade Representative Katherine Tai met Mr. Saito in Washington, D.C. on Monday. "
        "President Joseph R. Biden spoke at 1:43p.m. (local time). They agreed."
    )
    assert texts(text) == [
        "U.S. Trade Representative Katherine Tai met Mr. Saito in Washington, D.C. on Monday.",
        "President Joseph R. Biden spoke at 1:43p.m. (local time).",
        "They agreed.",
    ]


def test_bullets_are_units_without_their_markers() -> None:
    text = (
        "The ministers agreed on:\n\n1. Support to Ukraine\n\n"
        "  • Further cooperate on export controls\n  - Identify measures\n"
        "  • (a) At the outset, the ministers met. They spoke.\n"
    )
    assert texts(text) == [
        "The ministers agreed on:",
        "1. Support to Ukraine",
        "Further cooperate on export controls",
        "Identify measures",
        "At the outset, the ministers met.",
        "They spoke.",
    ]


def test_wrapped_lines_are_joined_and_inline_list_numbers_do_not_split() -> None:
    text = (
        "This Joint Statement was issued after the first meeting of the Council\n"
        "on 30 June 2023.\n\nThe work continued under the pillars of: 1. Building Back "
        "Together; 2. Investing in Our People."
    )
    assert texts(text) == [
        "This Joint Statement was issued after the first meeting of the Council\non 30 June 2023.",
        "The work continued under the pillars of: 1. Building Back Together; "
        "2. Investing in Our People.",
    ]


def test_headings_are_flagged_and_truncated_sentences_are_not() -> None:
    units = segment(
        "G7 Trade Ministers' Statement\n\nOsaka-Sakai, October 29, 2023\n\n"
        "We are grateful for the insights of Ministers and representatives of invit"
    )
    assert [unit.is_heading for unit in units] == [True, True, False]


def test_japanese_splits_on_full_stop_and_items() -> None:
    text = "日米通商協力枠組みの立ち上げ\n令和3年11月17日\n本枠組みを立ち上げた。概要は以下のとおり。\n- 議論を行っていきます。"
    assert texts(text) == [
        "日米通商協力枠組みの立ち上げ",
        "令和3年11月17日",
        "本枠組みを立ち上げた。",
        "概要は以下のとおり。",
        "議論を行っていきます。",
    ]


def test_a_japanese_sentence_wrapped_by_the_page_is_one_unit() -> None:
    """A PDF's text layer breaks Japanese lines mid-sentence; with no lower case to tell a
    wrapped line by, a long line left open continues. A heading and a dateline, short, do
    not run into the text after them."""
    text = (
        "日米半導体協力の強化について\n令和6年6月26日\n"
        "日本国政府及び米国政府は、2027年末までに次世代半導体の供給網に関する\n"
        "作業部会を立ち上げる。両政府は協力を続ける。\n"
    )
    assert texts(text) == [
        "日米半導体協力の強化について",
        "令和6年6月26日",
        "日本国政府及び米国政府は、2027年末までに次世代半導体の供給網に関する\n作業部会を立ち上げる。",
        "両政府は協力を続ける。",
    ]


@pytest.mark.parametrize("labelled_set", ["extraction-dev", "us-japan-texts"], indirect=True)
def test_units_match_the_labelled_sets_segmentation(labelled_set: Path) -> None:
    labels = json.loads((labelled_set / "labels.json").read_text(encoding="utf-8"))
    matched = total = 0
    for name, entry in labels.items():
        body = read_document(labelled_set / name).text
        spans = {(u.start, u.end) for u in segment(body)}
        cursor = 0
        for gold in entry["units"]:
            start = body.index(gold["text"], cursor)
            cursor = start + len(gold["text"])
            total += 1
            matched += (start, cursor) in spans
    assert matched / total >= 0.97
