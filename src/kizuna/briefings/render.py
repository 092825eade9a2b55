"""Render the brief and the charts: HTML through a Django template, PDF through WeasyPrint,
and every chart as one Vega-Lite spec built here with altair (the one place for chart specs).

The page draws a spec in the browser with the vendored vega-embed (static/kizuna/charts.js);
the PDF, and the page without script, show the same spec drawn to SVG on the server."""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from kizuna.analysis.coverage import Coverage
from kizuna.briefings.build import Brief, Names, marking_banner
from kizuna.commitments.selectors import StatusRow
from kizuna.web.labels import label

STATIC_CSS = "briefings/brief.css"


def _totals(cov: Coverage) -> dict[tuple[str, str], int]:
    """Agenda items and commitments per (leaf topic, dialogue), all parties together: each
    joint commitment once, not once per committing party."""
    return {
        (row["topic"], row["dialogue"]): row["agenda_items"] + row["commitments"]
        for row in cov["totals"]
    }


def heatmap_spec(cov: Coverage, names: Names | None = None) -> dict[str, Any]:
    """The one Vega-Lite spec (built with altair) of the coverage heatmap: leaf topic ×
    dialogue, shaded by the number of agenda items and commitments, each axis in the
    reader's words (`names`, from the brief; slugs without)."""
    import altair as alt

    totals = _totals(cov)
    topic = _labels({t for t, _ in totals}, names["topics"] if names else {})
    dialogue = _labels({d for _, d in totals}, names["dialogues"] if names else {})
    # Each cell's words for a screen reader, in the reader's language (vega would otherwise
    # read out the fields' internal names, "topic: …; dialogue: …").
    said = _("%(topic)s in %(dialogue)s: %(n)s agenda items and commitments")
    values = [
        {
            "topic": topic[t],
            "dialogue": dialogue[d],
            "n": n,
            "said": said % {"topic": topic[t], "dialogue": dialogue[d], "n": n},
        }
        for (t, d), n in sorted(totals.items())
    ]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_rect()
        .encode(
            # In the table's order (by name, whatever the case), not vega's (capitals first).
            x=alt.X("dialogue:N", title=None, sort=[dialogue[d] for d in _by_name(dialogue)]),
            y=alt.Y("topic:N", title=None, sort=[topic[t] for t in _by_name(topic)]),
            # Counts: whole numbers in the legend (vega in the browser would print "4.000000"
            # when every cell holds the same count).
            color=alt.Color(
                "n:Q",
                scale=alt.Scale(scheme="blues"),
                title=_("Agenda items and commitments"),
                legend=alt.Legend(format="d"),
            ),
            tooltip=[
                alt.Tooltip("topic:N", title=_("Topic")),
                alt.Tooltip("dialogue:N", title=_("Dialogue")),
                alt.Tooltip("n:Q", title=_("Agenda items and commitments")),
            ],
            description=alt.Description("said:N"),
        )
        # The picture's name (vega's default is "Vega visualization").
        .properties(
            description=_(
                "Coverage heatmap: topics by dialogue; the table below gives the same figures."
            )
        )
        .configure(font="Noto Sans CJK JP, sans-serif")
    )
    return dict(chart.to_dict())


def _by_name(labels: dict[str, str]) -> list[str]:
    """The slugs in the order of their names as shown, case aside: one order for the
    heatmap's axes and its table."""
    return sorted(labels, key=lambda slug: (labels[slug].casefold(), slug))


def _labels(slugs: set[str], names: dict[str, str]) -> dict[str, str]:
    """Each slug's name, or the slug when it has none; a name two slugs share keeps its slug
    beside it, so that the chart does not fold two rows (or columns) into one."""
    named = {slug: names.get(slug) or slug for slug in slugs}
    taken = Counter(named.values())
    return {slug: name if taken[name] == 1 else f"{name} ({slug})" for slug, name in named.items()}


def status_spec(rows: list[StatusRow], statuses: list[str]) -> dict[str, Any]:
    """The Vega-Lite spec of the home page's chart: per committing party, its commitments
    stacked by latest status (the "not assessed" ones last), from the home overview's rows."""
    order = [str(label(s)) for s in statuses] + [_("not assessed")]
    values = [
        {"party": row.party, "status": order[i], "rank": i, "n": row.counts.get(s, 0)}
        for row in rows
        for i, s in enumerate(statuses)
    ] + [
        {"party": row.party, "status": order[-1], "rank": len(statuses), "n": row.unassessed}
        for row in rows
    ]
    spec = copy.deepcopy(_status_shape(translation.get_language() or "", tuple(order)))
    spec["data"] = {"values": [v for v in values if v["n"]]}
    # A fixed height, one step per party drawn: the chart is as wide as the page ("container",
    # which vega-lite draws with autosize fit-x), and a step-sized height beside it makes
    # vega-lite warn in the browser ('Dropping "fit-y" because spec has discrete height').
    # The bands are those the step gave: bandspace(n, 0.1, 0.05) is n steps.
    spec["height"] = STATUS_BAR_STEP * len({v["party"] for v in spec["data"]["values"]})
    return spec


# Vega-lite's own step for a discrete axis (config.view.discreteHeight), one bar per party.
STATUS_BAR_STEP = 20


# Colours in the order of STATUSES (not started, in progress, delivered, stalled, withdrawn),
# then "not assessed": grey for nothing yet, green for delivered, red for stalled.
STATUS_COLOURS = ["#8d99a6", "#f28e2b", "#59a14f", "#e15759", "#5b5453", "#d0d7de"]


def _status_colours(n: int) -> list[str]:
    """The palette for n statuses ("not assessed" last, always light grey)."""
    named = STATUS_COLOURS[:-1]
    return [named[i % len(named)] for i in range(n - 1)] + [STATUS_COLOURS[-1]]


@functools.lru_cache(maxsize=8)
def _status_shape(language: str, order: tuple[str, ...]) -> dict[str, Any]:
    """The status chart without its rows, once per language: altair validates what it builds
    against the Vega-Lite schema (tens of milliseconds, too much for every home page), and
    only the rows change from one page to the next. A test checks the whole spec."""
    import altair as alt

    chart = (
        alt.Chart(alt.Data(values=[]))
        .mark_bar()
        .encode(
            x=alt.X("sum(n):Q", title=_("Commitments"), axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y("party:N", title=None),
            # Labels in the reader's language; `order` is the order of the stack.
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=list(order), range=_status_colours(len(order))),
                title=_("Latest status"),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            order=alt.Order("rank:Q"),
            tooltip=[
                alt.Tooltip("party:N", title=_("Party")),
                alt.Tooltip("status:N", title=_("Status")),
                alt.Tooltip("sum(n):Q", title=_("Commitments")),
            ],
        )
        .properties(width="container")
        .configure(font="Noto Sans CJK JP, sans-serif")
    )
    return dict(chart.to_dict())


def heatmap_svg(cov: Coverage, spec: dict[str, Any] | None = None) -> str:
    """The heatmap (its spec, when already built) as SVG text, or "" when vl-convert is not
    installed (the table remains)."""
    if not cov["cells"]:
        return ""
    try:
        import altair  # noqa: F401
        import vl_convert  # noqa: F401  (drawn in _drawn; here: is it installed?)
    except ImportError:  # optional: the page and the PDF fall back to the shaded table
        return ""
    return _drawn(json.dumps(spec or heatmap_spec(cov), sort_keys=True))


@functools.lru_cache(maxsize=16)
def _drawn(spec: str) -> str:
    """A spec drawn to SVG, kept for the next brief of the same figures (a PDF, then its HTML)."""
    import vl_convert

    return str(vl_convert.vegalite_to_svg(json.loads(spec)))


def svg_data_uri(svg: str) -> str:
    """An `<img>` source for the SVG: allowed by the CSP (img-src data:), unlike inline styles."""
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def heatmap_table(cov: Coverage, names: Names | None = None) -> dict[str, Any]:
    """The same figures as an accessible table: rows are topics, columns dialogues (by the
    names the chart uses), and each cell carries a shade class (0–4) for CSS."""
    totals = _totals(cov)
    topic = _labels({t for t, _ in totals}, names["topics"] if names else {})
    dialogue = _labels({d for _, d in totals}, names["dialogues"] if names else {})
    # In the order of the names shown, as the chart's axes run (not of the slugs behind them).
    topics, dialogues = _by_name(topic), _by_name(dialogue)
    top = max(totals.values(), default=0)
    rows = []
    for t in topics:
        cells = []
        for d in dialogues:
            n = totals.get((t, d), 0)
            shade = 0 if n == 0 else 1 + min(3, (n * 4 - 1) // max(top, 1))
            cells.append({"n": n, "shade": shade})
        rows.append({"topic": topic[t], "cells": cells})
    return {"dialogues": [dialogue[d] for d in dialogues], "rows": rows}


def banner_text(marking: str) -> str:
    """The deployment's handling banner for a marking (setting KIZUNA_MARKING_BANNERS)."""
    return marking_banner(marking)


def css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string in a <style> element."""
    return re.sub(r'[\\"<>\n\r]', " ", text)


def brief_context(brief: Brief, *, base: str = "", picture: bool = True) -> dict[str, Any]:
    """What the brief's template shows. One spec: drawn here to SVG for the brief (PDF and
    HTML file), and handed to the coordinators' page, which draws it in the browser: the page
    asks for no `picture` (drawing the SVG took 1.2–1.6 s of each view), and without script
    its shaded table gives the same figures."""
    spec = heatmap_spec(brief["coverage"], brief["names"]) if brief["coverage"]["cells"] else None
    svg = heatmap_svg(brief["coverage"], spec) if picture else ""
    banner = banner_text(brief["marking"])
    return {
        "brief": brief,
        "banner": banner,
        "css_banner": css_string(banner),
        "base": base,
        "heatmap_src": svg_data_uri(svg),
        "heatmap_spec": spec,
        "heatmap": heatmap_table(brief["coverage"], brief["names"]),
    }


def _css() -> str:
    found = finders.find(STATIC_CSS)
    path = found if isinstance(found, str) else None
    return Path(path).read_text(encoding="utf-8") if path else ""


def render_html(brief: Brief, *, base: str = "", pdf: bool = False) -> str:
    """The brief as one self-contained HTML document: its stylesheet inlined (a file opened
    from disk keeps its styling and its marking banners), every link absolute when `base`
    (the server's address) is given. `pdf` for WeasyPrint, which prints the marking in
    the page margins instead of the banners in the text."""
    with translation.override(brief["language"]):
        return render_to_string(
            "briefings/brief.html",
            {**brief_context(brief, base=base), "css": _css(), "pdf": pdf},
        )


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def style_hashes(html: str) -> list[str]:
    """The CSP sources (`'sha256-…'`) that allow the inline stylesheets of this document,
    for a browser that shows the downloaded brief under the site's policy."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(m.encode()).digest()).decode() + "'"
        for m in _STYLE.findall(html)
    ]


def render_pdf(brief: Brief, *, base_url: str = "") -> bytes:
    """The brief as PDF (WeasyPrint), with the marking at the top and bottom of every page."""
    from weasyprint import HTML

    html = render_html(brief, base=base_url.rstrip("/"), pdf=True)
    return bytes(HTML(string=html, base_url=base_url or None).write_pdf())
