"""The JSON contract other tools read (EXTRACTION.md, "Contract details")."""

from __future__ import annotations

import datetime as dt
import json

from kizuna.extraction import extract, extraction_to_json

TEXT = (
    "Joint Statement on Clean Energy\n\nMarch 3, 2025\n\n"
    "The Department of Commerce and METI will establish a $200 million Battery Supply "
    "Chain Initiative within six months. Both sides welcomed the progress on semiconductors."
)


def test_contract_shape_and_values() -> None:
    data = extraction_to_json(extract(TEXT))
    assert set(data) == {"document", "passages"}
    assert data["document"] == {
        "title": "Joint Statement on Clean Energy",
        "date": "2025-03-03",
        "language": "en",
    }
    keys = {
        "text",
        "start",
        "end",
        "label",
        "actors",
        "deadline",
        "topics",
        "sectors",
        "confidence",
        "specificity",
    }
    for passage in data["passages"]:
        assert set(passage) == keys
        assert TEXT[passage["start"] : passage["end"]] == passage["text"]
        assert 0.0 <= passage["confidence"] <= 1.0
        assert set(passage["specificity"]) == {"number", "initiative", "date", "owner"}
    commitment = next(p for p in data["passages"] if p["label"] == "commitment")
    assert commitment["actors"] == ["commerce", "meti"]
    assert commitment["deadline"] == {
        "text": "within six months",
        "earliest": "2025-03-03",
        "latest": "2025-09-03",
    }
    assert "clean-energy-technology" in commitment["topics"]
    assert "batteries" in commitment["sectors"]
    assert commitment["specificity"] == {
        "number": True,
        "initiative": True,
        "date": True,
        "owner": True,
    }
    json.dumps(data)  # serialisable as it stands


def test_explicit_date_and_registry_win() -> None:
    registry = {"Department of Commerce": "doc-us", "METI": "meti-jp"}
    extraction = extract(TEXT, date=dt.date(2025, 1, 1), registry=registry)
    assert extraction.document.date == dt.date(2025, 1, 1)
    assert extraction.commitments[0].actors == ("doc-us", "meti-jp")


def test_unresolved_names_are_kept_as_written() -> None:
    extraction = extract(
        "Australia and the U.S. National Security Council decided to establish a forum."
    )
    assert extraction.commitments[0].actors == ("AUS", "U.S. National Security Council")
