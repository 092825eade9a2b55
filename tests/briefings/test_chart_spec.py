"""No chart spec asks vega-lite for what it must drop: an autosize "fit" (or "fit-x",
"fit-y", which a "container" width or height means) beside a step-sized discrete axis makes
vega-lite drop the fit and log `Dropping "fit-y" because spec has discrete height.` in the
browser. The browser check is tests/browser/test_chart_console.py (slow); this one runs with
the quick suite, on the specs the pages and the PDF are given."""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt
import pytest
from django.utils import translation

from kizuna.access.actor import Actor
from kizuna.analysis.coverage import coverage
from kizuna.briefings.render import heatmap_spec, status_spec
from kizuna.commitments.selectors import StatusRow
from kizuna.web.labels import STATUSES

FITS = ("fit", "fit-x", "fit-y")


def _autosize(spec: dict[str, Any]) -> str:
    """The autosize type vega-lite gives a single view's spec: the spec's own, else its
    config's, else what its "container" sizes mean."""
    width, height = spec.get("width"), spec.get("height")
    implied = {
        (True, True): "fit",
        (True, False): "fit-x",
        (False, True): "fit-y",
        (False, False): "pad",
    }[(width == "container", height == "container")]
    for given in (spec.get("autosize"), spec.get("config", {}).get("autosize")):
        given = given.get("type") if isinstance(given, dict) else given
        if given:
            return str(given)
    return implied


def _stepped(spec: dict[str, Any]) -> list[str]:
    """The sizes vega-lite makes of steps: a discrete x or y without a fixed width or height."""
    stepped = []
    for channel, size in (("x", "width"), ("y", "height")):
        field = spec.get("encoding", {}).get(channel)
        discrete = isinstance(field, dict) and field.get("type") in ("nominal", "ordinal")
        if discrete and not isinstance(spec.get(size), int | float):
            stepped.append(size)
    return stepped


def _asks_for_a_dropped_fit(spec: dict[str, Any]) -> bool:
    return _autosize(spec) in FITS and bool(_stepped(spec))


ROWS = [
    StatusRow(party="JPN", counts={"delivered": 3}, unassessed=2, total=5),
    StatusRow(party="USA", counts={"stalled": 1, "in-progress": 4}, unassessed=0, total=5),
    StatusRow(party="KOR", counts={}, unassessed=0, total=0),  # nothing to draw
]


def test_the_rule_finds_the_home_charts_old_spec() -> None:
    with translation.override("en"):
        spec = status_spec(ROWS, STATUSES)
    del spec["height"]  # as it was: as wide as the page, a step a party high
    assert _asks_for_a_dropped_fit(spec)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_home_chart_is_as_wide_as_the_page_and_a_fixed_height(language: str) -> None:
    with translation.override(language):
        spec = status_spec(ROWS, STATUSES)
    alt.Chart.from_dict(spec)  # the whole spec still fits the schema
    assert spec["width"] == "container" and _autosize(spec) == "fit-x"
    assert not _asks_for_a_dropped_fit(spec)
    # The bands the step gave: vega-lite's 20 pixels per party drawn (KOR has no bar).
    assert spec["height"] == 20 * 2


def test_the_briefs_heatmap_asks_for_no_fit(db: None) -> None:
    cov = coverage(actor=Actor.operator(), as_of=dt.date(2025, 12, 1))  # the demo's
    assert cov["cells"]
    assert not _asks_for_a_dropped_fit(heatmap_spec(cov))
