"""Users: each belongs to one government and one agency and holds one role.

Government and agency are stored as their codes, not foreign keys, so that this
app stays below the domain apps (ARCHITECTURE.md, "Which way imports run").
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    READER = "reader"
    DESK_OFFICER = "desk-officer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class User(AbstractUser):
    government = models.CharField(max_length=3, blank=True)
    agency = models.CharField(max_length=60, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.READER)

    def __str__(self) -> str:
        return self.username
