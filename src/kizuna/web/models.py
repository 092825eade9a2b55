"""The one thing the web front stores itself: each user's secret calendar feed address."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CalendarFeed(models.Model):
    """A user's calendar subscription. Only a hash of the secret is kept, so a copy of the
    database does not hand out working feed addresses; deleting the row revokes the feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    # The language the user read when making the address: a calendar program asks for the
    # feed without saying which language its user reads.
    language = models.CharField(max_length=10, default="en")

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"
