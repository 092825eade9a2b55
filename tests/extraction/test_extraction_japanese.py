"""Japanese statements: segmentation on 。 and numbered items, labels from the MOFA/METI cues.

Every sentence here was written for these tests (none comes from the labelled sets).
"""

from __future__ import annotations

import pytest

from kizuna.extraction import extract
from kizuna.extraction.labelling import UnitContext, label_unit

JA = UnitContext(language="ja")

STATEMENT = """日米経済協力に関する共同声明
令和6年3月5日
1. 両国は、半導体の供給網を強化するため、新たな作業部会を設置する。
2. 日本と米国は、重要鉱物の調達先の多様化に向けた協力を進めていく。
3. 両大臣は、共同行動計画を策定することで一致した。
4. 双方は、脱炭素化に向けた投資の拡大を目指す。
5. 両大臣は、輸出管理に関する協力の重要性を確認した。
6. 米国は、日本による新たな投資を歓迎する。
7. 両国は、デジタル貿易のルールについて意見交換を行った。
8. 経済産業省は、本日、共同声明を発表した。
"""


def test_a_japanese_statement_is_read_unit_by_unit() -> None:
    extraction = extract(STATEMENT)
    assert extraction.document.language == "ja"
    assert extraction.document.date is not None
    assert extraction.document.date.isoformat() == "2024-03-05"
    assert [p.label for p in extraction.passages] == [
        "other",  # title
        "other",  # dateline
        "commitment",
        "commitment",
        "commitment",
        "aspiration",
        "endorsement",
        "endorsement",
        "discussion",
        "action_taken",
    ]
    first = extraction.commitments[0]
    assert first.text == "両国は、半導体の供給網を強化するため、新たな作業部会を設置する。"
    assert STATEMENT[first.start : first.end] == first.text
    assert "semiconductors" in first.sectors
    assert set(extraction.commitments[1].actors) == {"JPN", "USA"}
    assert "critical-minerals" in extraction.commitments[1].sectors


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        # Plain and polite non-past endings with the parties as topic: a pledge.
        ("両国は、水素の国際基準づくりで協力します。", "commitment"),
        ("日本政府は、蓄電池の研究開発に新たな資金を拠出する。", "commitment"),
        ("双方は、サイバー攻撃への対処で連携を深める。", "commitment"),
        ("両首脳は、来年の会合を東京で開催することを確認した。", "commitment"),
        ("両国は、協議を継続していく。", "commitment"),
        ("双方は、人材交流を拡大することで一致した。", "commitment"),
        # Confirming the importance of something, or that something was done: a stance.
        ("両大臣は、法の支配の重要性を再確認した。", "endorsement"),
        ("両大臣は、前回合意した措置が実施されたことを確認した。", "endorsement"),
        ("米国側は、日本の取組を高く評価する旨述べた。", "endorsement"),
        ("日本は、米国の新たな投資を歓迎し、協力の深化を期待する。", "aspiration"),
        # Aims, reports, discussions.
        ("両国は、2030年までの排出削減を目指す。", "aspiration"),
        ("両国は、昨年、新たな協力枠組みを立ち上げた。", "action_taken"),
        ("両者は、半導体の輸出管理について意見交換した。", "discussion"),
        # Descriptions and restraint are no pledge.
        ("本協定は、重要鉱物の貿易の促進を目的とする。", "other"),
        ("本枠組みには、三つの省庁が参加します。", "other"),
        ("両国は、相手国の産品に輸出税を課さないことで一致した。", "other"),
    ],
)
def test_japanese_sentences(sentence: str, label: str) -> None:
    assert label_unit(sentence, JA).label == label


def test_a_pledge_wins_over_a_stance_in_the_same_sentence() -> None:
    decision = label_unit("両国は、作業部会の設置を歓迎し、協力を強化していくことで一致した。", JA)
    assert decision.label == "commitment"
    assert decision.cue in {"ていく", "していく", "ていくこと", "ことで一致"}


def test_a_japanese_heading_is_other() -> None:
    assert label_unit("共同声明", UnitContext(language="ja", is_heading=True)).label == "other"
