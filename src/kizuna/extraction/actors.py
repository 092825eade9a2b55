"""Actors: the governments and agencies a unit names, resolved to registry keys.

Keys are ISO 3166 alpha-3 codes for governments (USA, JPN), short codes for
groupings (EU, G7) and slugs for agencies (commerce, meti). A registry passed by
the caller (name or alias -> key) extends and overrides the built-in table, so a
deployment's own agencies resolve without code changes. Names that look like an
agency but resolve to nothing are kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


DEFAULT_ALIASES: dict[str, str] = {
    # Governments
    "United States": "USA",
    "United States of America": "USA",
    "U.S.": "USA",
    "US": "USA",
    "USA": "USA",
    "U.S. side": "USA",
    "American side": "USA",
    "Government of the United States of America": "USA",
    "米国": "USA",
    "Japan": "JPN",
    "Japanese side": "JPN",
    "Government of Japan": "JPN",
    "日本": "JPN",
    "European Union": "EU",
    "EU": "EU",
    "European Commission": "EU",
    "EU side": "EU",
    "欧州連合": "EU",
    "Canada": "CAN",
    "Mexico": "MEX",
    "India": "IND",
    "Australia": "AUS",
    "Republic of Korea": "KOR",
    "ROK": "KOR",
    "South Korea": "KOR",
    "Korea": "KOR",
    "United Kingdom": "GBR",
    "UK": "GBR",
    "France": "FRA",
    "Germany": "DEU",
    "Italy": "ITA",
    "New Zealand": "NZL",
    "Singapore": "SGP",
    "Philippines": "PHL",
    "Indonesia": "IDN",
    "Viet Nam": "VNM",
    "Vietnam": "VNM",
    "Thailand": "THA",
    "Malaysia": "MYS",
    "Brunei Darussalam": "BRN",
    "Fiji": "FJI",
    "Taiwan": "TWN",
    "G7": "G7",
    "Group of Seven": "G7",
    "G20": "G20",
    "Quad": "QUAD",
    # U.S. agencies
    "Department of Commerce": "commerce",
    "Commerce Department": "commerce",
    "DOC": "commerce",
    "Secretary of Commerce": "commerce",
    "Commerce Secretary": "commerce",
    "Secretary Raimondo": "commerce",
    "Gina Raimondo": "commerce",
    "Gina M. Raimondo": "commerce",
    "USTR": "ustr",
    "United States Trade Representative": "ustr",
    "U.S. Trade Representative": "ustr",
    "Office of the United States Trade Representative": "ustr",
    "Ambassador Tai": "ustr",
    "Katherine Tai": "ustr",
    "米国通商代表部": "ustr",
    "Department of State": "state",
    "State Department": "state",
    "DOS": "state",
    "Secretary of State": "state",
    "Secretary Blinken": "state",
    "Antony Blinken": "state",
    "White House": "white-house",
    "President Biden": "white-house",
    # Japanese agencies
    "METI": "meti",
    "Ministry of Economy, Trade and Industry": "meti",
    "Ministry of Economy, Trade, and Industry": "meti",
    "Minister of Economy, Trade and Industry": "meti",
    "Minister of Economy, Trade, and Industry": "meti",
    "Minister for Economy, Trade, and Industry": "meti",
    "Minister for Economy, Trade and Industry": "meti",
    "経済産業省": "meti",
    "MOFA": "mofa",
    "Ministry of Foreign Affairs": "mofa",
    "Minister for Foreign Affairs": "mofa",
    "外務省": "mofa",
    "Kantei": "kantei",
    "Prime Minister's Office": "kantei",
    "Prime Minister’s Office": "kantei",
    "Cabinet Office": "kantei",
}

# Words that refer to the parties of the text as a whole ("both sides agreed").
_PARTY_REFERENCES = re.compile(
    r"両国|両者|双方|日米|両首脳|両大臣|本枠組み|\b(?:[Ww]e|[Tt]hey|[Bb]oth (?:sides|countries|parties|governments)|[Tt]he (?:two|three|four) "
    r"(?:countries|sides|governments|ministers)|[Tt]he [Mm]inisters|[Mm]inisters|[Tt]he [Pp]arties|"
    r"[Tt]he [Ll]eaders|[Tt]he Secretary and (?:the )?Minister|[Tt]he [Cc]o-[Cc]hairs)\b"
)
# A name right after one of these words is an object, not an actor ("against Ukraine").
_OBJECT_PREPOSITIONS = _words("against to into in from toward towards on at with")
_WORD_START = re.compile(r"(?<![\w.])\w")
_CAPITAL_START = re.compile(r"(?<![\w.])[A-Z]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_AGENCY_WORDS = re.compile(r"Department|Ministry|Agency|Office|National Security Council")
# Agency-like names that resolve to nothing are kept as written.
_UNRESOLVED_AGENCY = re.compile(
    r"\b(?:U\.S\.|United States|Japan(?:ese)?|European|Australian|Australia’s|Australia's)?\s?"
    r"(?:Department|Ministry|Agency|Office|National Security Council)"
    r"(?: of| for)?(?: [A-Z][\w,’']*(?: and| of)?){0,8}"
)


def find_actors(
    unit_text: str,
    *,
    registry: Mapping[str, str] | None = None,
    parties: Iterable[str] = (),
) -> list[str]:
    """Registry keys of the actors a unit names, in order of first mention.

    When the unit names nobody but refers to "we", "both sides" or "the
    Ministers", the document's `parties` stand in.
    """
    keys: list[str] = []
    for key in _named_actors(unit_text, registry):
        if key not in keys:
            keys.append(key)
    if not keys and _PARTY_REFERENCES.search(unit_text):
        keys.extend(party for party in parties if party not in keys)
    return keys


def _named_actors(unit_text: str, registry: Mapping[str, str] | None) -> list[str]:
    """Actors in order of mention; an unknown agency name swallows the aliases inside it
    ("U.S. National Security Council" is kept whole, not read as "U.S.")."""
    index = _alias_index(_freeze(registry))
    aliases = index.matches(unit_text)
    alias_starts = {start for start, _, _ in aliases}
    unresolved: list[tuple[int, int, str]] = []
    if _AGENCY_WORDS.search(unit_text):  # cheap gate before the costly pattern
        for match in _UNRESOLVED_AGENCY.finditer(unit_text):
            start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
            name = _trim_at_known_name(unit_text, start, match.end(), alias_starts)
            name = re.sub(r"(?:,|\s+(?:of|and|for))+$", "", name)
            if name in index.table or len(name.split()) < 3:
                continue
            unresolved.append((start, start + len(name), name))
    found: list[tuple[int, str]] = [(start, name) for start, _, name in unresolved]
    for start, end, alias in aliases:
        inside = any(s <= start and end <= e for s, e, _ in unresolved)
        if inside or _after_object_preposition(unit_text, start):
            continue
        found.append((start, index.table[alias]))
    return [name for _, name in sorted(found)]


def _trim_at_known_name(text: str, start: int, end: int, alias_starts: set[int]) -> str:
    """Cut "Ministry of X and METI" before " and METI": a known name starts a new actor."""
    for found in re.finditer(r",? and ", text[start:end]):
        if start + found.end() in alias_starts:
            end = start + found.start()
            break
    return text[start:end].strip().rstrip(",")


def _after_object_preposition(text: str, start: int) -> bool:
    before = text[max(0, start - 12) : start].split()
    if before and before[-1].lower() == "the" and len(before) > 1:
        before = before[:-1]
    return bool(before) and before[-1].lower() in _OBJECT_PREPOSITIONS


def _freeze(registry: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(registry.items())) if registry else ()


class _AliasIndex:
    """Aliases bucketed by their first two characters, tried longest first at each word
    start; much faster than one regular expression of a hundred alternatives.
    Case-sensitive, because "US" and "us" differ."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self._buckets: dict[str, list[str]] = {}
        self._cjk: list[str] = []
        # Built-in aliases start with a capital; scanning only capitals is much faster.
        self._lowercase_starts = any(alias[:1].islower() for alias in table)
        for alias in sorted(table, key=len, reverse=True):
            if _CJK.match(alias):
                self._cjk.append(alias)
            else:
                self._buckets.setdefault(alias[:2], []).append(alias)

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, alias) in order, leftmost-longest."""
        found: list[tuple[int, int, str]] = []
        taken_until = 0
        starts = _WORD_START if self._lowercase_starts else _CAPITAL_START
        for word in starts.finditer(text):
            start = word.start()
            if start < taken_until:
                continue
            for alias in self._buckets.get(text[start : start + 2], ()):
                end = start + len(alias)
                if text.startswith(alias, start) and _ends_word(text, end, alias):
                    found.append((start, end, alias))
                    taken_until = end
                    break
        if self._cjk and _CJK.search(text):
            found.extend(self._cjk_matches(text, found))
            found.sort()
        return found

    def _cjk_matches(
        self, text: str, found: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        taken = [(start, end) for start, end, _ in found]
        result = []
        for alias in self._cjk:
            position = text.find(alias)
            while position >= 0:
                end = position + len(alias)
                if not any(s < end and position < e for s, e in taken):
                    result.append((position, end, alias))
                    taken.append((position, end))
                position = text.find(alias, end)
        return result


def _ends_word(text: str, end: int, alias: str) -> bool:
    """An alias ending in a letter must not run on into a word ("USA" is not "US")."""
    if not alias[-1:].isalnum() or end >= len(text):
        return True
    following = text[end]
    return not (following.isalnum() or following == "_")


@lru_cache(maxsize=32)
def _alias_index(registry: tuple[tuple[str, str], ...]) -> _AliasIndex:
    table = dict(DEFAULT_ALIASES)
    table.update(dict(registry))
    return _AliasIndex(table)


def document_parties(
    units: Iterable[str], *, registry: Mapping[str, str] | None = None, limit: int = 6
) -> list[str]:
    """Governments and agencies named in the opening units: who "we" and "both sides" are."""
    known = set(_alias_index(_freeze(registry)).table.values())
    parties: list[str] = []
    for text in units:
        for key in _named_actors(text, registry):
            if key in known and key not in parties:
                parties.append(key)
        if len(parties) >= limit:
            break
    return parties[:limit]
