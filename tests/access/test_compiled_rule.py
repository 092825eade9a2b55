"""The access rule compiled once (`AccessRule`) means exactly what `record_filter` means.

For every kind of record, every kind of actor and both actions: the same SQL text where
the rule stands alone, at the top of a query or in a subquery whose tables Django renames;
the same rows beside other conditions; and the rows follow a change of the public-read
setting under a rule already compiled.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db.models import Exists, OuterRef, QuerySet

from kizuna.access import rules
from kizuna.access.actor import Actor
from kizuna.access.rules import Action, record_filter
from kizuna.commitments.models import Assessment, Commitment
from kizuna.registry.models import Dialogue
from kizuna.registry.records import Record

pytestmark = pytest.mark.django_db

RECORDS = [m for m in apps.get_models() if issubclass(m, Record)]  # every kind of record
ACTORS = [
    Actor.operator(),
    Actor.anonymous(),
    Actor(name="usa-coordinator", government="USA", agency="white-house", role="coordinator"),
    Actor(name="jpn-desk", government="JPN", agency="meti", role="desk-officer"),
    Actor(name="usa-reader", government="USA", agency="ustr", role="reader"),
]


def lets_nothing_through(queryset: QuerySet[Any]) -> bool:
    try:
        queryset.query.sql_with_params()
    except EmptyResultSet:
        return True
    return False


def sql(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    text, params = queryset.query.sql_with_params()
    return text, tuple(params)


@pytest.mark.parametrize("public_read", [True, False], ids=["public-read", "no-public-read"])
@pytest.mark.parametrize("action", list(Action), ids=str)
@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a.name)
@pytest.mark.parametrize("model", RECORDS, ids=lambda m: m.__name__)
def test_the_compiled_rule_is_the_orms_sql(
    model: Any, actor: Actor, action: Action, public_read: bool, settings: Any
) -> None:
    settings.KIZUNA_PUBLIC_READ = public_read
    compiled = model.objects.visible_to(actor, action)
    written = model.objects.filter(record_filter(actor, action))
    nested = {"pk": OuterRef("pk")}
    for _ in range(2):  # compiled, then reused
        if lets_nothing_through(written):
            assert lets_nothing_through(compiled)
            assert list(compiled) == []
            continue
        assert sql(compiled) == sql(written)
        # In a subquery the tables are renamed (U0 …), and the rule follows them.
        assert sql(model.objects.filter(pk__in=compiled.values("pk"))) == sql(
            model.objects.filter(pk__in=written.values("pk"))
        )
        # Beside another condition the ORM merges the Q's AND into the query's own; the
        # compiled rule stays bracketed as one condition: the same rows.
        assert set(model.objects.filter(Exists(compiled.filter(**nested)))) == set(
            model.objects.filter(Exists(written.filter(**nested)))
        )
        assert set(compiled) == set(written)


def test_a_rule_in_two_subqueries_of_one_query_names_each_its_own_table() -> None:
    actor = ACTORS[2]
    mine = OuterRef("pk")
    both = Commitment.objects.visible_to(actor).filter(
        Exists(Dialogue.objects.visible_to(actor).filter(pk=OuterRef("dialogue_id"))),
        Exists(Assessment.objects.visible_to(actor).filter(commitment_id=mine)),
    )
    written = Commitment.objects.filter(record_filter(actor, Action.VIEW)).filter(
        Exists(
            Dialogue.objects.filter(record_filter(actor, Action.VIEW), pk=OuterRef("dialogue_id"))
        ),
        Exists(Assessment.objects.filter(record_filter(actor, Action.VIEW), commitment_id=mine)),
    )
    assert sql(both) == sql(written)
    assert set(both.values_list("pk", flat=True)) == set(written.values_list("pk", flat=True))
    assert both.exists()


def test_a_change_of_public_reading_recompiles_the_rule(settings: Any) -> None:
    anonymous = Actor.anonymous()
    settings.KIZUNA_PUBLIC_READ = True
    public = set(Commitment.objects.visible_to(anonymous).values_list("marking", flat=True))
    assert public == {"public"}
    settings.KIZUNA_PUBLIC_READ = False
    assert not Commitment.objects.visible_to(anonymous).exists()
    settings.KIZUNA_PUBLIC_READ = True
    assert Commitment.objects.visible_to(anonymous).exists()


def test_a_rule_that_lets_nothing_through_sends_no_query(
    settings: Any, django_assert_num_queries: Any
) -> None:
    settings.KIZUNA_PUBLIC_READ = False
    with django_assert_num_queries(0):
        assert list(Commitment.objects.visible_to(Actor.anonymous())) == []


def test_two_ruled_queries_combined_with_or_keep_both_rules() -> None:
    actor = ACTORS[3]
    compiled = Commitment.objects.visible_to(actor)
    written = Commitment.objects.filter(record_filter(actor, Action.VIEW))
    either = compiled.filter(lifecycle="active") | compiled.filter(marking="public")
    expected = written.filter(lifecycle="active") | written.filter(marking="public")
    assert sql(either) == sql(expected)
    assert set(either) == set(expected)
    assert either.exists()


def test_the_kept_rules_are_bounded_and_a_cleared_rule_is_compiled_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rules, "COMPILED_RULES_KEPT", 2)
    monkeypatch.setattr(rules, "_compiled", {})
    readers = ACTORS[2:]
    for _ in range(2):  # the second round finds its rules cleared away, and compiles them again
        for actor in readers:
            compiled = Commitment.objects.visible_to(actor)
            assert sql(compiled) == sql(Commitment.objects.filter(record_filter(actor, "view")))
            assert len(rules._compiled) <= 2
