"""After a write sent in place (htmx), the address bar shows the commitment and the focus goes
to what became of the form: its first error, or the message that it is recorded.

Slow: a live server and Debian's `chromium`, with tests/web/test_browser.py's fixtures.
"""

from __future__ import annotations

from typing import Any

import pytest

from .test_browser import _page, _restore_demo_after_flush, _sign_in, browser, site

pytestmark = pytest.mark.slow
__all__ = ["_restore_demo_after_flush", "browser", "site"]  # fixtures, used by name

FOCUSED = "() => { const e = document.activeElement; return [e.tagName, e.id, e.className]; }"


def test_a_refused_assessment_focuses_its_first_error_named_by_the_field(
    browser: Any, site: str
) -> None:
    tab = _page(browser)
    _sign_in(tab, site, "wt-usa")
    tab.goto(f"{site}/commitments/wt-c1/assess/")
    tab.locator("main form").get_by_role("button", name="Record").click()
    tab.wait_for_selector("#id_as_of_error")
    assert tab.evaluate(FOCUSED)[1] == "id_as_of"
    described = tab.locator("#id_as_of").get_attribute("aria-describedby")
    assert tab.locator(f"#{described}").get_attribute("role") == "alert"


def test_a_review_sent_in_place_shows_the_commitments_address_and_focuses_its_message(
    browser: Any, site: str
) -> None:
    """The address bar read the review's POST-only address (a reload: an empty 405), and the
    focus fell to the page's body."""
    tab = _page(browser)
    _sign_in(tab, site, "wt-jpn")
    tab.goto(f"{site}/commitments/wt-c1/")
    form = tab.locator('section.side[aria-labelledby="side-USA"] form.review')
    form.get_by_label("Your government's view").select_option("confirmed")
    form.get_by_role("button", name="Send").click()
    tab.get_by_text("Your review is recorded.").wait_for()
    tab.wait_for_function("() => document.activeElement.classList.contains('messages')")
    assert tab.url == f"{site}/commitments/wt-c1/"
    assert tab.reload().status == 200
