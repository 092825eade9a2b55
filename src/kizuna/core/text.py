"""Tidying of a commitment's words, the same whichever way they arrive (review, API)."""

from __future__ import annotations

import re

# A PDF's text layer breaks its lines inside sentences, and a one-line field drops the break
# with the space it stood for ("in the first half of2027"): a passage is stored as it reads.
# Japanese is written without spaces: a line break beside a Japanese character stood for none.
_JAPANESE = "\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_WRAP_IN_JAPANESE = re.compile(rf"(?<=[{_JAPANESE}])[^\S\n]*\n\s*|[^\S\n]*\n\s*(?=[{_JAPANESE}])")
_WHITESPACE = re.compile(r"\s+")


def as_sentence(text: str) -> str:
    """A passage as its sentence reads: line breaks and runs of spaces become one space (none
    beside a Japanese character), the ends trimmed.

    Only the stored copy is tidied; a candidate's offsets still point into the document.
    """
    return _WHITESPACE.sub(" ", _WRAP_IN_JAPANESE.sub("", text)).strip()
