"""End-to-end in a real browser (Debian's chromium driven by Playwright), with axe-core.

Slow: run with `pytest -m slow`. Needs `chromium` and `fonts-noto-cjk` from apt (the test
command installs them) and the `playwright` Python package; never `playwright install`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kizuna.accounts.models import User
from kizuna.audit.testing import audit_log_flushable_in_tests
from kizuna.commitments.models import Commitment, Note
from kizuna.documents.models import Document
from kizuna.registry.models import Dialogue

pytestmark = pytest.mark.slow

playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "correct horse battery staple 42"
# Everything that says a page meets WCAG 2.1 AA, and axe's best practices besides.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PASSAGE_IN_VIEW = """() => {
    const box = document.querySelector('.passage'), mark = box.querySelector('mark');
    return mark.offsetTop >= box.scrollTop && mark.offsetTop < box.scrollTop + box.clientHeight;
}"""


@pytest.fixture(scope="module", autouse=True)
def _restore_demo_after_flush(django_db_blocker: Any) -> Iterator[None]:
    """live_server tests end by emptying every table, the append-only audit log too (the
    test-only path, for this module alone); put the session's demo back after them.

    Module-wide because pytest-django's flush runs after every function-scoped fixture of
    the test has ended, the root conftest's per-test opening among them.
    """
    with audit_log_flushable_in_tests():
        yield
    if os.environ.get("KIZUNA_TEST_SKIP_DEMO") != "1":
        with django_db_blocker.unblock():
            call_command("load_demo", verbosity=0)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (apt-get install -y chromium fonts-noto-cjk)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # fixtures here are still plain synchronous calls, so Django's guard can stand down.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(
    live_server: Any, transactional_db: None, load_workspace: Callable[..., None], settings: Any
) -> str:
    # The coordinator persona signs in with a password alone here: the second factor has its
    # own tests (tests/accounts/test_login.py); these are about the pages behind it.
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []
    load_workspace()
    for username, government, agency, role in [
        ("wt-usa", "USA", "wt-doc", "desk-officer"),
        ("wt-jpn", "JPN", "wt-meti", "desk-officer"),
        ("wt-coord", "USA", "wt-doc", "coordinator"),
    ]:
        user = User(username=username, government=government, agency=agency, role=role)
        user.set_password(PASSWORD)
        user.save()
    return str(live_server.url)


def _page(browser: Any, locale: str = "en-US") -> Any:
    # bypass_csp lets the test inject axe-core; the application's own pages need no inline code.
    context = browser.new_context(
        locale=locale, bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    return context.new_page()


def _strict_page(browser: Any) -> tuple[Any, list[str]]:
    """A page under the application's own CSP (no bypass), and the list that collects every
    console error and warning and uncaught exception on it: a CSP violation is reported as a
    console error, and vega-lite says what it had to change in a spec as a warning (the home
    chart once logged `Dropping "fit-y" because spec has discrete height.`)."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


# A marker set on `window` survives an htmx swap and is gone after a full page load.
SET_MARKER = "() => { window.kizunaNoReload = 1; }"
HAS_MARKER = "() => window.kizunaNoReload === 1"
DRAWN_CHART = 'figure.chart[data-vega-state="drawn"] svg'


def _sign_in(page: Any, site: str, username: str) -> None:
    page.goto(f"{site}/")
    assert "/accounts/login/" in page.url
    # By field name, not label: the same sign-in serves readers of either language.
    page.locator('main input[name="username"]').fill(username)
    page.locator('main input[name="password"]').fill(PASSWORD)
    page.locator('main form button[type="submit"]').click()
    page.wait_for_url(f"{site}/")


def _axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            }));
        }""",
        AXE_TAGS,
    )
    return violations


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=False)


def test_a_desk_officer_walks_from_home_to_a_commitment_and_back(browser: Any, site: str) -> None:
    page = _page(browser)
    _sign_in(page, site, "wt-usa")
    _shot(page, "home.png")

    page.get_by_role("link", name="WTED", exact=True).first.click()
    page.wait_for_url("**/dialogues/wt-dlg/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Test Economic Dialogue")
    _shot(page, "dialogue.png")

    page.get_by_role("link", name="Round 1").first.click()
    page.wait_for_url("**/meetings/wt-dlg-2022-07-29/")
    assert page.get_by_text("Chip supply chains, follow-up").is_visible()
    _shot(page, "meeting.png")

    page.get_by_role("link", name="Build a resilient chip supply chain.").first.click()
    page.wait_for_url("**/commitments/wt-c1/")
    assert page.locator("mark#passage").inner_text().startswith("The two sides will build")
    assert page.get_by_text("The parties disagree").is_visible()
    _shot(page, "commitment.png")


@pytest.fixture
def demo_site(live_server: Any, transactional_db: None) -> str:
    """The U.S.–Japan demo with two personas, or a skip while the demo does not load."""
    try:
        call_command("load_demo", verbosity=0)
    except CommandError as exc:
        pytest.skip(f"the demo dataset does not load yet: {exc}")
    if Dialogue.objects.filter(pk__in=["jucip", "epcc"]).count() != 2:
        pytest.skip("the demo has no JUCIP or no EPCC yet")
    for username, government, agency in [
        ("usa-desk-officer", "USA", "commerce"),
        ("jpn-desk-officer", "JPN", "meti"),
    ]:
        user = User.objects.filter(username=username).first() or User(
            username=username, government=government, agency=agency, role="desk-officer"
        )
        user.set_password(PASSWORD)
        user.save()
    return str(live_server.url)


def test_the_demo_from_home_to_jucip_to_a_meeting_to_a_commitment(
    browser: Any, demo_site: str
) -> None:
    page = _page(browser)
    _sign_in(page, demo_site, "usa-desk-officer")
    _shot(page, "home.png")  # the README's screenshot: the real U.S.–Japan workspace
    page.locator('main a[href="/dialogues/jucip/"]').first.click()
    page.wait_for_url("**/dialogues/jucip/")
    _shot(page, "dialogue.png")
    page.locator('main ol.timeline a[href^="/meetings/"]').first.click()
    page.wait_for_url("**/meetings/**")
    _shot(page, "meeting.png")
    commitment = page.locator('main table a[href^="/commitments/"]').first
    if commitment.count():
        commitment.click()
        page.wait_for_url("**/commitments/**")
        if page.locator("mark#passage").count():
            assert page.evaluate(PASSAGE_IN_VIEW), "the source box opens on the passage"
        _shot(page, "commitment.png")

    # EPCC was launched on 2022-01-21: the day before, the workspace did not know it.
    page.goto(f"{demo_site}/?as_of=2022-01-20")
    assert page.locator('main a[href^="/dialogues/epcc/"]').count() == 0
    page.goto(f"{demo_site}/?as_of=2022-01-21")
    assert page.locator('main a[href^="/dialogues/epcc/"]').count() >= 1


def test_the_demo_personas_see_only_their_own_governments_internal_records(
    browser: Any, demo_site: str
) -> None:
    internal = (
        Note.objects.filter(marking="government-internal", owner_government_id="JPN")
        .exclude(commitment=None)
        .first()
    )
    if internal is None:
        pytest.skip("the demo has no JPN internal note on a commitment yet")
    url = f"{demo_site}/commitments/{internal.commitment_id}/"
    words = internal.text.split("\n")[0][:40]
    jpn = _page(browser)
    _sign_in(jpn, demo_site, "jpn-desk-officer")
    jpn.goto(url)
    assert words in " ".join(jpn.locator("main").inner_text().split())
    usa = _page(browser)
    _sign_in(usa, demo_site, "usa-desk-officer")
    usa.goto(url)
    assert words not in " ".join(usa.locator("main").inner_text().split())


def test_filters_search_language_and_as_of(browser: Any, site: str) -> None:
    page = _page(browser)
    _sign_in(page, site, "wt-usa")

    page.goto(f"{site}/commitments/")
    page.get_by_label("Dialogue").select_option("wt-dlg")
    page.get_by_label("Lifecycle").select_option("superseded")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/commitments/?*lifecycle=superseded*")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1 and "export-control" in rows.first.inner_text()
    _shot(page, "commitments.png")

    page.get_by_role("searchbox", name="Search commitments, documents and meetings").fill(
        "resilient"
    )
    page.get_by_role("button", name="Search", exact=True).first.click()
    page.wait_for_url("**/search/?q=resilient*")
    assert page.get_by_role("link", name="Build a resilient chip supply chain.").is_visible()
    _shot(page, "search.png")

    page.goto(f"{site}/")
    assert page.locator('a[href^="/dialogues/wt-later/"]').count() >= 1
    page.get_by_label("Workspace as of").fill("2022-06-01")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url("**/?as_of=2022-06-01")
    assert page.locator('a[href^="/dialogues/wt-later/"]').count() == 0
    assert page.locator('a[href="/dialogues/wt-dlg/?as_of=2022-06-01"]').count() >= 1

    page.get_by_role("button", name="日本語").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("heading", name="誰が何を主導しているか").is_visible()
    assert "as_of=2022-06-01" in page.url  # the switch returns to the same view
    page.goto(f"{site}/dialogues/wt-dlg/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("テスト経済対話")
    _shot(page, "dialogue-ja.png")


def test_the_other_governments_persona_does_not_see_an_internal_record(
    browser: Any, site: str
) -> None:
    jpn = _page(browser)
    _sign_in(jpn, site, "wt-jpn")
    jpn.goto(f"{site}/commitments/wt-c-jpn-internal/")
    assert jpn.get_by_text("Internal target").first.is_visible()

    usa = _page(browser)
    _sign_in(usa, site, "wt-usa")
    response = usa.goto(f"{site}/commitments/wt-c-jpn-internal/")
    assert response.status == 404
    usa.goto(f"{site}/commitments/?dialogue=wt-dlg")
    assert "Internal target" not in usa.content()


MAIN_PAGES = [
    "/",
    "/dialogues/",
    "/dialogues/wt-dlg/",
    "/meetings/wt-dlg-2022-07-29/",
    "/commitments/",
    "/commitments/wt-c1/",
    "/agencies/wt-doc/",
    "/concerns/",
    "/search/?q=chip",
    "/calendar/?from=2022-01-01&to=2026-12-31",
]


def test_the_main_pages_have_no_accessibility_violations(browser: Any, site: str) -> None:
    found: dict[str, Any] = {}
    for locale in ("en-US", "ja-JP"):
        page = _page(browser, locale)
        _sign_in(page, site, "wt-coord")
        for path in [*MAIN_PAGES, "/coordination/"]:
            page.goto(site + path)
            if page.locator("figure.chart").count():  # judge the chart as drawn, not its stand-in
                page.wait_for_selector(DRAWN_CHART)
            if violations := _axe_violations(page):
                found[f"{locale} {path}"] = violations
    login = _page(browser)
    login.goto(f"{site}/accounts/login/")
    if violations := _axe_violations(login):
        found["login"] = violations
    summary = {where: sorted({v["id"] for v in vs}) for where, vs in found.items()}
    assert found == {}, summary


def test_the_pages_fit_a_laptop_and_a_tablet(browser: Any, site: str) -> None:
    page = _page(browser)
    _sign_in(page, site, "wt-coord")
    overflowing = []
    for width, height in [(1280, 900), (768, 1024)]:
        page.set_viewport_size({"width": width, "height": height})
        for path in [*MAIN_PAGES, "/coordination/"]:
            page.goto(site + path)
            if page.locator("figure.chart").count():
                page.wait_for_selector(DRAWN_CHART)
            # No sideways scrolling of the whole page (wide tables scroll inside their own box).
            if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"):
                overflowing.append(f"{width} {path}")
    assert overflowing == []
    page.goto(f"{site}/")
    page.wait_for_selector(DRAWN_CHART)
    _shot(page, "home-tablet.png")


def test_the_users_page_fits_a_phone(browser: Any, site: str) -> None:
    admin = User(username="wt-admin", government="USA", agency="wt-doc", role="admin")
    admin.set_password(PASSWORD)
    admin.save()
    for locale in ("en-US", "ja-JP"):
        page = _page(browser, locale)
        page.set_viewport_size({"width": 390, "height": 800})
        _sign_in(page, site, "wt-admin")
        page.goto(f"{site}/accounts/users/")
        # The table scrolls in its own box (a visually hidden label in a scrolled-off cell
        # once widened the page itself); the page does not scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert page.locator(".table-wrap[role=region][tabindex='0']").count() == 1
        page.context.close()


def test_the_charts_are_drawn_in_the_page_from_their_spec_under_the_csp(
    browser: Any, site: str
) -> None:
    page, errors = _strict_page(browser)
    _sign_in(page, site, "wt-coord")
    # Home: commitments by party and status, drawn by vega-embed from the spec in the page.
    chart = page.locator(DRAWN_CHART)
    chart.wait_for()
    spec = page.locator("figure.chart[data-vega-json]")
    assert spec.count() == 1
    # One bar per party and status with commitments, as the spec in the page says (the
    # workspace's, and the demo's when it is loaded: this test may run first in its process).
    bars = json.loads(spec.get_attribute("data-vega-json") or "{}")["data"]["values"]
    assert len(bars) >= 3  # the workspace's own: JPN in progress; USA delivered, not assessed
    assert page.locator("figure.chart svg g.mark-rect path").count() == len(bars)
    assert "USA" in chart.inner_html() and "JPN" in chart.inner_html()
    chart.scroll_into_view_if_needed()
    _shot(page, "home-chart.png")

    # Coordination: the coverage heatmap, the server's SVG replaced by the same spec drawn here.
    page.goto(f"{site}/coordination/")
    page.locator(DRAWN_CHART).wait_for()
    assert page.locator("figure.chart img.chart-fallback").count() == 0
    heatmap = page.locator(DRAWN_CHART)
    # The axes name the dialogue and the topic as the tables do, not by slug.
    assert "WTED" in heatmap.inner_html() and "Test chips" in heatmap.inner_html()
    assert "wt-dlg" not in heatmap.inner_html()
    # Legend labels are counts: formatted as integers, as in the server's SVG for the PDF.
    assert "4.000000" not in heatmap.inner_html()
    heatmap.scroll_into_view_if_needed()
    _shot(page, "coordination.png")
    # Updated in place (the header's date, an htmx swap): drawn again for the new date.
    page.evaluate(SET_MARKER)
    page.get_by_label("Workspace as of").fill("2023-12-01")
    page.locator("#as_of").press("Enter")
    page.wait_for_url("**as_of=2023-12-01**")
    page.locator(DRAWN_CHART).wait_for()
    assert page.evaluate(HAS_MARKER), "the date reloaded the whole page"
    assert errors == []


def test_the_commitment_list_filters_sorts_and_pages_in_place(
    browser: Any, site: str, settings: Any
) -> None:
    page, errors = _strict_page(browser)
    _sign_in(page, site, "wt-usa")
    page.goto(f"{site}/commitments/")
    page.evaluate(SET_MARKER)
    all_rows = page.locator("main table tbody tr").count()

    # Choosing a filter is enough: the list is fetched and swapped in, and the URL follows.
    page.get_by_label("Dialogue").select_option("wt-dlg")
    page.wait_for_url("**/commitments/?*dialogue=wt-dlg*")
    page.get_by_label("Lifecycle").select_option("superseded")
    page.wait_for_url("**/commitments/?*lifecycle=superseded*")
    rows = page.locator("main table tbody tr")
    rows.first.filter(has_text="export-control").wait_for()
    assert rows.count() == 1
    assert page.evaluate(HAS_MARKER), "the filter reloaded the whole page"

    # The back button returns to the previous filter, still without a reload.
    page.go_back()
    page.wait_for_url("**/commitments/?*dialogue=wt-dlg*")
    # A second row is back (not wait_for_function: the CSP forbids the eval it needs).
    page.locator("main table tbody tr").nth(1).wait_for()
    assert page.get_by_label("Lifecycle").input_value() == ""

    # Sorting swaps the table in place too; so does paging (one commitment a page from here).
    settings.KIZUNA_PAGE_SIZE = 1
    page.get_by_role("link", name="Deadline").click()
    page.wait_for_url("**/commitments/?*sort=deadline*")
    page.wait_for_selector('th[aria-sort="ascending"]')
    assert page.get_by_label("Sort by").input_value() == "deadline"  # the next filter keeps it
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url("**/commitments/?*page=2*")
    page.get_by_text("Page 2", exact=True).wait_for()
    assert page.get_by_role("link", name="Next page").count() == 0  # the last page
    assert "sort=deadline" in page.url and "dialogue=wt-dlg" in page.url
    # The count arrives after the rows, in its place, and leaves the address alone.
    page.locator("main p.count").get_by_text("2 commitments").wait_for()
    assert "commitments.count" not in page.url
    assert page.evaluate(HAS_MARKER)
    assert all_rows >= 2
    assert errors == []


def test_the_list_names_an_ignored_filter_beside_its_field_after_an_in_place_update(
    browser: Any, site: str
) -> None:
    """With script, a filter change swaps in the results alone; the fields' error boxes come
    along, so a reversed deadline range is named (not silently dropped) and a value no longer
    sent is no longer named. Quick changes queue rather than abort each other: htmx logs an
    aborted request as a console error."""
    page, errors = _strict_page(browser)
    _sign_in(page, site, "wt-usa")
    page.goto(f"{site}/commitments/?status=foo")
    status = page.get_by_label("Latest status")
    assert "“foo” is not a status" in page.locator("#id_status_error").inner_text()
    assert status.get_attribute("aria-invalid") == "true"
    page.evaluate(SET_MARKER)

    # The status select shows "any" (foo is not among its choices): the next change sends that.
    page.get_by_label("Dialogue").select_option("wt-dlg")
    page.wait_for_url("**/commitments/?*dialogue=wt-dlg*")
    page.locator("#id_status_error [role=alert]").wait_for(state="detached")
    assert status.get_attribute("aria-invalid") is None

    # Both dates at once, the second while the first is fetched.
    page.get_by_label("Deadline from").fill("2027-01-01")
    page.get_by_label("Deadline to").fill("2026-01-01")
    alert = page.locator("#id_deadline_to_error [role=alert]")
    alert.wait_for()
    assert "neither date was applied" in alert.inner_text()
    deadline_to = page.get_by_label("Deadline to")
    assert deadline_to.get_attribute("aria-invalid") == "true"
    assert deadline_to.get_attribute("aria-describedby") == "id_deadline_to_error"

    # Words and Enter: a change and a submit, one right after the other.
    page.get_by_label("Words").fill("chip")
    page.get_by_label("Words").press("Enter")
    page.wait_for_url("**/commitments/?*q=chip*")
    page.locator("main table tbody tr").first.wait_for()
    assert page.evaluate(HAS_MARKER), "the filter reloaded the whole page"
    assert errors == []


def test_a_sorted_column_keeps_the_keyboard_on_its_header(browser: Any, site: str) -> None:
    """Sorting swaps in a new table: the focus went to the page's body, and a keyboard
    reader had to find the table again."""
    page, errors = _strict_page(browser)
    _sign_in(page, site, "wt-usa")
    page.goto(f"{site}/commitments/?dialogue=wt-dlg")
    header = page.locator("main thead th", has_text="Deadline").locator("a")
    header.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/commitments/?*sort=deadline*")
    page.locator('main thead th[aria-sort="ascending"]').wait_for()
    focused = page.locator("main thead th:focus-within")
    focused.wait_for()  # the focus moves once the swap settles
    assert focused.inner_text() == "Deadline"
    assert errors == []


def test_search_follows_the_words_typed(browser: Any, site: str) -> None:
    page, errors = _strict_page(browser)
    _sign_in(page, site, "wt-usa")
    page.goto(f"{site}/search/")
    page.evaluate(SET_MARKER)
    page.locator("main #q").fill("resilient")  # no button pressed: the results follow
    page.wait_for_url("**/search/?q=resilient*")
    page.get_by_role("link", name="Build a resilient chip supply chain.").wait_for()
    assert page.evaluate(HAS_MARKER)
    assert errors == []


def test_the_as_of_date_changes_the_page_without_a_reload(browser: Any, site: str) -> None:
    page, errors = _strict_page(browser)
    _sign_in(page, site, "wt-usa")
    page.evaluate(SET_MARKER)
    page.get_by_label("Workspace as of").fill("2022-06-01")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url("**/?as_of=2022-06-01")
    page.locator('a[href="/dialogues/wt-dlg/?as_of=2022-06-01"]').first.wait_for()
    assert page.locator('a[href^="/dialogues/wt-later/"]').count() == 0
    assert page.evaluate(HAS_MARKER)
    assert errors == []


def test_recording_an_assessment_shows_it_without_a_reload(browser: Any, site: str) -> None:
    page, errors = _strict_page(browser)
    _sign_in(page, site, "wt-usa")
    page.goto(f"{site}/commitments/wt-c1/assess/")
    page.evaluate(SET_MARKER)
    form = page.locator("main form")
    form.get_by_label("As of", exact=True).fill("2024-05-01")
    form.get_by_label("Status").select_option("stalled")
    form.get_by_label("Evidence").fill("Browser test: the fab is on hold.")
    form.get_by_role("button", name="Record").click()
    page.wait_for_url("**/commitments/wt-c1/")
    page.get_by_text("Your government's assessment is recorded.").wait_for()
    usa = page.locator('section.side[aria-labelledby="side-USA"]')
    assert "Browser test: the fab is on hold." in usa.inner_text()
    assert page.evaluate(HAS_MARKER), "recording reloaded the whole page"

    # The counterpart contests it from the commitment page: the verdict shows at once.
    jpn, jpn_errors = _strict_page(browser)
    _sign_in(jpn, site, "wt-jpn")
    jpn.goto(f"{site}/commitments/wt-c1/")
    jpn.evaluate(SET_MARKER)
    form = jpn.locator('section.side[aria-labelledby="side-USA"] form.review')
    form.get_by_label("Your government's view").select_option("contested")
    form.get_by_label("Reason (needed to contest)").fill("Not on hold yet.")
    form.get_by_role("button", name="Send").click()
    jpn.get_by_text("Your review is recorded.").wait_for()
    usa_side = jpn.locator('section.side[aria-labelledby="side-USA"]')
    assert "Not on hold yet." in usa_side.inner_text()
    assert jpn.evaluate(HAS_MARKER)
    assert errors == [] and jpn_errors == []


def test_a_reviewer_accepts_a_candidate_by_ticking_names(
    browser: Any, site: str, tmp_path: Path
) -> None:
    """The accept form offers governments, agencies and topics by name, the extractor's
    suggestions ticked; the reviewer changes them with the mouse, not by typing codes."""
    statement = tmp_path / "2024-05-02-statement.txt"
    statement.write_text(
        "Joint Statement of the Test Economic Dialogue\n\nMay 2, 2024\n\n"
        "The United States will expand a chip supply chain programme by the end of 2025.\n",
        encoding="utf-8",
    )
    call_command(
        "ingest", str(statement), "--dialogue", "wt-dlg", "--as-user", "wt-usa", "--no-progress"
    )
    document = Document.objects.get(title__startswith="Joint Statement of the Test")
    for locale in ("en-US", "ja-JP"):
        checked = _page(browser, locale)
        _sign_in(checked, site, "wt-usa")
        checked.goto(f"{site}/documents/{document.pk}/review/")
        checked.locator("article.candidate details").first.evaluate("d => { d.open = true; }")
        assert _axe_violations(checked) == [], locale
    page, errors = _strict_page(browser)
    _sign_in(page, site, "wt-usa")
    page.goto(f"{site}/documents/{document.pk}/review/")
    candidate = page.locator("article.candidate").first
    candidate.get_by_text("Accept (edit if needed)").click()
    form = candidate.locator("form").first
    assert form.get_by_label("United States").is_checked()  # the extractor's suggestion
    form.get_by_label("Japan").check()
    form.get_by_label("Owner agencies").select_option(["wt-doc", "wt-meti"])
    # The extractor's topics (the demo's taxonomy when loaded, none else) come ticked.
    suggested = form.locator('input[name="topics"]:checked').evaluate_all(
        "boxes => boxes.map(b => b.value)"
    )
    form.get_by_label("Test chips").check()
    form.get_by_role("button", name="Accept as a commitment").click()
    page.get_by_text("Accepted as commitment").wait_for()
    accepted = Commitment.objects.get(document=document)
    assert set(accepted.parties.values_list("pk", flat=True)) == {"USA", "JPN"}
    assert set(accepted.owners.values_list("agency_id", flat=True)) == {"wt-doc", "wt-meti"}
    # The extractor's topics stay ticked beside the one added.
    assert set(accepted.topics.values_list("pk", flat=True)) == {*suggested, "wt-chips"}
    assert errors == []
