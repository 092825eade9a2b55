"""Reading official texts from .txt, .html and .pdf files into plain text.

Whatever a parser does inside, only `ExtractionInputError` leaves this module: a
desk officer uploading a broken file must get a message, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from kizuna.extraction.errors import ExtractionInputError
from kizuna.extraction.pipeline import parse_date

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Default size limit; official statements are kilobytes, 20 MB leaves room for PDFs."""

_FILENAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:\D|$)")
# Control characters that never occur in real text; a few of them mean "binary".
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
# Zip's signature: Word documents, spreadsheets and zip archives, none of them a text.
_PACKED = b"PK\x03\x04"
# Titles a tool writes without the author: an address ("about:blank", "https://…"), a
# word processor's "Microsoft Word - x.docx", a placeholder, a file name; or nothing.
_JUNK_TITLE = re.compile(
    r"""^(?:
        |[a-z][a-z0-9+.-]*:\S*
        |microsoft\s+\w+\s+-\s.*
        |untitled\b.*
        |document\s*\d*
        |.+\.(?:docx?|pdf|rtf|odt|pages|txt|html?)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_TITLE_MAX = 200
_SENTENCE_ENDS = (".", "!", "?", "。", ";", ":", ",")
# A dateline alone ("June 26, 2024", "2024-06-26", "2024年6月26日") is no title.
_DATE_ONLY = re.compile(r"^[\W\d]*(?:[A-Za-z]+\.?\s+\d{1,2},?\s+\d{4}|[\d年月日/.\-\s]+)$")
# A heading wraps over two or three lines at most; more is the body.
_HEADING_LINES = 3
_WORD = re.compile(r"[^\W\d_][\w'’.\-]*")
# Words a title leaves in lower case ("Partnership on Trade and Investment").
_TITLE_SMALL_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "nor",
        "but",
        "of",
        "on",
        "in",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "into",
        "over",
        "under",
        "between",
        "among",
        "about",
        "against",
        "as",
        "per",
        "via",
        "vs",
        "versus",
        "than",
    }
)
# Where the body starts: "WASHINGTON – Today, …", or a place alone ("Tokyo, Japan").
_DATELINE_OPENING = re.compile(r"^[A-Z][A-Z.,' ]*\s[–—-]\s")
_PLACE = re.compile(r"^[A-Z][\w.]*(?: [A-Z][\w.]*)?, [A-Z][\w.]*$")


@dataclass(frozen=True)
class ReadDocument:
    """Plain text of a document and what could be learnt about it while reading.

    `text` is the body the offsets of an extraction index: for a shared-set .txt
    file, the part after its `Source:` header.
    """

    text: str
    title: str | None = None
    date: dt.date | None = None
    language: str | None = None
    source_url: str | None = None
    partial: bool = False


def read_document(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadDocument:
    """Read a .txt, .html or .pdf file into a `ReadDocument`.

    The format is chosen by suffix (anything unknown is read as text).
    Raises `ExtractionInputError` for any input that cannot be read.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExtractionInputError(f"{path}: cannot open the file ({exc.strerror}).") from None
    if size > max_bytes:
        raise ExtractionInputError(
            f"{path}: the file is {size:,} bytes, over the limit of {max_bytes:,} bytes."
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionInputError(f"{path}: cannot read the file ({exc.strerror}).") from None
    document = read_bytes(data, suffix=path.suffix.lower(), max_bytes=max_bytes, name=str(path))
    return dated_by_file_name(document, path.name)


def dated_by_file_name(document: ReadDocument, file_name: str) -> ReadDocument:
    """The document, dated by the day its file name starts with ("2024-06-26-…") when its
    text states none; a name that is no calendar date ("2023-02-30-…") dates nothing."""
    if document.date is not None:
        return document
    found = _FILENAME_DATE.match(Path(file_name).name)
    if found is None:
        return document
    return _with_date(document, _safe_date(*map(int, found.groups())))


def read_bytes(
    data: bytes, *, suffix: str = ".txt", max_bytes: int = DEFAULT_MAX_BYTES, name: str = "input"
) -> ReadDocument:
    """Read raw bytes as the format `suffix` names (".txt", ".html" or ".pdf")."""
    if len(data) > max_bytes:
        raise ExtractionInputError(
            f"{name}: the file is {len(data):,} bytes, over the limit of {max_bytes:,} bytes.",
            reason="too-large",
            size=len(data),
            limit=max_bytes,
        )
    if not data.strip():
        raise ExtractionInputError(f"{name}: the file is empty.", reason="empty")
    if data.startswith(_PACKED):
        raise ExtractionInputError(
            f"{name}: this is a packed file (a Word document, a spreadsheet or a zip), not"
            " a text; save it as PDF, HTML or plain text first.",
            reason="packed",
        )
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        return read_pdf(data, name=name)
    text = decode_text(data, name=name)
    if suffix in _HTML_SUFFIXES or _looks_like_html(text):
        return read_html(text, name=name)
    return read_plain_text(text, name=name)


def decode_text(data: bytes, *, name: str = "input") -> str:
    """Decode UTF-8 (with or without BOM); refuse binary data and other encodings."""
    if b"\x00" in data[:8192]:
        raise ExtractionInputError(f"{name}: this is a binary file, not a text.", reason="binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractionInputError(
            f"{name}: the file is not valid UTF-8 (bad byte at position {exc.start}).",
            reason="not-utf8",
            position=exc.start,
        ) from None
    sample = text[:8192]
    if sample and len(_BINARY_CONTROLS.findall(sample)) > max(2, len(sample) // 100):
        raise ExtractionInputError(f"{name}: this is a binary file, not a text.", reason="binary")
    return text


def read_plain_text(text: str, *, name: str = "input") -> ReadDocument:
    """Read a text, splitting off the shared sets' `Source:` header when present.

    Layout: `Source: <address>`, an optional `PARTIAL` line, a blank line, the body.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    source_url: str | None = None
    partial = False
    body = text
    if text.startswith("Source:"):
        first, _, rest = text.partition("\n")
        source_url = first[len("Source:") :].strip() or None
        if rest.startswith("PARTIAL\n") or rest == "PARTIAL":
            partial = True
            rest = rest[len("PARTIAL") :].removeprefix("\n")
        body = rest.removeprefix("\n")
    if not body.strip():
        raise ExtractionInputError(f"{name}: the file holds no text.", reason="no-text")
    return ReadDocument(text=body, source_url=source_url, partial=partial)


def read_html(markup: str, *, name: str = "input") -> ReadDocument:
    """Extract the visible text of an HTML page; scripts and styles are dropped."""
    try:
        from selectolax.lexbor import LexborHTMLParser

        tree = LexborHTMLParser(markup)
        # The page's <title>, else its first heading: an editor's "Untitled" is no title.
        titles = [tree.css_first("title"), tree.css_first("h1")]
        title = next(
            (
                _clean_line(node.text())
                for node in titles
                if node is not None and not _JUNK_TITLE.match(_clean_line(node.text()))
            ),
            None,
        )
        for node in tree.css("script, style, noscript, template, head"):
            node.decompose()
        root = tree.body or tree.root
        raw = root.text(separator="\n") if root is not None else ""
    except ExtractionInputError:
        raise
    except Exception as exc:  # selectolax raises assorted errors on hostile markup
        raise ExtractionInputError(
            f"{name}: the HTML could not be parsed ({exc}).", reason="html-unparsable"
        ) from None
    text = _tidy_blocks(raw)
    if not text:
        raise ExtractionInputError(
            f"{name}: the HTML page has no visible text.", reason="html-no-text"
        )
    return ReadDocument(text=text, title=title or None)


def read_pdf(data: bytes, *, name: str = "input") -> ReadDocument:
    """Extract the text layer of a PDF; encrypted, corrupt and image-only files are refused."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ExtractionInputError(
                f"{name}: the PDF is encrypted; supply a decrypted copy.", reason="pdf-encrypted"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
        title = _pdf_title(reader)
    except ExtractionInputError:
        raise
    except (PyPdfError, Exception) as exc:  # pypdf raises many kinds of error on bad files
        raise ExtractionInputError(
            f"{name}: the PDF is damaged or unreadable ({exc}).", reason="pdf-damaged"
        ) from None
    text = _tidy_blocks("\n\n".join(pages))
    if not text:
        raise ExtractionInputError(
            f"{name}: the PDF has no text layer (a scanned image?); it needs OCR first.",
            reason="pdf-no-text",
        )
    return ReadDocument(text=text, title=title or _opening_heading(text))


def _pdf_title(reader: object) -> str | None:
    """The document title from PDF metadata, when it says something: tools fill it in on
    their own ("about:blank" from a browser's print, "Microsoft Word - x.docx")."""
    metadata = getattr(reader, "metadata", None)
    title = getattr(metadata, "title", None) if metadata is not None else None
    cleaned = _clean_line(str(title)) if title else ""
    return None if _JUNK_TITLE.match(cleaned) else cleaned


def _opening_heading(text: str) -> str | None:
    """The text's opening heading when it reads as a title: short, not a sentence, not a
    date, and not the first half of a sentence running on to the next line.

    A heading wrapped over two or three lines is joined ("…Commercial and Industrial" /
    "Partnership (JUCIP)") up to a blank line, a dateline or the body's first sentence.
    """
    lines = text.split("\n", _HEADING_LINES + 1)
    first = lines[0]
    heading = [first]
    for index in range(1, min(_HEADING_LINES, len(lines))):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        joined = " ".join([*heading, line])
        if len(joined) > _TITLE_MAX or not _continues_heading(line, following):
            break
        heading.append(line)
    # A line ending in "the" or "of" runs on into the next: the sentence it starts is the
    # body's, whatever its case.
    while len(heading) > 1 and _ends_in_small_word(heading[-1]):
        heading.pop()
    after = lines[len(heading)] if len(heading) < len(lines) else ""
    if (
        len(first) > _TITLE_MAX
        or first.endswith(_SENTENCE_ENDS)
        or _ends_in_small_word(first)
        or after[:1].islower()
        or _JUNK_TITLE.match(first)
        or _DATE_ONLY.match(first)
    ):
        return None
    return " ".join(heading)


def _ends_in_small_word(line: str) -> bool:
    return line.rsplit(None, 1)[-1].lower() in _TITLE_SMALL_WORDS


def _continues_heading(line: str, following: str) -> bool:
    """A heading's wrapped line: in title case, no sentence end, no dateline, and not the
    start of a sentence that runs on to the line after it."""
    return (
        bool(line)
        and not line.endswith(_SENTENCE_ENDS)
        and _in_title_case(line)
        and not _is_dateline(line)
        and not following[:1].islower()
    )


def _in_title_case(line: str) -> bool:
    """Every word but the small ones capitalised, as a heading's are and a sentence's are not
    (a Japanese heading has no case, and is left unjoined)."""
    words = [word for word in _WORD.findall(line) if word.lower() not in _TITLE_SMALL_WORDS]
    return bool(words) and all(word[0].isupper() for word in words)


def _is_dateline(line: str) -> bool:
    return bool(parse_date(line) or _DATELINE_OPENING.match(line) or _PLACE.match(line))


def _tidy_blocks(raw: str) -> str:
    """Collapse runs of spaces and blank lines the parsers leave between blocks."""
    lines = [_clean_line(line) for line in raw.replace("\r", "\n").split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _clean_line(line: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", line).strip()


def _looks_like_html(text: str) -> bool:
    head = text[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _with_date(document: ReadDocument, date: dt.date | None) -> ReadDocument:
    from dataclasses import replace

    return replace(document, date=date)
