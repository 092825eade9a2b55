"""Writes on commitments: create one, record a party's assessment, confirm or contest it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from kizuna.access.actor import Actor
from kizuna.audit.log import append_entry
from kizuna.commitments.models import (
    Assessment,
    AssessmentReview,
    Commitment,
    CommitmentOwner,
    Completion,
    Status,
    Verdict,
)
from kizuna.commitments.selectors import may_assess_as_owner
from kizuna.commitments.similarity import link_near_duplicates
from kizuna.registry.models import Agency, Dialogue, Government
from kizuna.registry.records import Marking, pack_codes
from kizuna.registry.services import (
    InvalidEdit,
    PermissionDenied,
    check_choice,
    check_required,
    recorded_by,
    snapshot,
)


class AssessmentAlreadyRecorded(InvalidEdit):
    """The same assessment was sent again (a form sent twice): nothing new to record."""

    def __init__(self, assessment: Assessment) -> None:
        self.assessment = assessment
        super().__init__("assessment", _("This assessment is already recorded."))


def _commitment_to_assess(actor: Actor, commitment_id: str) -> Commitment:
    """The commitment, locked: two copies of one form sent at once are checked one after
    the other, so the second finds the first (SQLite already writes one at a time)."""
    commitments = Commitment.objects.select_for_update().visible_to(actor)
    commitment = commitments.filter(pk=commitment_id).first()
    if commitment is None:
        raise PermissionDenied(_("no commitment %s that you may see") % commitment_id)
    return commitment


def _same_assessment_recorded(
    actor: Actor, commitment: Commitment, party: str, sources: list[dict[str, str]], **fields: Any
) -> Assessment | None:
    """The assessment this author already recorded with exactly these values, if any.

    Compared with every one of the party's assessments of that date, not only its latest:
    assessments of one date have no order between them, and a second identical one adds
    nothing to the series but a doubled row in the history and the API.
    """
    same = Assessment.objects.visible_to(actor).filter(
        commitment=commitment, party_id=party, **fields
    )
    return next((a for a in same if a.sources == sources), None)


def assessment_record(
    *,
    actor: Actor,
    commitment_id: str,
    as_of: dt.date,
    status: str,
    score: int | None = None,
    completion: str = "",
    evidence: str = "",
    marking: str = Marking.SHARED,
    party: str | None = None,
) -> Assessment:
    """Add the actor's government's dated view of its own delivery of a commitment."""
    party = party or actor.government
    check_choice("status", status, Status)
    if score is not None and score not in (-1, 0, 1):
        raise InvalidEdit("score", _("the G7 Research Group score is -1, 0 or +1"))
    if completion:
        check_choice("completion", completion, Completion)
    check_choice("marking", marking, Marking)
    if as_of > dt.date.today():
        raise InvalidEdit("as_of", _("an assessment cannot be dated in the future"))
    with transaction.atomic():
        commitment = _commitment_to_assess(actor, commitment_id)
        if as_of < commitment.made_on_first:
            # The first day it may carry, written as the reader writes dates.
            first_day = formats.date_format(commitment.made_on_first, "DATE_FORMAT")
            raise InvalidEdit(
                "as_of",
                _("an assessment cannot be dated before the commitment was made (%s)") % first_day,
            )
        if not actor.is_operator and party != actor.government:
            raise PermissionDenied(_("each government assesses only its own delivery"))
        if not commitment.parties.filter(pk=party).exists():
            raise InvalidEdit("party", _("%s is not a committing party of this commitment") % party)
        if not may_assess_as_owner(actor, commitment):
            raise PermissionDenied(
                _("only the owning agency's desk officers or your coordinators assess this")
            )
        owner_agency = actor.agency or (
            commitment.owners.filter(party_id=party).values_list("agency_id", flat=True).first()
        )
        sources = recorded_by(actor)
        already = _same_assessment_recorded(
            actor, commitment, party, sources, as_of=as_of, status=status, score=score,
            completion=completion, evidence=evidence, marking=marking, owner_agency_id=owner_agency,
        )  # fmt: skip
        if already is not None:
            raise AssessmentAlreadyRecorded(already)
        assessment = Assessment(
            id=f"{commitment.pk}-{party.lower()}-{as_of.isoformat()}-{uuid.uuid4().hex[:6]}",
            commitment=commitment,
            party_id=party,
            as_of=as_of,
            status=status,
            score=score,
            completion=completion,
            evidence=evidence,
            marking=marking,
            owner_government_id=party,
            owner_agency_id=owner_agency,
            sources=sources,
        )
        assessment.audience = pack_codes(sorted(commitment.audience_parties()))
        assessment.full_clean(validate_constraints=False)
        assessment.save()
        append_entry(
            actor=actor,
            action="assessment.record",
            object_kind="assessment",
            object_id=assessment.pk,
            marking=assessment.marking,
            government=party,
            agency=owner_agency or "",
            after=snapshot(
                assessment,
                {"commitment_id", "party_id", "as_of", "status", "score", "completion", "evidence"},
            ),
        )
    return assessment


def assessment_review(
    *, actor: Actor, assessment_id: str, verdict: str, reason: str = "", on: dt.date | None = None
) -> AssessmentReview:
    """The other side confirms or contests an assessment; contesting needs a reason."""
    if verdict not in Verdict.values:
        raise InvalidEdit("verdict", _("must be confirmed or contested"))
    if verdict == Verdict.CONTESTED and not reason.strip():
        raise InvalidEdit("reason", _("say why you contest this assessment"))
    if actor.role not in {"desk-officer", "coordinator"} and not actor.is_operator:
        raise PermissionDenied(_("only desk officers and coordinators confirm or contest"))
    with transaction.atomic():
        assessment = Assessment.objects.visible_to(actor).filter(pk=assessment_id).first()
        if assessment is None:
            raise PermissionDenied(_("no assessment %s that you may see") % assessment_id)
        if assessment.party_id == actor.government:
            raise PermissionDenied(_("a government does not review its own assessment"))
        if not assessment.commitment.parties.filter(pk=actor.government).exists():
            raise PermissionDenied(_("only another committing party reviews an assessment"))
        review = AssessmentReview.objects.create(
            assessment=assessment,
            party_id=actor.government,
            verdict=verdict,
            reason=reason,
            on=on or dt.date.today(),
        )
        append_entry(
            actor=actor,
            action=f"assessment.{verdict}",
            object_kind="assessment",
            object_id=assessment.pk,
            marking=assessment.marking,
            government=actor.government,
            agency=actor.agency,
            after={"verdict": verdict, "reason": reason, "on": review.on.isoformat()},
            reason=reason,
        )
    return review


def commitment_create(
    *,
    actor: Actor,
    dialogue_id: str,
    text: str,
    made_on: str,
    parties: list[str],
    owners: dict[str, list[str]],
    marking: str = Marking.SHARED,
    meeting_id: str | None = None,
    sources: list[dict[str, str]] | None = None,
    commitment_id: str | None = None,
    **fields: Any,
) -> Commitment:
    """Register a commitment owned by the actor's agency (or, for a coordinator, government)."""
    check_required("text", text)
    if not actor.is_operator and actor.role not in {"desk-officer", "coordinator"}:
        raise PermissionDenied(_("only desk officers and coordinators register commitments"))
    agency_government = dict(Agency.objects.values_list("id", "government_id"))
    for party, slugs in owners.items():
        if party not in parties:
            raise InvalidEdit("owners", _("%s owns a part but is not a committing party") % party)
        for slug in slugs:
            if agency_government.get(slug) != party:
                raise InvalidEdit(
                    "owners",
                    _("%(agency)s is not an agency of %(government)s")
                    % {"agency": slug, "government": party},
                )
    with transaction.atomic():
        dialogue = Dialogue.objects.visible_to(actor).filter(pk=dialogue_id).first()
        if dialogue is None:
            raise PermissionDenied(_("no dialogue %s that you may see") % dialogue_id)
        government = actor.government or dialogue.owner_government_id
        agency = actor.agency or dialogue.owner_agency_id
        commitment = Commitment(
            id=commitment_id or f"{dialogue_id}-{uuid.uuid4().hex[:10]}",
            dialogue=dialogue,
            meeting_id=meeting_id,
            text=text,
            made_on=made_on,
            marking=marking,
            owner_government_id=government,
            owner_agency_id=agency,
            sources=recorded_by(actor, sources),
            **fields,
        )
        commitment.sync_partial_dates()
        commitment.full_clean(validate_constraints=False)
        commitment.save()
        commitment.parties.set(Government.objects.filter(pk__in=parties))
        for party, slugs in owners.items():
            for position, slug in enumerate(slugs):
                CommitmentOwner.objects.create(
                    commitment=commitment, party_id=party, agency_id=slug, position=position
                )
        commitment.audience = pack_codes(sorted(commitment.audience_parties()))
        commitment.save(update_fields=["audience"])
        link_near_duplicates(commitment)
        append_entry(
            actor=actor,
            action="commitment.create",
            object_kind="commitment",
            object_id=commitment.pk,
            marking=commitment.marking,
            government=government,
            agency=agency or "",
            after={"text": text, "dialogue": dialogue_id, "parties": parties, "owners": owners},
        )
    return commitment
