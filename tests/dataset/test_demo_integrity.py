"""The demo dataset is complete and every fact is sourced."""

from __future__ import annotations

import pytest

from kizuna.commitments.models import Assessment, Commitment, Concern
from kizuna.documents.models import Document
from kizuna.registry.models import Dialogue, DialogueLead, Meeting

pytestmark = pytest.mark.django_db

REQUIRED_DIALOGUES = {
    "core",
    "jucip",
    "partnership-on-trade",
    "epcc",
    "ipef",
    "b3w",
    "pgii",
    "critical-minerals-agreement",
}


def test_required_dialogues_are_present() -> None:
    assert REQUIRED_DIALOGUES <= set(Dialogue.objects.values_list("id", flat=True))


def test_every_dialogue_has_parties_and_leads_for_each_lead_party() -> None:
    for dialogue in Dialogue.objects.all():
        parties = dialogue.party_codes()
        assert len(parties) >= 1, dialogue.id
        assert DialogueLead.objects.filter(dialogue=dialogue).exists(), dialogue.id
        assert all(dialogue.sources for _ in [0]), dialogue.id


def test_jucip_sits_under_core_and_is_led_by_commerce_and_meti() -> None:
    jucip = Dialogue.objects.get(pk="jucip")
    assert jucip.parent_id == "core"
    leads = set(jucip.leads.filter(pillar__isnull=True).values_list("party_id", "agency_id"))
    assert leads == {("USA", "commerce"), ("JPN", "meti")}


def test_ipef_has_fourteen_partners_with_fiji_joining_later() -> None:
    ipef = Dialogue.objects.get(pk="ipef")
    assert len(ipef.party_codes()) == 14
    fiji = ipef.memberships.get(party_id="FJI")
    assert fiji.joined == "2022-05-26"
    assert ipef.pillars.count() == 4


def test_every_meeting_has_a_dialogue_and_a_source() -> None:
    assert Meeting.objects.count() >= 20
    for meeting in Meeting.objects.all():
        assert meeting.dialogue_id
        assert meeting.sources, meeting.id
        assert meeting.id.startswith(meeting.dialogue_id), meeting.id


def test_every_commitment_has_a_source_parties_and_owners() -> None:
    assert Commitment.objects.count() >= 50
    for commitment in Commitment.objects.prefetch_related("parties", "owners"):
        assert commitment.sources, commitment.id
        assert commitment.parties.exists(), commitment.id
        if not commitment.illustrative:
            assert commitment.owners.exists(), commitment.id


def test_commitments_from_official_texts_point_at_their_exact_passage() -> None:
    quoted = Commitment.objects.exclude(document=None)
    assert quoted.count() >= 10
    for commitment in quoted:
        assert commitment.passage, commitment.id
        assert commitment.passage in commitment.document.text


def test_sources_are_never_invented_addresses() -> None:
    for model in (Dialogue, Meeting, Commitment, Document, Concern, Assessment):
        for record in model.objects.all():
            for source in record.sources:
                url = source.get("url", "")
                assert not url or url.startswith(("http://", "https://")), (record.pk, url)
                assert "example" not in url, (record.pk, url)


def test_illustrative_records_are_flagged() -> None:
    assert Assessment.objects.filter(illustrative=True).exists()
    assert Assessment.objects.filter(illustrative=False).exists()


def test_the_nine_official_texts_are_documents() -> None:
    assert Document.objects.count() >= 9
    assert Document.objects.filter(language="ja").exists()
