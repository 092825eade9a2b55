"""Words for the brief's figures: the analyses give slugs and fractions, a reader wants
names and percentages (the coordinators' page and the briefing book share these)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def named(slug: str, names: Mapping[str, str]) -> str:
    """`{{ o.topic|named:brief.names.topics }}`: the slug's name, or the slug without one."""
    return names.get(slug) or slug


@register.filter
def named_each(slugs: Iterable[str], names: Mapping[str, str]) -> list[str]:
    """`{{ o.dialogues|named_each:brief.names.dialogues|join:", " }}`."""
    return [names.get(slug) or slug for slug in slugs]


@register.filter
def address(source: str, base: str) -> str:
    """`{{ s.source|address:base }}`: a source that is an address, made absolute (a path in
    Kizuna gets the server's address `base` in front, as the record links do); "" for a
    source that is a title, not an address."""
    text = str(source or "")
    if text.startswith(("http://", "https://")):
        return text
    if text.startswith("/") and not text.startswith("//"):
        return f"{base}{text}"
    return ""


@register.filter
def percent(share: Any) -> str:
    """A share (0.5417) as a whole percentage in the reader's form (54%); — for none."""
    if share is None or share == "":
        return "—"
    return f"{number_format(round(float(share) * 100))}%"


@register.filter
def score(mean: Any) -> str:
    """A mean G7RG score (−1 to +1) to two decimals in the reader's form; — for none."""
    if mean is None or mean == "":
        return "—"
    return number_format(round(float(mean), 2), decimal_pos=2)
