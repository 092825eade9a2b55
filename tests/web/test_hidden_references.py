"""A visible commitment that cites a hidden meeting or document does not reveal them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.accounts.services import user_add
from kizuna.analysis.coverage import coverage
from kizuna.briefings.build import carried_agenda_items
from kizuna.dataset.exporter import export_dataset
from kizuna.dataset.loader import load_dataset
from kizuna.documents.models import Document
from kizuna.registry.models import (
    Agency,
    AgendaItem,
    Dialogue,
    DialogueLead,
    Membership,
    Pillar,
)

WORKSPACE = Path(__file__).resolve().parents[1] / "api" / "data" / "workspace.yaml"
PASSWORD = "a-long-demo-passphrase-42"
USA_DESK = Actor(name="wt-usa-desk", government="USA", agency="wt-doc", role="desk-officer")
JPN_DESK = Actor(name="wt-jpn-desk", government="JPN", agency="wt-meti", role="desk-officer")
# Access fields of the records the tests add: internal to the U.S., or public and Japan's.
US_INTERNAL = {
    "marking": "government-internal",
    "owner_government_id": "USA",
    "owner_agency_id": "wt-doc",
}
JAPANS_PUBLIC = {"marking": "public", "owner_government_id": "JPN", "owner_agency_id": "wt-meti"}


@pytest.mark.django_db
def test_the_commitment_page_hides_a_cited_internal_meeting_and_document(client: Client) -> None:
    load_dataset([WORKSPACE], actor=Actor.operator())
    known = dict(Agency.objects.values_list("id", "government_id"))
    user_add(
        actor=Actor.operator(),
        username="t-hr-desk",
        government="USA",
        agency="commerce",
        role="desk-officer",
        password=PASSWORD,
        known_agencies=known,
    )
    client.post("/accounts/login/", {"username": "t-hr-desk", "password": PASSWORD})
    response: Any = client.get("/commitments/api-c-hidden-refs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "A shared commitment whose meeting and document are internal" in body
    assert "push for an early semiconductor roadmap" not in body
    assert "api-partnership-2023-02-01" not in body


@pytest.mark.django_db
def test_a_hidden_membership_is_not_shown_as_a_party(
    usa_client: Client, jpn_client: Client
) -> None:
    # The United States records, for itself only, that Korea is joining the dialogue.
    Membership.objects.create(
        id="wt-dlg-kor",
        dialogue_id="wt-dlg",
        party_id="KOR",
        joined="2024-01-01",
        joined_first=dt.date(2024, 1, 1),
        **US_INTERNAL,
    )
    korea = '<span class="tag">KOR</span>'

    def parties_shown(client: Client, page: str) -> str:
        html = client.get(page).content.decode()
        if page == "/dialogues/":  # the list: the dialogue's own row
            return next(row for row in html.split("<tr") if 'href="/dialogues/wt-dlg/"' in row)
        return html

    for page in ("/dialogues/wt-dlg/", "/dialogues/"):
        assert korea in parties_shown(usa_client, page), page
        assert korea not in parties_shown(jpn_client, page), page

    def api_parties(client: Client) -> list[list[str]]:  # the dialogue read and listed
        read = client.get("/api/v1/dialogues/wt-dlg").json()["parties"]
        listed = client.get("/api/v1/dialogues?party=USA&limit=500").json()["items"]
        return [read, next(d["parties"] for d in listed if d["id"] == "wt-dlg")]

    assert api_parties(usa_client) == [["JPN", "KOR", "USA"]] * 2
    assert api_parties(jpn_client) == [["JPN", "USA"]] * 2

    # A Korean agency's page lists the dialogues its government joins: not this one, for Japan.
    korean_agency = Agency.objects.filter(government_id="KOR").values_list("pk", flat=True)[0]
    joined = 'href="/dialogues/wt-dlg/"'
    assert joined in usa_client.get(f"/agencies/{korean_agency}/").content.decode()
    assert joined not in jpn_client.get(f"/agencies/{korean_agency}/").content.decode()

    # An export writes a dialogue's parties from the memberships its reader may see.
    def exported_parties(actor: Actor) -> list[str]:
        dialogues = export_dataset(actor=actor)["dialogues"]
        return next(d["parties"] for d in dialogues if d["id"] == "wt-dlg")

    assert "KOR" in exported_parties(USA_DESK)
    assert exported_parties(JPN_DESK) == ["JPN", "USA"]


@pytest.mark.django_db
def test_a_hidden_parent_dialogue_is_not_named(usa_client: Client, jpn_client: Client) -> None:
    # The United States files the dialogue under an umbrella of its own, internal to it.
    Dialogue.objects.create(
        id="wt-umbrella",
        name="Test Internal Umbrella",
        kind="leaders-partnership",
        launched="2021-01-01",
        launched_first=dt.date(2021, 1, 1),
        **US_INTERNAL,
    )
    Dialogue.objects.filter(pk="wt-dlg").update(parent_id="wt-umbrella")
    for page in ("/dialogues/wt-dlg/", "/dialogues/", "/", "/api/v1/dialogues/wt-dlg"):
        # Pages name the parent; the API gives its id.
        assert "wt-umbrella" in usa_client.get(page).content.decode(), page
        shown = jpn_client.get(page).content.decode()
        assert "Test Internal Umbrella" not in shown and "wt-umbrella" not in shown, page


@pytest.mark.django_db
def test_a_hidden_pillar_and_its_lead_agency_are_not_shown(
    usa_client: Client, jpn_client: Client
) -> None:
    # The United States plans a pillar of its own, led by an agency that leads nothing else.
    Agency.objects.create(id="wt-ustr", government_id="USA", name="Test Trade Representative")
    pillar = Pillar.objects.create(
        id="wt-dlg-secret",
        dialogue_id="wt-dlg",
        name="Test Secret Pillar",
        **US_INTERNAL,
    )
    DialogueLead.objects.create(
        dialogue_id="wt-dlg", pillar=pillar, party_id="USA", agency_id="wt-ustr"
    )
    usa_page = usa_client.get("/dialogues/wt-dlg/").content.decode()
    jpn_page = jpn_client.get("/dialogues/wt-dlg/").content.decode()
    assert "Test Secret Pillar" in usa_page and 'href="/agencies/wt-ustr/"' in usa_page
    assert "Test Secret Pillar" not in jpn_page and 'href="/agencies/wt-ustr/"' not in jpn_page

    def led(client: Client) -> list[str]:  # the agency page's "Dialogues it leads"
        return [d.pk for d in client.get("/agencies/wt-ustr/").context["page"].leads]

    assert led(usa_client) == ["wt-dlg"]
    assert led(jpn_client) == []

    def owners(actor: Actor) -> set[str]:
        cells = coverage(actor=actor, as_of=dt.date.today())["cells"]
        return {a for c in cells if c["dialogue"] == "wt-dlg" for a in c["agencies"]}

    assert "wt-ustr" in owners(USA_DESK)
    assert "wt-ustr" not in owners(JPN_DESK)


@pytest.mark.django_db
def test_an_item_carried_from_a_hidden_round_does_not_reveal_the_round(
    usa_client: Client, jpn_client: Client
) -> None:
    # A public item on the agenda of Japan's internal preparatory meeting is carried into the
    # second round: the United States may see both items, not the meeting.
    AgendaItem.objects.create(
        id="wt-ai-prep",
        dialogue_id="wt-dlg",
        meeting_id="wt-dlg-2023-01-15",
        title="Test preparatory item",
        **JAPANS_PUBLIC,
    )
    AgendaItem.objects.filter(pk="wt-ai-r2").update(carried_from_id="wt-ai-prep")
    hidden_round = 'href="/meetings/wt-dlg-2023-01-15/"'
    assert hidden_round in jpn_client.get("/meetings/wt-dlg-2023-11-14/").content.decode()
    assert hidden_round not in usa_client.get("/meetings/wt-dlg-2023-11-14/").content.decode()

    # Nor does the briefing book, which names the round an item was carried from.
    def carried(actor: Actor) -> list[str]:
        return [i.pk for i in carried_agenda_items(actor, dt.date(2023, 12, 1))]

    assert "wt-ai-r2" in carried(JPN_DESK)
    assert "wt-ai-r2" not in carried(USA_DESK)


@pytest.mark.django_db
def test_a_search_result_does_not_link_a_round_the_reader_may_not_see(
    usa_client: Client, jpn_client: Client
) -> None:
    # A public readout of Japan's internal preparatory meeting.
    Document.objects.create(
        id="wt-doc-prep",
        title="Test zephyrine readout",
        date="2023-01-15",
        date_first=dt.date(2023, 1, 15),
        content_hash="wt-prep",
        text="Test zephyrine readout.",
        dialogue_id="wt-dlg",
        meeting_id="wt-dlg-2023-01-15",
        **JAPANS_PUBLIC,
    )
    hidden_round = 'href="/meetings/wt-dlg-2023-01-15/"'
    found_by_japan = jpn_client.get("/search/?q=zephyrine").content.decode()
    found_by_usa = usa_client.get("/search/?q=zephyrine").content.decode()
    assert "Test zephyrine readout" in found_by_japan and hidden_round in found_by_japan
    assert "Test zephyrine readout" in found_by_usa and hidden_round not in found_by_usa
