"""The near-duplicate score and the links it stores (commitments/similarity.py)."""

from __future__ import annotations

import random

import pytest

from kizuna.commitments.models import Commitment, CommitmentLink
from kizuna.commitments.similarity import (
    LINK_THRESHOLD,
    link_all_near_duplicates,
    link_near_duplicates,
    most_similar,
    near_duplicate_pairs,
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


# --- finding the pairs without comparing every pair ------------------------------------------


def pairwise(rows: list[tuple[str, str]]) -> list[tuple[str, str, float]]:
    """The reference: every pair scored, as `link_all_near_duplicates` did before the index."""
    return [
        (a_id, b_id, score)
        for index, (a_id, a_text) in enumerate(rows)
        for b_id, b_text in rows[index + 1 :]
        if (score := similarity(a_text, b_text)) >= LINK_THRESHOLD
    ]


def inflected_texts(count: int, seed: int) -> list[tuple[str, str]]:
    """Short texts over few stems and endings: many pairs alike only through their shingles
    ("strengthen" / "strengthens"), a few with 3-letter words that make no shingle."""
    rng = random.Random(seed)
    stems = ["strengthen", "chip", "supply", "mineral", "export", "control", "fta", "port"]
    stems += ["grid", "rail", "data", "energy", "sanction", "quantum", "reactor", "cable"]
    endings = ["", "s", "ing", "ed", "en"]
    texts = [
        " ".join(rng.choice(stems) + rng.choice(endings) for _ in range(rng.randint(1, 7)))
        for _ in range(count)
    ]
    return [(f"c{index:04d}", text) for index, text in enumerate(texts)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_near_duplicate_pairs_are_exactly_the_pairwise_ones(seed: int) -> None:
    rows = inflected_texts(300, seed)
    expected = pairwise(rows)
    assert len(expected) > 50  # the case is not empty
    assert list(near_duplicate_pairs(rows)) == expected


def test_most_similar_finds_what_scoring_every_text_finds() -> None:
    others = inflected_texts(300, 4)
    for query_id, query in inflected_texts(40, 5):
        expected = sorted(
            (
                (other_id, score)
                for other_id, text in others
                if (score := similarity(query, text)) >= LINK_THRESHOLD
            ),
            key=lambda hit: (-hit[1], hit[0]),
        )
        assert most_similar(query, others, limit=len(others)) == expected, query_id


def test_a_threshold_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="threshold"):
        most_similar("Build a chip plant.", [("a", "Build a chip plant.")], threshold=0)
    with pytest.raises(ValueError, match="threshold"):
        list(near_duplicate_pairs([], threshold=1.5))


@pytest.mark.django_db
def test_the_demo_links_are_those_of_the_pairwise_comparison() -> None:
    rows = list(Commitment.objects.order_by("id").values_list("id", "text"))
    expected = pairwise(rows)
    assert len(expected) == 7  # the demo's near-duplicates, as the pairwise comparison found
    assert link_all_near_duplicates() == len(expected)
    stored = CommitmentLink.objects.values_list("commitment_a_id", "commitment_b_id", "score")
    assert sorted(stored) == expected
