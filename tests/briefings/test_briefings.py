"""The coordinators' page and the briefing book: sections, marking, access, the command."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.audit.models import AuditEntry
from kizuna.briefings.banners import DEFAULT_BANNERS, DEFAULT_BANNERS_JA
from kizuna.briefings.build import build_brief, highest_marking, marking_banner
from kizuna.briefings.render import render_html, render_pdf
from kizuna.dataset.loader import load_dataset

SECRET = "Zephyr internal note for the minister"
DATE = "2025-12-01"
SOURCE = [{"title": "Briefing test fixture", "publisher": "Kizuna tests", "date": "2024-01-01"}]


@pytest.fixture
def hidden(tmp_path: Path, db: None) -> str:
    """A Japanese government-internal commitment in a demo dialogue."""
    data = {
        "commitments": [
            {
                "id": "t-brief-jpn-internal",
                "marking": "government-internal",
                "owner": {"government": "JPN", "agency": "kantei"},
                "sources": SOURCE,
                "illustrative": True,
                "text": f"{SECRET} <script>alert(1)</script>",
                "dialogue": "jucip",
                "made_on": "2024-01-15",
                "parties": ["JPN"],
            }
        ]
    }
    path = tmp_path / "t-brief.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    load_dataset([path], actor=Actor.operator())
    return "t-brief-jpn-internal"


def _user(name: str, government: str, agency: str, role: str) -> User:
    return User.objects.create(username=name, government=government, agency=agency, role=role)


def _actor(government: str, agency: str) -> Actor:
    user = _user(f"t-{government.lower()}-coord", government, agency, "coordinator")
    return Actor.from_user(user)


def _pdf_pages(data: bytes) -> list[str]:
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    return [p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_highest_marking_orders_audiences() -> None:
    assert highest_marking([]) == "public"
    assert highest_marking(["public", "shared"]) == "shared"
    assert highest_marking(["government-internal", "shared", "public"]) == "government-internal"
    assert highest_marking(["agency-internal", "government-internal"]) == "agency-internal"


@pytest.mark.slow
def test_pdf_has_sections_and_marking_on_every_page_and_hides_what_the_reader_may_not_see(
    hidden: str,
) -> None:
    import datetime as dt

    day = dt.date.fromisoformat(DATE)
    usa = build_brief(actor=_actor("USA", "white-house"), as_of=day, title="T brief")
    jpn = build_brief(actor=_actor("JPN", "kantei"), as_of=day, title="T brief")

    pytest.importorskip("weasyprint")
    usa_pages = _pdf_pages(render_pdf(usa))
    usa_text = "\n".join(usa_pages)
    for heading in (
        "Summary",
        "By dialogue",
        "Ready to announce",
        "At risk",
        "Needs a decision",
        "Carried over",
        "Overlaps",
        "Gaps",
        "Coverage",
        "Calendar ahead",
    ):
        assert heading in usa_text, heading
    banner = marking_banner(usa["marking"])
    assert all(page.count(banner) >= 2 for page in usa_pages), "marking at top and bottom"
    assert SECRET not in usa_text
    assert hidden not in usa_text

    jpn_pages = _pdf_pages(render_pdf(jpn))
    jpn_text = "\n".join(jpn_pages)
    assert SECRET in re.sub(r"\s+", " ", jpn_text)
    assert jpn["marking"] in ("government-internal", "agency-internal")
    assert all(page.count(marking_banner(jpn["marking"])) >= 2 for page in jpn_pages)


def test_html_brief_escapes_and_hides(hidden: str) -> None:
    import datetime as dt

    day = dt.date.fromisoformat(DATE)
    jpn_html = render_html(build_brief(actor=_actor("JPN", "kantei"), as_of=day, title="<i>T</i>"))
    assert SECRET in jpn_html
    assert "<script>alert(1)</script>" not in jpn_html
    assert "&lt;script&gt;" in jpn_html
    assert "&lt;i&gt;T&lt;/i&gt;" in jpn_html
    assert f"/commitments/{hidden}/" in jpn_html  # every statement links to its source
    usa_html = render_html(build_brief(actor=_actor("USA", "white-house"), as_of=day, title="T"))
    assert SECRET not in usa_html and hidden not in usa_html


@pytest.fixture
def no_totp(settings: pytest.FixtureRequest) -> None:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []  # type: ignore[attr-defined]


def test_the_page_is_for_coordinators(db: None, no_totp: None) -> None:
    anonymous = Client().get("/coordination/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")

    desk = Client()
    desk.force_login(_user("t-desk", "USA", "commerce", "desk-officer"))
    refused = desk.get("/coordination/")
    assert refused.status_code == 403
    assert b"coordinators" in refused.content
    assert desk.get("/coordination/brief.pdf").status_code == 403

    coord = Client()
    coord.force_login(_user("t-coord", "USA", "white-house", "coordinator"))
    page = coord.get(f"/coordination/?as_of={DATE}&since=2025-01-01")
    assert page.status_code == 200
    html = page.content.decode()
    for anchor in (
        'id="coverage"',
        'id="overlaps"',
        'id="gaps"',
        'id="slipping"',
        'id="divergent"',
        'id="compliance"',
        'id="calendar"',
        'id="changes"',
    ):
        assert anchor in html
    assert 'action="/coordination/brief.pdf"' in html
    assert "style=" not in html.split("<main", 1)[1]  # CSP: no inline styles
    assert 'href="/coordination/"' in coord.get("/").content.decode()


def test_a_malformed_date_on_the_coordinators_page_is_ignored_with_a_message(
    db: None, no_totp: None
) -> None:
    coord = Client()
    coord.force_login(_user("t-coord3", "USA", "white-house", "coordinator"))
    page = coord.get("/coordination/?as_of=soon&since=2025-13-01")
    assert page.status_code == 200
    html = page.content.decode()
    assert "“soon” is not a date in the form YYYY-MM-DD" in html
    assert "“2025-13-01” is not a date in the form YYYY-MM-DD" in html


@pytest.mark.slow
def test_the_download_button_gives_a_pdf(db: None, no_totp: None) -> None:
    pytest.importorskip("weasyprint")
    coord = Client()
    coord.force_login(_user("t-coord2", "USA", "white-house", "coordinator"))
    response = coord.get(f"/coordination/brief.pdf?as_of={DATE}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_command_errors_are_clear(db: None, tmp_path: Path) -> None:
    out = str(tmp_path / "b.pdf")
    cases = [
        ([f"--out={out}"], "--meeting"),
        (["--date", DATE, f"--out={out}"], "--title"),
        (["--date", DATE, "--title", "T", "--meeting", "x", f"--out={out}"], "not both"),
        (["--date", DATE, "--title", "T"], "--out"),
        (["--date", DATE, "--title", "T", "--out", str(tmp_path / "b.txt")], ".pdf or .html"),
        (["--date", "2025-13-01", "--title", "T", f"--out={out}"], "--date"),
        (["--meeting", "t-no-such-meeting", f"--out={out}"], "t-no-such-meeting"),
        (["--date", DATE, "--title", "T", "--as-user", "t-nobody", f"--out={out}"], "t-nobody"),
        (["--date", DATE, "--title", "T", "--out", str(tmp_path / "no" / "b.pdf")], "folder"),
    ]
    for args, message in cases:
        with pytest.raises(CommandError, match=re.escape(message)):
            call_command("brief", *args)


def test_the_command_writes_html_for_a_meeting(db: None, tmp_path: Path) -> None:
    out = tmp_path / "b.html"
    call_command("brief", "--meeting", "leaders-summits-2025-10-28", "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert "2025-10-28" in html and "Ready to announce" in html
    # A brief leaving Kizuna is an export, from the command as from the page.
    entry = AuditEntry.objects.filter(action="brief.export").latest("sequence")
    assert (
        entry.object_id == "leaders-summits-2025-10-28"
        and entry.payload["after"]["format"] == "html"
    )


@pytest.mark.slow
def test_the_japanese_edition(db: None, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    out = tmp_path / "b.pdf"
    call_command(
        "brief",
        "--date",
        DATE,
        "--title",
        "首脳会談ブリーフ",
        "--language",
        "ja",
        "--out",
        str(out),
    )
    text = "\n".join(_pdf_pages(out.read_bytes()))
    assert "首脳会談ブリーフ" in text
    assert "概要" in text and "発表可能" in text and "今後の日程" in text
    bilingual = [f"{ja} / {DEFAULT_BANNERS[m]}" for m, ja in DEFAULT_BANNERS_JA.items()]
    assert any(banner in text for banner in bilingual), "the default banner in both languages"


def test_the_chart_and_the_table_show_the_same_figures(db: None) -> None:
    import datetime as dt

    from kizuna.analysis.coverage import coverage
    from kizuna.briefings.render import heatmap_spec, heatmap_svg, heatmap_table

    cov = coverage(actor=Actor.operator(), as_of=dt.date.fromisoformat(DATE))
    table = heatmap_table(cov)
    from_table = {
        (row["topic"], d): c["n"]
        for row in table["rows"]
        for d, c in zip(table["dialogues"], row["cells"], strict=True)
        if c["n"]
    }
    pytest.importorskip("altair")
    spec = heatmap_spec(cov)
    from_spec = {(v["topic"], v["dialogue"]): v["n"] for v in spec["data"]["values"] if v["n"]}
    assert from_spec == from_table and from_spec
    pytest.importorskip("vl_convert")
    assert heatmap_svg(cov).startswith("<svg")


def test_carried_over_lists_the_agenda_items_carried_between_rounds(db: None) -> None:
    import datetime as dt

    # The EPCC's last round before 2023-12-01 is 2023-11-14; two of its items carry on
    # from the round of 2023-10-19 (carried_from links in the demo data).
    brief = build_brief(actor=Actor.operator(), as_of=dt.date(2023, 12, 1), title="T carried")
    epcc = next(d for d in brief["dialogues"] if d["dialogue"] == "epcc")
    carried = {s["id"]: s for s in epcc["carried_over"]}
    # Agenda items first (open commitments from before the last leaders' meeting follow).
    assert [s["id"] for s in epcc["carried_over"][:2]] == [
        "epcc-2023-11-14-a1",
        "epcc-2023-11-14-a2",
    ]
    assert "epcc-2023-10-19-a1" not in carried  # carried into 10-19, not the last round
    first = carried["epcc-2023-11-14-a1"]
    assert first["detail"] == "epcc-2023-10-19 (2023-10-19) → epcc-2023-11-14 (2023-11-14)"
    assert first["link"] == "/meetings/epcc-2023-11-14/?as_of=2023-12-01"
    assert first["source"]
    assert brief["summary"]["carried_over"] == sum(
        len(d["carried_over"]) for d in brief["dialogues"]
    )
    html = render_html(brief)
    assert 'href="/meetings/epcc-2023-11-14/?as_of=2023-12-01"' in html
    assert "epcc-2023-10-19 (2023-10-19) → epcc-2023-11-14" in html


@pytest.mark.slow
def test_the_pdf_lists_the_carried_items_with_their_rounds(db: None) -> None:
    import datetime as dt

    brief = build_brief(actor=Actor.operator(), as_of=dt.date(2023, 12, 1), title="T carried")
    text = re.sub(r"\s+", " ", "\n".join(_pdf_pages(render_pdf(brief))))
    assert "epcc-2023-11-14-a1" in text
    assert "epcc-2023-10-19 (2023-10-19) → epcc-2023-11-14 (2023-11-14)" in text
