"""Gaps against a priority framework, and the frameworks themselves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kizuna.access.actor import Actor
from kizuna.analysis.frameworks import (
    DEFAULT_FRAMEWORK,
    Framework,
    UnknownFramework,
    default_framework,
    framework_for,
    framework_save,
    frameworks,
)
from kizuna.analysis.gaps import gaps
from kizuna.audit.models import AuditEntry
from kizuna.registry.taxonomy import Taxonomy

from .conftest import LoadWorld
from .helpers import find, one

D = dt.date(2023, 6, 1)
TEST_FRAMEWORK = Framework(
    slug="t-framework",
    name="Test framework",
    topics=("t-alpha", "t-beta", "t-gamma", "t-delta", "t-epsilon", "t-solo"),
    parties=("USA", "JPN"),
)


def test_a_framework_topic_with_children_stands_for_its_leaves(world: None) -> None:
    result = gaps(actor=Actor.operator(), as_of=D, framework=TEST_FRAMEWORK)
    assert result["framework"] == "t-framework"
    assert result["parties"] == ["JPN", "USA"]
    assert result["topics"] == [
        "t-alpha",
        "t-beta-one",
        "t-delta",
        "t-epsilon",
        "t-gamma",
        "t-solo",
    ]


def test_a_topic_carried_only_with_one_side_is_one_sided(world: None) -> None:
    found = gaps(actor=Actor.operator(), as_of=D, framework=TEST_FRAMEWORK)["gaps"]
    # Only t-uni (the United States with Korea) carries t-solo.
    assert one(found, topic="t-solo") == {
        "topic": "t-solo",
        "kind": "one-sided",
        "parties_without_owner": ["JPN"],
        "dialogues": ["t-uni"],
    }


def test_topics_both_sides_own_are_no_gap(world: None) -> None:
    found = gaps(actor=Actor.operator(), as_of=D, framework=TEST_FRAMEWORK)["gaps"]
    for topic in ("t-alpha", "t-beta-one", "t-gamma", "t-delta", "t-epsilon"):
        assert find(found, topic=topic) is None, topic


def test_a_topic_no_active_dialogue_carries_is_unowned(world: None) -> None:
    # t-epsilon is only on the agenda of t-undated, concluded at a date the record does not know:
    # it runs in past views and has ended in today's.
    today = gaps(actor=Actor.operator(), as_of=dt.date.today(), framework=TEST_FRAMEWORK)["gaps"]
    assert one(today, topic="t-epsilon") == {
        "topic": "t-epsilon",
        "kind": "unowned",
        "parties_without_owner": ["JPN", "USA"],
        "dialogues": [],
    }


def test_a_dialogue_that_ended_stops_owning_its_topics(world: None, usa_coordinator: Actor) -> None:
    # For a U.S. actor only t-old (ended 2022-06-30, so not running that day) carries t-delta: t-c7 is withdrawn and
    # t-c5 is Japan's internal commitment.
    running = gaps(actor=usa_coordinator, as_of=dt.date(2022, 6, 29), framework=TEST_FRAMEWORK)[
        "gaps"
    ]
    ended = gaps(actor=usa_coordinator, as_of=dt.date(2022, 6, 30), framework=TEST_FRAMEWORK)[
        "gaps"
    ]
    assert find(running, topic="t-delta") is None
    assert one(ended, topic="t-delta")["kind"] == "unowned"


def test_a_hidden_commitment_does_not_close_a_gap_for_a_us_actor(
    world: None, usa_coordinator: Actor
) -> None:
    # t-delta in t-econ is carried only by Japan's government-internal t-c5.
    operator_view = gaps(actor=Actor.operator(), as_of=D, framework=TEST_FRAMEWORK)["gaps"]
    usa_view = gaps(actor=usa_coordinator, as_of=D, framework=TEST_FRAMEWORK)["gaps"]
    assert find(operator_view, topic="t-delta") is None
    assert one(usa_view, topic="t-delta")["kind"] == "unowned"


def test_a_tag_on_a_family_does_not_carry_its_children(load_world: LoadWorld) -> None:
    from .conftest import commitment, dialogue

    load_world(
        {
            "dialogues": [
                dialogue("t-generic", "2021-01-01", {"USA": ["commerce"], "JPN": ["meti"]})
            ],
            "commitments": [commitment("t-generic-c1", "t-generic", "2021-02-01", ["t-family"])],
        }
    )
    found = gaps(actor=Actor.operator(), as_of=D, framework=TEST_FRAMEWORK)["gaps"]
    assert one(found, topic="t-alpha")["kind"] == "unowned"


def test_the_default_framework_is_the_economic_security_children_and_rules_and_norms(
    db: None,
) -> None:
    from kizuna.registry.models import Topic

    family = Topic.objects.update_or_create(
        pk="economic-security", defaults={"name": "Economic security"}
    )[0]
    for slug in ("supply-chain-resilience", "cybersecurity"):
        Topic.objects.update_or_create(pk=slug, defaults={"name": slug, "parent": family})
    Topic.objects.update_or_create(pk="rules-and-norms", defaults={"name": "Rules and norms"})
    framework = default_framework(Taxonomy.load())
    assert framework.slug == DEFAULT_FRAMEWORK
    assert framework.parties == ("USA", "JPN")
    assert {"supply-chain-resilience", "cybersecurity", "rules-and-norms"} <= set(framework.topics)
    assert "economic-security" not in framework.topics
    assert framework_for(DEFAULT_FRAMEWORK) == framework
    assert DEFAULT_FRAMEWORK in [f.slug for f in frameworks()]


def test_an_unknown_framework_is_refused(db: None) -> None:
    with pytest.raises(UnknownFramework, match="t-nope"):
        framework_for("t-nope")


def test_a_coordinator_defines_a_framework_and_gaps_run_against_it(world: None) -> None:
    coordinator = Actor(
        name="usa-coordinator", government="USA", agency="white-house", role="coordinator"
    )
    before = AuditEntry.objects.count()
    saved = framework_save(
        actor=coordinator, slug="t-mine", name="Mine", topics=["t-solo"], parties=["USA", "JPN"]
    )
    assert saved == Framework("t-mine", "Mine", ("t-solo",), ("JPN", "USA"))
    assert AuditEntry.objects.count() == before + 1
    result = gaps(actor=coordinator, as_of=D, framework="t-mine")
    assert [g["topic"] for g in result["gaps"]] == ["t-solo"]


def test_a_reader_may_not_define_a_framework(world: None) -> None:
    reader = Actor(name="usa-reader", government="USA", agency="state", role="reader")
    with pytest.raises(PermissionDenied):
        framework_save(actor=reader, slug="t-mine", name="Mine", topics=["t-solo"], parties=["USA"])
