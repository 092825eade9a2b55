"""The commitment extractor: official texts in, labelled passages out (pure Python).

Public API::

    read_document(path) -> ReadDocument
    extract(text, *, date=None, registry=None, title=None, language=None) -> Extraction
    extraction_to_json(extraction) -> dict
    evaluate(folder) -> dict

Only `ExtractionInputError` escapes reading. See docs/extraction.md.
"""

from kizuna.extraction.deadlines import Deadline, find_deadline
from kizuna.extraction.errors import ExtractionInputError
from kizuna.extraction.evaluation import evaluate, format_report
from kizuna.extraction.model import (
    DocumentInfo,
    Extraction,
    Passage,
    Specificity,
    extraction_to_json,
)
from kizuna.extraction.pipeline import extract
from kizuna.extraction.reading import (
    DEFAULT_MAX_BYTES,
    ReadDocument,
    dated_by_file_name,
    read_bytes,
    read_document,
)
from kizuna.extraction.segmentation import Unit, segment

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Deadline",
    "DocumentInfo",
    "Extraction",
    "ExtractionInputError",
    "Passage",
    "ReadDocument",
    "Specificity",
    "Unit",
    "dated_by_file_name",
    "evaluate",
    "extract",
    "extraction_to_json",
    "find_deadline",
    "format_report",
    "read_bytes",
    "read_document",
    "segment",
]
