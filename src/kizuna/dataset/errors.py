from __future__ import annotations


class DatasetError(Exception):
    """A data file cannot be loaded; says which file, list, row, record and field."""

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        list_name: str = "",
        record_id: str = "",
        field: str = "",
        row: int = 0,
    ) -> None:
        self.file, self.list_name, self.record_id, self.field = file, list_name, record_id, field
        # The row of a CSV file or a sheet (the header is row 1); 0 for YAML and JSON.
        self.row = row
        self.message = message
        super().__init__(self.describe())

    def describe(self) -> str:
        where = [f"{self.file}" if self.file else ""]
        if self.list_name:
            where.append(f"{self.list_name}")
        if self.row:
            where.append(f"row {self.row}")
        if self.record_id:
            where.append(f"record {self.record_id!r}")
        if self.field:
            where.append(f"field {self.field!r}")
        place = ", ".join(w for w in where if w)
        return f"{place}: {self.message}" if place else self.message


class DatasetErrors(DatasetError):
    """Records that cannot be loaded, every one of them (`errors`); it reads as the first."""

    def __init__(self, errors: list[DatasetError]) -> None:
        assert errors, "DatasetErrors needs at least one error"
        self.errors = errors
        first = errors[0]
        super().__init__(
            first.message,
            file=first.file,
            list_name=first.list_name,
            record_id=first.record_id,
            field=first.field,
            row=first.row,
        )

    def records(self) -> int:
        """How many records (or rows) have errors."""
        return records_with_errors(self.errors)

    def describe(self) -> str:
        if len(self.errors) == 1:
            return self.errors[0].describe()
        lines = [f"{self.records()} records with errors:"]
        lines += [f"  {error.describe()}" for error in self.errors]
        return "\n".join(lines)


def records_with_errors(errors: list[DatasetError]) -> int:
    """How many records (or rows) the errors are about: one record may have several."""
    return len({(e.file, e.list_name, e.row, e.record_id) for e in errors})


class FieldError(ValueError):
    """A value is wrong; the loader adds where it was found."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)
