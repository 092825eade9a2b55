"""Priority frameworks: the named sets of topics (and the parties) gap analysis runs against."""

from __future__ import annotations

from django.db import models

from kizuna.registry.models import Government, Topic


class PriorityFramework(models.Model):
    """A named set of topics, with the parties expected to own each of them.

    Configuration, not a record of the world: like the taxonomy it builds on, it is read by
    every user. The default `economic-security` framework needs no row (frameworks.py
    derives it from the taxonomy); a row with that slug replaces it.
    """

    id = models.SlugField(primary_key=True, max_length=60)
    name = models.CharField(max_length=200)
    name_ja = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    topics = models.ManyToManyField(Topic, related_name="+")
    parties = models.ManyToManyField(Government, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
