"""Field declarations: how one field of a record travels between a model and a data file.

Each field knows how to read itself out of a model instance (`dump`), how to check and
apply a value from a data file (`load`), and how to parse a CSV cell (`from_cell`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models

from kizuna.core.dates import PartialDate, PartialDateError, parse_iso_date
from kizuna.dataset.errors import FieldError

if TYPE_CHECKING:
    from kizuna.dataset.loader import LoadContext


@dataclass
class Field:
    name: str
    attr: str = ""
    required: bool = False
    # Applied after the record is saved (many-to-many links, child rows).
    after_save: bool = False
    # Applied after the whole list is saved (references to records of the same list).
    after_list: bool = False

    def __post_init__(self) -> None:
        self.attr = self.attr or self.name

    def dump(self, obj: Any) -> Any:
        return getattr(obj, self.attr)

    def load(self, value: Any, obj: Any, ctx: LoadContext) -> None:
        setattr(obj, self.attr, value)

    def from_cell(self, cell: str) -> Any:
        return cell

    def missing(self) -> Any:
        """The value when the file leaves the field out (None: leave the model's default)."""
        return None


@dataclass
class Text(Field):
    max_length: int = 0

    def load(self, value: Any, obj: Any, ctx: LoadContext) -> None:
        if value is None:
            value = ""
        if not isinstance(value, str | int | float):
            raise FieldError(self.name, f"expected text, got {type(value).__name__}")
        text = str(value)
        if self.required and not text.strip():
            raise FieldError(self.name, "is required")
        limit = self.max_length or _max_length(obj, self.attr)
        if limit and len(text) > limit:
            raise FieldError(self.name, f"is longer than {limit} characters")
        setattr(obj, self.attr, text)


def _max_length(obj: Any, attr: str) -> int:
    try:
        return int(type(obj)._meta.get_field(attr).max_length or 0)
    except Exception:  # not a model field (or no max_length): no limit to check
        return 0


@dataclass
class Integer(Field):
    choices: tuple[int, ...] = ()

    def load(self, value: Any, obj: Any, ctx: LoadContext) -> None:
        if value is None or value == "":
            setattr(obj, self.attr, None)
            return
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise FieldError(self.name, f"expected a whole number, got {value!r}")
        try:
            number = int(value)
        except ValueError as exc:
            raise FieldError(self.name, f"expected a whole number, got {value!r}") from exc
        if self.choices and number not in self.choices:
            raise FieldError(self.name, f"must be one of {list(self.choices)}, got {number}")
        if number < 0 and not self.choices:
            raise FieldError(self.name, f"must not be negative, got {number}")
        setattr(obj, self.attr, number)


@dataclass
class Boolean(Field):
    def load(self, value: Any, obj: Any, ctx: LoadContext) -> None:
        if value is None or value == "":
            value = False
        if isinstance(value, str):
            if value.lower() not in {"true", "false"}:
                raise FieldError(self.name, f"expected true or false, got {value!r}")
            value = value.lower() == "true"
        if not isinstance(value, bool):
            raise FieldError(self.name, f"expected true or false, got {value!r}")
        setattr(obj, self.attr, value)


@dataclass
class Choice(Field):
    choices: type[models.TextChoices] | None = None
    default: str = ""

    def load(self, value: Any, obj: Any, ctx: LoadContext) -> None:
        assert self.choices is not None
        if value is None or value == "":
            if self.required:
                raise FieldError(self.name, "is required")
            value = self.default
        allowed = [c.value for c in self.choices]
        if value != "" and value not in allowed:
            raise FieldError(self.name, f"must be one of {', '.join(allowed)}; got {value!r}")
        setattr(obj, self.attr, value)


@dataclass
class Partial(Field):
    """A partial date (`2024`, `2024-01`, `2024-01-15`, `2022-09-08/2022-09-09`)."""

    def dump(self, obj: Any) -> Any:
        return getattr(obj, self.attr) or None

    def load(self, value: Any, obj: Any, ctx: LoadContext) -> None:
        if value is None or value == "":
            if self.required:
                raise FieldError(self.name, "is required")
            setattr(obj, self.attr, "")
            setattr(obj, f"{self.attr}_first", None)
            return
        try:
            parsed = PartialDate.parse(value if isinstance(value, dt.date) else str(value))
        except PartialDateError as exc:
            raise FieldError(self.name, str(exc)) from exc
        setattr(obj, self.attr, str(parsed))
        setattr(obj, f"{self.attr}_first", parsed.first)


def parse_day(name: str, value: Any, *, required: bool = False) -> dt.date | None:
    if value is None or value == "":
        if required:
            raise FieldError(name, "is required")
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return parse_iso_date(str(value))
    except PartialDateError as exc:
        raise FieldError(name, str(exc)) from exc


@dataclass
class Day(Field):
    """A full calendar date, YYYY-MM-DD."""

    def dump(self, obj: Any) -> Any:
        value = getattr(obj, self.attr)
        return value.isoformat() if value else None

    def load(self, value: Any, obj: Any, ctx: LoadContext) -> None:
        setattr(obj, self.attr, parse_day(self.name, value, required=self.required))


@dataclass
class Ref(Field):
    """A reference by id to a record of another list (a foreign key)."""

    model: type[models.Model] | None = None

    def dump(self, obj: Any) -> Any:
        return getattr(obj, f"{self.attr}_id")

    def load(self, value: Any, obj: Any, ctx: LoadContext) -> None:
        assert self.model is not None
        if value is None or value == "":
            if self.required:
                raise FieldError(self.name, "is required")
            setattr(obj, f"{self.attr}_id", None)
            return
        ctx.require(self.model, str(value), self.name)
        setattr(obj, f"{self.attr}_id", str(value))


@dataclass
class Refs(Field):
    """A list of ids (a many-to-many link), applied after the record is saved."""

    model: type[models.Model] | None = None
    after_save: bool = True

    def dump(self, obj: Any) -> Any:
        return sorted(x.pk for x in getattr(obj, self.attr).all())

    def load(self, value: Any, obj: Any, ctx: LoadContext) -> None:
        assert self.model is not None
        ids = _as_list(self.name, value)
        for item in ids:
            ctx.require(self.model, item, self.name)
        if self.required and not ids:
            raise FieldError(self.name, "needs at least one entry")
        getattr(obj, self.attr).set(ids)

    def from_cell(self, cell: str) -> Any:
        return json_cell(self.name, cell)


def _as_list(name: str, value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FieldError(name, f"expected a list of ids, got {value!r}")
    if len(set(value)) != len(value):
        raise FieldError(name, "lists the same id twice")
    return list(value)


@dataclass
class Json(Field):
    """A structured value kept as JSON (participants, sources)."""

    check: Callable[[str, Any], Any] | None = None

    def load(self, value: Any, obj: Any, ctx: LoadContext) -> None:
        if self.check is not None:
            value = self.check(self.name, value)
        setattr(obj, self.attr, value)

    def from_cell(self, cell: str) -> Any:
        return json_cell(self.name, cell)


@dataclass
class Custom(Field):
    """A field with its own reading and writing (leads, owners, deadline, passages...)."""

    dumper: Callable[[Any], Any] = field(default=lambda obj: None)
    loader: Callable[[Any, Any, LoadContext], None] = field(default=lambda v, o, c: None)
    cell_is_json: bool = True

    def dump(self, obj: Any) -> Any:
        return self.dumper(obj)

    def load(self, value: Any, obj: Any, ctx: LoadContext) -> None:
        try:
            self.loader(value, obj, ctx)
        except FieldError:
            raise
        except (TypeError, ValueError, AttributeError) as exc:
            raise FieldError(self.name, f"malformed value {value!r} ({exc})") from exc

    def from_cell(self, cell: str) -> Any:
        return json_cell(self.name, cell) if self.cell_is_json else cell


def json_cell(name: str, cell: str) -> Any:
    if cell == "":
        return None
    try:
        return json.loads(cell)
    except json.JSONDecodeError as exc:
        raise FieldError(name, f"cell is not valid JSON: {exc.msg}") from exc
