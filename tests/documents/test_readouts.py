"""Two readouts of the same meeting side by side: which commitments appear in only one.

Uses the development set's pairs (../shared/data/extraction-dev, or KIZUNA_SHARED_DATA);
skipped where the shared data is absent. Also a small pair made here, so the matching itself
is always tested.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.documents.models import Document
from kizuna.documents.selectors import readouts_compare
from kizuna.documents.services import (
    candidate_accept,
    candidate_merge,
    document_ingest,
    read_path,
    read_upload,
)

from .helpers import shared_data

pytestmark = pytest.mark.django_db

PAIRS = [
    (
        "t-ttc-2023-05-31",
        "2023-05-31-ttc-lulea-joint-statement.txt",  # White House
        "2023-05-31-ttc-lulea-fact-sheet.txt",  # USTR
    ),
    (
        "t-ttc-2024-04-05",
        "2024-04-05-ttc-leuven-joint-statement.txt",  # White House
        "2024-04-05-ttc-leuven-eu-outcomes.txt",  # European Commission
    ),
    (
        "t-hled-2024-05-02",
        "2024-05-02-japan-eu-high-level-economic-dialogue-5th-meti.txt",
        "2024-05-02-japan-eu-high-level-economic-dialogue-5th-mofa.txt",
    ),
]


def dev_set() -> Path:
    data = shared_data()
    folder = data / "extraction-dev" if data else None
    if folder is None or not folder.is_dir():
        pytest.skip("the shared extraction-dev set is not here")
    return folder


def ingest_file(path: Path, **options: str) -> Document:
    result = document_ingest(
        actor=Actor.operator(), reading=read_path(path), file_name=path.name, **options
    )
    assert result.document is not None
    return result.document


@pytest.mark.parametrize(("meeting", "left", "right"), PAIRS)
def test_the_dev_sets_readout_pairs_side_by_side(
    registry_loaded: None, usa_desk: object, meeting: str, left: str, right: str
) -> None:
    folder = dev_set()
    a = ingest_file(folder / left, meeting_id=meeting)
    b = ingest_file(folder / right, meeting_id=meeting)
    comparison = readouts_compare(actor=Actor.operator(), left_id=a.pk, right_id=b.pk)
    assert comparison is not None
    left_total = len(comparison.both) + len(comparison.only_left)
    right_total = len(comparison.both) + len(comparison.only_right)
    assert left_total == a.candidates.count() and right_total == b.candidates.count()
    assert left_total + right_total > 0, "the extractor found nothing in either readout"
    # The texts differ (one is a joint statement, the other a fact sheet or a ministry's
    # summary): some commitment appears in only one of them.
    assert comparison.only_left or comparison.only_right

    client = Client()
    client.force_login(usa_desk)  # type: ignore[arg-type]
    page = client.get(f"/meetings/{meeting}/readouts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Only in" in html and a.title in html and b.title in html
    for item in comparison.only_left + comparison.only_right:
        assert item.text[:40].replace("'", "&#x27;") in html or item.text[:20] in html


def test_the_dev_set_readouts_are_linked_to_their_meeting_without_being_told(
    registry_loaded: None,
) -> None:
    folder = dev_set()
    document = ingest_file(folder / "2024-04-05-ttc-leuven-joint-statement.txt")
    assert document.link_suggested
    assert document.meeting_id == "t-ttc-2024-04-05"


STATEMENT_A = """Readout A of the Test Economic Dialogue

June 26, 2024

The two sides will establish a joint task force on semiconductor supply chain resilience by the end of 2024.
Japan intends to launch a critical minerals investment fund within six months.
"""
STATEMENT_B = """Fact sheet B on the Test Economic Dialogue

June 26, 2024

The United States and Japan will establish a joint semiconductor supply chain resilience task force by the end of 2024.
The United States will host a clean energy technology workshop in 2025.
"""


def test_matching_readouts_pairs_the_same_commitment_and_lists_the_rest(
    usa_actor: Actor,
) -> None:
    documents = []
    for name, text in (("a.txt", STATEMENT_A), ("b.txt", STATEMENT_B)):
        result = document_ingest(
            actor=usa_actor,
            reading=read_upload(text.encode(), file_name=name),
            file_name=name,
            meeting_id="t-ted-2024-06-26",
        )
        assert result.document is not None
        documents.append(result.document)
    a, b = documents
    comparison = readouts_compare(actor=usa_actor, left_id=a.pk, right_id=b.pk)
    assert comparison is not None
    assert [(x.text[:20], y.text[:20]) for x, y, _ in comparison.both] == [
        ("The two sides will e", "The United States an")
    ]
    assert [i.text[:10] for i in comparison.only_left] == ["Japan inte"]
    assert [i.text[:10] for i in comparison.only_right] == ["The United"]


def test_review_decisions_decide_the_match(usa_actor: Actor) -> None:
    """Once reviewed into the same commitment, two passages match whatever their wording."""
    texts = (
        "Readout\n\nJune 26, 2024\n\nThe sides will set up a chips working group by 2025.\n",
        "Fact sheet\n\nJune 26, 2024\n\nOfficials intend to convene experts on semiconductors in 2025.\n",
    )
    documents = []
    for number, text in enumerate(texts):
        result = document_ingest(
            actor=usa_actor,
            reading=read_upload(text.encode(), file_name=f"{number}.txt"),
            file_name=f"{number}.txt",
            meeting_id="t-ted-2024-06-26",
        )
        assert result.document is not None
        documents.append(result.document)
    first = documents[0].candidates.get()
    second = documents[1].candidates.get()
    before = readouts_compare(actor=usa_actor, left_id=documents[0].pk, right_id=documents[1].pk)
    assert before is not None and before.both == []
    commitment = candidate_accept(actor=usa_actor, candidate_id=first.pk, parties=["USA", "JPN"])
    candidate_merge(actor=usa_actor, candidate_id=second.pk, commitment_id=commitment.pk)
    after = readouts_compare(actor=usa_actor, left_id=documents[0].pk, right_id=documents[1].pk)
    assert after is not None and len(after.both) == 1 and after.both[0][2] == 1.0
