"""The brief lists what its summary counts as changed since the last leaders' meeting, and
says how long a concern has been open no more precisely than its first date is known."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
import yaml
from django.utils import translation

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.briefings.build import Brief, Statement, build_brief
from kizuna.briefings.render import render_html, render_pdf
from kizuna.dataset.loader import load_dataset

# After the demo's last leaders' meeting (2025-10-28), which the brief compares with.
DAY = dt.date(2025, 12, 1)
SOURCE = [{"title": "Brief changes fixture", "publisher": "Kizuna tests", "date": "2025-01-01"}]
PUBLIC = {"marking": "public", "sources": SOURCE}
NEW = "Hold a Zephyr workshop on export controls."
INTERNAL = "Zephyr internal target for the minister."


@pytest.fixture
def changed(tmp_path: Path, db: None) -> None:
    """Since the last leaders' meeting: a public commitment and a Japanese internal one, a
    status change; and three open concerns, first raised on a year, a month and a day."""
    concern = {**PUBLIC, "raised_by": "JPN", "about": "USA", "dialogue": "jucip", "status": "open"}
    data = {
        "commitments": [
            {
                "id": "t-chg-new",
                **PUBLIC,
                "text": NEW,
                "dialogue": "jucip",
                "made_on": "2025-11-20",
                "parties": ["USA", "JPN"],
            },
            {
                "id": "t-chg-internal",
                "marking": "government-internal",
                "owner": {"government": "JPN", "agency": "kantei"},
                "sources": SOURCE,
                "illustrative": True,
                "text": INTERNAL,
                "dialogue": "jucip",
                "made_on": "2025-11-21",
                "parties": ["JPN"],
            },
            {
                "id": "t-chg-old",
                **PUBLIC,
                "text": "An older Zephyr commitment whose status moves.",
                "dialogue": "jucip",
                "made_on": "2024-05-01",
                "parties": ["USA"],
            },
        ],
        "assessments": [
            {
                "id": f"t-chg-old-usa-{day}",
                **PUBLIC,
                "illustrative": True,
                "commitment": "t-chg-old",
                "party": "USA",
                "as_of": day,
                "status": status,
            }
            for day, status in (("2025-01-10", "in-progress"), ("2025-11-25", "delivered"))
        ],
        "concerns": [
            {"id": "t-chg-year", **concern, "title": "Zephyr year concern", "first_raised": "2025"},
            {
                "id": "t-chg-month",
                **concern,
                "title": "Zephyr month concern",
                "first_raised": "2025-03",
            },
            {
                "id": "t-chg-day",
                **concern,
                "title": "Zephyr day concern",
                "first_raised": "2025-06-10",
            },
        ],
    }
    path = tmp_path / "t-changes.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    load_dataset([path], actor=Actor.operator())


def _brief(government: str, agency: str, language: str = "en") -> Brief:
    user = User.objects.create(
        username=f"t-chg-{government.lower()}-{language}",
        government=government,
        agency=agency,
        role="coordinator",
    )
    with translation.override(language):
        return build_brief(actor=Actor.from_user(user), as_of=DAY, title="T changes")


def _ids(lines: list[Statement]) -> list[str]:
    return [line["id"] for line in lines]


def test_the_brief_lists_every_change_its_summary_counts(changed: None) -> None:
    brief = _brief("USA", "white-house")
    assert brief["since"] == "2025-10-28"  # the last leaders' meeting
    section = brief["what_changed"]
    lines = [
        *section["commitments"],
        *section["statuses"],
        *section["assessments"],
        *section["dialogues"],
        *section["concerns"],
    ]
    # One line per event: an assessment that changed the status is its status change's line.
    folded = sum(1 for c in brief["changes"] if c["kind"] == "status-change")
    assert brief["summary"]["changes"] == len(lines) == len(brief["changes"]) - folded
    assert "t-chg-new" in _ids(section["commitments"])
    assert "t-chg-old" in _ids(section["statuses"])
    assert "t-chg-old" not in _ids(section["assessments"])
    [status] = [s for s in section["statuses"] if s["id"] == "t-chg-old"]
    assert status["party"] == "USA" and "in progress → delivered" in status["detail"]

    html = render_html(brief)
    changes = html.split('<section id="changes">')[1].split("</section>")[0]
    assert "What changed from Oct. 28, 2025 to Dec. 1, 2025" in changes
    assert "New commitments" in changes and "Status changes" in changes
    assert NEW in changes
    assert 'href="/commitments/t-chg-new/?as_of=2025-12-01"' in changes
    assert "Brief changes fixture" in changes  # the record's source, as every line names it


def test_the_reader_sees_only_the_changes_it_may_see(changed: None) -> None:
    usa = _brief("USA", "white-house")
    jpn = _brief("JPN", "kantei")
    assert "t-chg-internal" not in _ids(usa["what_changed"]["commitments"])
    assert INTERNAL not in render_html(usa)
    assert "t-chg-internal" in _ids(jpn["what_changed"]["commitments"])
    assert INTERNAL in render_html(jpn)
    assert jpn["marking"] in ("government-internal", "agency-internal")


def test_the_japanese_edition_lists_the_changes_in_japanese(changed: None) -> None:
    brief = _brief("USA", "white-house", "ja")
    html = render_html(brief)
    assert "2025年10月28日 から 2025年12月1日 までの変更" in html
    assert "新たなコミットメント" in html and "進捗の変化" in html
    assert "進行中 → 達成" in html


@pytest.mark.slow
def test_the_pdf_lists_the_new_commitment(changed: None) -> None:
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    pdf = render_pdf(_brief("USA", "white-house"))
    text = " ".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "What changed from" in text and "New commitments" in text and NEW in text


@pytest.mark.parametrize(
    ("language", "year", "month", "day"),
    [
        ("en", "open since 2025", "open since March 2025", "open 174 days"),
        ("ja", "2025年から未解決", "2025年3月から未解決", "174日未解決"),
    ],
)
def test_a_concern_known_only_to_its_year_or_month_is_open_since_then(
    changed: None, language: str, year: str, month: str, day: str
) -> None:
    brief = _brief("USA", "white-house", language)
    detail = {row["id"]: row["detail"] for row in brief["concerns"]}
    assert detail["t-chg-year"].endswith(year)
    assert detail["t-chg-month"].endswith(month)
    assert detail["t-chg-day"].endswith(day)  # a known day: counted in days
    assert not re.search(r"\d+ days|\d+日未解決", detail["t-chg-year"] + detail["t-chg-month"])
