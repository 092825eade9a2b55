"""Stored documents: official statements, readouts, fact sheets and agreements."""

from __future__ import annotations

from django.db import models

from kizuna.registry.models import Agency, Dialogue, Meeting, Record


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
    # SHA-256 of the text: the same document is stored once.
    content_hash = models.CharField(max_length=64, unique=True)
    text = models.TextField()
    partial = models.BooleanField(default=False, help_text="Only the opening of the page was kept.")
    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )

    partial_date_fields = ("date",)

    class Meta:
        ordering = ["date_first", "id"]

    def __str__(self) -> str:
        return self.title
