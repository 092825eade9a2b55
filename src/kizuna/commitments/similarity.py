"""Near-duplicate commitments: one scoring function, stored as links when a commitment is written.

Two readouts of the same meeting, or two rounds of a dialogue, restate the same pledge in
other words. The score is lexical on purpose (no model weights, fast, explainable): the mean
of the Jaccard similarity of the two texts' content-word sets and of their character
4-shingle sets. Word sets catch reordered sentences; shingles catch inflections ("strengthen"
/ "strengthening") that exact words miss. Desk officers confirm every suggestion, so the
threshold leans towards showing a pair rather than hiding it.

Finding the pairs does not compare every pair (50,000 commitments are over a billion pairs).
A pair's mean reaches the threshold only if one of its two Jaccard similarities does, and two
sets that similar share a token among their rarest few (prefix filtering, as in the AllPairs
set-similarity join): only pairs that do are scored. The filter loses no pair, so the links
are exactly those of the pairwise comparison.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction

from kizuna.commitments.models import Commitment, CommitmentLink

METHOD = "jaccard-words+shingles-v1"
# Pairs at or above this score are stored as links and suggested at review time.
LINK_THRESHOLD = 0.4
_SHINGLE = 4
# Scores are rounded to 4 places, so a pair whose mean is this much under the threshold is
# still stored: the filter works to a bound that much lower (and a hair more, for floats).
_ROUNDING = 0.00005 + 1e-9

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


def _fingerprint(text: str) -> Fingerprint:
    """The word and shingle sets of a text."""
    lowered = text.casefold()
    words = frozenset(w for w in _WORD.findall(lowered) if len(w) > 2 and w not in _STOPWORDS)
    squeezed = " ".join(sorted(words))
    shingles = frozenset(
        squeezed[i : i + _SHINGLE] for i in range(max(0, len(squeezed) - _SHINGLE + 1))
    )
    return Fingerprint(words=words, shingles=shingles)


# Cached for the one-pair scores (a dialogue's commitments are compared often); the bulk
# paths below read each text once and go around the cache, which they would only churn.
fingerprint = lru_cache(maxsize=4096)(_fingerprint)


def _jaccard(common: int, size_a: int, size_b: int) -> float:
    """|A ∩ B| / |A ∪ B| from the sizes; 0 when either set is empty."""
    if not size_a or not size_b:
        return 0.0
    return common / (size_a + size_b - common)


def _score(words: float, shingles: float) -> float:
    return round((words + shingles) / 2, 4)


def similarity(text_a: str, text_b: str) -> float:
    """How alike two commitment texts read, in [0, 1]; 1 for the same content words."""
    a, b = fingerprint(text_a), fingerprint(text_b)
    return _score(
        _jaccard(len(a.words & b.words), len(a.words), len(b.words)),
        _jaccard(len(a.shingles & b.shingles), len(a.shingles), len(b.shingles)),
    )


def _at_least(count: float) -> int:
    """The whole number of tokens a bound asks for (never one more through a float error)."""
    return math.ceil(count - 1e-9)


class _TokenSets:
    """One kind of token (words or shingles) of many texts, for a set-similarity join.

    Each text's set is a tuple of token ranks, rarest token first (ties by the token). Two
    sets x, y with Jaccard at least `bound` share at least ceil(bound * |x|) tokens, so they
    share one among the first |x| - ceil(bound * |x|) + 1 of each (the probe prefix); when
    |y| <= |x| they share at least 2 * bound / (1 + bound) * |y|, so y need only be indexed
    by a shorter prefix (AllPairs). A posting also keeps the token's position: a partner
    whose common tokens could not reach the overlap needed is dropped (PPJoin).
    """

    def __init__(self, sets: list[frozenset[str]], bound: float) -> None:
        counts: dict[str, int] = defaultdict(int)
        for tokens in sets:
            for token in tokens:
                counts[token] += 1
        by_rarity = sorted(counts, key=lambda token: (counts[token], token))
        rank = {token: position for position, token in enumerate(by_rarity)}
        self.bound = bound
        self.sets = [tuple(sorted(rank[token] for token in tokens)) for tokens in sets]

    def _prefix(self, size: int, bound: float) -> int:
        return size - _at_least(bound * size) + 1 if size else 0

    def _partners(
        self, tokens: tuple[int, ...], postings: dict[int, list[tuple[int, int]]]
    ) -> list[int]:
        """The indexed sets that may reach the bound with `tokens` (a superset of those that do)."""
        size, bound = len(tokens), self.bound
        overlap: dict[int, int] = defaultdict(int)
        for position, token in enumerate(tokens[: self._prefix(size, bound)]):
            for other, other_position in postings.get(token, ()):
                other_size = len(self.sets[other])
                if other_size < bound * size or size < bound * other_size:
                    continue  # too short or too long to be that similar
                needed = _at_least(bound / (1 + bound) * (size + other_size))
                rest = min(size - position, other_size - other_position)
                if overlap[other] >= 0 and overlap[other] + rest >= needed:
                    overlap[other] += 1
                else:
                    overlap[other] = -size  # cannot reach it: never counted again
        return [other for other, common in overlap.items() if common > 0]

    def pairs(self) -> Iterator[tuple[int, list[int]]]:
        """Each set with the smaller ones that may reach the bound with it."""
        by_size = sorted(range(len(self.sets)), key=lambda member: len(self.sets[member]))
        index_bound = 2 * self.bound / (1 + self.bound)
        postings: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for member in by_size:
            tokens = self.sets[member]
            yield member, self._partners(tokens, postings)
            for position, token in enumerate(tokens[: self._prefix(len(tokens), index_bound)]):
                postings[token].append((member, position))

    def partners_of(self, query: int) -> list[int]:
        """The sets, other than `query`, that may reach the bound with it: those of a
        fitting size holding a token of its probe prefix (for one query, a scan is cheaper
        than indexing every other set's prefix)."""
        tokens = self.sets[query]
        size, bound = len(tokens), self.bound
        prefix = frozenset(tokens[: self._prefix(size, bound)])
        return [
            other
            for other, theirs in enumerate(self.sets)
            if other != query
            and bound * size <= len(theirs)
            and bound * len(theirs) <= size
            and not prefix.isdisjoint(theirs)
        ]

    def jaccard(self, members: set[int], other: int) -> float:
        """Jaccard of a set (given as a set) and set `other`."""
        theirs = self.sets[other]
        return _jaccard(len(members.intersection(theirs)), len(members), len(theirs))


class _Texts:
    """Texts prepared for finding near-duplicates without scoring every pair: the one
    candidate logic behind `most_similar` (so `link_near_duplicates`) and
    `near_duplicate_pairs` (so `link_all_near_duplicates`)."""

    def __init__(self, texts: list[str], threshold: float) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(f"the threshold must be in (0, 1], not {threshold}")
        self.threshold = threshold
        # If the words' Jaccard is under `mean / 2` and the shingles' under `1.5 * mean`, the
        # mean of the two is under `mean`: a pair reaching it reaches one of the two bounds.
        # The split favours the word join, whose sets are short and whose tokens are rarer.
        mean = threshold - _ROUNDING
        prints = [_fingerprint(text) for text in texts]
        self.joins = (
            _TokenSets([p.words for p in prints], mean / 2),
            _TokenSets([p.shingles for p in prints], mean * 1.5),
        )

    def _scored(self, text: int, others: Iterable[int]) -> Iterator[tuple[int, float]]:
        """The `others` scoring at least the threshold against `text`, with their scores."""
        words, shingles = self.joins
        own_words, own_shingles = set(words.sets[text]), set(shingles.sets[text])
        for other in others:
            score = _score(words.jaccard(own_words, other), shingles.jaccard(own_shingles, other))
            if score >= self.threshold:
                yield other, score

    def matches(self, query: int) -> list[tuple[int, float]]:
        """The other texts scoring at least the threshold against text `query`."""
        candidates = {other for join in self.joins for other in join.partners_of(query)}
        return list(self._scored(query, sorted(candidates)))

    def all_matches(self) -> dict[tuple[int, int], float]:
        """Every pair (smaller, larger) scoring at least the threshold."""
        found: dict[tuple[int, int], float] = {}
        for join in self.joins:
            for text, partners in join.pairs():
                for other, score in self._scored(text, partners):
                    found[(min(text, other), max(text, other))] = score
        return found


def most_similar(
    text: str,
    others: Iterable[tuple[str, str]],
    *,
    threshold: float = LINK_THRESHOLD,
    limit: int = 5,
) -> list[tuple[str, float]]:
    """The ids among `others` ((id, text) pairs) whose text scores at least `threshold`, best first."""
    rows = list(others)
    texts = _Texts([*(other_text for _, other_text in rows), text], threshold)
    hits = [(rows[other][0], score) for other, score in texts.matches(len(rows))]
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


def near_duplicate_pairs(
    rows: list[tuple[str, str]], *, threshold: float = LINK_THRESHOLD
) -> Iterator[tuple[str, str, float]]:
    """Every pair of `rows` ((id, text), ids in ascending order) scoring at least `threshold`,
    as (smaller id, larger id, score)."""
    found = _Texts([text for _, text in rows], threshold).all_matches()
    for (a, b), score in sorted(found.items()):
        yield rows[a][0], rows[b][0], score


def link_all_near_duplicates(*, threshold: float = LINK_THRESHOLD) -> int:
    """Recompute every stored link (after a dataset load, which writes commitments in bulk).

    Scores each pair that may reach the threshold once; returns the number of links stored.
    """
    rows = list(Commitment.objects.order_by("id").values_list("id", "text"))
    with transaction.atomic():
        CommitmentLink.objects.all().delete()
        links = [
            CommitmentLink(commitment_a_id=a_id, commitment_b_id=b_id, score=score, method=METHOD)
            for a_id, b_id, score in near_duplicate_pairs(rows, threshold=threshold)
        ]
        CommitmentLink.objects.bulk_create(links, batch_size=2000)
    return len(links)
