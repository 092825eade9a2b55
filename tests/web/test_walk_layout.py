"""Long unbroken text wraps and wide tables scroll in their own box: no page is wider than
the window, at a laptop's width or a tablet's.

Slow: needs Debian's `chromium` and the `playwright` package (as tests/web/test_browser.py).
The browser asks a made-up origin, and each of its requests is answered here by Django's
test client, inside the test's transaction: no live server, and the demo stays loaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from kizuna.accounts.models import User
from kizuna.commitments.models import AssessmentReview, Commitment

pytestmark = pytest.mark.slow

playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
ORIGIN = "http://kizuna.test"
DRAWN_CHART = 'figure.chart[data-vega-state="drawn"] svg'


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (apt-get install -y chromium fonts-noto-cjk)")
    # Playwright's loop runs in this thread: the database calls made here (the fixtures', and
    # the test client's answers to the browser) are plain synchronous calls all the same.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with playwright_sync.sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless", "--disable-gpu"]
            )
            yield browser
            browser.close()


@pytest.fixture
def show(browser: Any, workspace_loaded: None, settings: Any) -> Iterator[Any]:
    """`show(path, width)`: a Japanese coordinator's page, drawn in a window that wide.

    The test client answers the page here; the browser asks a made-up origin for it and its
    static files (read from disk), so that no database call runs inside Playwright's loop.
    Any other request (an htmx fetch) is answered 204.
    """
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []
    client = Client(HTTP_ACCEPT_LANGUAGE="ja")
    client.force_login(
        User.objects.create(
            username="wt-walk", government="USA", agency="wt-doc", role="coordinator"
        )
    )
    pages: dict[str, Any] = {}

    def answer(route: Any) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        if path in pages:
            response = pages[path]
            headers = {key: value for key, value in response.items()}
            route.fulfill(status=response.status_code, headers=headers, body=response.content)
        elif path.startswith(settings.STATIC_URL) and (
            found := finders.find(path.removeprefix(settings.STATIC_URL).split("?")[0])
        ):
            route.fulfill(path=found)
        else:
            route.fulfill(status=204)

    context = browser.new_context(locale="ja-JP")
    context.route(f"{ORIGIN}/**", answer)
    tab = context.new_page()

    def show(path: str, width: int) -> Any:
        pages[path] = client.get(path)
        assert pages[path].status_code == 200, path
        tab.set_viewport_size({"width": width, "height": 900})
        tab.goto(ORIGIN + path)
        if tab.locator("figure.chart").count():
            tab.wait_for_selector(DRAWN_CHART)
        return tab

    yield show
    context.close()


def _page_width(tab: Any) -> int:
    return int(tab.evaluate("document.documentElement.scrollWidth"))


# Boxes that scroll sideways but cannot be reached by keyboard (axe: scrollable-region-focusable).
UNREACHABLE_SCROLLING = """() => [...document.querySelectorAll('main *')]
    .filter(e => e.scrollWidth > e.clientWidth + 1 && !e.hasAttribute('tabindex')
                 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
    .map(e => e.tagName.toLowerCase() + '.' + e.className)"""


def test_long_words_wrap_instead_of_widening_the_page(show: Any) -> None:
    Commitment.objects.filter(pk="wt-c1").update(text="x" * 6000)
    Commitment.objects.filter(pk="wt-c2").update(text="y" * 3000)
    AssessmentReview.objects.filter(assessment_id="wt-a1").update(reason="z" * 2000)
    paths = ["/commitments/wt-c1/", "/commitments/?dialogue=wt-dlg", "/", "/coordination/"]
    wide = []
    for width in (1280, 768):
        for path in paths:
            tab = show(path, width)
            if _page_width(tab) > width + 1:
                wide.append(f"{width} {path}: the page is {_page_width(tab)}px wide")
            # A table with a long word scrolled in its box: its text wraps instead.
            wide += [f"{width} {path}: {box}" for box in tab.evaluate(UNREACHABLE_SCROLLING)]
    assert wide == []


def test_the_coverage_table_scrolls_in_a_region_reached_by_keyboard(show: Any) -> None:
    tab = show("/coordination/", 1280)
    region = tab.locator('[role="region"][tabindex="0"]:has(table.heatmap-table)')
    assert region.count() == 1 and region.get_attribute("aria-label")
    # The demo's many dialogues make the table wider than its box: the box scrolls, not the page.
    assert region.evaluate("box => box.scrollWidth > box.clientWidth")
    assert _page_width(tab) <= 1281


# Column headers narrower than 5em: a squeezed column, its words set a character a line.
NARROW_COLUMNS = """() => [...document.querySelectorAll('main th[scope=col]')]
    .filter(th => th.getBoundingClientRect().width < 5 * parseFloat(getComputedStyle(th).fontSize) - 1)
    .map(th => th.textContent.trim())"""


def test_japanese_tables_keep_readable_columns_and_scroll_in_their_box_on_a_phone(
    show: Any,
) -> None:
    """Japanese breaks between any two characters: a table squeezed to a phone's width set
    its text columns one character wide ("ア/メ/リ/カ") instead of scrolling in its box, and
    the coordination page's tables, unwrapped, widened the page."""
    for path in ("/commitments/", "/coordination/"):
        tab = show(path, 390)
        assert _page_width(tab) <= 391, f"{path}: the page is {_page_width(tab)}px wide"
        assert tab.evaluate(NARROW_COLUMNS) == [], path
        # Each box that scrolls is a named region the keyboard reaches (app.js).
        unnamed = tab.evaluate(UNNAMED_SCROLLING_TABLES)
        assert unnamed == [], f"{path}: scrolling tables without a reachable name: {unnamed}"


UNNAMED_SCROLLING_TABLES = """() => [...document.querySelectorAll(".table-wrap")]
  .filter((box) => box.scrollWidth > box.clientWidth)
  .filter((box) => box.tabIndex !== 0 || box.getAttribute("role") !== "region"
                   || !box.getAttribute("aria-label"))
  .map((box) => box.querySelector("th") && box.querySelector("th").textContent)"""
