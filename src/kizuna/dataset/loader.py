"""Load a dataset (YAML, JSON or CSV files; see docs/dataset-format.md) in one transaction.

Records are matched by id, so loading the same data twice changes nothing. Any error
names the file, the list, the record and the field, and nothing is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction

from kizuna.access.actor import Actor
from kizuna.audit.log import append_entry
from kizuna.commitments.models import Commitment
from kizuna.commitments.similarity import link_all_near_duplicates
from kizuna.dataset.errors import DatasetError, FieldError
from kizuna.dataset.kinds import (
    KINDS,
    KINDS_BY_LIST,
    Kind,
    complete_record,
    default_owner,
    read_text_file,
)
from kizuna.documents.models import Document
from kizuna.registry.models import Agency, Dialogue, Membership
from kizuna.registry.records import Record
from kizuna.registry.services import records_reading_parties, refresh_audiences


class _DataLoader(yaml.SafeLoader):
    """YAML without the 1.1 booleans `on`, `off`, `yes`, `no` (a review's `on:` date, Norway's `NO`)."""


_DataLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_DataLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

DATA_SUFFIXES = {".yaml", ".yml", ".json", ".csv", ".xlsx"}
# Keys a data file may carry beyond a list's declared fields.
IGNORED_KEYS = {"version"}


@dataclass
class RawRecord:
    file: str
    list_name: str
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))

    def error(self, message: str, field: str = "") -> DatasetError:
        return DatasetError(
            message, file=self.file, list_name=self.list_name, record_id=self.id, field=field
        )


@dataclass
class LoadReport:
    errors: list[DatasetError] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    content_hash: str = ""

    def total(self, list_name: str) -> int:
        return self.created[list_name] + self.updated[list_name] + self.unchanged[list_name]

    def summary(self) -> str:
        parts = []
        for kind in KINDS:
            name = kind.list_name
            if self.total(name):
                parts.append(
                    f"{name}: {self.total(name)} ({self.created[name]} new, {self.updated[name]} changed)"
                )
        return "; ".join(parts) or "nothing to load"


class LoadContext:
    """What the loader knows while it runs: which ids exist, and which records it touched."""

    def __init__(self) -> None:
        self._ids: dict[type[models.Model], set[str]] = {}
        self._agency_government: dict[str, str] | None = None
        self.touched_ids: dict[type[models.Model], set[str]] = defaultdict(set)

    def known(self, model: type[models.Model]) -> set[str]:
        if model not in self._ids:
            self._ids[model] = {
                str(pk) for pk in model._default_manager.values_list("pk", flat=True)
            }
        return self._ids[model]

    def require(self, model: type[models.Model], record_id: str, field_name: str) -> None:
        if record_id not in self.known(model):
            raise FieldError(field_name, f"unknown {model._meta.verbose_name} {record_id!r}")

    def added(self, model: type[models.Model], record_id: str) -> None:
        self.known(model).add(record_id)
        if model is Agency:
            self._agency_government = None

    def agency_government(self, slug: str) -> str:
        if self._agency_government is None:
            self._agency_government = dict(Agency.objects.values_list("id", "government_id"))
        return self._agency_government.get(slug, "")

    def document_text(self, document_id: str) -> str:
        return Document.objects.values_list("text", flat=True).get(pk=document_id)

    def touched(self, model: type[models.Model], record_id: str) -> None:
        self.touched_ids[model].add(record_id)


# --- reading files ---------------------------------------------------------------------


def data_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in DATA_SUFFIXES and p.is_file())
        if not files:
            raise DatasetError(
                f"no data files ({', '.join(sorted(DATA_SUFFIXES))}) in this folder", file=str(path)
            )
        return files
    if not path.exists():
        raise DatasetError("no such file or folder", file=str(path))
    if path.suffix not in DATA_SUFFIXES:
        raise DatasetError(
            f"not a data file (expected {', '.join(sorted(DATA_SUFFIXES))})", file=str(path)
        )
    return [path]


def read_file(path: Path) -> list[RawRecord]:
    if path.suffix == ".xlsx":
        return _read_xlsx(path)
    try:
        # Bytes decoded as they are: CSV cells may hold line breaks that must survive exactly.
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DatasetError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=str(path)
        ) from exc
    if path.suffix == ".csv":
        return _read_csv(path, text)
    try:
        content = (
            json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_DataLoader)
        )  # a SafeLoader subclass
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise DatasetError(f"cannot parse: {exc}", file=str(path)) from exc
    except RecursionError as exc:
        raise DatasetError("cannot parse: nested too deeply", file=str(path)) from exc
    if content is None:
        return []
    if not isinstance(content, dict):
        raise DatasetError("expected a mapping of list names to lists of records", file=str(path))
    records = []
    for list_name, items in content.items():
        if list_name == "sources" or list_name == "meta":
            continue  # informative in exports
        kind = _kind(list_name, str(path))
        if not isinstance(items, list):
            raise DatasetError("expected a list of records", file=str(path), list_name=list_name)
        for item in items:
            if not isinstance(item, dict):
                raise DatasetError(
                    f"expected a record (a mapping), got {item!r}",
                    file=str(path),
                    list_name=list_name,
                )
            records.append(
                RawRecord(str(path), kind.list_name, _with_text_file(item, path, list_name))
            )
    return records


def _kind(list_name: str, file: str) -> Kind:
    if list_name not in KINDS_BY_LIST:
        known = ", ".join(KINDS_BY_LIST)
        raise DatasetError(f"unknown list {list_name!r} (known: {known}, sources)", file=file)
    return KINDS_BY_LIST[list_name]


def _with_text_file(item: dict[str, Any], path: Path, list_name: str) -> dict[str, Any]:
    if list_name != "documents" or "text_file" not in item:
        return item
    item = dict(item)
    text_path = (path.parent / str(item.pop("text_file"))).resolve()
    try:
        item["text"] = read_text_file(text_path)
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(
            f"cannot read {text_path.name}: {exc}",
            file=str(path),
            list_name=list_name,
            record_id=str(item.get("id", "")),
            field="text_file",
        ) from exc
    return item


def _read_xlsx(path: Path) -> list[RawRecord]:
    """A workbook: one sheet per list, named after it, with the export's CSV columns."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise DatasetError(f"not an XLSX workbook ({type(exc).__name__})", file=str(path)) from exc
    records: list[RawRecord] = []
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = [str(h) if h is not None else "" for h in next(rows, [])]
        dict_rows = (
            {
                column: "" if value is None else str(value)
                for column, value in zip(header, row, strict=False)
            }
            for row in rows
            if any(value not in (None, "") for value in row)
        )
        records += _records_from_rows(path, sheet.title, dict_rows)
    return records


def _read_csv(path: Path, text: str) -> list[RawRecord]:
    return _records_from_rows(path, path.stem, csv.DictReader(io.StringIO(text, newline="")))


def _records_from_rows(path: Path, list_name: str, rows: Any) -> list[RawRecord]:
    """Rows of cells (CSV or a sheet), each cell parsed as its field declares."""
    kind = _kind(list_name, str(path))
    fields = {f.name: f for f in kind.fields}
    records = []
    for row in rows:
        item: dict[str, Any] = {}
        for column, raw_cell in row.items():
            cell = _unguard(raw_cell or "")
            if column in fields:
                try:
                    item[column] = fields[column].from_cell(cell)
                except FieldError as exc:
                    raise DatasetError(
                        str(exc),
                        file=str(path),
                        list_name=list_name,
                        record_id=row.get("id", ""),
                        field=exc.field,
                    ) from exc
            elif column == "id":
                item["id"] = cell
            # Other columns are export-only (derived) and are ignored.
        records.append(RawRecord(str(path), list_name, item))
    return records


def _unguard(cell: str) -> str:
    """Undo the exporter's guard against spreadsheet formulas (a leading quote)."""
    if cell.startswith("'") and cell[1:2] in {"=", "+", "-", "@", "\t", "\r"}:
        return cell[1:]
    return cell


def read_dataset(paths: list[Path]) -> tuple[dict[str, list[RawRecord]], str]:
    """Every record of every file, grouped by list, and a hash of the files' bytes."""
    by_list: dict[str, list[RawRecord]] = defaultdict(list)
    digest = hashlib.sha256()
    for path in paths:
        for file in data_files(path):
            digest.update(file.read_bytes())
            for record in read_file(file):
                by_list[record.list_name].append(record)
    for records in by_list.values():
        seen: dict[str, str] = {}
        for record in records:
            if not record.id:
                raise record.error("every record needs an id", "id")
            if record.id in seen:
                raise record.error(f"duplicate id (also in {seen[record.id]})", "id")
            seen[record.id] = record.file
    return by_list, digest.hexdigest()


# --- writing --------------------------------------------------------------------------


class _DryRunDone(Exception):
    """Raised at the end of a dry run so that its transaction rolls back."""


def load_dataset(paths: list[Path], *, actor: Actor, dry_run: bool = False) -> LoadReport:
    """Load every record of `paths` in one transaction and append one audit entry.

    With `dry_run`, every record is tried (each in a savepoint), every error is collected in
    `report.errors`, and nothing is written.
    """
    by_list, content_hash = read_dataset(paths)
    report = LoadReport(content_hash=content_hash)
    if dry_run:
        try:
            with transaction.atomic():
                _load_all(by_list, LoadContext(), report, collect=True)
                raise _DryRunDone
        except _DryRunDone:
            pass
        return report
    ctx = LoadContext()
    with transaction.atomic():
        _load_all(by_list, ctx, report, collect=False)
        if ctx.touched_ids.get(Commitment):
            # Near-duplicate links are derived, not loaded: recompute them once for the whole load.
            link_all_near_duplicates()
        append_entry(
            actor=actor,
            action="dataset.load",
            object_kind="dataset",
            object_id=content_hash,
            after={
                "content_hash": content_hash,
                "created": dict(report.created),
                "updated": dict(report.updated),
                "unchanged": dict(report.unchanged),
            },
        )
    return report


def _load_all(
    by_list: dict[str, list[RawRecord]], ctx: LoadContext, report: LoadReport, *, collect: bool
) -> None:
    for kind in KINDS:
        _load_list(kind, by_list.get(kind.list_name, []), ctx, report, collect=collect)
    _refresh_audiences(ctx)


def _load_list(
    kind: Kind,
    records: list[RawRecord],
    ctx: LoadContext,
    report: LoadReport,
    *,
    collect: bool = False,
) -> None:
    saved: list[tuple[RawRecord, models.Model]] = []
    for raw in records:
        try:
            if collect:
                # A savepoint per record, so that one bad row does not hide the next one's error.
                with transaction.atomic():
                    obj = _save_record(kind, raw, ctx, report)
            else:
                obj = _save_record(kind, raw, ctx, report)
        except FieldError as exc:
            if not collect:
                raise raw.error(str(exc), exc.field) from exc
            report.errors.append(raw.error(str(exc), exc.field))
            continue
        saved.append((raw, obj))
    # References within the same list (a parent, a carried-over item) once all exist.
    for raw, obj in saved:
        late = [f for f in kind.fields if f.after_list]
        if not late:
            break
        try:
            for f in late:
                f.load(raw.data.get(f.name), obj, ctx)
        except FieldError as exc:
            if not collect:
                raise raw.error(str(exc), exc.field) from exc
            report.errors.append(raw.error(str(exc), exc.field))
            continue
        obj.save(update_fields=[f"{f.attr}_id" for f in late])


def _save_record(kind: Kind, raw: RawRecord, ctx: LoadContext, report: LoadReport) -> models.Model:
    allowed = set(kind.field_names()) | IGNORED_KEYS
    unknown = set(raw.data) - allowed
    if unknown:
        raise FieldError(
            sorted(unknown)[0], f"unknown field (this list has: {', '.join(sorted(allowed))})"
        )
    if kind.list_name == "dialogues" and raw.data.get("slug") not in (None, raw.id):
        raise FieldError("slug", "differs from id")
    existing = kind.model._default_manager.filter(pk=raw.id).first()
    obj = existing or kind.model(pk=raw.id)
    before = _concrete_values(obj) if existing else None
    immediate = [f for f in kind.fields if not (f.after_save or f.after_list)]
    for f in immediate:
        f.load(raw.data.get(f.name, f.missing()), obj, ctx)
    complete_record(kind, obj)
    if isinstance(obj, Record):
        _check_record(kind, raw, obj)
    obj.save()
    ctx.added(kind.model, raw.id)
    ctx.touched(kind.model, raw.id)
    for f in kind.fields:
        if f.after_save:
            f.load(raw.data.get(f.name), obj, ctx)
    _count(kind, obj, before, report)
    return obj


def _check_record(kind: Kind, raw: RawRecord, obj: Record) -> None:
    if raw.data.get("owner") is None:
        government, agency = default_owner(obj, raw.data)
        obj.owner_government_id, obj.owner_agency_id = government, agency
    if obj.marking == "agency-internal" and not obj.owner_agency_id:
        raise FieldError("owner", "an agency-internal record needs an owning agency")
    if kind.needs_source and not obj.sources:
        raise FieldError("sources", "every record of this list needs at least one source")


def _concrete_values(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _count(
    kind: Kind, obj: models.Model, before: dict[str, Any] | None, report: LoadReport
) -> None:
    if before is None:
        report.created[kind.list_name] += 1
        return
    after = _concrete_values(obj)
    changed = {k for k in after if k != "version" and after[k] != before[k]}
    if changed:
        if isinstance(obj, Record):
            type(obj)._default_manager.filter(pk=obj.pk).update(version=models.F("version") + 1)
        report.updated[kind.list_name] += 1
    else:
        report.unchanged[kind.list_name] += 1


def _refresh_audiences(ctx: LoadContext) -> None:
    """Recompute who may read each touched `shared` record, now that memberships are final.

    A dialogue whose parties may have changed (the dialogue or one of its memberships was
    in the load) also has every record that reads its parties recomputed, whether or not
    that record was in the load; each record once.
    """
    pending: dict[type[Record], set[str]] = defaultdict(set)
    for model, ids in ctx.touched_ids.items():
        if issubclass(model, Record):
            pending[model] |= ids
    parties_may_have_changed = records_reading_parties(
        dialogues=ctx.touched_ids.get(Dialogue, ()),
        memberships=ctx.touched_ids.get(Membership, ()),
    )
    for model, dependents in parties_may_have_changed.items():
        pending[model].update(dependents)
    for model, ids in pending.items():
        refresh_audiences(model, ids)
