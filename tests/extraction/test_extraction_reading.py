"""Reading .txt, .html and .pdf files, and refusing what cannot be read."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from kizuna.extraction import ExtractionInputError, read_bytes, read_document

from .conftest import make_pdf


def test_shared_set_header_is_split_off_and_offsets_index_the_body(tmp_path: Path) -> None:
    path = tmp_path / "2024-06-26-readout.txt"
    path.write_text("Source: https://example.gov/x\nPARTIAL\n\nJoint Readout\n\nThey met.\n")
    document = read_document(path)
    assert document.text == "Joint Readout\n\nThey met.\n"
    assert document.source_url == "https://example.gov/x"
    assert document.partial is True
    assert str(document.date) == "2024-06-26"  # from the file name


def test_plain_text_without_header_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "statement.txt"
    path.write_text("We will meet.\n", encoding="utf-8")
    document = read_document(path)
    assert document.text == "We will meet.\n"
    assert document.date is None


def test_html_drops_scripts_and_styles_and_keeps_title() -> None:
    markup = (
        b"<html><head><title>Joint Statement</title><style>p{color:red}</style></head>"
        b"<body><script>alert('x')</script><h1>Joint Statement</h1>"
        b"<p>Both sides will convene a working group.</p></body></html>"
    )
    document = read_bytes(markup, suffix=".html")
    assert document.title == "Joint Statement"
    assert "alert" not in document.text and "color" not in document.text
    assert "Both sides will convene a working group." in document.text


def test_pdf_text_layer_is_extracted() -> None:
    document = read_bytes(make_pdf(["Joint Statement", "Both sides will meet in May 2025."]))
    assert "Both sides will meet in May 2025." in document.text


JUCIP = "Joint Statement of the U.S.-Japan Commercial and Industrial Partnership (JUCIP)"


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        # The walk's statement: the heading wraps, then a dateline, then the body.
        (
            [
                "Joint Statement of the U.S.-Japan Commercial and Industrial",
                "Partnership (JUCIP)",
                "Washington, D.C., November 20, 2026",
                "The two sides will hold a workshop in 2027.",
            ],
            JUCIP,
        ),
        (
            [
                "Joint Statement of the U.S.-Japan",
                "Commercial and Industrial",
                "Partnership (JUCIP)",
                "The two sides will hold a workshop in 2027.",
            ],
            JUCIP,
        ),
        # A fourth title-case line is the body's, not the heading's.
        (
            ["Joint Statement", "On Trade", "And Investment", "Tokyo Round Two", "They met."],
            "Joint Statement On Trade And Investment",
        ),
        (["Joint Statement on Trade", "2024-06-26", "They met."], "Joint Statement on Trade"),
        (["Joint Statement on Trade", "Tokyo, Japan", "They met."], "Joint Statement on Trade"),
        (
            ["Joint Statement on Trade", "WASHINGTON - Today, U.S. Officials Met", "Japan."],
            "Joint Statement on Trade",
        ),
        # The body's first sentence, wrapped, stays out of the title.
        (
            [
                "Joint Statement on Trade",
                "The United States and Japan will launch a working group by the",
                "end of 2027.",
            ],
            "Joint Statement on Trade",
        ),
        (
            ["Joint Statement on Trade", "The Ministers Welcomed the", "Tokyo Round."],
            "Joint Statement on Trade",
        ),
        # A sentence wrapped before a capitalised name is no heading at all.
        (["The Ministers welcomed the launch of the", "Japan-U.S. Economic Dialogue."], None),
    ],
)
def test_a_pdfs_heading_wrapped_over_lines_is_its_title(lines: list[str], title: str) -> None:
    assert read_bytes(make_pdf(lines), suffix=".pdf").title == title


def test_a_wrapped_heading_is_capped_at_a_title_length() -> None:
    words = "Cooperation on Semiconductors Batteries Minerals and Clean Energy"
    lines = ["Joint Statement on " + words, words + " Supply", words + " Chains", "They met."]
    title = read_bytes(make_pdf(lines), suffix=".pdf").title
    assert title == " ".join(lines[:2])


@pytest.mark.parametrize(
    ("data", "suffix", "message"),
    [
        (b"", ".txt", "empty"),
        (b"   \n\n", ".txt", "empty"),
        (b"\x00\x01\x02binary\x00", ".txt", "binary"),
        (b"caf\xe9 au lait", ".txt", "UTF-8"),
        (b"%PDF-1.4\n garbage", ".pdf", "PDF"),
        (make_pdf(None), ".pdf", "no text layer"),
        (b"<html><body><script>x()</script></body></html>", ".html", "no visible text"),
    ],
)
def test_bad_input_raises_the_declared_error(data: bytes, suffix: str, message: str) -> None:
    with pytest.raises(ExtractionInputError, match=message):
        read_bytes(data, suffix=suffix)


def test_encrypted_pdf_is_refused() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(["secret"]))))
    writer.encrypt("password")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ExtractionInputError, match="encrypted"):
        read_bytes(buffer.getvalue(), suffix=".pdf")


def test_size_limit_is_a_parameter(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("We will meet. " * 100)
    with pytest.raises(ExtractionInputError, match="over the limit"):
        read_document(path, max_bytes=100)
    assert read_document(path).text.startswith("We will meet.")


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExtractionInputError, match="cannot open"):
        read_document(tmp_path / "absent.txt")
