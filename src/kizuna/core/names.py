"""Records named in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def in_reader_language(obj: Any, field: str = "name") -> str:
    """`obj.<field>_ja` when the reader reads Japanese and it is filled in, else `obj.<field>`."""
    if obj is None:
        return ""
    if (get_language() or "").startswith("ja"):
        ja = getattr(obj, f"{field}_ja", "")
        if ja:
            return str(ja)
    return str(getattr(obj, field, "") or "")
