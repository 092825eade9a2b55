"""Small real files for the ingestion tests: statements as text, HTML and PDF."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdf
from django.db.models import QuerySet

from kizuna.documents.models import Document

REPO = Path(__file__).resolve().parents[2]

STATEMENT = """Joint Statement of the Test Economic Dialogue

June 26, 2024

The United States and Japan held the second round of the Test Economic Dialogue in Tokyo.
The two sides will establish a joint task force on semiconductor supply chain resilience by the end of 2024.
The Ministers welcomed progress on export controls.
Japan intends to launch a critical minerals investment fund within six months.
The two sides discussed regional economic developments.
"""


def statement(number: int) -> str:
    """A distinct statement per number (each has its own content hash)."""
    return (
        f"Joint Statement number {number} of the Test Economic Dialogue\n\n"
        f"The United States and Japan will convene working group {number} on battery supply "
        f"chains before the end of {2025 + number % 5}.\n"
        f"The two sides discussed item {number}.\n"
    )


def _pdf_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF whose text layer holds `lines` (written by hand: no
    PDF library is needed to make one, and the bytes are exactly what we test)."""
    body = " ".join(f"({_pdf_string(line)}) Tj T*" for line in lines)
    content = f"BT /F1 11 Tf 40 750 Td 14 TL {body} ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{obj}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def blank_pdf(*, password: str | None = None) -> bytes:
    """A page with no text layer (what a scan looks like to us); encrypted with a password."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(612, 792)
    if password:
        writer.encrypt(password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def shared_data() -> Path | None:
    """The shared data folder (KIZUNA_SHARED_DATA, else <repo>/../shared/data), if present."""
    configured = os.environ.get("KIZUNA_SHARED_DATA")
    folder = Path(configured) if configured else REPO.parent / "shared" / "data"
    return folder if folder.is_dir() else None


def ingested() -> QuerySet[Document]:
    """Documents stored by ingestion (ids `doc-…`), not the demo's, whatever else is loaded."""
    return Document.objects.filter(id__startswith="doc-")
