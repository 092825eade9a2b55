"""Personal API tokens: stored only as a keyed hash, with a scope, an expiry and a revocation.

The token itself (`kzn_<prefix>_<secret>`) is shown once when it is created and never
stored. `prefix` finds the row without scanning; `token_hash` is HMAC-SHA256 of the whole
token under a key derived from SECRET_KEY, so a copy of the database alone cannot be used
to forge or recover a token (see tokens.py).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    READ_ONLY = "read-only"
    READ_WRITE = "read-write"


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64)
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.READ_ONLY)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def state(self, now: dt.datetime | None = None) -> str:
        """`active`, `expired` or `revoked`: what `kizuna token list` shows."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= (now or timezone.now()):
            return "expired"
        return "active"
