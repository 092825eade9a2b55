"""Render the brief and the coordinators' chart: HTML through a Django template, PDF through
WeasyPrint, and the coverage heatmap as one Vega-Lite spec drawn to SVG on the server, so
that the page and the PDF show the same picture (no script runs in the browser)."""

from __future__ import annotations

import base64
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from kizuna.analysis.coverage import Coverage
from kizuna.briefings.build import Brief

STATIC_CSS = "briefings/brief.css"


def _totals(cov: Coverage) -> dict[tuple[str, str], int]:
    """Agenda items and commitments per (leaf topic, dialogue), all parties together."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    seen: set[tuple[str, str]] = set()
    for cell in cov["cells"]:
        key = (cell["topic"], cell["dialogue"])
        if key not in seen:  # agenda items are the same for every party: count them once
            seen.add(key)
            totals[key] += cell["agenda_items"]
        totals[key] += cell["commitments"]
    return totals


def heatmap_spec(cov: Coverage) -> dict[str, Any]:
    """The one Vega-Lite spec (built with altair) of the coverage heatmap: leaf topic ×
    dialogue, shaded by the number of agenda items and commitments."""
    import altair as alt

    values = [{"topic": t, "dialogue": d, "n": n} for (t, d), n in sorted(_totals(cov).items())]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_rect()
        .encode(
            x=alt.X("dialogue:N", title=None),
            y=alt.Y("topic:N", title=None),
            color=alt.Color("n:Q", scale=alt.Scale(scheme="blues"), title="n"),
            tooltip=["topic:N", "dialogue:N", "n:Q"],
        )
        .configure(font="Noto Sans CJK JP, sans-serif")
    )
    return dict(chart.to_dict())


def heatmap_svg(cov: Coverage) -> str:
    """The heatmap as SVG text, or "" when vl-convert is not installed (the table remains)."""
    if not cov["cells"]:
        return ""
    try:
        import altair  # noqa: F401
        import vl_convert
    except ImportError:  # optional: the page and the PDF fall back to the shaded table
        return ""
    return str(vl_convert.vegalite_to_svg(heatmap_spec(cov)))


def svg_data_uri(svg: str) -> str:
    """An `<img>` source for the SVG: allowed by the CSP (img-src data:), unlike inline styles."""
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def heatmap_table(cov: Coverage) -> dict[str, Any]:
    """The same figures as an accessible table: rows are topics, columns dialogues, and each
    cell carries a shade class (0–4) for CSS."""
    totals = _totals(cov)
    topics = sorted({t for t, _ in totals})
    dialogues = sorted({d for _, d in totals})
    top = max(totals.values(), default=0)
    rows = []
    for t in topics:
        cells = []
        for d in dialogues:
            n = totals.get((t, d), 0)
            shade = 0 if n == 0 else 1 + min(3, (n * 4 - 1) // max(top, 1))
            cells.append({"n": n, "shade": shade})
        rows.append({"topic": t, "cells": cells})
    return {"dialogues": dialogues, "rows": rows}


def banner_text(marking: str) -> str:
    """The handling banner for a marking: the marking itself, in capitals."""
    return marking.upper()


def css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string in a <style> element."""
    return re.sub(r'[\\"<>\n\r]', " ", text)


def brief_context(brief: Brief, *, base: str = "") -> dict[str, Any]:
    svg = heatmap_svg(brief["coverage"])
    banner = banner_text(brief["marking"])
    return {
        "brief": brief,
        "banner": banner,
        "css_banner": css_string(banner),
        "base": base,
        "heatmap_src": svg_data_uri(svg),
        "heatmap": heatmap_table(brief["coverage"]),
    }


def _css() -> str:
    found = finders.find(STATIC_CSS)
    path = found if isinstance(found, str) else None
    return Path(path).read_text(encoding="utf-8") if path else ""


def render_html(brief: Brief, *, standalone: bool = True, base: str = "") -> str:
    """The brief as one HTML document (its stylesheet inlined for a file on disk)."""
    with translation.override(brief["language"]):
        return render_to_string(
            "briefings/brief.html",
            {
                **brief_context(brief, base=base),
                "css": _css() if standalone else "",
                "standalone": standalone,
            },
        )


def render_pdf(brief: Brief, *, base_url: str = "") -> bytes:
    """The brief as PDF (WeasyPrint), with the marking at the top and bottom of every page."""
    from weasyprint import HTML

    html = render_html(brief, standalone=True, base=base_url.rstrip("/"))
    return bytes(HTML(string=html, base_url=base_url or None).write_pdf())
