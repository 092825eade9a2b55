"""Who reads which entries (kizuna.audit.selectors)."""

from __future__ import annotations

import pytest

from kizuna.access.actor import Actor
from kizuna.audit.log import append_entry
from kizuna.audit.models import AuditEntry
from kizuna.audit.selectors import entries_visible_to, payload_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(
    usa_coordinator: Actor, jpn_coordinator: Actor, jpn_desk_officer: Actor
) -> dict[str, AuditEntry]:
    return {
        "usa": append_entry(actor=usa_coordinator, action="brief.export", after={"pages": 3}),
        "jpn": append_entry(
            actor=jpn_desk_officer,
            action="commitment.update",
            before={"note": "内部"},
            after={"note": "更新"},
        ),
        "jpn-by-operator": append_entry(
            actor=Actor.operator(), action="user.add", government="JPN", agency="meti"
        ),
        "operator": append_entry(actor=Actor.operator(), action="dataset.load"),
        "anonymous": append_entry(actor=Actor.anonymous(), action="login.failed"),
    }


def sequences(actor: Actor) -> set[int]:
    return set(entries_visible_to(actor).values_list("sequence", flat=True))


def test_coordinator_reads_its_own_governments_entries(
    mixed: dict[str, AuditEntry], usa_coordinator: Actor, jpn_coordinator: Actor
) -> None:
    jpn = sequences(jpn_coordinator)
    assert {mixed["jpn"].sequence, mixed["jpn-by-operator"].sequence} <= jpn
    assert not jpn & {mixed[k].sequence for k in ("usa", "operator", "anonymous")}
    assert all(e.government == "JPN" for e in entries_visible_to(jpn_coordinator))
    assert mixed["usa"].sequence in sequences(usa_coordinator)
    assert payload_visible_to(jpn_coordinator, mixed["jpn"])
    assert not payload_visible_to(jpn_coordinator, mixed["usa"])
    assert not payload_visible_to(usa_coordinator, mixed["jpn"])


def test_operator_reads_everything(mixed: dict[str, AuditEntry]) -> None:
    operator = Actor.operator()
    assert sequences(operator) == set(AuditEntry.objects.values_list("sequence", flat=True))
    assert all(payload_visible_to(operator, entry) for entry in mixed.values())


@pytest.mark.parametrize("role", ["reader", "desk-officer", "admin"])
def test_other_roles_read_no_entries(mixed: dict[str, AuditEntry], role: str) -> None:
    actor = Actor(name=f"jpn-{role}", government="JPN", agency="meti", role=role)
    assert sequences(actor) == set()
    assert not payload_visible_to(actor, mixed["jpn"])


def test_anonymous_and_governmentless_read_nothing(mixed: dict[str, AuditEntry]) -> None:
    assert sequences(Actor.anonymous()) == set()
    nowhere = Actor(name="x", role="coordinator")
    assert sequences(nowhere) == set()
    assert not payload_visible_to(nowhere, mixed["anonymous"])


def test_visible_entries_are_oldest_first(
    jpn_coordinator: Actor, mixed: dict[str, AuditEntry]
) -> None:
    seen = list(entries_visible_to(jpn_coordinator).values_list("sequence", flat=True))
    assert seen == sorted(seen)
