"""Two languages: the interface and the names follow the reader's language."""

from __future__ import annotations

import datetime as dt
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

import kizuna
from kizuna.web.templatetags.kizuna_web import partial_date

PO = Path(kizuna.__file__).parent / "locale" / "ja" / "LC_MESSAGES" / "django.po"
# Every Japanese catalogue: the project's and those of apps with their own (the briefing book).
CATALOGUES = sorted(Path(kizuna.__file__).parent.rglob("locale/ja/LC_MESSAGES/django.po"))


@pytest.mark.django_db
def test_the_browser_language_chooses_japanese(usa_client: Client) -> None:
    html = usa_client.get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<html lang="ja">' in html
    assert "誰が何を主導しているか" in html


@pytest.mark.django_db
def test_names_are_shown_in_japanese_when_they_exist(usa_client: Client) -> None:
    html = usa_client.get("/dialogues/wt-dlg/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "テスト経済対話" in html  # dialogue name_ja
    assert "テスト商務省" in html  # agency name_ja
    assert "ワシントン" in html  # place_ja
    assert "テスト半導体" in html  # topic name_ja
    assert "2022年7月29日" in html  # dates in the Japanese form


@pytest.mark.django_db
def test_names_fall_back_to_english_when_no_japanese_is_recorded(usa_client: Client) -> None:
    html = usa_client.get("/dialogues/wt-later/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "Test Later Partnership" in html


@pytest.mark.django_db
def test_english_readers_see_english_names(usa_client: Client) -> None:
    html = usa_client.get("/dialogues/wt-dlg/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Test Economic Dialogue" in html and "テスト経済対話" not in html


@pytest.mark.django_db
def test_the_language_switch_sets_japanese_and_returns_to_the_page(usa_client: Client) -> None:
    html = usa_client.get("/concerns/").content.decode()
    assert 'action="/i18n/setlang/"' in html and 'name="language" value="ja"' in html
    response = usa_client.post("/i18n/setlang/", {"language": "ja", "next": "/concerns/"})
    assert response.status_code == 302 and response["Location"] == "/concerns/"
    assert "通商上の懸案事項" in usa_client.get("/concerns/").content.decode()


def _text(block: str) -> str:
    return "".join(re.findall(r'^"(.*)"$', block, re.M))


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_every_message_has_a_japanese_translation(po: Path) -> None:
    text = po.read_text(encoding="utf-8")
    untranslated = []
    for entry in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', entry, re.M)
        translated = msgstr is not None and _text(msgstr.group(1))
        if msgid and _text(msgid.group(1)) and not entry.startswith("#~") and not translated:
            untranslated.append(_text(msgid.group(1)))
    assert untranslated == []
    assert "#, fuzzy" not in text


def _msgids(text: str) -> set[str]:
    found = set()
    for entry in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M)
        if msgid and not entry.startswith("#~") and _text(msgid.group(1)):
            found.add(_text(msgid.group(1)))
    return found


def test_every_message_the_interface_marks_is_in_the_catalogue(tmp_path: Path) -> None:
    """A string marked for translation but missing from the .po shows in English on a
    Japanese page: extract the marked strings afresh (on a copy) and look each one up."""
    source = Path(kizuna.__file__).parent
    copy = tmp_path / "kizuna"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "ja", "--no-obsolete", "-v", "0"],
        cwd=copy,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kizuna.settings"},
        check=True,
    )
    # Each app with a locale directory of its own (the briefing book's) gets its strings there.
    missing = {}
    for fresh in copy.rglob("locale/ja/LC_MESSAGES/django.po"):
        committed = source / fresh.relative_to(copy)
        known = _msgids(committed.read_text(encoding="utf-8")) if committed.exists() else set()
        if lacking := sorted(_msgids(fresh.read_text(encoding="utf-8")) - known):
            missing[str(fresh.relative_to(copy))] = lacking
    assert missing == {}, "add these to the Japanese catalogues"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_the_compiled_catalogue_matches_the_po_file(po: Path) -> None:
    """The .mo is committed (no build step); it must hold what the .po says."""
    with po.with_suffix(".mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    text = po.read_text(encoding="utf-8")
    stale = []
    for entry in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M)
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', entry, re.M)  # singular entries
        if entry.startswith("#~") or not msgid or not msgstr or "msgctxt" in entry:
            continue
        source = _unescape(_text(msgid.group(1)))
        if source and catalogue.gettext(source) != _unescape(_text(msgstr.group(1))):
            stale.append(source)
    assert stale == [], "run django-admin compilemessages"


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n")


@pytest.mark.parametrize(
    ("value", "english", "japanese"),
    [
        ("2024-05-03", "May 3, 2024", "2024年5月3日"),
        ("2024-05", "May 2024", "2024年5月"),
        ("2024", "2024", "2024年"),
        ("2024-05-03/2024-06-01", "May 3, 2024 – June 1, 2024", "2024年5月3日 – 2024年6月1日"),
        ("early next year", "early next year", "early next year"),  # not a date: as written
        (dt.date(2022, 1, 21), "Jan. 21, 2022", "2022年1月21日"),
        ("", "", ""),
    ],
)
def test_dates_are_written_in_each_readers_form_whatever_was_shown_before(
    value: object, english: str, japanese: str
) -> None:
    # Each value in one language, then the other, then the first again: the form of a date
    # worked out once for one reader is never served to a reader of the other language.
    for language, expected in (("en", english), ("ja", japanese), ("en", english)):
        with translation.override(language):
            assert partial_date(value) == expected


@pytest.mark.django_db
def test_the_language_switch_works_before_sign_in(client: Client) -> None:
    """A visitor on the sign-in page switches to Japanese and stays on the sign-in page."""
    login = client.get("/accounts/login/")
    assert 'action="/i18n/setlang/"' in login.content.decode()
    response = client.post(
        "/i18n/setlang/", {"language": "ja", "next": "/accounts/login/"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    again = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="ja"' in again.content.decode()
