"""The audiences a load stores (ADR 0003), refreshed in a few queries whatever the count."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kizuna.commitments.models import Commitment
from kizuna.registry.models import Dialogue, Membership
from kizuna.registry.records import Record, pack_codes
from kizuna.registry.services import refresh_audiences

pytestmark = pytest.mark.django_db

# Every kind of record the apps define, so that a new one is checked without a list to update.
RECORD_MODELS: list[type[Record]] = [m for m in apps.get_models() if issubclass(m, Record)]


@pytest.mark.parametrize("model", RECORD_MODELS, ids=lambda model: model.__name__)
def test_the_loaded_audience_is_each_records_own_audience(model: type[Record]) -> None:
    records = list(model._default_manager.all())
    assert records, "the demo has records of every kind"
    for record in records:
        # audience_parties, one record at a time: the rule the batch refresh must match.
        assert record.audience == pack_codes(record.audience_parties()), record.pk


@pytest.mark.parametrize("model", RECORD_MODELS, ids=lambda model: model.__name__)
def test_refreshing_every_audience_takes_a_few_queries(model: type[Record]) -> None:
    ids = [str(pk) for pk in model._default_manager.values_list("pk", flat=True)]
    model._default_manager.update(audience="")
    with CaptureQueriesContext(connection) as queries:
        changed = refresh_audiences(model, ids)
    assert changed == len(ids)
    # A read, one per level of each prefetch lookup, one write per distinct audience (the
    # demo's records fit in one batch): however many records there are.
    levels = sum(lookup.count("__") + 1 for lookup in model.audience_lookups)
    distinct = model._default_manager.values("audience").distinct().count()
    assert len(queries) <= 1 + levels + distinct
    for record in model._default_manager.all():
        assert record.audience == pack_codes(record.audience_parties()), record.pk


def test_a_new_party_joins_the_audience_of_the_dialogues_records() -> None:
    dialogue = Dialogue.objects.get(pk="jucip")
    assert "KOR" not in dialogue.party_codes()
    Membership.objects.create(
        id="jucip-kor",
        dialogue=dialogue,
        party_id="KOR",
        joined="2025",
        owner_government_id="USA",
    )
    commitments = Commitment.objects.filter(dialogue=dialogue)
    ids = [str(pk) for pk in commitments.values_list("pk", flat=True)]
    assert refresh_audiences(Commitment, ids) == len(ids)
    assert all("|KOR|" in audience for audience in commitments.values_list("audience", flat=True))
    assert refresh_audiences(Commitment, ids) == 0  # nothing left to change
