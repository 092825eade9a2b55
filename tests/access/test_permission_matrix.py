"""The permission matrix: personas × record kinds × owners × markings × actions, every cell run.

The expected answer comes from SECURITY.md's table, written here as plain data and rules
independent of `kizuna.access.rules`; the actual answer from `visible_to`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from kizuna.access.actor import Actor
from kizuna.commitments.models import Commitment, Note
from kizuna.dataset.exporter import export_dataset
from kizuna.registry.models import Agency, Dialogue, DialogueLead, Government, Meeting, Membership
from kizuna.registry.records import pack_codes

GOVERNMENTS = {
    "USA": ["white-house", "commerce", "ustr", "state"],
    "JPN": ["kantei", "meti", "mofa"],
    "KOR": ["t-kor-motie"],
}


@dataclass(frozen=True)
class Persona:
    name: str
    government: str
    agency: str
    role: str

    def actor(self) -> Actor:
        return Actor(name=self.name, government=self.government, agency=self.agency, role=self.role)


PERSONAS = [
    Persona("usa-coordinator", "USA", "white-house", "coordinator"),
    Persona("usa-desk-officer", "USA", "commerce", "desk-officer"),
    Persona("usa-desk-officer-2", "USA", "ustr", "desk-officer"),
    Persona("usa-reader", "USA", "state", "reader"),
    Persona("usa-admin", "USA", "white-house", "admin"),
    Persona("jpn-coordinator", "JPN", "kantei", "coordinator"),
    Persona("jpn-desk-officer", "JPN", "meti", "desk-officer"),
    Persona("jpn-desk-officer-2", "JPN", "mofa", "desk-officer"),
    Persona("jpn-reader", "JPN", "mofa", "reader"),
    Persona("jpn-admin", "JPN", "kantei", "admin"),
]

MARKINGS = ["public", "shared", "government-internal", "agency-internal"]
OWNERS = [("USA", "commerce"), ("USA", "ustr"), ("JPN", "meti"), ("JPN", "mofa")]
# Two dialogues: one with both governments, one (U.S.–Korea) that Japan is not party to.
DIALOGUE_PARTIES = {"t-matrix-bilateral": ["USA", "JPN"], "t-matrix-usa-kor": ["USA", "KOR"]}
# An agency-internal record owned by commerce is also shared with ustr.
SHARED_WITH = {"commerce": ["ustr"]}
KINDS = ["meeting", "commitment", "note"]


def expected_view(
    p: Persona, owner_gov: str, owner_agency: str, marking: str, parties: list[str]
) -> bool:
    """SECURITY.md, 'Who may see what'."""
    if marking == "public":
        return True
    if marking == "shared":
        return p.government in parties or p.government == owner_gov
    if marking == "government-internal":
        return p.government == owner_gov
    return p.government == owner_gov and (
        p.agency == owner_agency
        or p.agency in SHARED_WITH.get(owner_agency, [])
        or p.role == "coordinator"
    )


def expected_change(
    p: Persona, owner_gov: str, owner_agency: str, marking: str, parties: list[str]
) -> bool:
    """Desk officers change their agency's records, coordinators their government's; others nothing."""
    if not expected_view(p, owner_gov, owner_agency, marking, parties):
        return False
    if p.role == "coordinator":
        return p.government == owner_gov
    if p.role == "desk-officer":
        return p.agency == owner_agency
    return False


def record_id(kind: str, dialogue: str, owner_agency: str, marking: str) -> str:
    return f"t-m-{kind}-{dialogue}-{owner_agency}-{marking}"


@pytest.fixture
def matrix(db: Any) -> list[tuple[str, str, str, str, str, list[str]]]:
    for government, agencies in GOVERNMENTS.items():
        Government.objects.get_or_create(pk=government, defaults={"name": government})
        for slug in agencies:
            Agency.objects.get_or_create(
                pk=slug, defaults={"government_id": government, "name": slug}
            )
    cells = []
    for dialogue_id, parties in DIALOGUE_PARTIES.items():
        dialogue = Dialogue(
            id=dialogue_id,
            name=dialogue_id,
            kind="ministerial-dialogue",
            launched="2022",
            owner_government_id="USA",
            owner_agency_id="commerce",
            marking="public",
        )
        dialogue.save()
        for party in parties:
            Membership(
                id=f"{dialogue_id}-{party}",
                dialogue=dialogue,
                party_id=party,
                joined="2022",
                owner_government_id="USA",
                owner_agency_id="commerce",
            ).save()
        DialogueLead.objects.create(dialogue=dialogue, party_id="USA", agency_id="commerce")
        audience = pack_codes(parties)
        for (gov, agency), marking in itertools.product(OWNERS, MARKINGS):
            common = {
                "marking": marking,
                "owner_government_id": gov,
                "owner_agency_id": agency,
                "audience": audience,
                "shared_with": pack_codes(SHARED_WITH.get(agency, [])),
            }
            meeting = Meeting(
                id=record_id("meeting", dialogue_id, agency, marking),
                dialogue=dialogue,
                title="m",
                date="2022-05-01",
                level="working",
                **common,
            )
            meeting.save()
            commitment = Commitment(
                id=record_id("commitment", dialogue_id, agency, marking),
                dialogue=dialogue,
                text="c",
                made_on="2022-05-01",
                **common,
            )
            commitment.save()
            Note(
                id=record_id("note", dialogue_id, agency, marking),
                dialogue=dialogue,
                text="n",
                written_on="2022-05-01",
                **common,
            ).save()
            cells.append((dialogue_id, gov, agency, marking, "", parties))
    return cells


MODELS = {"meeting": Meeting, "commitment": Commitment, "note": Note}


def test_every_cell_of_the_matrix_matches_the_table(matrix: list[Any]) -> None:
    mismatches = []
    checked = 0
    for persona, kind, action in itertools.product(PERSONAS, KINDS, ["view", "change"]):
        model: Any = MODELS[kind]
        actual = set(
            model.objects.visible_to(persona.actor(), action)
            .filter(pk__startswith="t-m-")
            .values_list("pk", flat=True)
        )
        oracle = expected_view if action == "view" else expected_change
        for dialogue_id, gov, agency, marking, _, parties in matrix:
            rid = record_id(kind, dialogue_id, agency, marking)
            want = oracle(persona, gov, agency, marking, parties)
            checked += 1
            if (rid in actual) != want:
                mismatches.append((persona.name, kind, action, rid, want))
    assert checked == len(PERSONAS) * len(KINDS) * 2 * len(OWNERS) * len(MARKINGS) * len(
        DIALOGUE_PARTIES
    )
    assert mismatches == []


def test_the_operator_sees_and_changes_everything(matrix: list[Any]) -> None:
    for model in MODELS.values():
        total = model.objects.filter(pk__startswith="t-m-").count()
        assert (
            model.objects.visible_to(Actor.operator()).filter(pk__startswith="t-m-").count()
            == total
        )
        assert (
            model.objects.visible_to(Actor.operator(), "change")
            .filter(pk__startswith="t-m-")
            .count()
            == total
        )


def test_anonymous_sees_nothing_unless_public_reading_is_on(
    matrix: list[Any], settings: Any
) -> None:
    settings.KIZUNA_PUBLIC_READ = False
    assert not Commitment.objects.visible_to(Actor.anonymous()).exists()
    settings.KIZUNA_PUBLIC_READ = True
    markings = set(
        Commitment.objects.visible_to(Actor.anonymous()).values_list("marking", flat=True)
    )
    assert markings == {"public"}


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
def test_export_holds_exactly_what_visible_to_returns(matrix: list[Any], persona: Persona) -> None:
    data = export_dataset(actor=persona.actor())
    exported = {c["id"] for c in data["commitments"]}
    visible = set(Commitment.objects.visible_to(persona.actor()).values_list("pk", flat=True))
    assert exported == visible
    for commitment in data["commitments"]:
        assert commitment["marking"] in MARKINGS
        assert set(commitment["owner"]) == {"government", "agency"}


def test_export_blanks_references_to_hidden_meetings_and_documents(matrix: list[Any]) -> None:
    from kizuna.documents.models import Document

    hidden_meeting = record_id("meeting", "t-matrix-bilateral", "meti", "government-internal")
    document = Document(
        id="t-m-doc",
        title="Internal",
        date="2022-05-01",
        text="Secret words here.",
        content_hash="t" * 64,
        marking="government-internal",
        owner_government_id="JPN",
        owner_agency_id="meti",
        dialogue_id="t-matrix-bilateral",
    )
    document.save()
    Commitment.objects.filter(
        pk=record_id("commitment", "t-matrix-bilateral", "commerce", "public")
    ).update(meeting_id=hidden_meeting, document_id="t-m-doc", passage_start=0, passage_end=12)
    usa = PERSONAS[1].actor()
    data = export_dataset(actor=usa)
    exported = next(
        c
        for c in data["commitments"]
        if c["id"] == record_id("commitment", "t-matrix-bilateral", "commerce", "public")
    )
    assert exported["meeting"] is None
    assert exported["document"] is None
    assert exported["passage"] is None
    assert "Secret words" not in str(data)
