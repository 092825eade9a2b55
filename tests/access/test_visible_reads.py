"""`visible` builds the access rule's filter once per model and actor, and copies it per read."""

from __future__ import annotations

from typing import Any

import pytest

from kizuna.access.actor import Actor
from kizuna.commitments.models import Commitment
from kizuna.registry.models import Dialogue
from kizuna.registry.records import RecordQuerySet
from kizuna.registry.selectors import _visible_base, visible

USA = Actor(name="usa-coordinator", government="USA", agency="white-house", role="coordinator")
JPN = Actor(name="jpn-desk", government="JPN", agency="meti", role="desk-officer")

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("actor", [USA, JPN, Actor.anonymous()], ids=lambda a: a.name)
@pytest.mark.parametrize("model", [Commitment, Dialogue], ids=lambda m: m.__name__)
def test_each_read_sees_what_the_rule_allows(actor: Actor, model: Any) -> None:
    for _ in range(2):  # built, then copied
        assert set(visible(model, actor).values_list("pk", flat=True)) == set(
            model.objects.visible_to(actor).values_list("pk", flat=True)
        )


def test_each_read_is_a_copy_of_its_own() -> None:
    first, second = visible(Commitment, USA), visible(Commitment, USA)
    assert first is not second
    rows = list(first.filter(marking="public")[:3])
    assert rows
    # Narrowing or reading one leaves the next read whole and unread.
    assert second._result_cache is None
    assert visible(Commitment, USA).count() == Commitment.objects.visible_to(USA).count()


def test_actors_do_not_share_a_filter(settings: Any) -> None:
    settings.KIZUNA_PUBLIC_READ = False
    assert visible(Commitment, USA).exists()
    assert not visible(Commitment, Actor.anonymous()).exists()
    assert visible(Commitment, USA).exists()


def test_a_change_of_public_reading_is_honoured(settings: Any) -> None:
    settings.KIZUNA_PUBLIC_READ = False
    assert not visible(Commitment, Actor.anonymous()).exists()
    settings.KIZUNA_PUBLIC_READ = True
    assert set(visible(Commitment, Actor.anonymous()).values_list("marking", flat=True)) == {
        "public"
    }
    settings.KIZUNA_PUBLIC_READ = False
    assert not visible(Commitment, Actor.anonymous()).exists()


def test_the_filter_is_built_once_per_model_and_actor(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Actor] = []
    real = RecordQuerySet.visible_to

    def counted(self: Any, actor: Actor, action: Any = "view") -> Any:
        built.append(actor)
        return real(self, actor, action)

    monkeypatch.setattr(RecordQuerySet, "visible_to", counted)
    _visible_base.cache_clear()
    for _ in range(3):
        visible(Commitment, USA).count()
        visible(Commitment, JPN).count()
    assert built == [USA, JPN]
