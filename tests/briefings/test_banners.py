"""Handling banners: the deployment's text for each marking, on every page of the brief."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.test import override_settings
from django.utils import translation

from kizuna.access.actor import Actor
from kizuna.briefings.banners import (
    DEFAULT_BANNERS,
    DEFAULT_BANNERS_JA,
    banner_for,
    parse_marking_banners,
)
from kizuna.briefings.build import build_brief, marking_banner
from kizuna.briefings.render import render_html, render_pdf
from kizuna.env import ConfigurationError
from kizuna.registry.records import MARKING_ORDER

CUSTOM = {
    "public": "UNRESTRICTED ZX",
    "shared": "CUI ZX",
    "government-internal": "取扱注意 ZX",
    "agency-internal": "AGENCY ONLY ZX",
}


def test_every_marking_has_a_default_banner() -> None:
    assert list(DEFAULT_BANNERS) == MARKING_ORDER
    assert parse_marking_banners("X", "") == DEFAULT_BANNERS


def test_the_japanese_edition_prints_a_default_banner_in_both_languages() -> None:
    assert list(DEFAULT_BANNERS_JA) == MARKING_ORDER
    assert banner_for("shared", DEFAULT_BANNERS, "ja") == (
        "共有・公表不可 / SHARED — NOT FOR PUBLIC RELEASE"
    )
    assert banner_for("shared", DEFAULT_BANNERS, "en") == "SHARED — NOT FOR PUBLIC RELEASE"
    # A deployment's own banner is its security office's wording: printed as written.
    assert banner_for("shared", CUSTOM, "ja") == "CUI ZX"
    with translation.override("ja"):
        assert marking_banner("government-internal") == "政府内限り / GOVERNMENT INTERNAL"


def test_both_forms_override_only_the_markings_they_name() -> None:
    as_pairs = parse_marking_banners("X", "shared = CUI ; government-internal=取扱注意;")
    as_json = parse_marking_banners("X", '{"shared": "CUI", "government-internal": "取扱注意"}')
    assert as_pairs == as_json
    assert as_pairs["shared"] == "CUI"
    assert as_pairs["government-internal"] == "取扱注意"
    assert as_pairs["public"] == DEFAULT_BANNERS["public"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("secret=TOP", "unknown marking 'secret'"),
        ("shared", "expected slug=TEXT"),
        ("shared=", "must be non-empty text"),
        ('{"shared": ', "not valid JSON"),
        ('["shared"]', "expected a JSON object"),
        ('{"shared": 3}', "must be non-empty text"),
        ('{"shared": "a\\nb"}', "one line"),
    ],
)
def test_a_bad_value_is_a_clear_configuration_error(raw: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match="KIZUNA_MARKING_BANNERS") as caught:
        parse_marking_banners("KIZUNA_MARKING_BANNERS", raw)
    assert message in str(caught.value)


def test_a_bad_value_stops_start_up() -> None:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "kizuna.settings",
        "KIZUNA_MARKING_BANNERS": "top-secret=NO",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "ConfigurationError: KIZUNA_MARKING_BANNERS: unknown marking 'top-secret'" in done.stderr


@override_settings(KIZUNA_MARKING_BANNERS=CUSTOM)
def test_the_brief_and_the_page_print_the_deployments_banner(db: None) -> None:
    brief = build_brief(actor=Actor.operator(), as_of=dt.date(2022, 6, 1), title="T banner")
    banner = CUSTOM[brief["marking"]]
    assert marking_banner(brief["marking"]) == banner
    html = render_html(brief)
    # Top, summary line and bottom of the HTML, and both @page margin boxes of the PDF.
    assert html.count(banner) >= 4


@pytest.mark.slow
@override_settings(KIZUNA_MARKING_BANNERS=CUSTOM)
def test_every_pdf_page_carries_the_custom_banner_at_top_and_bottom(db: None) -> None:
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    import io

    brief = build_brief(actor=Actor.operator(), as_of=dt.date(2025, 12, 1), title="T banner")
    banner = CUSTOM[brief["marking"]]
    pages = [p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(render_pdf(brief))).pages]
    assert len(pages) > 1
    assert all(page.count(banner) >= 2 for page in pages), "banner at top and bottom of each page"
    for other in set(CUSTOM.values()) - {banner}:
        assert other not in "\n".join(pages)
