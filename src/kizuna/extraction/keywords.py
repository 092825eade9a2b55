"""A fast matcher for keyword phrases, used for topics and sectors.

Running two dozen regular expressions of many alternatives over every unit cost
more than everything else together. Here a unit is lower-cased and cut into
word tokens once, and phrases are looked up by their first token in a dict; a
token written with a trailing "*" matches any word it begins ("invest*").
Japanese phrases, which have no spaces to cut on, are plain substring checks.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

_TOKEN = re.compile(r"\w+")
_CACHE_LIMIT = 100_000
_PHRASE_TOKEN = re.compile(r"[\w*]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens; hyphens and apostrophes split ("non-market" -> non, market)."""
    return _TOKEN.findall(text.lower().replace("&", " and "))


class PhraseMatcher:
    """Which labels (slugs) have a phrase in a text."""

    def __init__(self, phrases: Mapping[str, Iterable[str]]) -> None:
        self._exact: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        self._prefix: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        self._prefix_lengths: set[int] = set()
        self._cjk: list[tuple[str, str]] = []
        self._cache: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {}
        self._order = {slug: index for index, slug in enumerate(phrases)}
        for slug, slug_phrases in phrases.items():
            for phrase in slug_phrases:
                if _CJK.search(phrase):
                    self._cjk.append((phrase, slug))
                    continue
                words = tuple(_PHRASE_TOKEN.findall(phrase.lower().replace("&", " and ")))
                first = words[0]
                if first.endswith("*"):
                    self._prefix[first[:-1]].append((words, slug))
                    self._prefix_lengths.add(len(first) - 1)
                else:
                    self._exact[first].append((words, slug))

    def find(self, text: str, words: list[str] | None = None) -> list[str]:
        """Slugs with at least one phrase in `text`, in the order they were declared."""
        words = words if words is not None else tokens(text)
        found: set[str] = set()
        for index, word in enumerate(words):
            candidates = self._candidates(word)
            if not candidates:
                continue
            for phrase, slug in candidates:
                if slug not in found and _matches_at(words, index, phrase):
                    found.add(slug)
        if self._cjk and _CJK.search(text):
            found.update(slug for phrase, slug in self._cjk if phrase in text)
        return sorted(found, key=self._order.__getitem__)

    def _candidates(self, word: str) -> tuple[tuple[tuple[str, ...], str], ...]:
        """Phrases that may start at `word`; cached, since official vocabulary repeats."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        candidates = list(self._exact.get(word, ()))
        for length in self._prefix_lengths:
            if len(word) >= length:
                candidates.extend(self._prefix.get(word[:length], ()))
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = result = tuple(candidates)
        return result


def _matches_at(words: list[str], index: int, phrase: tuple[str, ...]) -> bool:
    if index + len(phrase) > len(words):
        return False
    for offset, expected in enumerate(phrase):
        word = words[index + offset]
        if expected.endswith("*"):
            if not word.startswith(expected[:-1]):
                return False
        elif word != expected:
            return False
    return True
