import datetime as dt

import pytest

from kizuna.core.dates import PartialDate, PartialDateError, Precision


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31), Precision.YEAR),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), Precision.MONTH),
        ("2024-01-15", dt.date(2024, 1, 15), dt.date(2024, 1, 15), Precision.DAY),
        ("2022-09-08/2022-09-09", dt.date(2022, 9, 8), dt.date(2022, 9, 9), Precision.RANGE),
    ],
)
def test_partial_dates_parse_and_print_back(
    text: str, first: dt.date, last: dt.date, precision: Precision
) -> None:
    parsed = PartialDate.parse(text)
    assert (parsed.first, parsed.last, parsed.precision) == (first, last, precision)
    assert str(parsed) == text


@pytest.mark.parametrize(
    "text", ["2022-13", "2022-02-30", "22", "2022-09-09/2022-09-08", "2022/2023", "soon"]
)
def test_bad_partial_dates_are_refused(text: str) -> None:
    with pytest.raises(PartialDateError):
        PartialDate.parse(text)
