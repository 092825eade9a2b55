"""Whatever bytes arrive, reading an upload raises only IngestionInputError."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizuna.access.actor import Actor
from kizuna.documents.services import IngestionInputError, document_ingest, read_upload

from .helpers import text_pdf

SUFFIXES = st.sampled_from(["x.txt", "x.html", "x.pdf", "x", "x.htm"])
PREFIXES = st.sampled_from([b"", b"%PDF-1.4\n", b"<html><body>", b"\xef\xbb\xbf", b"Source: x\n"])


@settings(max_examples=300, deadline=None)
@given(prefix=PREFIXES, data=st.binary(max_size=2048), name=SUFFIXES)
def test_reading_raises_only_the_declared_error(prefix: bytes, data: bytes, name: str) -> None:
    try:
        reading = read_upload(prefix + data, file_name=name)
    except IngestionInputError as exc:
        assert str(exc)
    else:
        assert reading.text.strip()


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=1, max_value=400))
def test_truncated_pdfs_raise_only_the_declared_error(cut: int) -> None:
    data = text_pdf(["The two sides will meet again in 2025."])
    with contextlib.suppress(IngestionInputError):
        read_upload(data[:cut], file_name="cut.pdf")


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(min_size=1, max_size=600).filter(lambda t: t.strip()))
def test_any_readable_text_is_stored_or_refused_cleanly(registry_loaded: None, text: str) -> None:
    try:
        reading = read_upload(text.encode("utf-8"), file_name="fuzz.txt")
    except IngestionInputError:
        return
    result = document_ingest(
        actor=Actor.operator(), reading=reading, file_name="fuzz.txt", dialogue_id="t-ted"
    )
    assert result.document is not None
    for candidate in result.document.candidates.all():
        assert reading.text[candidate.start : candidate.end] == candidate.text


JAPANESE = (
    "日米経済政策協議委員会（経済版「2+2」）\n\n令和4年7月29日\n\n"
    "1 日米両国は、半導体サプライチェーンの強靱化に向けて協力していくことで一致した。\n"
    "2 両国は地域情勢について意見交換を行った。\n"
)


@pytest.mark.django_db
def test_a_japanese_statement_is_stored_not_refused(registry_loaded: None) -> None:
    reading = read_upload(JAPANESE.encode("utf-8"), file_name="ja.txt")
    result = document_ingest(
        actor=Actor.operator(), reading=reading, file_name="ja.txt", dialogue_id="t-ted"
    )
    assert result.created and result.document is not None
    assert result.document.language == "ja"
