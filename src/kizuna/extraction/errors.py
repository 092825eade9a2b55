"""The one error type that reading and extraction let escape."""

from __future__ import annotations


class ExtractionInputError(ValueError):
    """The input cannot be read as an official text.

    Raised for empty, binary or oversized files, invalid UTF-8 and PDFs that are
    encrypted, corrupt or have no text layer. The message is written for the desk
    officer who supplied the file, so callers can show it as it stands. `reason` names
    the fault in a word (`too-large`, `empty`, `binary`, `packed`, `not-utf8`, `no-text`,
    `html-unparsable`, `html-no-text`, `pdf-encrypted`, `pdf-damaged`, `pdf-no-text`;
    empty for others) and `details` its figures, so that a caller can word the message in
    the reader's language: this package knows no languages but English.
    """

    def __init__(self, message: str, *, reason: str = "", **details: int) -> None:
        super().__init__(message)
        self.reason = reason
        self.details = details
