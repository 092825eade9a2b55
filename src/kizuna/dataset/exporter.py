"""Export what an actor may see, in the dataset format (JSON object or a folder of CSVs)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import models
from django.db.models import Prefetch

from kizuna.access.actor import Actor
from kizuna.dataset.kinds import KINDS, KINDS_BY_LIST, Kind
from kizuna.registry.records import MARKING_ORDER, Record

# Related rows each list's fields read, fetched in bulk instead of once per record.
PREFETCH = {
    "dialogues": ["memberships", "leads"],
    "pillars": ["leads"],
    "memberships": ["pillars"],
    "agenda_items": ["topics", "sectors"],
    "commitments": ["parties", "owners", "topics", "sectors", "document"],
    "assessments": ["reviews"],
    "concerns": ["raised_at", "topics", "sectors"],
}


def prefetches(list_name: str, actor: Actor) -> list[str | Prefetch[Any]]:
    """The list's PREFETCH lookups, each related record read through the access rule.

    A dialogue's parties are written from its memberships, and memberships are records: a
    hidden one must name no party. Other hidden references are also blanked afterwards
    (`hide_references`), so they read the same either way.
    """
    model = KINDS_BY_LIST[list_name].model
    lookups: list[str | Prefetch[Any]] = []
    for name in PREFETCH.get(list_name, []):
        related = model._meta.get_field(name).related_model
        if isinstance(related, type) and issubclass(related, Record):
            manager: Any = related._default_manager
            lookups.append(Prefetch(name, queryset=manager.visible_to(actor)))
        else:
            lookups.append(name)
    return lookups


def visible_records(kind: Kind, actor: Actor) -> Iterable[models.Model]:
    manager: Any = kind.model._default_manager
    queryset = manager.visible_to(actor) if kind.is_record else manager.all()
    return queryset.prefetch_related(*prefetches(kind.list_name, actor)).order_by("pk")


def dump_record(kind: Kind, obj: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {"id": obj.pk}
    for f in kind.fields:
        data[f.name] = f.dump(obj)
    for name, derive in kind.export_only.items():
        data[name] = derive(obj)
    if isinstance(obj, Record):
        data["version"] = obj.version
    return data


class VisibleIds:
    """Which records of each kind the actor may see, fetched once per kind."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self._ids: dict[type[models.Model], set[str]] = {}

    def __call__(self, model: type[models.Model]) -> set[str]:
        if model not in self._ids:
            manager: Any = model._default_manager
            self._ids[model] = {
                str(pk) for pk in manager.visible_to(self.actor).values_list("pk", flat=True)
            }
        return self._ids[model]


def hide_references(kind: Kind, data: dict[str, Any], visible: VisibleIds) -> dict[str, Any]:
    """Blank references from a visible record to records the actor may not see.

    A visible commitment may cite a meeting or document that is internal to the other side:
    its id, and the words quoted from it, must not reach the reader. The export names under
    `withheld` every reference it cannot vouch for: each blank one, hidden or simply empty
    (which of the two is not said: that would tell that a hidden record exists), and each
    list of records, which may have been thinned. Loading the file back keeps what the
    record holds in those fields instead of clearing them (`kizuna.dataset.loader`).
    """
    withheld: list[str] = []
    for f in kind.fields:
        model = getattr(f, "model", None)
        if model is None or not issubclass(model, Record):
            continue
        value = data.get(f.name)
        if isinstance(value, list):
            data[f.name] = [v for v in value if v in visible(model)]
            withheld.append(f.name)
            continue
        if value is not None and value not in visible(model):
            data[f.name] = value = None
            if f.name == "document":
                for key in ("passage", "passage_start", "passage_end"):
                    if key in data:
                        data[key] = None
        if value is None:
            withheld.append(f.name)
            if f.name == "document" and "passage" in data:
                withheld.append("passage")
    if withheld:
        data[WITHHELD] = withheld
    return data


# The key (and the workbook's column) that names the fields an export left out or thinned.
WITHHELD = "withheld"


def export_dataset(*, actor: Actor) -> dict[str, Any]:
    """Every list, holding only what `actor` may see; `meta.marking` is the highest marking in it."""
    result: dict[str, Any] = {}
    highest = 0
    visible = VisibleIds(actor)
    for kind in KINDS:
        records = [
            hide_references(kind, dump_record(kind, obj), visible)
            if not actor.is_operator
            else dump_record(kind, obj)
            for obj in visible_records(kind, actor)
        ]
        for record in records:
            if "marking" in record:
                highest = max(highest, MARKING_ORDER.index(record["marking"]))
        result[kind.list_name] = records
    result["sources"] = _sources(result)
    result["meta"] = {"format": "kizuna-dataset", "version": 1, "marking": MARKING_ORDER[highest]}
    return result


def _sources(lists: dict[str, Any]) -> list[dict[str, Any]]:
    by_key: dict[str, dict[str, Any]] = {}
    for list_name, records in lists.items():
        for record in records:
            for source in record.get("sources") or []:
                key = (
                    source.get("url") or f"{source.get('publisher', '')}: {source.get('title', '')}"
                )
                entry = by_key.setdefault(key, {**source, "cited_by": []})
                entry["cited_by"].append(f"{list_name}/{record['id']}")
    return [by_key[k] for k in sorted(by_key)]


def write_json(data: dict[str, Any], out: Path | None) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False, default=str)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    return text


# Spreadsheet programs run a cell starting with these as a formula; a leading quote stops it.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_csv_folder(data: dict[str, Any], folder: Path) -> list[Path]:
    """One CSV per list, nested fields as JSON in their cell."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = folder / f"{kind.list_name}.csv"
        columns = [*kind.field_names(), *(["version"] if kind.is_record else [])]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for record in data[kind.list_name]:
                writer.writerow({c: csv_cell(record.get(c)) for c in columns})
        written.append(path)
    return written
