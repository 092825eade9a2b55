"""The one error type that reading and extraction let escape."""

from __future__ import annotations


class ExtractionInputError(ValueError):
    """The input cannot be read as an official text.

    Raised for empty, binary or oversized files, invalid UTF-8 and PDFs that are
    encrypted, corrupt or have no text layer. The message is written for the desk
    officer who supplied the file, so callers can show it as it stands.
    """
