"""Commitments, each committing party's assessments of its own delivery, and concerns."""

from __future__ import annotations

from django.db import models

from kizuna.documents.models import Document
from kizuna.registry.models import (
    Agency,
    Dialogue,
    Government,
    Meeting,
    Pillar,
    Record,
    Sector,
    Topic,
)


class Lifecycle(models.TextChoices):
    """The stored part of a commitment's life; `delivered` is derived from assessments."""

    ACTIVE = "active"
    SUPERSEDED = "superseded"
    MERGED = "merged"
    TRANSFERRED = "transferred"
    WITHDRAWN = "withdrawn"


def _row_tests(*keys: str) -> list[str]:
    """An index's sort keys, followed by the other columns that the access rule and the list
    filters test on the commitment's own row.

    A filtered page walks a sort index and tests each entry until the page is full: thousands
    of entries for a narrow filter at 200,000 commitments. With the tested columns in the
    entry, SQLite reads the table's row only for the entries that pass those tests (the
    filtered list's ids at that size: 16.5 ms, 7.9 ms with them; docs/operations.md).
    `shared_with` stays out: only agency-internal rows read it, and a long one beside a long
    audience could pass PostgreSQL's limit on an index entry's size.
    """
    tested = [
        "marking",
        "owner_government",
        "owner_agency",
        "audience",
        "dialogue",
        "lifecycle",
        "made_on_first",
        "deadline_earliest",
        "deadline_latest",
    ]
    return [*keys, *(column for column in tested if column not in keys)]


class Commitment(Record):
    text = models.TextField()
    dialogue = models.ForeignKey(Dialogue, on_delete=models.PROTECT, related_name="commitments")
    pillar = models.ForeignKey(
        Pillar, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="commitments"
    )
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="commitments"
    )
    # Character offsets of the source passage in the document's text.
    passage_start = models.PositiveIntegerField(null=True, blank=True)
    passage_end = models.PositiveIntegerField(null=True, blank=True)
    made_on = models.CharField(max_length=21)
    made_on_first = models.DateField()
    parties = models.ManyToManyField(Government, related_name="commitments")
    deadline_text = models.CharField(max_length=300, blank=True)
    deadline_earliest = models.DateField(null=True, blank=True)
    deadline_latest = models.DateField(null=True, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="commitments")
    sectors = models.ManyToManyField(Sector, blank=True, related_name="commitments")
    lifecycle = models.CharField(max_length=20, choices=Lifecycle.choices, default=Lifecycle.ACTIVE)
    # Superseded by, merged into or transferred to this commitment.
    lifecycle_target = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="lifecycle_sources"
    )

    partial_date_fields = ("made_on",)

    class Meta:
        ordering = ["made_on_first", "id"]
        # The lists' sort orders (commitments.selectors.COMMITMENT_SORTS), so that a page is
        # read in order and the read stops when the page is full; each also carries the
        # columns a page tests on every entry it walks (_row_tests).
        indexes = [
            models.Index(fields=_row_tests("made_on_first", "id"), name="commitment_by_made"),
            models.Index(fields=_row_tests("deadline_latest", "id"), name="commitment_by_deadline"),
            models.Index(
                fields=_row_tests("dialogue", "made_on_first", "id"), name="commitment_by_dialogue"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    audience_lookups = ("dialogue__memberships", "parties")

    def audience_parties(self) -> set[str]:
        # .all(), not values_list: it reads the parties prefetched for a batch of records.
        return super().audience_parties() | {party.pk for party in self.parties.all()}

    @property
    def passage(self) -> str:
        if self.document is None or self.passage_start is None or self.passage_end is None:
            return ""
        return self.document.text[self.passage_start : self.passage_end]


class CommitmentOwner(models.Model):
    """An agency that owns a commitment's delivery for one committing party."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="owners")
    party = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="owned_commitments")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["commitment_id", "party_id", "position"]
        constraints = [models.UniqueConstraint(fields=["commitment", "agency"], name="owner_once")]


class Status(models.TextChoices):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    DELIVERED = "delivered"
    STALLED = "stalled"
    WITHDRAWN = "withdrawn"


class Completion(models.TextChoices):
    """OGP Independent Reporting Mechanism completion levels."""

    NOT_STARTED = "not-started"
    LIMITED = "limited"
    SUBSTANTIAL = "substantial"
    COMPLETE = "complete"


class Assessment(Record):
    """One committing party's dated view of its own delivery (G7 Research Group score −1/0/+1)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="assessments")
    party = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField(db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    score = models.SmallIntegerField(null=True, blank=True)
    completion = models.CharField(max_length=20, choices=Completion.choices, blank=True)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["commitment_id", "party_id", "as_of", "id"]
        # Each party's latest assessment (the as-of views, the analyses) reads this order.
        indexes = [
            models.Index(fields=["commitment", "party", "as_of", "id"], name="assessment_series"),
            # The list filtered by a party's status reads that party's assessments with it.
            models.Index(fields=["party", "status", "commitment"], name="assessment_party_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__in=[-1, 0, 1]),
                name="g7rg_score_range",
            )
        ]

    audience_lookups = tuple(f"commitment__{lookup}" for lookup in Commitment.audience_lookups)

    def audience_parties(self) -> set[str]:
        return self.commitment.audience_parties()


class Verdict(models.TextChoices):
    CONFIRMED = "confirmed"
    CONTESTED = "contested"


class AssessmentReview(models.Model):
    """Another party confirming or contesting an assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reviews")
    party = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=12, choices=Verdict.choices)
    reason = models.TextField(blank=True)
    on = models.DateField()

    class Meta:
        ordering = ["assessment_id", "on", "id"]


class ConcernStatus(models.TextChoices):
    OPEN = "open"
    EASING = "easing"
    RESOLVED = "resolved"


class Concern(Record):
    """A trade irritant: one party's issue with another party's measure."""

    title = models.CharField(max_length=300)
    title_ja = models.CharField(max_length=300, blank=True)
    raised_by = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="+")
    about = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="+")
    measure = models.TextField(blank=True)
    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.SET_NULL, null=True, blank=True, related_name="concerns"
    )
    raised_at = models.ManyToManyField(Meeting, blank=True, related_name="concerns")
    first_raised = models.CharField(max_length=21)
    first_raised_first = models.DateField()
    topics = models.ManyToManyField(Topic, blank=True, related_name="concerns")
    sectors = models.ManyToManyField(Sector, blank=True, related_name="concerns")
    status = models.CharField(
        max_length=12, choices=ConcernStatus.choices, default=ConcernStatus.OPEN
    )
    resolved_on = models.CharField(max_length=21, blank=True)
    resolved_on_first = models.DateField(null=True, blank=True)
    resolution = models.TextField(blank=True)

    partial_date_fields = ("first_raised", "resolved_on")

    class Meta:
        ordering = ["first_raised_first", "id"]

    def audience_parties(self) -> set[str]:
        return super().audience_parties() | {self.raised_by_id, self.about_id}


class Note(Record):
    """A free-text note on a dialogue, meeting or commitment (often internal to one side)."""

    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    text = models.TextField()
    written_on = models.DateField()
    # An internal target date a government sets itself for a commitment.
    target_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["written_on", "id"]

    audience_lookups = (
        *(f"commitment__{lookup}" for lookup in Commitment.audience_lookups),
        *(f"meeting__{lookup}" for lookup in Meeting.audience_lookups),
        *(f"dialogue__{lookup}" for lookup in Dialogue.audience_lookups),
    )

    def audience_parties(self) -> set[str]:
        subject = self.commitment or self.meeting or self.dialogue
        return subject.audience_parties() if subject is not None else {self.owner_government_id}


class CommitmentLink(models.Model):
    """Two commitments that read as near-duplicates, stored when a commitment is written.

    Computed by `kizuna.commitments.similarity.link_near_duplicates`; `commitment_a` always
    sorts before `commitment_b`, so a pair is stored once. Reads go through both ends'
    `visible_to`, so a link never reveals a commitment the reader may not see.
    """

    commitment_a = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="+")
    commitment_b = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    method = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "commitment_a_id", "commitment_b_id"]
        constraints = [
            models.UniqueConstraint(fields=["commitment_a", "commitment_b"], name="link_once"),
            models.CheckConstraint(
                condition=models.Q(commitment_a__lt=models.F("commitment_b")), name="link_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_a_id} ~ {self.commitment_b_id} ({self.score:.2f})"
