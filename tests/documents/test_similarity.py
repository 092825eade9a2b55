"""The near-duplicate score and the links it stores (commitments/similarity.py)."""

from __future__ import annotations

import pytest

from kizuna.commitments.models import Commitment, CommitmentLink
from kizuna.commitments.similarity import (
    LINK_THRESHOLD,
    link_all_near_duplicates,
    link_near_duplicates,
    most_similar,
    similarity,
)

# Restatements across rounds, as the U.S.–Japan record has them.
SAME = [
    (
        "Protect critical technologies, including through export controls.",
        "Protect and promote critical technologies, including through export controls.",
    ),
    (
        "Cooperate on legacy (current-generation and mature-node) semiconductors.",
        'Cooperate on current-generation and mature-node ("legacy") semiconductors.',
    ),
    (
        "Keep working together on non-market policies and practices and on economic coercion.",
        "Work against economic coercion and non-market practices.",
    ),
]
DIFFERENT = [
    (
        "Set up an IPEF Supply Chain Crisis Response Network.",
        "Set up an IPEF Labor Rights Advisory Board.",
    ),
    (
        "Do not impose export duties on critical minerals.",
        "Hold the next round of the dialogue in Tokyo.",
    ),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_restatements_of_one_pledge_score_above_the_threshold(a: str, b: str) -> None:
    assert similarity(a, b) >= LINK_THRESHOLD
    assert similarity(a, b) == similarity(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_pledges_score_below_the_threshold(a: str, b: str) -> None:
    assert similarity(a, b) < LINK_THRESHOLD


def test_identical_texts_score_one_and_empty_texts_zero() -> None:
    assert similarity("Build a chip plant.", "build a chip plant") == 1.0
    assert similarity("", "Build a chip plant.") == 0.0


def test_most_similar_ranks_best_first_and_drops_the_rest() -> None:
    others = [("x", DIFFERENT[1][1]), ("a", SAME[0][1]), ("b", SAME[0][0])]
    assert [hit for hit, _ in most_similar(SAME[0][0], others)] == ["b", "a"]


@pytest.mark.django_db
def test_links_are_stored_once_per_pair_and_refreshed(registry_loaded: None) -> None:
    existing = Commitment.objects.get(pk="t-c-existing")
    twin = Commitment.objects.create(
        id="t-c-twin",
        text="The two sides will set up a joint task force on semiconductor supply chain resilience.",
        dialogue_id="t-ted",
        made_on="2024-01-01",
        owner_government_id="USA",
    )
    assert [
        (link.commitment_a_id, link.commitment_b_id) for link in link_near_duplicates(twin)
    ] == [("t-c-existing", "t-c-twin")]
    link_near_duplicates(existing)
    link_near_duplicates(twin)
    pair = CommitmentLink.objects.filter(commitment_a_id="t-c-existing", commitment_b_id="t-c-twin")
    assert pair.count() == 1
    assert link_all_near_duplicates() >= 1 and pair.count() == 1
