"""Charts and htmx on the server side: one valid Vega-Lite spec per chart, handed to the page
as JSON; the vendored scripts are the files VENDORED.md names. The drawing itself, htmx's
swaps and the CSP are checked in a real browser (test_browser.py)."""

from __future__ import annotations

import hashlib
import html as htmllib
import json
import re
from pathlib import Path
from typing import Any

import altair as alt
import pytest
from django.test import Client
from django.utils import translation

from kizuna.briefings.render import status_spec
from kizuna.commitments.selectors import StatusRow
from kizuna.web.labels import STATUSES

VENDOR = Path(__file__).resolve().parents[2] / "src/kizuna/web/static/kizuna/vendor"


def _spec_in(html: str) -> dict[str, Any]:
    """The spec of the page's chart: JSON in its figure's `data-vega-json` attribute."""
    found = re.search(r'<figure class="chart[^"]*" data-vega-json="([^"]*)"', html)
    assert found, "no chart in the page"
    spec: dict[str, Any] = json.loads(htmllib.unescape(found.group(1)))
    return spec


def test_the_status_chart_is_a_valid_spec_of_the_rows_counts() -> None:
    rows = [
        StatusRow(party="JPN", counts={"delivered": 3}, unassessed=2, total=5),
        StatusRow(party="USA", counts={"stalled": 1, "in-progress": 4}, unassessed=0, total=5),
    ]
    with translation.override("en"):
        spec = status_spec(rows, STATUSES)
    alt.Chart.from_dict(spec)  # raises unless the whole spec, rows included, fits the schema
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert sorted((v["party"], v["status"], v["n"]) for v in spec["data"]["values"]) == [
        ("JPN", "delivered", 3),
        ("JPN", "not assessed", 2),
        ("USA", "in progress", 4),
        ("USA", "stalled", 1),
    ]
    with translation.override("ja"):
        ja = status_spec(rows, STATUSES)
    assert "未評価" in {v["status"] for v in ja["data"]["values"]}  # "not assessed"
    assert ja["encoding"]["color"]["title"] != spec["encoding"]["color"]["title"]


def test_the_home_page_hands_the_chart_its_spec(usa_client: Client) -> None:
    html = usa_client.get("/").content.decode()
    spec = _spec_in(html)
    # The test workspace's parties (the session's demo may add others).
    assert {v["party"] for v in spec["data"]["values"]} >= {"USA", "JPN"}
    assert "vendor/vega-embed.min.js" in html and "kizuna/charts.js" in html


def test_the_list_page_swaps_its_results_and_keeps_plain_links(usa_client: Client) -> None:
    html = usa_client.get("/commitments/?dialogue=wt-dlg&sort=deadline").content.decode()
    # htmx swaps the results region; the same URLs work as plain links and a plain form.
    assert 'id="commitment-results"' in html and 'hx-push-url="true"' in html
    assert re.search(r'<a href="(\?[^"]*sort=-deadline[^"]*)" hx-get="\1"', html)
    assert '<form method="get" class="filters"' in html


@pytest.mark.parametrize(
    "name", ["htmx.min.js", "vega.min.js", "vega-lite.min.js", "vega-embed.min.js"]
)
def test_the_vendored_scripts_are_the_ones_listed(name: str) -> None:
    listed = (VENDOR / "VENDORED.md").read_text(encoding="utf-8")
    row = re.search(rf"\| {re.escape(name)} \| `([0-9a-f]{{64}})` \|", listed)
    assert row, f"{name} is not listed in VENDORED.md"
    assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == row.group(1)
    assert (VENDOR / name.replace(".min.js", ".LICENSE")).exists()
