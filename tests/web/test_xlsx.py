"""The filtered commitment list as XLSX, in the dataset format, loads back with `kizuna load`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from kizuna.access.actor import Actor
from kizuna.accounts.services import user_add
from kizuna.commitments.models import Commitment
from kizuna.dataset.loader import load_dataset
from kizuna.registry.models import Agency

PASSWORD = "a-long-demo-passphrase-42"
DATA = """
governments: [{id: USA, name: United States}, {id: JPN, name: Japan}]
agencies:
  - {id: commerce, government: USA, name: Commerce}
  - {id: meti, government: JPN, name: METI}
dialogues:
  - {id: t-xl-dialogue, name: XLSX test, kind: working-group, launched: "2022", parties: [USA, JPN],
     leads: {USA: [commerce], JPN: [meti]}, sources: [{title: S}]}
commitments:
  - {id: t-xl-c1, text: "=cmd|' /C calc'!A0", dialogue: t-xl-dialogue, made_on: "2022", parties: [USA, JPN],
     owners: {USA: [commerce]}, sources: [{title: S}]}
  - {id: t-xl-hidden, text: Japan only, dialogue: t-xl-dialogue, made_on: "2022", parties: [JPN],
     marking: government-internal, owner: {government: JPN, agency: meti}, sources: [{title: S}]}
"""


def _sign_in_us_desk_officer(client: Client) -> None:
    known = dict(Agency.objects.values_list("id", "government_id"))
    user_add(
        actor=Actor.operator(),
        username="t-xl-us",
        government="USA",
        agency="commerce",
        role="desk-officer",
        password=PASSWORD,
        known_agencies=known,
    )
    client.post("/accounts/login/", {"username": "t-xl-us", "password": PASSWORD})


@pytest.mark.django_db
def test_the_workbook_holds_the_visible_filtered_list_and_loads_back(
    tmp_path: Path, client: Client
) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(DATA, encoding="utf-8")
    load_dataset([path], actor=Actor.operator())
    _sign_in_us_desk_officer(client)
    response: Any = client.get("/commitments.xlsx?dialogue=t-xl-dialogue")
    assert response.status_code == 200
    workbook_path = tmp_path / "commitments.xlsx"
    workbook_path.write_bytes(response.content)
    sheet = load_workbook(workbook_path).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    ids = [row[0] for row in rows[1:]]
    assert ids == ["t-xl-c1"]
    assert rows[1][1].startswith("'=")  # guarded against formula injection
    Commitment.objects.filter(pk="t-xl-c1").update(text="changed")
    load_dataset([workbook_path], actor=Actor.operator())
    assert Commitment.objects.get(pk="t-xl-c1").text == "=cmd|' /C calc'!A0"


WITHHELD_DATA = (
    DATA
    + """
documents:
  - {id: t-xl-doc, title: Japanese readout, date: "2022-03-01", dialogue: t-xl-dialogue,
     text: "Japan will fund the plant.", marking: government-internal,
     owner: {government: JPN, agency: meti}, sources: [{title: S}]}
"""
)


@pytest.mark.django_db
def test_a_workbook_that_withheld_a_hidden_document_keeps_it_when_loaded_back(
    tmp_path: Path, client: Client
) -> None:
    """A U.S. desk officer's workbook blanks the Japanese-internal readout a visible commitment
    quotes: loading the edited workbook back changed the text and cleared the readout."""
    path = tmp_path / "d.yaml"
    path.write_text(WITHHELD_DATA, encoding="utf-8")
    load_dataset([path], actor=Actor.operator())
    Commitment.objects.filter(pk="t-xl-c1").update(
        document_id="t-xl-doc", passage_start=0, passage_end=26
    )
    _sign_in_us_desk_officer(client)
    workbook_path = tmp_path / "commitments.xlsx"
    workbook_path.write_bytes(client.get("/commitments.xlsx?dialogue=t-xl-dialogue").content)
    workbook = load_workbook(workbook_path)
    sheet = workbook.active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert row["document"].value in (None, "") and row["passage"].value in (None, "")
    # Every blank reference is named, hidden or empty alike: the file does not tell that a
    # hidden readout exists (this commitment has no pillar, round or lifecycle target at all).
    assert json.loads(row["withheld"].value) == [
        "pillar",
        "meeting",
        "document",
        "passage",
        "lifecycle_target",
    ]
    assert "t-xl-doc" not in str([c.value for c in sheet[2]])  # the hidden id is not given away
    row["text"].value = "Fund the plant, edited in the workbook."
    workbook.save(workbook_path)
    load_dataset([workbook_path], actor=Actor.operator())
    commitment = Commitment.objects.get(pk="t-xl-c1")
    assert commitment.text == "Fund the plant, edited in the workbook."
    assert commitment.document_id == "t-xl-doc"
    assert (commitment.passage_start, commitment.passage_end) == (0, 26)
