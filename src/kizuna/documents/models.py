"""Stored documents: official statements, readouts, fact sheets and agreements."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from kizuna.registry.models import Agency, Dialogue, Marking, Meeting, Record


class DocumentKind(models.TextChoices):
    JOINT_STATEMENT = "joint-statement"
    READOUT = "readout"
    FACT_SHEET = "fact-sheet"
    PRESS_RELEASE = "press-release"
    AGREEMENT = "agreement"
    STATEMENT = "statement"
    REMARKS = "remarks"


class Document(Record):
    title = models.CharField(max_length=500)
    issuer = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    publisher = models.CharField(max_length=300, blank=True)
    date = models.CharField(max_length=21)
    date_first = models.DateField(db_index=True)
    language = models.CharField(max_length=8, default="en")
    kind = models.CharField(
        max_length=20, choices=DocumentKind.choices, default=DocumentKind.STATEMENT
    )
    url = models.CharField(max_length=1000, blank=True)
    # SHA-256 of the text: the same text is stored once per owner (see Meta).
    content_hash = models.CharField(max_length=64, db_index=True)
    text = models.TextField()
    partial = models.BooleanField(default=False, help_text="Only the opening of the page was kept.")
    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    # True when Kizuna guessed the dialogue and meeting from the text and date at ingestion.
    link_suggested = models.BooleanField(default=False)

    partial_date_fields = ("date",)

    class Meta:
        ordering = ["date_first", "id"]
        # Once per owning agency, not once in the workspace: a copy another agency keeps
        # internal must not stop this one storing its own, nor tell it that the copy exists
        # (docs/adr/0013-a-document-once-per-owner.md). A user always sees its own agency's
        # documents, so a duplicate it may not see never meets these constraints.
        constraints = [
            models.UniqueConstraint(
                fields=["content_hash", "owner_agency"], name="document_once_per_agency"
            ),
            # A document owned by no agency (the operator's) is once per government.
            models.UniqueConstraint(
                fields=["content_hash", "owner_government"],
                condition=models.Q(owner_agency__isnull=True),
                name="document_once_per_government",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class JobStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class IngestionJob(models.Model):
    """One document waiting to be (or being) extracted and stored by a background worker.

    The upload page has already read the file (bad input is refused there, synchronously),
    so the job holds the plain text, not the file. A worker claims the job by setting a
    lease; a worker that dies stops renewing it, and once `lease_until` has passed another
    worker may claim the job again (docs/adr/0006-ingestion-jobs.md). Running a job twice
    is harmless: a text is stored once per owning agency.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(max_length=200, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True, db_index=True)
    worker = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Who asked: the job runs with this user's access rule; null means the operator.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.CharField(max_length=200)
    file_name = models.CharField(max_length=300)
    content_hash = models.CharField(max_length=64, db_index=True)
    text = models.TextField()
    title = models.CharField(max_length=500, blank=True)
    date = models.DateField(null=True, blank=True)
    source_url = models.CharField(max_length=1000, blank=True)
    partial = models.BooleanField(default=False)
    kind = models.CharField(
        max_length=20, choices=DocumentKind.choices, default=DocumentKind.STATEMENT
    )
    marking = models.CharField(max_length=24, choices=Marking.choices, default=Marking.PUBLIC)
    # The requester's language: the worker writes the stages and the outcome in it.
    language = models.CharField(max_length=8, blank=True, default="")
    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"


class Decision(models.TextChoices):
    PENDING = "pending"
    ACCEPTED = "accepted"
    MERGED = "merged"
    REJECTED = "rejected"


class CommitmentCandidate(models.Model):
    """A passage the extractor labelled a commitment, waiting for a desk officer's decision.

    Keyed by document and offsets, so extracting the same document again never queues a
    passage twice. What the extractor found (actors, deadline, topics) is kept as suggestions
    the reviewer may edit when accepting.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="candidates")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    label = models.CharField(max_length=20, default="commitment")
    confidence = models.FloatField(default=0.0)
    # Registry keys where resolved (ISO3 codes, agency slugs), else the words as written.
    actors = models.JSONField(default=list, blank=True)
    parties = models.JSONField(default=list, blank=True)
    owners = models.JSONField(default=dict, blank=True)
    deadline_text = models.CharField(max_length=300, blank=True)
    deadline_earliest = models.DateField(null=True, blank=True)
    deadline_latest = models.DateField(null=True, blank=True)
    topics = models.JSONField(default=list, blank=True)
    sectors = models.JSONField(default=list, blank=True)
    specificity = models.JSONField(default=dict, blank=True)
    suggested_dialogue = models.ForeignKey(
        Dialogue, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    suggested_meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    # The commitment it became (accepted) or was merged into (merged).
    commitment = models.ForeignKey(
        "commitments.Commitment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
    )

    class Meta:
        ordering = ["document_id", "start"]
        constraints = [
            models.UniqueConstraint(fields=["document", "start", "end"], name="candidate_once"),
            models.CheckConstraint(condition=models.Q(start__lt=models.F("end")), name="span"),
        ]

    def __str__(self) -> str:
        return self.text[:80]
