"""The registry: who talks to whom, through which dialogue, and when.

Governments, agencies and the taxonomy are public reference data. Dialogues, their
memberships, pillars, meetings (rounds) and agenda items are records (see records.py).
"""

from __future__ import annotations

from django.db import models

from kizuna.registry.records import OPEN_TO_PARTIES, Confidence, Marking, Record

__all__ = [
    "Agency",
    "AgendaItem",
    "Confidence",
    "CounterpartPair",
    "Dialogue",
    "DialogueLead",
    "Government",
    "Marking",
    "Meeting",
    "Membership",
    "Pillar",
    "Record",
    "Sector",
    "Topic",
]


class Government(models.Model):
    """A party: ISO 3166-1 alpha-3 code (EUU for the European Union)."""

    id = models.CharField(primary_key=True, max_length=3)
    name = models.CharField(max_length=200)
    name_ja = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    LEADERS_OFFICE = "leaders-office"
    MINISTRY = "ministry"
    REGULATOR = "regulator"
    AGENCY = "agency"
    EMBASSY = "embassy"


class Agency(models.Model):
    id = models.SlugField(primary_key=True, max_length=60)
    government = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="agencies")
    acronym = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=200)
    name_ja = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices, default=AgencyKind.MINISTRY)

    class Meta:
        ordering = ["government_id", "id"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.acronym or self.name


class Topic(models.Model):
    id = models.SlugField(primary_key=True, max_length=60)
    name = models.CharField(max_length=200)
    name_ja = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    id = models.SlugField(primary_key=True, max_length=60)
    name = models.CharField(max_length=200)
    name_ja = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class DialogueKind(models.TextChoices):
    LEADERS_PARTNERSHIP = "leaders-partnership"
    LEADERS_SUMMIT = "leaders-summit"
    MINISTERIAL_DIALOGUE = "ministerial-dialogue"
    WORKING_GROUP = "working-group"
    TASK_FORCE = "task-force"
    PLURILATERAL_FRAMEWORK = "plurilateral-framework"
    AGREEMENT = "agreement"
    ARRANGEMENT = "arrangement"


class DialogueStatus(models.TextChoices):
    ACTIVE = "active"
    DORMANT = "dormant"
    CONCLUDED = "concluded"
    SUPERSEDED = "superseded"


class Dialogue(Record):
    """Any standing channel or instrument with parties (ARCHITECTURE.md, "Dialogue")."""

    name = models.CharField(max_length=300)
    name_ja = models.CharField(max_length=300, blank=True)
    acronym = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=30, choices=DialogueKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    launched = models.CharField(max_length=21)
    launched_first = models.DateField(db_index=True)
    ended = models.CharField(max_length=21, blank=True)
    ended_first = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=DialogueStatus.choices, default=DialogueStatus.ACTIVE
    )
    description = models.TextField(blank=True)
    description_ja = models.TextField(blank=True)

    partial_date_fields = ("launched", "ended")

    class Meta:
        ordering = ["launched_first", "id"]

    def __str__(self) -> str:
        return self.acronym or self.name

    audience_lookups = ("memberships",)

    def party_codes(self) -> set[str]:
        # .all(), not values_list: it reads the memberships prefetched for a batch of records.
        return {membership.party_id for membership in self.memberships.all()}

    def audience_party_codes(self) -> set[str]:
        """The parties that may read the dialogue's `shared` records (SECURITY.md).

        Only memberships every party may read count. One government's internal note that
        another is joining must not open the dialogue's shared records, other
        governments' included, to the newcomer: that would widen their audience without
        their owners' word, and tell the newcomer what the note says.
        """
        return {m.party_id for m in self.memberships.all() if m.marking in OPEN_TO_PARTIES}

    def audience_parties(self) -> set[str]:
        return self.audience_party_codes() | {self.owner_government_id}


class Pillar(Record):
    """A level under a dialogue (IPEF's four pillars), with its own scope of parties."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="pillars")
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    name = models.CharField(max_length=300)
    name_ja = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["dialogue_id", "number", "id"]

    def __str__(self) -> str:
        return self.name


class Membership(Record):
    """A party's membership of a dialogue, with dates and (optionally) the pillars it joins."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="memberships")
    party = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="memberships")
    joined = models.CharField(max_length=21)
    joined_first = models.DateField()
    left = models.CharField(max_length=21, blank=True)
    left_first = models.DateField(null=True, blank=True)
    # Empty means every pillar.
    pillars = models.ManyToManyField(Pillar, blank=True, related_name="memberships")

    partial_date_fields = ("joined", "left")

    class Meta:
        ordering = ["dialogue_id", "party_id"]
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "party"], name="one_membership_per_party")
        ]


class DialogueLead(models.Model):
    """An agency that leads a dialogue (or one of its pillars) for one party."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="leads")
    pillar = models.ForeignKey(
        Pillar, on_delete=models.CASCADE, null=True, blank=True, related_name="leads"
    )
    party = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="leads")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dialogue_id", "party_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "pillar", "agency"], name="lead_once")
        ]


class CounterpartPair(Record):
    """Two agencies of different governments that work opposite each other."""

    agency_a = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    agency_b = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, null=True, blank=True, related_name="counterpart_pairs"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    audience_lookups = ("dialogue__memberships", "agency_a", "agency_b")

    def audience_parties(self) -> set[str]:
        return super().audience_parties() | {
            self.agency_a.government_id,
            self.agency_b.government_id,
        }


class MeetingLevel(models.TextChoices):
    LEADERS = "leaders"
    MINISTERIAL = "ministerial"
    VICE_MINISTERIAL = "vice-ministerial"
    SENIOR_OFFICIALS = "senior-officials"
    WORKING = "working"


class Meeting(Record):
    """A meeting of a dialogue; its id is the dialogue and first day (`jucip-2024-06-26`)."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.PROTECT, related_name="meetings")
    round = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300)
    title_ja = models.CharField(max_length=300, blank=True)
    date = models.CharField(max_length=21)
    date_first = models.DateField(db_index=True)
    level = models.CharField(max_length=20, choices=MeetingLevel.choices)
    place = models.CharField(max_length=200, blank=True)
    place_ja = models.CharField(max_length=200, blank=True)
    # [{"name": ..., "agency": slug or null, "role": ...}]
    participants = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)

    partial_date_fields = ("date",)

    class Meta:
        ordering = ["date_first", "id"]

    def __str__(self) -> str:
        return self.title


class AgendaItem(Record):
    """A topic on a dialogue's or a meeting's agenda, possibly carried over from an earlier round."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="agenda_items")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="agenda_items"
    )
    title = models.CharField(max_length=500)
    title_ja = models.CharField(max_length=500, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="agenda_items")
    sectors = models.ManyToManyField(Sector, blank=True, related_name="agenda_items")
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting_id", "position", "id"]
