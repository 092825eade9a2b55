"""Near-duplicate commitments: one scoring function, stored as links when a commitment is written.

Two readouts of the same meeting, or two rounds of a dialogue, restate the same pledge in
other words. The score is lexical on purpose (no model weights, fast, explainable): the mean
of the Jaccard similarity of the two texts' content-word sets and of their character
4-shingle sets. Word sets catch reordered sentences; shingles catch inflections ("strengthen"
/ "strengthening") that exact words miss. Desk officers confirm every suggestion, so the
threshold leans towards showing a pair rather than hiding it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction

from kizuna.commitments.models import Commitment, CommitmentLink

METHOD = "jaccard-words+shingles-v1"
# Pairs at or above this score are stored as links and suggested at review time.
LINK_THRESHOLD = 0.4
_SHINGLE = 4

# Words every statement uses: they say nothing about which pledge a sentence is.
_STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "each",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "more",
        "most",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "shall",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "sides",
        "side",
        "two",
        "both",
        "parties",
        "party",
        "countries",
        "country",
        "government",
        "governments",
        "minister",
        "ministers",
        "leaders",
        "states",
        "united",
        "japan",
        "european",
        "union",
        "eu",
        "u.s",
        "us",
        "usa",
        "intend",
        "intends",
        "committed",
        "commit",
        "commits",
        "commitment",
        "agreed",
        "agree",
        "decided",
        "continue",
        "continued",
        "work",
        "working",
        "together",
    ]
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Fingerprint:
    words: frozenset[str]
    shingles: frozenset[str]


@lru_cache(maxsize=4096)
def fingerprint(text: str) -> Fingerprint:
    """The word and shingle sets of a text (cached: a dialogue's commitments are compared often)."""
    lowered = text.casefold()
    words = frozenset(w for w in _WORD.findall(lowered) if len(w) > 2 and w not in _STOPWORDS)
    squeezed = " ".join(sorted(words))
    shingles = frozenset(
        squeezed[i : i + _SHINGLE] for i in range(max(0, len(squeezed) - _SHINGLE + 1))
    )
    return Fingerprint(words=words, shingles=shingles)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similarity(text_a: str, text_b: str) -> float:
    """How alike two commitment texts read, in [0, 1]; 1 for the same content words."""
    a, b = fingerprint(text_a), fingerprint(text_b)
    return round((_jaccard(a.words, b.words) + _jaccard(a.shingles, b.shingles)) / 2, 4)


def most_similar(
    text: str,
    others: Iterable[tuple[str, str]],
    *,
    threshold: float = LINK_THRESHOLD,
    limit: int = 5,
) -> list[tuple[str, float]]:
    """The ids among `others` ((id, text) pairs) whose text scores at least `threshold`, best first."""
    scored = [(other_id, similarity(text, other_text)) for other_id, other_text in others]
    hits = [(other_id, score) for other_id, score in scored if score >= threshold]
    hits.sort(key=lambda hit: (-hit[1], hit[0]))
    return hits[:limit]


def link_near_duplicates(
    commitment: Commitment, *, threshold: float = LINK_THRESHOLD
) -> list[CommitmentLink]:
    """Store links between `commitment` and the existing commitments that read like it.

    Call it whenever a commitment is created or its text changes (candidate review does;
    `commitment_create` may). Links are system facts, not user content, so every commitment is
    compared, whoever may see it; readers see a link only when they may see both ends.
    Returns the links written (CommitmentLink objects). Idempotent: a pair is stored once and
    its score refreshed.
    """
    others = Commitment.objects.exclude(pk=commitment.pk).values_list("id", "text")
    hits = most_similar(commitment.text, others, threshold=threshold, limit=20)
    links: list[CommitmentLink] = []
    with transaction.atomic():
        CommitmentLink.objects.filter(commitment_a=commitment).delete()
        CommitmentLink.objects.filter(commitment_b=commitment).delete()
        for other_id, score in hits:
            first, second = sorted([str(commitment.pk), other_id])
            links.append(
                CommitmentLink.objects.create(
                    commitment_a_id=first, commitment_b_id=second, score=score, method=METHOD
                )
            )
    return links


def link_all_near_duplicates(*, threshold: float = LINK_THRESHOLD) -> int:
    """Recompute every stored link (after a dataset load, which writes commitments in bulk).

    Compares each pair once; returns the number of links stored.
    """
    rows = list(Commitment.objects.order_by("id").values_list("id", "text"))
    with transaction.atomic():
        CommitmentLink.objects.all().delete()
        links = [
            CommitmentLink(commitment_a_id=a_id, commitment_b_id=b_id, score=score, method=METHOD)
            for index, (a_id, a_text) in enumerate(rows)
            for b_id, b_text in rows[index + 1 :]
            if (score := similarity(a_text, b_text)) >= threshold
        ]
        CommitmentLink.objects.bulk_create(links)
    return len(links)
