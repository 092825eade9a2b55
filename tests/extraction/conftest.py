"""Fixtures for the extractor's tests: the shared labelled sets and tiny PDFs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def shared_data() -> Path:
    """The shared data folder: $KIZUNA_SHARED_DATA or <repo>/../shared/data."""
    return Path(os.environ.get("KIZUNA_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture
def labelled_set(request: pytest.FixtureRequest) -> Path:
    folder = shared_data() / request.param
    if not (folder / "labels.json").is_file():
        pytest.skip(f"shared labelled set not found at {folder}")
    return folder


def make_pdf(lines: list[str] | None) -> bytes:
    """A minimal one-page PDF; `lines` of text in Helvetica, or no text layer at all (None)."""
    if lines is None:
        stream = b"q 10 0 0 10 100 700 cm 0.5 g 0 0 1 1 re f Q"
    else:
        parts = [b"BT /F1 12 Tf 72 720 Td 14 TL"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            parts.append(b"(" + escaped.encode("latin-1") + b") Tj T*")
        parts.append(b"ET")
        stream = b"\n".join(parts)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)
