"""The fields every Kizuna record carries, by convention (ARCHITECTURE.md).

`access` builds its visibility filters from these field names alone, so it never
needs to know the domain apps: marking, owner_government, owner_agency, audience
(the parties who may read a `shared` record) and shared_with (agencies an
agency-internal record was shared with).
"""

from __future__ import annotations

from typing import Any, ClassVar, Self, TypeVar

from django.db import models

from kizuna.access.actor import Actor
from kizuna.access.rules import AccessRule, Action
from kizuna.core.dates import PartialDate


class Marking(models.TextChoices):
    PUBLIC = "public", "public"
    SHARED = "shared", "shared"
    GOVERNMENT_INTERNAL = "government-internal", "government-internal"
    AGENCY_INTERNAL = "agency-internal", "agency-internal"


# Most restrictive last: a brief or export carries the highest of what it holds.
MARKING_ORDER = [m.value for m in Marking]


def widens(marking: str, than: str) -> bool:
    """Whether `marking` lets more people read a record than `than` does."""
    return MARKING_ORDER.index(marking) < MARKING_ORDER.index(than)


# Markings every party of a dialogue may read: only records so marked can tell who the
# parties are when it comes to opening the dialogue's shared records to them.
OPEN_TO_PARTIES = (Marking.PUBLIC.value, Marking.SHARED.value)


class Confidence(models.TextChoices):
    OFFICIAL = "O", "official"
    SECONDARY = "S", "secondary"
    UNVERIFIED = "U", "unverified"


def pack_codes(codes: list[str] | set[str] | tuple[str, ...]) -> str:
    """Store a set of codes as `|A|B|` so that a LIKE `%|A|%` finds membership on any database."""
    unique = sorted({c for c in codes if c})
    return "|" + "|".join(unique) + "|" if unique else ""


def unpack_codes(packed: str) -> list[str]:
    return [c for c in packed.split("|") if c]


_M = TypeVar("_M", bound=models.Model)


class RecordQuerySet(models.QuerySet[_M, _M]):
    def visible_to(self, actor: Actor, action: Action | str = Action.VIEW) -> Self:
        """Only the records `actor` may see (or change): the one access rule, applied."""
        return self.filter(AccessRule(actor, Action(action)))


class Record(models.Model):
    """Base of every domain record: stable string id, access fields, provenance, version."""

    id = models.CharField(primary_key=True, max_length=200)
    marking = models.CharField(max_length=24, choices=Marking.choices, default=Marking.PUBLIC)
    owner_government = models.ForeignKey(
        "registry.Government", on_delete=models.PROTECT, related_name="+"
    )
    owner_agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    audience = models.CharField(max_length=2000, blank=True, default="")
    shared_with = models.CharField(max_length=2000, blank=True, default="")
    version = models.PositiveIntegerField(default=1)
    sources = models.JSONField(default=list, blank=True)
    confidence = models.CharField(
        max_length=1, choices=Confidence.choices, default=Confidence.OFFICIAL
    )
    illustrative = models.BooleanField(default=False)

    objects = RecordQuerySet.as_manager()

    # Names of CharFields holding a partial date; each has a `<name>_first` DateField beside it.
    partial_date_fields: ClassVar[tuple[str, ...]] = ()
    # What `audience_parties` reads, as prefetch_related lookups: a model that changes the
    # one changes the other, so that refreshing many records' audiences costs a few queries.
    audience_lookups: ClassVar[tuple[str, ...]] = ("dialogue__memberships",)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sync_partial_dates()
        super().save(*args, **kwargs)

    def sync_partial_dates(self) -> None:
        """Keep each `<name>_first` equal to the first day of the partial date `<name>`."""
        for name in self.partial_date_fields:
            text = getattr(self, name)
            setattr(self, f"{name}_first", PartialDate.parse(text).first if text else None)

    def audience_parties(self) -> set[str]:
        """Governments that may read this record when it is marked `shared` (SECURITY.md).

        The parties of the record's dialogue; models refine this (a commitment adds its
        committing parties, a concern the two governments concerned).
        """
        parties: set[str] = {self.owner_government_id} if self.owner_government_id else set()
        dialogue = getattr(self, "dialogue", None)
        if dialogue is not None:
            parties |= dialogue.audience_party_codes()
        return parties

    @property
    def audience_codes(self) -> list[str]:
        return unpack_codes(self.audience)

    @property
    def shared_with_agencies(self) -> list[str]:
        return unpack_codes(self.shared_with)
