"""Writing in the web: a party records its assessment, the other side contests it; the audit page."""

from __future__ import annotations

import re
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
from kizuna.registry.services import PermissionDenied
from kizuna.web.services import commitments_export_record, may_export

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
    before = AuditEntry.objects.count()
    response = us.post(f"/assessments/{assessment.pk}/review/", {"verdict": "confirmed"})
    assert response.status_code == 403
    # Once, under the refused record.
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None
    assert entry.action == "web.denied"
    assert (entry.object_kind, entry.object_id) == ("assessment", assessment.pk)
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
    assert "before the commitment was made (May 1, 2022)" in response.content.decode()
    japanese = people["t-wr-coord"].post(
        "/commitments/t-wr-c2/assess/",
        {"as_of": "2000-01-01", "status": "in-progress", "marking": "shared"},
        headers={"accept-language": "ja"},
    )
    # The day as a Japanese reader writes it, not in ISO form.
    assert "（2022年5月1日）より前に" in japanese.content.decode()
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


def _record(client: Client, marking: str, evidence: str = "Held.", **headers: str) -> Any:
    return client.post(
        "/commitments/t-wr-c1/assess/",
        {"as_of": "2023-01-10", "status": "in-progress", "marking": marking, "evidence": evidence},
        headers=headers,
    )


def test_each_assessment_shows_its_marking_and_its_author_is_told_what_the_other_side_sees(
    people: dict[str, Client],
) -> None:
    """The panel and the history showed no marking: the U.S. desk officer read an internal
    "stalled" as the U.S. position, while Japan was reviewing an older, shared assessment."""
    _record(people["t-wr-us"], "shared", "EVID-SHARED")
    _record(people["t-wr-us"], "government-internal", "EVID-GOVINT")
    us = people["t-wr-us"].get("/commitments/t-wr-c1/").content.decode()
    panel = us.split('id="side-USA"')[1].split("</section>")[0]
    assert '<span class="marking marking-' in panel
    history = us.split("History of assessments")[1].split("</table>")[0]
    assert '<span class="marking marking-shared">shared</span>' in history
    assert '<span class="marking marking-government-internal">' in history
    if "EVID-GOVINT" in panel:  # the latest of the day, as the page orders them
        assert "The other governments do not see this assessment" in panel
    jp = people["t-wr-jp"].get("/commitments/t-wr-c1/").content.decode()
    jp_panel = jp.split('id="side-USA"')[1].split("</section>")[0]
    assert '<span class="marking marking-shared">shared</span>' in jp_panel
    assert "EVID-GOVINT" not in jp and "do not see this assessment" not in jp


def test_a_review_address_opened_or_reloaded_leads_to_its_commitment(
    people: dict[str, Client],
) -> None:
    """The review form's POST-only address, reloaded, bookmarked or reached after signing in
    again, answered an empty 405."""
    _record(people["t-wr-us"], "shared")
    assessment = Assessment.objects.get(commitment_id="t-wr-c1")
    response = people["t-wr-jp"].get(f"/assessments/{assessment.pk}/review/")
    assert (response.status_code, response["Location"]) == (302, "/commitments/t-wr-c1/")
    assert people["t-wr-jp"].get("/assessments/t-wr-missing/review/").status_code == 404


def test_a_review_refused_in_place_puts_the_commitments_address_in_the_address_bar(
    people: dict[str, Client],
) -> None:
    _record(people["t-wr-us"], "shared")
    assessment = Assessment.objects.get(commitment_id="t-wr-c1")
    response = people["t-wr-jp"].post(
        f"/assessments/{assessment.pk}/review/",
        {"verdict": "contested", "reason": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert response["HX-Push-Url"] == "/commitments/t-wr-c1/"


def test_the_same_assessment_sent_twice_leads_to_the_commitment_saying_it_is_recorded(
    people: dict[str, Client],
) -> None:
    first = _record(people["t-wr-us"], "shared", "DOUBLE-POST")
    entries = AuditEntry.objects.count()
    again = _record(people["t-wr-us"], "shared", "DOUBLE-POST")
    assert first.status_code == again.status_code == 302
    assert again["Location"] == "/commitments/t-wr-c1/"
    page = people["t-wr-us"].get(again["Location"]).content.decode()
    assert "This assessment is already recorded." in page
    assert Assessment.objects.filter(commitment_id="t-wr-c1").count() == 1
    assert AuditEntry.objects.count() == entries


def test_each_error_is_named_by_its_field_and_the_first_takes_the_focus(
    people: dict[str, Client],
) -> None:
    """The date field said aria-describedby="id_as_of_error", an id no element had, and
    nothing took the focus after the form came back with its errors."""
    html = (
        people["t-wr-us"]
        .post("/commitments/t-wr-c1/assess/", {"as_of": "", "status": "", "marking": "shared"})
        .content.decode()
        .split('<main id="main">')[1]  # the header has its own date field
    )
    for name in ("as_of", "status"):
        field = re.search(rf'<[^>]+name="{name}"[^>]*>', html)
        assert field is not None and f'aria-describedby="id_{name}_error"' in field[0]
        assert f'<span class="error" id="id_{name}_error" role="alert">' in html
    assert html.count("autofocus") == 1
    assert re.search(r'<input[^>]+name="as_of"[^>]*autofocus', html)


def test_downloads_of_the_list_are_audited_in_their_format_and_are_for_writers(db: None) -> None:
    """An XLSX download was audited as a CSV; a reader could download the list, which
    SECURITY.md gives to desk officers and coordinators."""
    desk = Actor(name="d", government="USA", agency="commerce", role="desk-officer")
    commitments_export_record(actor=desk, query="sort=x", format="xlsx")
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None and entry.payload["after"] == {"format": "xlsx", "query": "sort=x"}
    commitments_export_record(actor=desk, query="")
    assert AuditEntry.objects.latest("sequence").payload["after"]["format"] == "csv"
    entries = AuditEntry.objects.count()
    for role in ("reader", "admin"):
        actor = Actor(name="r", government="USA", agency="state", role=role)
        assert not may_export(actor)
        with pytest.raises(PermissionDenied):
            commitments_export_record(actor=actor, query="")
    assert AuditEntry.objects.count() == entries
    assert may_export(Actor(name="c", government="USA", agency="wh", role="coordinator"))
