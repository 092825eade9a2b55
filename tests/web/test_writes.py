"""Writing in the web: a party records its assessment, the other side contests it; the audit page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.accounts.services import user_add
from kizuna.audit.models import AuditEntry
from kizuna.commitments.models import Assessment, AssessmentReview
from kizuna.dataset.loader import load_dataset
from kizuna.registry.models import Agency

PASSWORD = "a-long-demo-passphrase-42"
DATA = """
governments: [{id: USA, name: United States}, {id: JPN, name: Japan}]
agencies:
  - {id: commerce, government: USA, name: Commerce}
  - {id: white-house, government: USA, name: White House}
  - {id: meti, government: JPN, name: METI}
dialogues:
  - id: t-wr-dialogue
    name: Web write test
    kind: ministerial-dialogue
    launched: "2022"
    parties: [USA, JPN]
    leads: {USA: [commerce], JPN: [meti]}
    sources: [{title: S}]
commitments:
  - {id: t-wr-c1, text: Hold the round, dialogue: t-wr-dialogue, made_on: "2022", parties: [USA, JPN],
     owners: {USA: [commerce], JPN: [meti]}, marking: shared, sources: [{title: S}]}
  - {id: t-wr-c2, text: Open the office, dialogue: t-wr-dialogue, made_on: "2022-05-01",
     parties: [USA], owners: {USA: [white-house]}, marking: shared, sources: [{title: S}]}
"""


@pytest.fixture
def people(db: Any, tmp_path: Path, settings: Any) -> dict[str, Client]:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []
    path = tmp_path / "w.yaml"
    path.write_text(DATA, encoding="utf-8")
    load_dataset([path], actor=Actor.operator())
    known = dict(Agency.objects.values_list("id", "government_id"))
    clients = {}
    for name, gov, agency, role in [
        ("t-wr-us", "USA", "commerce", "desk-officer"),
        ("t-wr-jp", "JPN", "meti", "desk-officer"),
        ("t-wr-coord", "USA", "white-house", "coordinator"),
    ]:
        user_add(
            actor=Actor.operator(),
            username=name,
            government=gov,
            agency=agency,
            role=role,
            password=PASSWORD,
            known_agencies=known,
        )
        client = Client()
        client.post("/accounts/login/", {"username": name, "password": PASSWORD})
        clients[name] = client
    return clients


def test_a_party_records_its_assessment_and_the_other_contests_it(
    people: dict[str, Client],
) -> None:
    before = AuditEntry.objects.count()
    response = people["t-wr-us"].post(
        "/commitments/t-wr-c1/assess/",
        {
            "as_of": "2023-01-10",
            "status": "delivered",
            "score": "1",
            "completion": "complete",
            "evidence": "Held on 2023-01-09.",
            "marking": "shared",
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(commitment_id="t-wr-c1", party_id="USA")
    assert AuditEntry.objects.count() == before + 1
    page = people["t-wr-jp"].get("/commitments/t-wr-c1/").content.decode()
    assert "Held on 2023-01-09." in page
    refused = people["t-wr-jp"].post(
        f"/assessments/{assessment.pk}/review/", {"verdict": "contested", "reason": ""}
    )
    assert not AssessmentReview.objects.filter(assessment=assessment).exists()
    # Refused beside the reason field of that form, with the verdict as it was sent.
    assert refused.status_code == 400
    page = refused.content.decode()
    error = page.index(f'id="reason-error-{assessment.pk}"')
    assert page.index(f'id="reason-{assessment.pk}"') < error < page.index("</form>", error)
    assert '<option value="contested" selected>' in page
    people["t-wr-jp"].post(
        f"/assessments/{assessment.pk}/review/",
        {"verdict": "contested", "reason": "The round was postponed."},
    )
    review = AssessmentReview.objects.get(assessment=assessment)
    assert (review.party_id, review.verdict) == ("JPN", "contested")
    assert "The parties disagree" in people["t-wr-us"].get("/commitments/t-wr-c1/").content.decode()


def test_bad_values_are_shown_beside_the_field_and_nothing_is_written(
    people: dict[str, Client],
) -> None:
    response = people["t-wr-us"].post(
        "/commitments/t-wr-c1/assess/",
        {"as_of": "2099-01-01", "status": "delivered", "marking": "shared"},
    )
    assert response.status_code == 200
    assert "future" in response.content.decode()
    assert not Assessment.objects.filter(commitment_id="t-wr-c1").exists()


def test_a_refused_write_is_answered_403_and_audited(people: dict[str, Client]) -> None:
    us = people["t-wr-us"]
    us.post(
        "/commitments/t-wr-c1/assess/",
        {"as_of": "2023-01-10", "status": "delivered", "marking": "shared"},
    )
    assessment = Assessment.objects.get(commitment_id="t-wr-c1")
    response = us.post(f"/assessments/{assessment.pk}/review/", {"verdict": "confirmed"})
    assert response.status_code == 403
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None
    assert entry.action == "web.denied"
    assert people["t-wr-us"].get("/commitments/missing/assess/").status_code == 404


def test_the_audit_page_is_for_coordinators(people: dict[str, Client]) -> None:
    people["t-wr-us"].post(
        "/commitments/t-wr-c1/assess/",
        {"as_of": "2023-01-10", "status": "in-progress", "marking": "shared"},
    )
    assert people["t-wr-us"].get("/audit/").status_code == 403
    page = people["t-wr-coord"].get("/audit/")
    assert page.status_code == 200
    assert "assessment.record" in page.content.decode()
    assert "assessment.record" not in people["t-wr-jp"].get("/audit/").content.decode()


def test_only_those_who_may_assess_are_offered_the_form(people: dict[str, Client]) -> None:
    link = 'href="/commitments/t-wr-c2/assess/"'
    # The White House owns it and Japan did not commit: the Commerce desk officer and the
    # Japanese desk officer may not assess it; the U.S. coordinator may.
    assert link not in people["t-wr-us"].get("/commitments/t-wr-c2/").content.decode()
    assert link not in people["t-wr-jp"].get("/commitments/t-wr-c2/").content.decode()
    assert link in people["t-wr-coord"].get("/commitments/t-wr-c2/").content.decode()
    assert (
        'href="/commitments/t-wr-c1/assess/"'
        in people["t-wr-us"].get("/commitments/t-wr-c1/").content.decode()
    )


def test_the_form_by_its_address_is_refused_in_the_page_in_the_readers_language(
    people: dict[str, Client],
) -> None:
    for name in ("t-wr-us", "t-wr-jp"):
        response = people[name].get(
            "/commitments/t-wr-c2/assess/", headers={"accept-language": "ja"}
        )
        html = response.content.decode()
        assert response.status_code == 403 and 'name="status"' not in html
        assert "<nav" in html and 'role="alert"' in html  # the page's frame, not a bare line
        assert "committing government" not in html  # Japanese, not English
    posted = people["t-wr-us"].post(
        "/commitments/t-wr-c2/assess/",
        {"as_of": "2023-01-10", "status": "delivered", "marking": "shared"},
    )
    assert posted.status_code == 403
    assert not Assessment.objects.filter(commitment_id="t-wr-c2").exists()


def test_an_assessment_cannot_be_dated_before_the_commitment_was_made(
    people: dict[str, Client],
) -> None:
    response = people["t-wr-coord"].post(
        "/commitments/t-wr-c2/assess/",
        {"as_of": "2000-01-01", "status": "in-progress", "marking": "shared"},
    )
    assert response.status_code == 200
    assert "before the commitment was made (2022-05-01)" in response.content.decode()
    assert not Assessment.objects.filter(commitment_id="t-wr-c2").exists()


def test_refusals_of_whole_pages_keep_the_header_and_navigation(
    people: dict[str, Client],
) -> None:
    for path in ("/audit/", "/coordination/"):
        response = people["t-wr-us"].get(path)
        assert response.status_code == 403
        assert "<nav" in response.content.decode(), path


def test_the_audit_page_says_each_action_in_words_beside_its_code(
    people: dict[str, Client],
) -> None:
    people["t-wr-coord"].post(
        "/commitments/t-wr-c2/assess/",
        {"as_of": "2023-01-10", "status": "in-progress", "marking": "shared"},
    )
    page = people["t-wr-coord"].get("/audit/", headers={"accept-language": "ja"})
    assert "評価の記録 <code>assessment.record</code>" in page.content.decode()
