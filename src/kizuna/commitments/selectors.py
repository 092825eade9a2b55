"""Every read of commitments, assessments and concerns for a user: starts from `visible_to(actor)`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from kizuna.access.actor import Actor
from kizuna.commitments.models import Assessment, Commitment, Concern
from kizuna.registry.models import Dialogue


@dataclass(frozen=True)
class CommitmentFilters:
    dialogue: str = ""
    party: str = ""
    agency: str = ""
    topic: str = ""
    lifecycle: str = ""
    q: str = ""


def commitments_visible(
    *, actor: Actor, as_of: dt.date | None = None, filters: CommitmentFilters | None = None
) -> QuerySet[Commitment]:
    commitments = Commitment.objects.visible_to(actor).filter(
        dialogue__in=Dialogue.objects.visible_to(actor)
    )
    if as_of is not None:
        commitments = commitments.filter(made_on_first__lte=as_of)
    f = filters or CommitmentFilters()
    if f.dialogue:
        commitments = commitments.filter(dialogue_id=f.dialogue)
    if f.party:
        commitments = commitments.filter(parties__id=f.party)
    if f.agency:
        commitments = commitments.filter(owners__agency_id=f.agency)
    if f.topic:
        commitments = commitments.filter(topics__id=f.topic)
    if f.lifecycle:
        commitments = commitments.filter(lifecycle=f.lifecycle)
    if f.q:
        commitments = commitments.filter(text__icontains=f.q)
    return (
        commitments.distinct()
        .select_related("dialogue", "meeting")
        .prefetch_related("parties", "topics", "owners")
    )


def assessments_visible(
    *, actor: Actor, commitment: Commitment, as_of: dt.date | None = None
) -> QuerySet[Assessment]:
    assessments = Assessment.objects.visible_to(actor).filter(commitment=commitment)
    if as_of is not None:
        assessments = assessments.filter(as_of__lte=as_of)
    return assessments.prefetch_related("reviews").order_by("party_id", "as_of", "id")


def latest_assessments(assessments: QuerySet[Assessment]) -> dict[str, Assessment]:
    """Each party's latest assessment (the series is ordered by date)."""
    latest: dict[str, Assessment] = {}
    for assessment in assessments:
        latest[assessment.party_id] = assessment
    return latest


def concerns_visible(*, actor: Actor, as_of: dt.date | None = None) -> QuerySet[Concern]:
    concerns = Concern.objects.visible_to(actor)
    if as_of is not None:
        concerns = concerns.filter(first_raised_first__lte=as_of)
    return concerns.prefetch_related("raised_at")
