"""Who may read a dialogue's `shared` records: its parties, as every party may know them.

A membership is a record with a marking of its own. One kept internal by one government
(the United States noting, for itself, that Korea is joining) must not let Korea read the
dialogue's shared records, nor widen the audience of records other governments own; a
membership the parties all see does, from the moment it is recorded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kizuna.access.actor import Actor
from kizuna.commitments.models import Commitment
from kizuna.dataset.loader import load_dataset
from kizuna.registry.models import Dialogue, Membership
from kizuna.registry.services import marking_change

WORKSPACE = Path(__file__).resolve().parents[1] / "api" / "data" / "workspace.yaml"
KOREA = Actor(name="t-kor-reader", government="KOR", agency="t-motie", role="reader")
KOREA_JOINS = {
    "governments": [{"id": "KOR", "name": "Republic of Korea"}],
    "agencies": [{"id": "t-motie", "government": "KOR", "name": "MOTIE"}],
}


def _korea_joins(tmp_path: Path, marking: str) -> Path:
    """A dataset file recording Korea's membership of the partnership, so marked."""
    path = tmp_path / f"korea-{marking}.yaml"
    membership = {
        "id": "api-partnership-kor",
        "dialogue": "api-partnership",
        "party": "KOR",
        "joined": "2024-01",
        "marking": marking,
        "owner": {"government": "USA", "agency": "commerce"},
        "sources": [{"title": "Internal note", "publisher": "Test"}],
    }
    path.write_text(yaml.safe_dump(KOREA_JOINS | {"memberships": [membership]}))
    return path


def _korea_reads() -> set[str]:
    return set(Commitment.objects.visible_to(KOREA).values_list("pk", flat=True))


@pytest.mark.django_db
def test_an_internal_membership_does_not_open_the_dialogue_to_that_party(
    tmp_path: Path,
) -> None:
    # Loaded together, so that every record's audience is worked out with Korea recorded.
    load_dataset([WORKSPACE, _korea_joins(tmp_path, "government-internal")], actor=Actor.operator())
    assert Membership.objects.filter(pk="api-partnership-kor").exists()
    assert "KOR" not in Dialogue.objects.get(pk="api-partnership").audience_codes
    assert "KOR" not in Commitment.objects.get(pk="api-c-shared").audience_codes
    assert "api-c-shared" not in _korea_reads()
    assert "api-c-public" in _korea_reads()  # public records, as to anyone signed in


@pytest.mark.django_db
def test_a_membership_all_parties_see_opens_every_shared_record_of_the_dialogue(
    tmp_path: Path,
) -> None:
    load_dataset([WORKSPACE], actor=Actor.operator())
    assert "api-c-shared" not in _korea_reads()
    # Loaded on its own: the records of the dialogue are not in the file, and still follow.
    load_dataset([_korea_joins(tmp_path, "shared")], actor=Actor.operator())
    assert "api-c-shared" in _korea_reads()
    assert "KOR" in Dialogue.objects.get(pk="api-partnership").audience_codes
    assert "KOR" in Membership.objects.get(pk="api-partnership-kor").audience_codes
    # And when the membership is made internal again, Korea loses them.
    load_dataset([_korea_joins(tmp_path, "government-internal")], actor=Actor.operator())
    assert "api-c-shared" not in _korea_reads()


@pytest.mark.django_db
def test_re_marking_a_membership_opens_or_closes_the_dialogue_at_once(tmp_path: Path) -> None:
    load_dataset([WORKSPACE, _korea_joins(tmp_path, "government-internal")], actor=Actor.operator())
    desk = Actor(name="t-usa-desk", government="USA", agency="commerce", role="desk-officer")
    membership = marking_change(
        actor=desk,
        model=Membership,
        record_id="api-partnership-kor",
        version=Membership.objects.get(pk="api-partnership-kor").version,
        marking="shared",
        reason="Korea's accession is announced.",
    )
    assert "api-c-shared" in _korea_reads()
    marking_change(
        actor=desk,
        model=Membership,
        record_id="api-partnership-kor",
        version=membership.version,
        marking="government-internal",
    )
    assert "api-c-shared" not in _korea_reads()
