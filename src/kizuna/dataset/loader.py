"""Load a dataset (YAML, JSON, CSV or XLSX files; see docs/dataset-format.md) in one transaction.

Records are matched by id, so loading the same data twice changes nothing. A record whose
row carries a `version` older than the stored one, and would change it, is refused (it was
edited since the file was exported). Errors name the file, the list, the row or record and
the field; every row's errors are listed, and any error means nothing is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction

from kizuna.access.actor import Actor
from kizuna.audit.log import append_entry
from kizuna.commitments.models import Commitment
from kizuna.commitments.similarity import link_all_near_duplicates
from kizuna.dataset.errors import DatasetError, DatasetErrors, FieldError
from kizuna.dataset.exporter import WITHHELD
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
# Keys a data file may carry beyond a list's declared fields: `version`, which exports
# write, is checked against the stored record's (a row older than it may not change it).
IGNORED_KEYS = {"version", WITHHELD}


@dataclass
class RawRecord:
    file: str
    list_name: str
    data: dict[str, Any]
    # The row of a CSV file or a sheet (the header is row 1); 0 in YAML and JSON.
    row: int = 0
    # What could not be read (a malformed cell, a missing or repeated id): the record is
    # not loaded, and each problem is reported with the record's other errors.
    problems: list[FieldError] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))

    def error(self, message: str, field: str = "") -> DatasetError:
        return DatasetError(
            message,
            file=self.file,
            list_name=self.list_name,
            record_id=self.id,
            field=field,
            row=self.row,
        )


@dataclass
class Change:
    """A record the load creates (no `fields`) or changes (the fields that differ)."""

    list_name: str
    noun: str  # "commitment", "agenda item"
    record_id: str
    fields: list[str]

    @property
    def created(self) -> bool:
        return not self.fields


@dataclass
class LoadReport:
    errors: list[DatasetError] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # Every record created or changed, in load order (the dry run lists them).
    changes: list[Change] = field(default_factory=list)
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
        # Records this load created, also as a side effect (a dialogue's memberships).
        self.created_ids: dict[type[models.Model], set[str]] = defaultdict(set)

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

    def forget(self, model: type[models.Model], record_id: str) -> None:
        """A new record whose savepoint rolled back no longer exists."""
        self.known(model).discard(record_id)
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

    def created(self, model: type[models.Model], record_id: str) -> None:
        self.created_ids[model].add(record_id)


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
            (
                number,
                {
                    column: "" if value is None else str(value)
                    for column, value in zip(header, row, strict=False)
                },
            )
            for number, row in enumerate(rows, start=2)
            if any(value not in (None, "") for value in row)
        )
        records += _records_from_rows(path, sheet.title, header, dict_rows)
    return records


def _read_csv(path: Path, text: str) -> list[RawRecord]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    # Numbered as a spreadsheet program shows them (the header is row 1); blank lines are rows.
    dict_rows = (
        (number, {column: row[i] if i < len(row) else "" for i, column in enumerate(header)})
        for number, row in enumerate(reader, start=2)
        if row
    )
    return _records_from_rows(path, path.stem, header, dict_rows)


# Columns only the commitment list's CSV download (web "Download this list as CSV") has.
LIST_CSV_COLUMNS = {"latest_status", "owner_government", "deadline_earliest"}
LIST_CSV_NAME = "kizuna-commitments"


def _refuse_the_list_csv(path: Path, list_name: str, header: list[str]) -> None:
    """The web list's CSV is for reading: it lacks what a load needs, so say what to use."""
    if list_name.startswith(LIST_CSV_NAME) or LIST_CSV_COLUMNS <= set(header):
        raise DatasetError(
            "this is the commitment list's CSV download, made for reading: it has no sources, "
            "document, passage or version, and writes parties and owners in its own way, so it "
            'cannot be loaded. To re-import, download the list "as a workbook (XLSX, '
            're-importable)" (or use `kizuna export`), edit that file and load it',
            file=str(path),
        )


def _records_from_rows(
    path: Path, list_name: str, header: list[str], rows: Iterable[tuple[int, dict[str, str]]]
) -> list[RawRecord]:
    """Rows of cells (CSV or a sheet), each cell parsed as its field declares.

    A cell that cannot be read (malformed JSON) is a problem of its row: the row is kept,
    so that every row's errors are reported together.
    """
    _refuse_the_list_csv(path, list_name, header)
    kind = _kind(list_name, str(path))
    fields = {f.name: f for f in kind.fields}
    records = []
    for number, row in rows:
        item: dict[str, Any] = {}
        problems: list[FieldError] = []
        for column, raw_cell in row.items():
            cell = _unguard(raw_cell or "")
            if column in fields:
                try:
                    item[column] = fields[column].from_cell(cell)
                except FieldError as exc:
                    problems.append(exc)
            elif column in {"id", "version", WITHHELD}:
                item[column] = cell
            # Other columns are export-only (derived) and are ignored.
        records.append(RawRecord(str(path), list_name, item, row=number, problems=problems))
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
                record.problems.insert(0, FieldError("id", "every record needs an id"))
            elif record.id in seen:
                record.problems.insert(
                    0, FieldError("id", f"duplicate id (also in {seen[record.id]})")
                )
            else:
                seen[record.id] = record.file + (f" row {record.row}" if record.row else "")
    return by_list, digest.hexdigest()


# --- writing --------------------------------------------------------------------------


class _DryRunDone(Exception):
    """Raised at the end of a dry run so that its transaction rolls back."""


class _RolledBack(Exception):
    """Raised in a savepoint whose writes must not stay."""


def load_dataset(paths: list[Path], *, actor: Actor, dry_run: bool = False) -> LoadReport:
    """Load every record of `paths` in one transaction and append one audit entry.

    With `dry_run`, every record is tried (each in a savepoint), every error is collected in
    `report.errors`, what would be created or changed in `report.changes`, and nothing is
    written. A load that meets an error writes nothing and raises `DatasetErrors`, which
    lists every record's errors (found by trying every record, as the dry run does).
    """
    by_list, content_hash = read_dataset(paths)
    report = LoadReport(content_hash=content_hash)
    unreadable = any(raw.problems for records in by_list.values() for raw in records)
    if dry_run or unreadable:
        _try_all(by_list, report)
        if not dry_run:
            raise DatasetErrors(report.errors)
        return report
    ctx = LoadContext()
    try:
        with transaction.atomic():
            _load(by_list, ctx, report, actor, content_hash)
    except DatasetError as first:
        # The load stops at its first error (no savepoint per record when all goes well);
        # try every record to report every error.
        checked = LoadReport(content_hash=content_hash)
        _try_all(by_list, checked)
        raise DatasetErrors(checked.errors or [first]) from first
    return report


def _try_all(by_list: dict[str, list[RawRecord]], report: LoadReport) -> None:
    """Try every record, each in a savepoint, collecting errors and changes; write nothing."""
    try:
        with transaction.atomic():
            _load_all(by_list, LoadContext(), report, collect=True)
            raise _DryRunDone
    except _DryRunDone:
        pass


def _load(
    by_list: dict[str, list[RawRecord]],
    ctx: LoadContext,
    report: LoadReport,
    actor: Actor,
    content_hash: str,
) -> None:
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


def _load_all(
    by_list: dict[str, list[RawRecord]], ctx: LoadContext, report: LoadReport, *, collect: bool
) -> None:
    for kind in KINDS:
        _load_list(kind, by_list.get(kind.list_name, []), ctx, report, collect=collect)
    _refresh_audiences(ctx)


@dataclass
class _Saved:
    """A record written by the load, with what it was before (to tell what changed)."""

    raw: RawRecord
    obj: models.Model
    # The record's fields as stored before the load (None: a new record), and its columns.
    before: dict[str, Any] | None = None
    columns: dict[str, Any] = field(default_factory=dict)
    stored_version: int | None = None
    file_version: int | None = None


def _load_list(
    kind: Kind,
    records: list[RawRecord],
    ctx: LoadContext,
    report: LoadReport,
    *,
    collect: bool = False,
) -> None:
    saved: list[_Saved] = []
    for raw in records:
        if raw.problems:
            if not collect:
                raise raw.error(str(raw.problems[0]), raw.problems[0].field)
            _report_problems(kind, raw, ctx, report)
            continue
        was_known = raw.id in ctx.known(kind.model)
        try:
            if collect:
                # A savepoint per record, so that one bad row does not hide the next one's error.
                with transaction.atomic():
                    saved.append(_save_record(kind, raw, ctx))
            else:
                saved.append(_save_record(kind, raw, ctx))
        except FieldError as exc:
            if not collect:
                raise raw.error(str(exc), exc.field) from exc
            report.errors.append(raw.error(str(exc), exc.field))
            if not was_known:
                ctx.forget(kind.model, raw.id)
    # References within the same list (a parent, a carried-over item) once all exist; then
    # what changed, and whether the file's version allows it.
    late = [f for f in kind.fields if f.after_list]
    for item in saved:
        try:
            if late:
                for f in late:
                    f.load(item.raw.data.get(f.name), item.obj, ctx)
                item.obj.save(update_fields=[f"{f.attr}_id" for f in late])
            _count(kind, item, report)
        except FieldError as exc:
            if not collect:
                raise item.raw.error(str(exc), exc.field) from exc
            report.errors.append(item.raw.error(str(exc), exc.field))


def _report_problems(kind: Kind, raw: RawRecord, ctx: LoadContext, report: LoadReport) -> None:
    """Report what could not be read, and the row's first other error (its unreadable
    fields left out); the row is not loaded."""
    for problem in raw.problems:
        report.errors.append(raw.error(str(problem), problem.field))
    if any(problem.field == "id" for problem in raw.problems):
        return
    was_known = raw.id in ctx.known(kind.model)
    try:
        with transaction.atomic():
            item = _save_record(kind, raw, ctx, skip={problem.field for problem in raw.problems})
            _count(kind, item, LoadReport())
            raise _RolledBack
    except _RolledBack:
        pass
    except FieldError as exc:
        report.errors.append(raw.error(str(exc), exc.field))
    if not was_known:
        ctx.forget(kind.model, raw.id)


def file_version(value: Any) -> int | None:
    """A row's `version` (None when it has none): a whole number of 1 or more."""
    if value is None or value == "":
        return None
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)  # a spreadsheet holds every number as a float
    elif isinstance(value, str) and re.fullmatch(r"\s*-?\d+(\.0*)?\s*", value):
        number = int(float(value))
    if number is None or number < 1:
        raise FieldError("version", f"version must be a whole number of 1 or more, got {value!r}")
    return number


def _save_record(
    kind: Kind, raw: RawRecord, ctx: LoadContext, skip: set[str] | None = None
) -> _Saved:
    """Write one record (not its references within the list); `skip` names fields left out."""
    skip = skip or set()
    allowed = set(kind.field_names()) | IGNORED_KEYS
    unknown = set(raw.data) - allowed
    if unknown:
        raise FieldError(
            sorted(unknown)[0], f"unknown field (this list has: {', '.join(sorted(allowed))})"
        )
    if kind.list_name == "dialogues" and raw.data.get("slug") not in (None, raw.id):
        raise FieldError("slug", "differs from id")
    version = file_version(raw.data.get("version"))
    existing = kind.model._default_manager.filter(pk=raw.id).first()
    if existing is not None:
        raw = _keep_withheld(kind, raw, existing)
    obj = existing or kind.model(pk=raw.id)
    item = _Saved(raw, obj, file_version=version)
    if existing is not None and raw.id not in ctx.created_ids[kind.model]:
        # (A record another one created in this load, a dialogue's membership, is new.)
        item.before = _dump_fields(kind, existing)
        item.columns = _concrete_values(existing)
        if isinstance(existing, Record):
            item.stored_version = existing.version
    immediate = [
        f for f in kind.fields if not (f.after_save or f.after_list) and f.name not in skip
    ]
    for f in immediate:
        f.load(raw.data.get(f.name, f.missing()), obj, ctx)
    complete_record(kind, obj)
    if isinstance(obj, Record):
        _check_record(kind, raw, obj)
    obj.save()
    ctx.added(kind.model, raw.id)
    ctx.touched(kind.model, raw.id)
    if existing is None:
        ctx.created(kind.model, raw.id)
    for f in kind.fields:
        if f.after_save and f.name not in skip:
            f.load(raw.data.get(f.name), obj, ctx)
    return item


def _keep_withheld(kind: Kind, raw: RawRecord, existing: models.Model) -> RawRecord:
    """The row with the stored values back in the fields its export withheld.

    An export made by someone who may not see a record's document (or meeting) blanks that
    reference and names it under `withheld`: loading it back keeps the stored reference
    instead of clearing it. A thinned list keeps its hidden items beside the row's.
    """
    names = raw.data.get(WITHHELD)
    if not names:
        return raw
    if isinstance(names, str):  # a cell: a JSON list, as the workbook writes lists
        try:
            names = json.loads(names)
        except json.JSONDecodeError:
            names = None
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise FieldError(WITHHELD, 'expected a list of field names, e.g. ["document"]')
    fields = {f.name: f for f in kind.fields}
    data = dict(raw.data)
    for name in names:
        if name not in fields:
            raise FieldError(WITHHELD, f"names no field of this list: {name!r}")
        stored = fields[name].dump(existing)
        if isinstance(stored, list):
            data[name] = list(dict.fromkeys([*(data.get(name) or []), *stored]))
        else:
            data[name] = stored
    return replace(raw, data=data)


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


def _dump_fields(kind: Kind, obj: models.Model) -> dict[str, Any]:
    return {f.name: f.dump(obj) for f in kind.fields}


def _count(kind: Kind, item: _Saved, report: LoadReport) -> None:
    """Count the record as new, changed or unchanged; a change bumps its version.

    A change is refused when the row carries a version older than the stored one: the
    record was edited since the file was exported, and the row would undo that edit.
    """
    noun = str(kind.model._meta.verbose_name)
    if item.before is None:
        report.created[kind.list_name] += 1
        report.changes.append(Change(kind.list_name, noun, item.raw.id, []))
        return
    after = _dump_fields(kind, item.obj)
    changed = [f.name for f in kind.fields if after[f.name] != item.before[f.name]]
    if not changed:
        # A column no field shows (none is expected); it is a change all the same.
        columns = _concrete_values(item.obj)
        changed = [k for k in columns if k != "version" and columns[k] != item.columns[k]]
    if not changed:
        report.unchanged[kind.list_name] += 1
        return
    stored, given = item.stored_version, item.file_version
    if stored is not None and given is not None and given < stored:
        raise FieldError(
            "version",
            f"changed since this file was exported: stored version {stored}, file has version "
            f"{given}; export again and redo the edit",
        )
    if isinstance(item.obj, Record):
        type(item.obj)._default_manager.filter(pk=item.obj.pk).update(
            version=models.F("version") + 1
        )
    report.updated[kind.list_name] += 1
    report.changes.append(Change(kind.list_name, noun, item.raw.id, changed))


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
