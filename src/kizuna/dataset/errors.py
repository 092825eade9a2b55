from __future__ import annotations


class DatasetError(Exception):
    """A data file cannot be loaded; says which file, list, record and field."""

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        list_name: str = "",
        record_id: str = "",
        field: str = "",
    ) -> None:
        self.file, self.list_name, self.record_id, self.field = file, list_name, record_id, field
        self.message = message
        super().__init__(self.describe())

    def describe(self) -> str:
        where = [f"{self.file}" if self.file else ""]
        if self.list_name:
            where.append(f"{self.list_name}")
        if self.record_id:
            where.append(f"record {self.record_id!r}")
        if self.field:
            where.append(f"field {self.field!r}")
        place = ", ".join(w for w in where if w)
        return f"{place}: {self.message}" if place else self.message


class FieldError(ValueError):
    """A value is wrong; the loader adds where it was found."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)
