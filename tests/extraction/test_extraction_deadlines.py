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
