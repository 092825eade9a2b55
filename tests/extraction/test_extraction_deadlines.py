"""Deadlines: the words as written, and their range relative to the document date."""

from __future__ import annotations

import datetime as dt

import pytest

from kizuna.extraction import extract, find_deadline

D = dt.date


@pytest.mark.parametrize(
    ("sentence", "reference", "text", "earliest", "latest"),
    [
        (
            "They will report early next year.",
            D(2021, 11, 17),
            "early next year",
            D(2022, 1, 1),
            D(2022, 4, 30),
        ),
        ("We will finish by the end of 2024.", None, "by the end of 2024", None, D(2024, 12, 31)),
        (
            "A plan will follow later this year.",
            D(2023, 5, 20),
            "later this year",
            D(2023, 5, 20),
            D(2023, 12, 31),
        ),
        (
            "They will act within six months.",
            D(2023, 8, 31),
            "within six months",
            D(2023, 8, 31),
            D(2024, 2, 29),
        ),
        (
            "They will act within 12 months.",
            D(2023, 5, 20),
            "within 12 months",
            D(2023, 5, 20),
            D(2024, 5, 20),
        ),
        (
            "The plan is scheduled to be revised in May 2024.",
            None,
            "in May 2024",
            D(2024, 5, 1),
            D(2024, 5, 31),
        ),
        ("We commit to net-zero emissions by 2050.", None, "by 2050", None, D(2050, 12, 31)),
        ("Officials will meet at the next round.", D(2022, 3, 1), "at the next round", None, None),
        ("Outcomes will come by the next meeting.", None, "by the next meeting", None, None),
        ("They will sign by March 31, 2025.", None, "by March 31, 2025", None, D(2025, 3, 31)),
        (
            "They will meet in the first quarter of 2025.",
            None,
            "in the first quarter of 2025",
            D(2025, 1, 1),
            D(2025, 3, 31),
        ),
        ("They will act within six months.", None, "within six months", None, None),
    ],
)
def test_deadline_normalisation(
    sentence: str,
    reference: dt.date | None,
    text: str,
    earliest: dt.date | None,
    latest: dt.date | None,
) -> None:
    deadline = find_deadline(sentence, reference=reference)
    assert deadline is not None
    assert (deadline.text, deadline.earliest, deadline.latest) == (text, earliest, latest)
    assert deadline.text in sentence


def test_next_meeting_date_links_the_next_round() -> None:
    deadline = find_deadline("They will decide at the next round.", next_meeting=D(2025, 2, 3))
    assert deadline is not None and deadline.earliest == deadline.latest == D(2025, 2, 3)


def test_no_time_phrase_no_deadline() -> None:
    assert find_deadline("Both sides will cooperate closely on batteries.") is None


def test_document_date_comes_from_a_dateline() -> None:
    extraction = extract(
        "Joint Statement\n\nSeptember 12, 2022\n\nBoth sides will convene the group early "
        "next year."
    )
    assert extraction.document.date == D(2022, 9, 12)
    deadline = extraction.commitments[0].deadline
    assert deadline is not None and deadline.earliest == D(2023, 1, 1)


R = D(2024, 5, 2)


@pytest.mark.parametrize(
    ("sentence", "text", "earliest", "latest"),
    [
        ("両国は2024年末までに作業部会を設置していく。", "2024年末までに", None, D(2024, 12, 31)),
        ("令和6年3月31日までに署名する。", "令和6年3月31日までに", None, D(2024, 3, 31)),
        ("２０２５年前半に協議を開始していく。", "２０２５年前半に", D(2025, 1, 1), D(2025, 6, 30)),
        ("2024年9月に会合を開催していく。", "2024年9月に", D(2024, 9, 1), D(2024, 9, 30)),
        ("来年初めに報告書を公表していく。", "来年初めに", D(2025, 1, 1), D(2025, 4, 30)),
        ("年内に第2回会合を開催していく。", "年内に", R, D(2024, 12, 31)),
        ("本年末までに取りまとめる。", "本年末までに", None, D(2024, 12, 31)),
        ("6か月以内に行動計画を策定していく。", "6か月以内に", R, D(2024, 11, 2)),
        ("十二か月以内に結論を出す。", "十二か月以内に", R, D(2025, 5, 2)),
        ("今月末までに回答する。", "今月末までに", None, D(2024, 5, 31)),
        # A fiscal year's calendar depends on the government: its words, no dates.
        ("来年度中に実施する。", "来年度中に", None, None),
    ],
)
def test_japanese_deadlines_keep_their_words_and_share_the_english_ranges(
    sentence: str, text: str, earliest: dt.date | None, latest: dt.date | None
) -> None:
    deadline = find_deadline(sentence, reference=R)
    assert deadline is not None
    assert (deadline.text, deadline.earliest, deadline.latest) == (text, earliest, latest)


def test_a_japanese_next_meeting_takes_the_next_rounds_date() -> None:
    deadline = find_deadline("次回の閣僚会合で進捗を報告していく。", next_meeting=D(2024, 9, 1))
    assert deadline is not None and deadline.text == "次回の閣僚会合"
    assert deadline.earliest == deadline.latest == D(2024, 9, 1)


def test_a_japanese_dateline_or_a_plain_pledge_has_no_deadline() -> None:
    assert find_deadline("令和3年11月17日") is None
    assert find_deadline("両国は協力を深めていく。") is None


def test_a_japanese_commitment_carries_its_deadline() -> None:
    extraction = extract(
        "日米共同声明\n\n両国は2025年末までに作業部会を設置していくことで一致した。"
    )
    deadline = extraction.commitments[0].deadline
    assert deadline is not None and deadline.text == "2025年末までに"
    assert deadline.latest == D(2025, 12, 31)
