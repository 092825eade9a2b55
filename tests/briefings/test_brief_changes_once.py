"""The brief's "What changed" tells each event once: an assessment that changed its party's
status is one line, the status change (from → to, party, date), not that line and a "new
assessment" line besides; an assessment that left the status as it was is still listed. The
analysis behind it (`kizuna analyze changes`) still reports both, as its contract says."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.utils import translation

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.briefings.build import Brief, build_brief
from kizuna.briefings.render import render_html
from kizuna.dataset.loader import load_dataset

# The demo's briefs on this day are public, and the last leaders' meeting before it (the
# window's start) is 2022-06-26: a government-internal change in the window shows in the
# brief's marking.
DAY = dt.date(2023, 1, 1)
SOURCE = [
    {"title": "Brief changes once fixture", "publisher": "Kizuna tests", "date": "2021-01-01"}
]
PUBLIC = {"marking": "public", "sources": SOURCE, "illustrative": True}
MOVED = "Zephyr-once commitment whose U.S. status moves."
STEADY = "Zephyr-once commitment whose Japanese status holds."


@pytest.fixture
def assessed(tmp_path: Path, db: None) -> None:
    """Two commitments made before the window. In it: the United States' status of the first
    moves from in progress to delivered (a government-internal assessment), and Japan assesses
    the second again, in progress as before."""
    commitments = [
        {
            "id": pk,
            **PUBLIC,
            "text": text,
            "dialogue": "jucip",
            "made_on": "2021-11-15",
            "parties": ["USA", "JPN"],
        }
        for pk, text in (("t-once-moved", MOVED), ("t-once-steady", STEADY))
    ]
    assessments = [
        {
            "id": "t-once-moved-usa-1",
            **PUBLIC,
            "commitment": "t-once-moved",
            "party": "USA",
            "as_of": "2022-03-01",
            "status": "in-progress",
        },
        {
            "id": "t-once-moved-usa-2",
            **PUBLIC,
            "marking": "government-internal",
            "owner": {"government": "USA", "agency": "white-house"},
            "commitment": "t-once-moved",
            "party": "USA",
            "as_of": "2022-11-15",
            "status": "delivered",
        },
        {
            "id": "t-once-steady-jpn-1",
            **PUBLIC,
            "commitment": "t-once-steady",
            "party": "JPN",
            "as_of": "2022-02-01",
            "status": "in-progress",
        },
        {
            "id": "t-once-steady-jpn-2",
            **PUBLIC,
            "commitment": "t-once-steady",
            "party": "JPN",
            "as_of": "2022-11-20",
            "status": "in-progress",
        },
    ]
    path = tmp_path / "t-changes-once.yaml"
    path.write_text(
        yaml.safe_dump({"commitments": commitments, "assessments": assessments}, allow_unicode=True)
    )
    load_dataset([path], actor=Actor.operator())


def _brief(government: str, agency: str) -> Brief:
    user = User.objects.create(
        username=f"t-once-{government.lower()}",
        government=government,
        agency=agency,
        role="coordinator",
    )
    with translation.override("en"):
        return build_brief(actor=Actor.from_user(user), as_of=DAY, title="T changes once")


def _groups(html: str) -> dict[str, str]:
    """The section "What changed" of the rendered brief, by group heading: each group's
    text, tags stripped and spaces folded."""
    section = html.split('<section id="changes">')[1].split("</section>")[0]
    parts = re.split(r"<h3>(.*?)</h3>", section)
    return {
        heading: " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", body)).split())
        for heading, body in zip(parts[1::2], parts[2::2], strict=True)
    }


def test_a_status_change_is_one_line_and_a_steady_assessment_still_shows(
    assessed: None,
) -> None:
    brief = _brief("USA", "white-house")
    assert brief["since"] == "2022-06-26"

    # The analysis is as it was: the assessment and the status change it carries.
    reported = {(c["kind"], c["id"]) for c in brief["changes"]}
    assert {("assessment", "t-once-moved-usa-2"), ("status-change", "t-once-moved-usa-2")} <= (
        reported
    )
    assert ("assessment", "t-once-steady-jpn-2") in reported
    assert ("status-change", "t-once-steady-jpn-2") not in reported

    # The brief: one line per event, which the summary counts.
    html = render_html(brief)
    groups = _groups(html)
    everything = " ".join(groups.values())
    assert everything.count(MOVED) == 1
    assert MOVED in groups["Status changes"]
    assert MOVED not in groups["New assessments"]
    assert "in progress → delivered" in groups["Status changes"]
    [moved] = [s for s in brief["what_changed"]["statuses"] if s["id"] == "t-once-moved"]
    assert moved["party"] == "USA"
    assert moved["detail"] == "in progress → delivered · Nov. 15, 2022"
    assert "t-once-moved" not in {s["id"] for s in brief["what_changed"]["assessments"]}

    # An assessment that left the status as it was is still a line of its own.
    assert everything.count(STEADY) == 1
    assert STEADY in groups["New assessments"]
    [steady] = [s for s in brief["what_changed"]["assessments"] if s["id"] == "t-once-steady"]
    assert steady["party"] == "JPN" and steady["detail"].startswith("in progress · ")

    section = brief["what_changed"]
    lines = sum(len(section[group]) for group in section)  # type: ignore[literal-required]
    folded = sum(1 for c in brief["changes"] if c["kind"] == "status-change")
    assert brief["summary"]["changes"] == lines == len(brief["changes"]) - folded

    # The markings rule holds: the folded pair's internal assessment still marks the brief.
    assert brief["marking"] == "government-internal"


def test_the_other_government_sees_neither_line_of_an_internal_status_change(
    assessed: None,
) -> None:
    brief = _brief("JPN", "kantei")
    groups = _groups(render_html(brief))
    everything = " ".join(groups.values())
    assert MOVED not in everything
    assert "t-once-moved-usa-2" not in {c["id"] for c in brief["changes"]}
    assert STEADY in groups["New assessments"]
    assert brief["marking"] == "public"


def test_the_coordinators_page_lists_a_status_change_once(assessed: None, settings: object) -> None:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []  # type: ignore[attr-defined]
    user = User.objects.create(
        username="t-once-page", government="USA", agency="white-house", role="coordinator"
    )
    client = Client()
    client.force_login(user)
    response = client.get(f"/coordination/?as_of={DAY.isoformat()}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    rows = [(c["kind"], c["id"]) for c in response.context["changes"]]
    assert ("status-change", "t-once-moved-usa-2") in rows
    assert ("assessment", "t-once-moved-usa-2") not in rows
    assert ("assessment", "t-once-steady-jpn-2") in rows
    table = response.content.decode().split('<section id="changes"')[1].split("</section>")[0]
    assert htmllib.unescape(table).count(MOVED[:60]) == 1
