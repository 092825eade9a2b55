"""Writes go through services: permission, stale edits, markings, sharing, assessments, audit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from kizuna.access.actor import Actor
from kizuna.audit.models import AuditEntry
from kizuna.commitments.models import Assessment, Commitment
from kizuna.commitments.services import (
    AssessmentAlreadyRecorded,
    assessment_record,
    assessment_review,
    commitment_create,
)
from kizuna.dataset.loader import load_dataset
from kizuna.registry.services import (
    InvalidEdit,
    PermissionDenied,
    StaleEdit,
    marking_change,
    record_share,
    record_update,
)

DATA = """
governments:
  - {id: USA, name: United States}
  - {id: JPN, name: Japan}
agencies:
  - {id: commerce, government: USA, name: Commerce}
  - {id: ustr, government: USA, name: USTR}
  - {id: white-house, government: USA, name: White House}
  - {id: meti, government: JPN, name: METI}
  - {id: kantei, government: JPN, name: Kantei}
dialogues:
  - id: t-w-dialogue
    name: Test partnership
    kind: ministerial-dialogue
    launched: "2022"
    parties: [USA, JPN]
    leads: {USA: [commerce], JPN: [meti]}
    sources: [{title: Statement, publisher: Test}]
commitments:
  - id: t-w-c1
    text: Hold a ministerial every year.
    dialogue: t-w-dialogue
    made_on: "2022-05-04"
    parties: [USA, JPN]
    owners: {USA: [commerce], JPN: [meti]}
    marking: shared
    owner: {government: USA, agency: commerce}
    sources: [{title: Statement, publisher: Test}]
  - id: t-w-internal
    text: Internal target for the semiconductor roadmap.
    dialogue: t-w-dialogue
    made_on: "2022-05-04"
    parties: [USA]
    owners: {USA: [commerce]}
    marking: agency-internal
    owner: {government: USA, agency: commerce}
    sources: [{title: Internal note, publisher: Commerce}]
"""

US_DESK = Actor(name="usa-desk-officer", government="USA", agency="commerce", role="desk-officer")
US_DESK_2 = Actor(name="usa-desk-officer-2", government="USA", agency="ustr", role="desk-officer")
US_COORD = Actor(name="usa-coordinator", government="USA", agency="white-house", role="coordinator")
US_READER = Actor(name="usa-reader", government="USA", agency="ustr", role="reader")
JP_DESK = Actor(name="jpn-desk-officer", government="JPN", agency="meti", role="desk-officer")


@pytest.fixture
def data(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(DATA, encoding="utf-8")
    load_dataset([path], actor=Actor.operator())


def last_entry() -> AuditEntry:
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None
    return entry


def test_a_desk_officer_edits_its_agencys_commitment_and_it_is_audited(data: None) -> None:
    commitment = record_update(
        actor=US_DESK,
        model=Commitment,
        record_id="t-w-c1",
        version=1,
        changes={"text": "Hold a ministerial every year, alternating capitals."},
    )
    assert commitment.version == 2
    entry = last_entry()
    assert (entry.action, entry.object_id, entry.actor_name) == (
        "commitment.update",
        "t-w-c1",
        "usa-desk-officer",
    )
    assert entry.payload["before"] == {"text": "Hold a ministerial every year."}


def test_a_stale_edit_is_refused_saying_who_changed_it(data: None) -> None:
    record_update(
        actor=US_DESK,
        model=Commitment,
        record_id="t-w-c1",
        version=1,
        changes={"text": "First edit."},
    )
    with pytest.raises(StaleEdit, match="usa-desk-officer") as caught:
        record_update(
            actor=US_COORD,
            model=Commitment,
            record_id="t-w-c1",
            version=1,
            changes={"text": "Second."},
        )
    assert "version 2" in str(caught.value)
    assert Commitment.objects.get(pk="t-w-c1").text == "First edit."


def test_fields_a_user_may_not_set_are_refused(data: None) -> None:
    with pytest.raises(InvalidEdit, match="owner_government_id"):
        record_update(
            actor=US_DESK,
            model=Commitment,
            record_id="t-w-c1",
            version=1,
            changes={"owner_government_id": "JPN"},
        )
    assert Commitment.objects.get(pk="t-w-c1").owner_government_id == "USA"


@pytest.mark.parametrize("actor", [US_DESK_2, US_READER, JP_DESK], ids=lambda a: a.name)
def test_others_may_not_edit(data: None, actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        record_update(
            actor=actor, model=Commitment, record_id="t-w-c1", version=1, changes={"text": "x"}
        )


def test_a_hidden_record_is_reported_as_not_found(data: None) -> None:
    with pytest.raises(PermissionDenied, match="that you may see"):
        record_update(
            actor=JP_DESK,
            model=Commitment,
            record_id="t-w-internal",
            version=1,
            changes={"text": "x"},
        )


def test_widening_a_marking_needs_a_reason_kept_in_the_log(data: None) -> None:
    with pytest.raises(InvalidEdit, match="reason"):
        marking_change(
            actor=US_DESK, model=Commitment, record_id="t-w-internal", version=1, marking="shared"
        )
    marking_change(
        actor=US_DESK,
        model=Commitment,
        record_id="t-w-internal",
        version=1,
        marking="shared",
        reason="Agreed to share with METI at the working level.",
    )
    entry = last_entry()
    assert entry.action == "marking.change"
    assert entry.payload["reason"] == "Agreed to share with METI at the working level."
    assert Commitment.objects.visible_to(JP_DESK).filter(pk="t-w-internal").exists()


def test_narrowing_needs_no_reason_but_only_the_owner_side_may_do_it(data: None) -> None:
    with pytest.raises(PermissionDenied):
        marking_change(
            actor=JP_DESK, model=Commitment, record_id="t-w-c1", version=1, marking="public"
        )
    marking_change(
        actor=US_COORD,
        model=Commitment,
        record_id="t-w-c1",
        version=1,
        marking="government-internal",
    )
    assert not Commitment.objects.visible_to(JP_DESK).filter(pk="t-w-c1").exists()


def test_sharing_with_another_agency_opens_an_agency_internal_record(data: None) -> None:
    assert not Commitment.objects.visible_to(US_DESK_2).filter(pk="t-w-internal").exists()
    record_share(
        actor=US_DESK,
        model=Commitment,
        record_id="t-w-internal",
        version=1,
        agencies=["ustr"],
        reason="USTR leads the related trade track.",
    )
    assert Commitment.objects.visible_to(US_DESK_2).filter(pk="t-w-internal").exists()
    with pytest.raises(InvalidEdit, match="another government"):
        record_share(
            actor=US_DESK,
            model=Commitment,
            record_id="t-w-internal",
            version=2,
            agencies=["meti"],
            reason="x",
        )


def test_each_government_assesses_its_own_delivery_and_the_other_confirms_or_contests(
    data: None,
) -> None:
    us = assessment_record(
        actor=US_DESK,
        commitment_id="t-w-c1",
        as_of=dt.date(2023, 1, 10),
        status="delivered",
        score=1,
        completion="complete",
        evidence="Held 2023-01-09.",
    )
    assert us.party_id == "USA"
    assert Assessment.objects.visible_to(JP_DESK).filter(pk=us.pk).exists()
    with pytest.raises(InvalidEdit, match="reason"):
        assessment_review(actor=JP_DESK, assessment_id=us.pk, verdict="contested")
    review = assessment_review(
        actor=JP_DESK, assessment_id=us.pk, verdict="contested", reason="The meeting was postponed."
    )
    assert review.party_id == "JPN"
    assert last_entry().action == "assessment.contested"
    with pytest.raises(PermissionDenied, match="own assessment"):
        assessment_review(actor=US_COORD, assessment_id=us.pk, verdict="confirmed")


def test_assessments_refuse_bad_values_and_other_governments(data: None) -> None:
    with pytest.raises(InvalidEdit, match="score"):
        assessment_record(
            actor=US_DESK,
            commitment_id="t-w-c1",
            as_of=dt.date(2023, 1, 1),
            status="delivered",
            score=2,
        )
    with pytest.raises(InvalidEdit, match="status"):
        assessment_record(
            actor=US_DESK, commitment_id="t-w-c1", as_of=dt.date(2023, 1, 1), status="done"
        )
    with pytest.raises(PermissionDenied):
        assessment_record(
            actor=US_DESK,
            commitment_id="t-w-c1",
            as_of=dt.date(2023, 1, 1),
            status="delivered",
            party="JPN",
        )
    with pytest.raises(PermissionDenied):
        assessment_record(
            actor=US_DESK_2, commitment_id="t-w-c1", as_of=dt.date(2023, 1, 1), status="delivered"
        )
    assert not Assessment.objects.filter(commitment_id="t-w-c1").exists()


def test_commitment_create_is_owned_by_the_actors_agency_and_audited(data: None) -> None:
    commitment = commitment_create(
        actor=US_DESK,
        dialogue_id="t-w-dialogue",
        text="Launch a workforce exchange.",
        made_on="2024-06",
        parties=["USA", "JPN"],
        owners={"USA": ["commerce"], "JPN": ["meti"]},
    )
    assert (commitment.owner_government_id, commitment.owner_agency_id) == ("USA", "commerce")
    assert commitment.audience == "|JPN|USA|"
    assert last_entry().action == "commitment.create"
    with pytest.raises(PermissionDenied):
        commitment_create(
            actor=US_READER,
            dialogue_id="t-w-dialogue",
            text="x",
            made_on="2024",
            parties=["USA"],
            owners={},
        )


def test_a_desk_officer_registers_a_dialogue_and_a_meeting(data: None) -> None:
    from kizuna.registry.models import Dialogue
    from kizuna.registry.services import dialogue_create, meeting_create

    dialogue = dialogue_create(
        actor=US_DESK,
        dialogue_id="t-w-new",
        name="Workforce dialogue",
        kind="working-group",
        launched="2024-06",
        parties=["USA", "JPN"],
        leads={"USA": ["commerce"], "JPN": ["meti"]},
        parent_id="t-w-dialogue",
    )
    assert dialogue.audience == "|JPN|USA|"
    assert Dialogue.objects.visible_to(JP_DESK).filter(pk="t-w-new").exists()
    meeting = meeting_create(
        actor=US_DESK,
        dialogue_id="t-w-new",
        title="First round",
        date="2024-07-02",
        level="working",
        place="Tokyo",
        round_number=1,
    )
    assert meeting.id == "t-w-new-2024-07-02"
    assert last_entry().action == "meeting.create"
    with pytest.raises(InvalidEdit, match="already has a meeting"):
        meeting_create(
            actor=US_DESK, dialogue_id="t-w-new", title="Again", date="2024-07-02", level="working"
        )


def test_dialogue_create_refuses_bad_values(data: None) -> None:
    from kizuna.registry.services import dialogue_create

    with pytest.raises(InvalidEdit, match="not an agency of JPN"):
        dialogue_create(
            actor=US_DESK,
            dialogue_id="t-w-bad",
            name="x",
            kind="working-group",
            launched="2024",
            parties=["USA", "JPN"],
            leads={"JPN": ["commerce"]},
        )
    with pytest.raises(InvalidEdit, match="launched"):
        dialogue_create(
            actor=US_DESK,
            dialogue_id="t-w-bad",
            name="x",
            kind="working-group",
            launched="2024-13",
            parties=["USA"],
            leads={},
        )
    with pytest.raises(PermissionDenied):
        dialogue_create(
            actor=US_READER,
            dialogue_id="t-w-bad",
            name="x",
            kind="working-group",
            launched="2024",
            parties=["USA"],
            leads={},
        )


def test_the_same_assessment_sent_twice_is_recorded_once(data: None) -> None:
    """A form sent twice (no JavaScript, or resent) stored two identical assessments, both
    shown in the history, the API and to the other government."""
    values: dict[str, Any] = {
        "commitment_id": "t-w-c1",
        "as_of": dt.date(2023, 1, 10),
        "status": "in-progress",
        "evidence": "DOUBLE-POST",
        "marking": "shared",
    }
    first = assessment_record(actor=US_DESK, **values)
    entries = AuditEntry.objects.count()
    with pytest.raises(AssessmentAlreadyRecorded, match="already recorded") as caught:
        assessment_record(actor=US_DESK, **values)
    assert caught.value.assessment == first
    assert Assessment.objects.filter(commitment_id="t-w-c1").count() == 1
    assert AuditEntry.objects.count() == entries
    # Anything different is a new assessment: another marking, other evidence, another author.
    assessment_record(actor=US_DESK, **{**values, "marking": "government-internal"})
    assessment_record(actor=US_DESK, **{**values, "evidence": "DOUBLE-POST, corrected"})
    assessment_record(actor=US_COORD, **values)
    assert Assessment.objects.filter(commitment_id="t-w-c1").count() == 4


def test_refusals_of_commitment_writes_are_in_the_readers_language(data: None) -> None:
    with translation.override("ja"):
        with pytest.raises(PermissionDenied, match="閲覧できる評価 t-w-missing はありません"):
            assessment_review(actor=JP_DESK, assessment_id="t-w-missing", verdict="confirmed")
        with pytest.raises(PermissionDenied, match="担当官と調整官のみ"):
            commitment_create(
                actor=US_READER, dialogue_id="t-w-dialogue", text="x", made_on="2024",
                parties=["USA"], owners={},
            )  # fmt: skip
        with pytest.raises(InvalidEdit, match="meti は USA の省庁ではありません"):
            commitment_create(
                actor=US_DESK, dialogue_id="t-w-dialogue", text="x", made_on="2024",
                parties=["USA"], owners={"USA": ["meti"]},
            )  # fmt: skip
        with pytest.raises(InvalidEdit, match="JPN は担当が割り当てられていますが"):
            commitment_create(
                actor=US_DESK, dialogue_id="t-w-dialogue", text="x", made_on="2024",
                parties=["USA"], owners={"JPN": ["meti"]},
            )  # fmt: skip
        with pytest.raises(PermissionDenied, match="閲覧できる対話 t-w-none はありません"):
            commitment_create(
                actor=US_DESK, dialogue_id="t-w-none", text="x", made_on="2024",
                parties=["USA"], owners={},
            )  # fmt: skip
        with pytest.raises(PermissionDenied, match="閲覧できるコミットメント t-w-internal"):
            assessment_record(
                actor=JP_DESK, commitment_id="t-w-internal", as_of=dt.date(2023, 1, 1),
                status="delivered",
            )  # fmt: skip
