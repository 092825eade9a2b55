"""The one form of text that search compares: the index holds it, a query is turned into it.

Japanese input methods type Latin letters and digits full-width (ｊｕｃｉｐ, ＥＰＣＣ), older
texts hold half-width katakana (ｻﾌﾟﾗｲﾁｪｰﾝ), and a writer's hyphen reaches the page as an en
dash, an em dash or a minus sign as the typesetter pleased (U.S.–Japan, U.S.-Japan). NFKC
makes each compatibility form its plain character (ｊ is j, ｻ is サ, ｰ is ー); then every
dash becomes a hyphen-minus. The katakana prolonged sound mark ー is a letter of its word,
not a dash, and stays: チェーン must not find チェ-ン.

The index is folded inside the database, by the triggers that write it (migration 0004): on
SQLite they call this module's `normalise` as the SQL function `search_normalise`, which
`add_to_sqlite` gives every connection; PostgreSQL has its own `search_normalise` in SQL
(normalize(…, NFKC) and translate) with the same dashes. A query is folded here, once.
"""

from __future__ import annotations

import unicodedata
from typing import Any

# What the index's triggers call on SQLite; the same name on PostgreSQL (migration 0004).
SQL_FUNCTION = "search_normalise"

# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar (Japanese
# typesetting's dash ―), minus sign, and the small and full-width forms NFKC leaves as one of
# these. Not ー (U+30FC, a katakana letter) nor 〜 (a wave dash, Japanese for "to": 1〜3).
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"

_TO_HYPHEN_MINUS = str.maketrans(DASHES, "-" * len(DASHES))


def normalise(text: str) -> str:
    """`text` as search compares it: NFKC, every dash a hyphen-minus."""
    return unicodedata.normalize("NFKC", text).translate(_TO_HYPHEN_MINUS)


def add_to_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give a new SQLite connection `search_normalise`, which the index's triggers call.

    (Django's `connection_created` signal.) Deterministic, so SQLite may use it wherever a
    pure function may be used. A connection opened without Django (the sqlite3 shell) lacks
    it, so a write there to a searchable table fails rather than leave the index unfolded.
    """
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQL_FUNCTION, 1, normalise, deterministic=True)
