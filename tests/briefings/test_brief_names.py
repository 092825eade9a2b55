"""The coordinators' page and the brief call topics, dialogues and agencies by their names,
in the reader's language, and the brief's marking counts every dialogue it names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.utils import translation

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.briefings.build import Brief, build_brief
from kizuna.briefings.render import render_html
from kizuna.briefings.templatetags.kizuna_brief import percent, score
from kizuna.commitments.models import Commitment
from kizuna.dataset.loader import load_dataset
from kizuna.registry.models import Agency, Dialogue, Meeting, Topic

DAY = dt.date(2025, 12, 1)
SOURCE = [{"title": "Brief names fixture", "publisher": "Kizuna tests", "date": "2024-01-01"}]


def _coordinator(name: str, government: str, agency: str) -> User:
    return User.objects.create(
        username=name, government=government, agency=agency, role="coordinator"
    )


def _brief(user: User, language: str) -> Brief:
    with translation.override(language):
        return build_brief(actor=Actor.from_user(user), as_of=DAY, title="T names")


def _overlap(brief: Brief) -> dict[str, object]:
    overlaps = brief["overlaps"]["overlaps"]
    assert overlaps, "the demo has overlaps on this date"
    return dict(overlaps[0])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_brief_names_topics_dialogues_and_agencies_in_the_readers_language(
    language: str,
) -> None:
    brief = _brief(_coordinator("t-names-usa", "USA", "white-house"), language)
    html = render_html(brief)
    overlap = _overlap(brief)
    topic = Topic.objects.get(pk=overlap["topic"])
    topic_name = topic.name_ja if language == "ja" else topic.name
    assert f"<td>{topic_name}</td>" in html
    assert f"<td>{topic.pk}</td>" not in html
    for slug in overlap["dialogues"]:  # type: ignore[attr-defined]
        dialogue = Dialogue.objects.get(pk=slug)
        name = dialogue.acronym or (dialogue.name_ja if language == "ja" else dialogue.name)
        assert brief["names"]["dialogues"][slug] == name
        assert name in html
    for agencies in overlap["leads"].values():  # type: ignore[attr-defined]
        for slug in agencies:
            agency = Agency.objects.get(pk=slug)
            assert brief["names"]["agencies"][slug] == (
                agency.acronym or (agency.name_ja if language == "ja" else agency.name)
            )
    framework = "経済安全保障" if language == "ja" else "Economic security"
    assert brief["names"]["framework"] == framework and f"({framework})" in html


@pytest.mark.django_db
def test_the_japanese_brief_writes_statuses_and_dates_in_japanese() -> None:
    brief = _brief(_coordinator("t-names-jpn", "JPN", "kantei"), "ja")
    details = [s["detail"] for d in brief["dialogues"] for s in d["at_risk"] + d["carried_over"]]
    assert details, "the demo has commitments at risk or carried over on this date"
    words = " ".join(details)
    assert "in-progress" not in words and "not-started" not in words
    assert "進行中" in words or "未着手" in words or "日超過" in words
    html = render_html(brief)
    assert "2025年12月1日" in html  # the brief's date, in the Japanese form
    leaders = Meeting.objects.get(pk=brief["since_meeting"])
    assert brief["since_meeting_title"] == (leaders.title_ja or leaders.title)
    assert f'前回の首脳会合: <a href="/meetings/{leaders.pk}/">{leaders.title_ja}</a>' in html


@pytest.mark.django_db
def test_the_coordinators_page_shows_names_and_labels_in_japanese(settings: object) -> None:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []  # type: ignore[attr-defined]
    client = Client()
    client.force_login(_coordinator("t-names-page", "JPN", "kantei"))
    with translation.override("ja"):
        brief = build_brief(
            actor=Actor.from_user(User.objects.get(username="t-names-page")), as_of=DAY
        )
    html = client.get(f"/coordination/?as_of={DAY}", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    overlap = _overlap(brief)
    topic = Topic.objects.get(pk=overlap["topic"])
    assert f"<td>{topic.name_ja}</td>" in html and f"<td>{topic.pk}</td>" not in html
    for gap in brief["gaps"]["gaps"]:
        label = {"unowned": "担当なし", "one-sided": "片側のみ"}[gap["kind"]]
        assert f"<td>{label}</td>" in html
    # The heatmap's table heads its columns with the dialogues' names, not their slugs.
    assert ">JUCIP</th>" in html and '<th scope="col">jucip</th>' not in html


@pytest.mark.django_db
def test_a_dialogue_named_only_in_the_coverage_counts_toward_the_brief_marking(
    tmp_path: Path,
) -> None:
    # Korea's coordinator reads no internal record of the demo; its own agency-internal
    # dialogue, carrying a topic no other dialogue it may see carries, appears in the
    # coverage alone, and must raise the brief's marking.
    data = {
        "dialogues": [
            {
                "id": "t-kor-internal-dialogue",
                "name": "T Korean internal channel",
                "kind": "working-group",
                "launched": "2024-01-01",
                "parties": ["KOR"],
                "leads": {"KOR": ["motie"]},
                "marking": "agency-internal",
                "owner": {"government": "KOR", "agency": "motie"},
                "sources": SOURCE,
            }
        ],
        "commitments": [
            {
                "id": "t-kor-internal-c1",
                "text": "T exchange students",
                "dialogue": "t-kor-internal-dialogue",
                # Public, and made after the last leaders' meeting: in no section of the brief.
                "made_on": "2025-11-15",
                "parties": ["KOR"],
                "topics": ["people-to-people"],
                "marking": "public",
                "owner": {"government": "KOR", "agency": "motie"},
                "sources": SOURCE,
                "illustrative": True,
            }
        ],
    }
    path = tmp_path / "t-kor.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    load_dataset([path], actor=Actor.operator())
    kor = _coordinator("t-kor-coord", "KOR", "motie")
    brief = _brief(kor, "en")
    assert "t-kor-internal-dialogue" in {c["dialogue"] for c in brief["coverage"]["cells"]}
    named_elsewhere = {d for o in brief["overlaps"]["overlaps"] for d in o["dialogues"]}
    named_elsewhere |= {s["dialogue"] for s in brief["dialogues"]}
    assert "t-kor-internal-dialogue" not in named_elsewhere
    assert brief["marking"] == "agency-internal"
    assert brief["names"]["dialogues"]["t-kor-internal-dialogue"] == "T Korean internal channel"


def test_shares_and_scores_read_as_percentages_and_two_decimals() -> None:
    with translation.override("en"):
        assert percent(0.5417) == "54%" and percent(1) == "100%" and percent(None) == "—"
        assert score(0.4286) == "0.43" and score(-1) == "-1.00" and score(None) == "—"


def test_two_dialogues_of_one_name_stay_two_columns_of_the_heatmap() -> None:
    from kizuna.briefings.render import _labels

    names = {"t-a": "Same", "t-b": "Same", "t-c": "Other"}
    assert _labels({"t-a", "t-b", "t-c", "t-d"}, names) == {
        "t-a": "Same (t-a)",
        "t-b": "Same (t-b)",
        "t-c": "Other",
        "t-d": "t-d",  # no name: its slug
    }


@pytest.mark.django_db
def test_the_changes_the_page_lists_count_toward_its_marking() -> None:
    from kizuna.briefings.build import Names, _what_changed

    draft = {
        "kind": "assessment",
        "id": "jucip-2024-06-26-c1-usa-2025-06-30-draft",  # the U.S.'s agency-internal draft
        "commitment": "jucip-2024-06-26-c1",
        "date": "2025-06-30",
        "dialogue": "jucip",
        "summary": "USA assesses jucip-2024-06-26-c1: in-progress",
    }
    names = Names(topics={}, dialogues={}, agencies={}, framework="", commitments={})
    usa = Actor(name="t-usa", government="USA", agency="white-house", role="coordinator")
    jpn = Actor(name="t-jpn", government="JPN", agency="kantei", role="coordinator")
    as_of = dt.date(2025, 7, 1)
    _, usa_markings = _what_changed(usa, [draft], as_of, names)  # type: ignore[list-item]
    _, jpn_markings = _what_changed(jpn, [draft], as_of, names)  # type: ignore[list-item]
    assert "agency-internal" in usa_markings
    # What it may not see, it is never shown: only the commitment the line prints counts.
    assert "agency-internal" not in jpn_markings


@pytest.mark.django_db
def test_the_coordinators_page_lists_the_changes_the_brief_drafted(settings: object) -> None:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []  # type: ignore[attr-defined]
    client = Client()
    client.force_login(_coordinator("t-changes-page", "USA", "white-house"))
    page = client.get(f"/coordination/?as_of={DAY}&since=2025-01-01")
    brief = page.context["brief"]
    assert brief["changes"] and page.context["changes"] == brief["changes"]
    assert brief["summary"]["changes"] == len(brief["changes"])


@pytest.mark.django_db
def test_the_changes_are_written_in_the_readers_language(settings: object) -> None:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []  # type: ignore[attr-defined]
    client = Client()
    client.force_login(_coordinator("t-changes-ja", "JPN", "kantei"))
    page = client.get(f"/coordination/?as_of={DAY}&since=2025-01-01", HTTP_ACCEPT_LANGUAGE="ja")
    html = page.content.decode()
    assessed = [c for c in page.context["changes"] if c["kind"] == "assessment"]
    assert assessed, "the demo holds assessments in 2025"
    first = assessed[0]
    status = {
        "not-started": "未着手",
        "in-progress": "進行中",
        "delivered": "達成",
        "stalled": "停滞",
        "withdrawn": "撤回",
    }[first["status"]]
    assert f"{first['party']}の評価" in html
    assert f"/commitments/{first['commitment']}/" in html
    assert "assesses" not in html  # the English summary is the command's, not the page's
    assert f"</a> — {status}" in html
    # A commitment by what it says, a new dialogue by its Japanese name.
    text = Commitment.objects.get(pk=first["commitment"]).text
    assert f'">{text[:99]}' in html or f'">{text}</a>' in html
    launched = [c for c in page.context["changes"] if c["kind"] == "dialogue"]
    assert launched, "the demo launched dialogues in 2025"
    dialogue = Dialogue.objects.get(pk=launched[0]["dialogue"])
    name = dialogue.acronym or dialogue.name_ja
    assert f"{name}が発足" in html and "launched" not in html
