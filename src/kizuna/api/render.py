"""Response bodies: each record in the export's JSON shape (dataset/exporter.dump_record).

One difference from `kizuna export`: a reference to a record the caller may not see (a
commitment's hidden meeting or document, a hidden parent dialogue) is blanked, and a
passage quoted from a hidden document is dropped with it. A response never names a record
the caller may not see, so the API never says that such a record exists (hidden → 404).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import models
from ninja import Schema
from pydantic import create_model

from kizuna.access.actor import Actor
from kizuna.commitments.models import Commitment
from kizuna.dataset.exporter import dump_record, prefetches
from kizuna.dataset.fields import Ref, Refs
from kizuna.dataset.kinds import KINDS_BY_LIST, Kind
from kizuna.documents.models import CommitmentCandidate
from kizuna.registry.models import Dialogue, Meeting
from kizuna.registry.records import Record

# Keys left out of list items (too large for a page of fifty); the detail carries them.
LIST_OMITS: dict[str, set[str]] = {"documents": {"text"}}
PASSAGE_KEYS = ("passage", "passage_start", "passage_end")


def kind(list_name: str) -> Kind:
    return KINDS_BY_LIST[list_name]


def prefetched(
    list_name: str, queryset: models.QuerySet[Any], actor: Actor
) -> models.QuerySet[Any]:
    """The related rows dump_record reads, fetched once per page (the export's own list),
    related records through the access rule. They replace the selector's own prefetches,
    which serve its pages, not this dump."""
    return queryset.prefetch_related(None).prefetch_related(*prefetches(list_name, actor))


def _record_refs(k: Kind) -> list[tuple[str, type[models.Model], bool]]:
    refs: list[tuple[str, type[models.Model], bool]] = []
    for f in k.fields:
        if isinstance(f, Ref | Refs) and f.model is not None and issubclass(f.model, Record):
            refs.append((f.name, f.model, isinstance(f, Refs)))
    return refs


def visible_ids(actor: Actor, model: type[models.Model], ids: set[Any]) -> set[Any]:
    """Those of `ids` that `actor` may see (one query; none for no ids)."""
    if not ids:
        return set()
    manager: Any = model._default_manager
    return set(manager.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))


def redact(actor: Actor, list_name: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Blank every reference to a record `actor` may not see: one query per reference field."""
    for name, model, many in _record_refs(kind(list_name)):
        ids: set[str] = set()
        for item in items:
            value: Any = item.get(name)
            ids |= set(value) if many else {value} if value else set()
        visible = visible_ids(actor, model, ids)
        for item in items:
            value = item.get(name)
            if many:
                item[name] = [x for x in value or [] if x in visible]
            elif value and value not in visible:
                item[name] = None
                if name == "document":
                    for key in PASSAGE_KEYS:
                        item[key] = None
    return items


def dump_many(actor: Actor, list_name: str, objects: list[models.Model]) -> list[dict[str, Any]]:
    k = kind(list_name)
    omit = LIST_OMITS.get(list_name, set())
    items = [
        {key: value for key, value in dump_record(k, obj).items() if key not in omit}
        for obj in objects
    ]
    return redact(actor, list_name, items)


def dump_one(actor: Actor, list_name: str, obj: models.Model) -> dict[str, Any]:
    return redact(actor, list_name, [dump_record(kind(list_name), obj)])[0]


def candidates(actor: Actor, objects: list[CommitmentCandidate]) -> list[dict[str, Any]]:
    """Review-queue candidates (schemas.CandidateOut); hidden references blanked as above.

    The caller already may see each candidate's document; the dialogue and meeting suggested
    for it, or the commitment it became, may still be hidden from a reader of the other side.
    """
    refs = {
        "suggested_dialogue": (Dialogue, {c.suggested_dialogue_id for c in objects}),
        "suggested_meeting": (Meeting, {c.suggested_meeting_id for c in objects}),
        "commitment": (Commitment, {c.commitment_id for c in objects}),
    }
    visible = {
        name: visible_ids(actor, model, {pk for pk in ids if pk})
        for name, (model, ids) in refs.items()
    }
    items = []
    for c in objects:
        item: dict[str, Any] = {
            "id": c.pk,
            "document": c.document_id,
            "start": c.start,
            "end": c.end,
            "text": c.text,
            "confidence": c.confidence,
            "parties": list(c.parties),
            "owners": dict(c.owners),
            "deadline_text": c.deadline_text,
            "deadline_earliest": c.deadline_earliest,
            "deadline_latest": c.deadline_latest,
            "topics": list(c.topics),
            "sectors": list(c.sectors),
            "decision": c.decision,
            "decided_by": c.decided_by,
        }
        for name in refs:
            ref = getattr(c, f"{name}_id")
            item[name] = ref if ref in visible[name] else None
        items.append(item)
    return items


# --- schemas for the OpenAPI document ----------------------------------------------------


def _title(list_name: str) -> str:
    return "".join(part.capitalize() for part in list_name.rstrip("s").split("_"))


@cache
def item_schema(list_name: str, *, summary: bool = False) -> type[Schema]:
    """The export's record shape as a schema: every key present; values as docs/dataset-format.md."""
    k = kind(list_name)
    omit = LIST_OMITS.get(list_name, set()) if summary else set()
    fields: dict[str, Any] = {"id": (str, ...)}
    for name in k.field_names()[1:]:
        if name not in omit:
            fields[name] = (Any, ...)
    if k.is_record:
        fields["version"] = (int, ...)
    suffix = "Summary" if summary and omit else ""
    model: type[Schema] = create_model(f"{_title(list_name)}{suffix}", __base__=Schema, **fields)
    model.__doc__ = f"A record of the `{list_name}` list, as `kizuna export` writes it."
    return model


@cache
def page_schema(list_name: str) -> type[Schema]:
    model: type[Schema] = create_model(
        f"{_title(list_name)}Page",
        __base__=Schema,
        count=(int, ...),
        limit=(int, ...),
        offset=(int, ...),
        items=(list[item_schema(list_name, summary=True)], ...),  # type: ignore[arg-type,misc]
    )
    return model
