"""Flat views of the analyses' plain data: titled sections of rows, for text tables and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

# The list(s) of each analysis that make its table, in order, with their titles.
SECTIONS: dict[str, list[tuple[str, str]]] = {
    "coverage": [
        ("cells", "Coverage by leaf topic"),
        ("families", "Family totals (unions)"),
        ("totals", "All parties together"),
    ],
    "overlaps": [("overlaps", "Overlaps")],
    "gaps": [("gaps", "Gaps")],
    "slippage": [
        ("overdue", "Overdue"),
        ("stale", "Stale assessments"),
        ("divergent", "Divergent"),
        ("overdue_by_party", "Overdue by party"),
    ],
    "compliance": [
        ("by_dialogue", "By dialogue"),
        ("by_party", "By party"),
        ("by_year", "By year"),
    ],
    "changes": [("changes", "Changes")],
    "concerns": [("concerns", "Open concerns"), ("by_party", "By party")],
    "frameworks": [("frameworks", "Priority frameworks")],
}

# Sections held as a mapping of counts (key -> n): the names of their two columns.
_COUNT_COLUMNS = {"overdue_by_party": ("party", "overdue")}

# Columns left out of the text table (too wide to read there; CSV and JSON keep them).
_TABLE_HIDDEN = {"leads_by_dialogue", "title"}


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        if any(isinstance(v, Mapping) for v in value.values()):
            # Nested (overlaps' leads by dialogue, then party): as JSON, which reads back,
            # where "; " and ": " at two levels would not.
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        return "; ".join(f"{k}: {cell_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(cell_text(v) for v in value)
    return str(value)


def sections(name: str, data: Mapping[str, Any]) -> list[tuple[str, str, list[Mapping[str, Any]]]]:
    return [(key, title, _rows(key, data.get(key, []))) for key, title in SECTIONS[name]]


def _rows(key: str, value: Any) -> list[Mapping[str, Any]]:
    if key in _COUNT_COLUMNS:
        name, count = _COUNT_COLUMNS[key]
        return [{name: k, count: n} for k, n in dict(value).items()]
    return list(value)


def _columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    return columns


def text_table(rows: Sequence[Mapping[str, Any]]) -> str:
    columns = [c for c in _columns(rows) if c not in _TABLE_HIDDEN]
    if not rows:
        return "  (none)"
    body = [[cell_text(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(line[i]) for line in body)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip() for line in body
    ]
    return "\n".join(lines)


def render_text(name: str, data: Mapping[str, Any]) -> str:
    head = [f"{name} as of {data.get('as_of')}" if "as_of" in data else name]
    if "since" in data:
        head[0] = f"{name} from {data['since']} (exclusive) to {data['as_of']}"
    if "framework" in data:
        head.append(f"framework: {data['framework']} (parties: {cell_text(data.get('parties'))})")
    parts = ["\n".join(head)]
    for _, title, rows in sections(name, data):
        parts.append(f"{title} ({len(rows)})\n{text_table(rows)}")
    return "\n\n".join(parts) + "\n"


def render_csv(name: str, data: Mapping[str, Any]) -> str:
    """One CSV; when the analysis has several lists, a first `section` column names each row's."""
    parts = sections(name, data)
    several = len(parts) > 1
    all_rows = [
        ({"section": key} if several else {}) | dict(row) for key, _, rows in parts for row in rows
    ]
    columns = _columns(all_rows) or ["section"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in all_rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return out.getvalue()


def _csv_cell(value: Any) -> str:
    text = cell_text(value) if not isinstance(value, bool) else ("true" if value else "false")
    # A leading =, +, - or @ would be read as a formula by a spreadsheet.
    if text[:1] in {"=", "+", "@"} or (text[:1] == "-" and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
