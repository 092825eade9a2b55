"""The briefing book from the web: for a meeting or a date and title, checked parameters
(400 with a page in plain words, never a brief of something else, never a message left
behind), a self-contained HTML file with absolute links, a summary that counts commitments,
and a print stylesheet WeasyPrint reads without a warning."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import logging
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.briefings.build import build_brief, meeting_choices
from kizuna.briefings.render import render_html
from kizuna.dataset.loader import load_dataset
from kizuna.web.templatetags.kizuna_web import partial_date

SUMMIT = "leaders-summits-2025-10-28"  # "Trump–Takaichi summit (Tokyo)" in the demo
HIDDEN = "leaders-summits-2025-11-20"
HIDDEN_TITLE = "Zephyr closed-door summit"
SOURCE = [{"title": "Brief downloads fixture", "publisher": "Kizuna tests", "date": "2024-01-01"}]


@pytest.fixture(autouse=True)
def no_totp(settings: pytest.FixtureRequest) -> None:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []  # type: ignore[attr-defined]


def _coordinator(name: str, government: str = "USA", agency: str = "white-house") -> Client:
    client = Client()
    client.force_login(
        User.objects.create(username=name, government=government, agency=agency, role="coordinator")
    )
    return client


@pytest.fixture
def hidden_meeting(tmp_path: Path, db: None) -> str:
    """A Japanese government-internal leaders' meeting: the U.S. coordinator may not see it."""
    data = {
        "meetings": [
            {
                "id": HIDDEN,
                "dialogue": "leaders-summits",
                "title": HIDDEN_TITLE,
                "date": "2025-11-20",
                "level": "leaders",
                "marking": "government-internal",
                "owner": {"government": "JPN", "agency": "kantei"},
                "sources": SOURCE,
                "illustrative": True,
            }
        ]
    }
    path = tmp_path / "t-hidden-meeting.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    load_dataset([path], actor=Actor.operator())
    return HIDDEN


def _pdf_text(data: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return "\n".join(p.extract_text() or "" for p in pages)


# 1. The summary counts commitments.


def test_the_summary_counts_commitments_at_risk_and_needing_a_decision(db: None) -> None:
    # On this date one demo commitment is late for both its parties: two lines, one commitment.
    brief = build_brief(actor=Actor.operator(), as_of=dt.date(2026, 11, 29), title="T count")
    at_risk = Counter(s["id"] for d in brief["dialogues"] for s in d["at_risk"])
    decision = Counter(s["id"] for d in brief["dialogues"] for s in d["decision"])
    assert sum(at_risk.values()) > len(at_risk), "a commitment listed once per late party"
    assert brief["summary"]["at_risk"] == len(at_risk)
    assert brief["summary"]["decision"] == len(decision)
    html = render_html(brief)
    assert f"Commitments at risk</th><td>{len(at_risk)}</td>" in html
    assert f"Commitments needing a decision</th><td>{len(decision)}</td>" in html


# 2. A meeting, or a date and a title.


def test_the_coordinators_page_offers_the_meetings_by_date_and_title(
    hidden_meeting: str,
) -> None:
    html = _coordinator("t-dl-page").get("/coordination/?as_of=2025-10-01").content.decode()
    form = html.split('id="briefing-book"', 1)[1].split("</section>", 1)[0]
    assert 'action="/coordination/brief.pdf"' in form
    assert 'formaction="/coordination/brief.html"' in form
    assert '<select id="b-meeting" name="meeting" required>' in form
    # The next leaders' meeting is chosen, named by its date and title; the hidden one is not offered.
    assert re.search(
        rf'<option value="{SUMMIT}" selected>[^<]*Trump–Takaichi summit \(Tokyo\)', form
    )
    assert HIDDEN not in form and HIDDEN_TITLE not in form
    assert 'name="title"' in form and 'name="as_of"' in form
    assert "style=" not in html.split("<main", 1)[1]  # CSP: no inline styles

    japan = User.objects.create(
        username="t-dl-jpn0", government="JPN", agency="kantei", role="coordinator"
    )
    jpn = meeting_choices(Actor.from_user(japan), dt.date(2025, 10, 1))
    assert HIDDEN in {m["id"] for g in jpn for m in g["meetings"]}


def test_a_brief_for_a_meeting_takes_its_date_and_title(db: None) -> None:
    coord = _coordinator("t-dl-meeting")
    response = coord.get(f"/coordination/brief.html?meeting={SUMMIT}")
    assert response.status_code == 200
    assert f"kizuna-brief-{SUMMIT}-en.html" in response["Content-Disposition"]
    html = response.content.decode()
    assert "<h1>Trump–Takaichi summit (Tokyo)</h1>" in html
    assert "?as_of=2025-10-28" in html and f"?as_of={dt.date.today()}" not in html
    titled = coord.get(f"/coordination/brief.html?meeting={SUMMIT}&title=Tokyo+prep")
    assert "<h1>Tokyo prep</h1>" in titled.content.decode()
    dated = coord.get("/coordination/brief.html?as_of=2024-03-01&title=March+book")
    assert "<h1>March book</h1>" in dated.content.decode()
    assert "?as_of=2024-03-01" in dated.content.decode()


def test_a_meeting_that_is_hidden_or_missing_is_refused_not_replaced(hidden_meeting: str) -> None:
    usa = _coordinator("t-dl-usa")
    for meeting in (hidden_meeting, "t-no-such-meeting"):
        response = usa.get(f"/coordination/brief.html?meeting={meeting}")
        assert response.status_code == 400
        assert "Content-Disposition" not in response
        html = response.content.decode()
        assert f"There is no meeting “{meeting}” that you may see." in html
        assert HIDDEN_TITLE not in html
    both = usa.get(f"/coordination/brief.pdf?meeting={SUMMIT}&as_of=2025-10-01")
    assert both.status_code == 400
    assert "Choose a meeting, or a date and a title, not both." in both.content.decode()

    jpn = _coordinator("t-dl-jpn", "JPN", "kantei")
    response = jpn.get(f"/coordination/brief.html?meeting={hidden_meeting}")
    assert response.status_code == 200
    assert f"<h1>{HIDDEN_TITLE}</h1>" in response.content.decode()


# 3. Bad parameters: 400, a page in plain words, nothing downloaded, no message left behind.


def test_bad_parameters_answer_400_and_leave_no_message_behind(db: None) -> None:
    coord = _coordinator("t-dl-bad")
    response = coord.get(
        "/coordination/brief.html?as_of=2024-01-01&since=2024-06-01&framework=nope"
    )
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    html = response.content.decode()
    assert "The brief could not be drafted." in html
    assert "There is no framework “nope”." in html
    since, day = partial_date(dt.date(2024, 6, 1)), partial_date(dt.date(2024, 1, 1))
    assert f"The comparison date ({since}) is after the date of the brief ({day})." in html

    later = coord.get("/concerns/").content.decode()
    assert "Unknown framework" not in later and "The comparison date" not in later

    for query, problem in (
        ("as_of=2099-99-99", "The date “2099-99-99” is not a date in the form YYYY-MM-DD."),
        ("since=soon", "The comparison date “soon” is not a date in the form YYYY-MM-DD."),
    ):
        bad = coord.get(f"/coordination/brief.pdf?{query}")
        assert bad.status_code == 400 and bad["Content-Type"].startswith("text/html")
        assert problem in bad.content.decode()


def test_the_refusal_is_in_the_readers_language(db: None) -> None:
    coord = _coordinator("t-dl-ja")
    response = coord.get("/coordination/brief.pdf?as_of=2099-99-99", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="ja">' in html and "ブリーフィング資料を作成できなかった。" in html


# 4 and 5. A self-contained HTML file, every link absolute.


def test_the_html_brief_is_self_contained_with_absolute_links(db: None) -> None:
    response = _coordinator("t-dl-html").get("/coordination/brief.html?as_of=2023-12-01")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<link" not in html  # nothing to fetch: a file opened from disk keeps its style
    style = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(style) == 1 and ".brief .banner" in style[0] and "@top-center" in style[0]
    assert '<p class="banner banner-top">' in html and '<body class="brief marking-' in html
    # Shown in a browser under the site's policy, the inlined style is allowed by its hash.
    digest = base64.b64encode(hashlib.sha256(style[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response["Content-Security-Policy"]
    links = re.findall(r'href="([^"]*)"', html)
    ours = [link for link in links if link.startswith("http://testserver/")]
    assert ours and [link for link in links if not link.startswith(("http://", "https://"))] == []
    # A carried agenda item without its own source names the earlier round by its address.
    earlier = "http://testserver/meetings/epcc-2023-10-19/?as_of=2023-12-01"
    assert f'<a class="address" href="{earlier}">{earlier}</a>' in html
    assert " · /meetings/" not in html


@pytest.mark.slow
def test_the_pdf_prints_the_carried_items_source_as_an_absolute_address(db: None) -> None:
    pytest.importorskip("weasyprint")
    response = _coordinator("t-dl-pdf").get("/coordination/brief.pdf?as_of=2023-12-01")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = re.sub(r"\s+", "", _pdf_text(response.content))
    assert "http://testserver/meetings/epcc-2023-10-19/?as_of=2023-12-01" in text


@pytest.mark.slow
def test_the_pdf_for_a_meeting_has_its_title(db: None) -> None:
    pytest.importorskip("weasyprint")
    response = _coordinator("t-dl-pdf-m").get(f"/coordination/brief.pdf?meeting={SUMMIT}")
    assert response.status_code == 200
    assert "Trump–Takaichi summit (Tokyo)" in _pdf_text(response.content)


# 6. Nothing in the print stylesheet that WeasyPrint ignores (it would log a warning).


def test_weasyprint_reads_the_briefs_stylesheet_without_a_warning(
    db: None, caplog: pytest.LogCaptureFixture
) -> None:
    weasyprint = pytest.importorskip("weasyprint")
    brief = build_brief(actor=Actor.operator(), as_of=dt.date(2023, 12, 1), title="T css")
    style = re.findall(r"<style>(.*?)</style>", render_html(brief), re.S)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        weasyprint.CSS(string=style[0])
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


@pytest.mark.slow
def test_the_command_logs_no_weasyprint_warning(
    db: None, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pytest.importorskip("weasyprint")
    out = tmp_path / "b.pdf"
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        call_command("brief", "--meeting", SUMMIT, "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_an_over_long_title_is_refused_not_cut(db: None) -> None:
    response = _coordinator("t-long-title").get(
        "/coordination/brief.html", {"as_of": "2024-06-01", "title": "t" * 250}
    )
    assert response.status_code == 400
    assert "250 characters long; 200 at most" in response.content.decode()


def test_the_calendar_ahead_links_each_round_as_of_its_own_day(db: None) -> None:
    """As of a past date the calendar ahead lists later rounds; linked as of the brief's
    date, each of their pages answered "not found"."""
    from kizuna.access.actor import Actor
    from kizuna.briefings.build import build_brief

    actor = Actor(name="t-cal", government="USA", agency="white-house", role="coordinator")
    brief = build_brief(actor=actor, as_of=dt.date(2024, 6, 1), title="t")
    client = _coordinator("t-cal-links")
    assert brief["calendar"], "the demo holds rounds after 2024-06-01"
    for item in brief["calendar"]:
        assert item["link"].endswith(f"?as_of={item['date']}")
        assert client.get(item["link"]).status_code == 200, item["link"]
