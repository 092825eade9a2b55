"""Priority frameworks: which topics a government pair means to keep owned.

The default, `economic-security`, is the economic-security family's children plus
rules-and-norms, for the United States and Japan (ARCHITECTURE.md, "Default taxonomy").
It is derived from the taxonomy when asked for, so topics added under the family count
at once; a stored framework with the same slug takes its place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kizuna.access.actor import Actor
from kizuna.analysis.models import PriorityFramework
from kizuna.audit.log import append_entry
from kizuna.registry.models import Government, Topic
from kizuna.registry.taxonomy import Taxonomy

DEFAULT_FRAMEWORK = "economic-security"
DEFAULT_PARTIES = ("USA", "JPN")
_DEFAULT_FAMILY = "economic-security"
_DEFAULT_EXTRA_TOPICS = ("rules-and-norms",)


class UnknownFramework(LookupError):
    def __init__(self, slug: str, known: list[str]) -> None:
        super().__init__(f"unknown framework {slug!r} (known: {', '.join(known) or 'none'})")
        self.slug = slug


@dataclass(frozen=True)
class Framework:
    slug: str
    name: str
    topics: tuple[str, ...]
    parties: tuple[str, ...]
    name_ja: str = ""  # its name for Japanese readers, when it has one


def default_framework(taxonomy: Taxonomy | None = None) -> Framework:
    tree = taxonomy or Taxonomy.load()
    topics = [
        *tree.children.get(_DEFAULT_FAMILY, []),
        *(t for t in _DEFAULT_EXTRA_TOPICS if t in tree),
    ]
    return Framework(
        slug=DEFAULT_FRAMEWORK,
        name="Economic security",
        topics=tuple(topics),
        parties=DEFAULT_PARTIES,
        name_ja="経済安全保障",
    )


def _from_row(row: PriorityFramework) -> Framework:
    return Framework(
        slug=row.id,
        name=row.name,
        topics=tuple(sorted(t.pk for t in row.topics.all())),
        parties=tuple(sorted(g.pk for g in row.parties.all())),
        name_ja=row.name_ja,
    )


def _payload(framework: Framework) -> dict[str, object]:
    return {
        "slug": framework.slug,
        "name": framework.name,
        "topics": list(framework.topics),
        "parties": list(framework.parties),
    }


def frameworks() -> list[Framework]:
    """Every framework: the stored ones, and the default unless a stored one replaces it."""
    stored = [_from_row(r) for r in PriorityFramework.objects.prefetch_related("topics", "parties")]
    if not any(f.slug == DEFAULT_FRAMEWORK for f in stored):
        stored.append(default_framework())
    return sorted(stored, key=lambda f: f.slug)


def framework_for(slug: str) -> Framework:
    row = PriorityFramework.objects.prefetch_related("topics", "parties").filter(pk=slug).first()
    if row is not None:
        return _from_row(row)
    if slug == DEFAULT_FRAMEWORK:
        return default_framework()
    raise UnknownFramework(slug, [f.slug for f in frameworks()])


def framework_save(
    *, actor: Actor, slug: str, name: str, topics: list[str], parties: list[str], name_ja: str = ""
) -> Framework:
    """Define or redefine a framework; coordinators (and the operator) decide priorities."""
    if not (actor.is_operator or actor.role == "coordinator"):
        raise PermissionDenied("only coordinators define priority frameworks")
    unknown_topics = sorted(
        set(topics) - set(Topic.objects.filter(pk__in=topics).values_list("pk", flat=True))
    )
    unknown_parties = sorted(
        set(parties) - set(Government.objects.filter(pk__in=parties).values_list("pk", flat=True))
    )
    if unknown_topics or unknown_parties:
        raise ValueError(f"unknown topics {unknown_topics} or parties {unknown_parties}")
    if not topics or not parties:
        raise ValueError("a framework names at least one topic and one party")
    with transaction.atomic():
        existing = PriorityFramework.objects.filter(pk=slug).first()
        before = _payload(_from_row(existing)) if existing else None
        row, _ = PriorityFramework.objects.update_or_create(
            pk=slug, defaults={"name": name, "name_ja": name_ja}
        )
        row.topics.set(Topic.objects.filter(pk__in=topics))
        row.parties.set(Government.objects.filter(pk__in=parties))
        saved = _from_row(row)
        append_entry(
            actor=actor,
            action="framework.save",
            object_kind="priority-framework",
            object_id=slug,
            government=actor.government,
            agency=actor.agency,
            before=before,
            after={
                "slug": saved.slug,
                "name": saved.name,
                "topics": list(saved.topics),
                "parties": list(saved.parties),
            },
        )
    return saved
