"""Hostile input: clear errors, nothing stored, and markup always rendered as text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.accounts.services import user_add
from kizuna.dataset.errors import DatasetError
from kizuna.dataset.loader import load_dataset
from kizuna.registry.models import Agency, Dialogue, Government

SCRIPT = "<script>alert('x')</script>"

DATA = f"""
governments: [{{id: USA, name: United States}}, {{id: JPN, name: Japan}}]
agencies:
  - {{id: commerce, government: USA, name: Commerce}}
  - {{id: meti, government: JPN, name: METI}}
dialogues:
  - id: t-h-dialogue
    name: "{SCRIPT} dialogue"
    kind: ministerial-dialogue
    launched: "2022"
    parties: [USA, JPN]
    leads: {{USA: [commerce], JPN: [meti]}}
    sources: [{{title: "{SCRIPT}", url: "https://www.commerce.gov/x"}}]
commitments:
  - id: t-h-c1
    text: "{SCRIPT} will be escaped"
    dialogue: t-h-dialogue
    made_on: "2022"
    parties: [USA, JPN]
    sources: [{{title: S}}]
"""


@pytest.mark.django_db
def test_invalid_utf8_data_file_is_refused_and_nothing_stored(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"governments:\n  - {id: XQQ, name: \xff\xfe}\n")
    with pytest.raises(DatasetError, match="not UTF-8"):
        load_dataset([path], actor=Actor.operator())
    assert not Government.objects.filter(pk="XQQ").exists()


@pytest.mark.django_db
def test_deeply_nested_json_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"governments": [' + "[" * 5000 + "]" * 5000 + "]}", encoding="utf-8")
    with pytest.raises(DatasetError):
        load_dataset([path], actor=Actor.operator())


@pytest.mark.django_db
def test_a_path_outside_a_data_file_is_not_a_data_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        load_dataset([tmp_path / ".." / "nowhere" / "x.yaml"], actor=Actor.operator())


@pytest.mark.django_db
def test_markup_in_text_fields_is_rendered_as_text(tmp_path: Path, client: Client) -> None:
    path = tmp_path / "h.yaml"
    path.write_text(DATA, encoding="utf-8")
    load_dataset([path], actor=Actor.operator())
    known = dict(Agency.objects.values_list("id", "government_id"))
    user_add(
        actor=Actor.operator(),
        username="t-h-desk",
        government="USA",
        agency="commerce",
        role="desk-officer",
        password="a-long-demo-passphrase-42",
        known_agencies=known,
    )
    client.post(
        "/accounts/login/", {"username": "t-h-desk", "password": "a-long-demo-passphrase-42"}
    )
    assert Dialogue.objects.filter(pk="t-h-dialogue").exists()
    for url in ["/dialogues/t-h-dialogue/", "/commitments/t-h-c1/", "/commitments/", "/dialogues/"]:
        response: Any = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert SCRIPT not in body, url
        assert "&lt;script&gt;" in body, url


@pytest.mark.django_db
def test_exported_json_keeps_markup_as_data(tmp_path: Path) -> None:
    path = tmp_path / "h.yaml"
    path.write_text(DATA, encoding="utf-8")
    load_dataset([path], actor=Actor.operator())
    from kizuna.dataset.exporter import export_dataset

    text = json.dumps(export_dataset(actor=Actor.operator()))
    assert "will be escaped" in text
