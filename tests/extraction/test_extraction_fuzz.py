"""Fuzzing the parsers: whatever the bytes, only ExtractionInputError may escape."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizuna.extraction import ExtractionInputError, extract, read_bytes

from .conftest import make_pdf

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read_or_refuse(data: bytes, suffix: str) -> None:
    try:
        document = read_bytes(data, suffix=suffix)
    except ExtractionInputError as exc:
        assert str(exc)
        return
    extraction = extract(document.text)
    for passage in extraction.passages:
        assert document.text[passage.start : passage.end] == passage.text


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([".txt", ".html", ".pdf", ".bin"]))
def test_random_bytes_only_raise_the_declared_error(data: bytes, suffix: str) -> None:
    _read_or_refuse(data, suffix)


@FUZZ
@given(st.text(max_size=1500))
def test_any_text_extracts_with_exact_offsets(text: str) -> None:
    _read_or_refuse(text.encode("utf-8"), ".txt")


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<script>",
                "</script>",
                "<style>",
                "<div>",
                "&amp;",
                "&#0;",
                "<!--",
                "-->",
                "<li>",
                "We will meet.",
                "日本",
                "<",
                ">",
                "\x00",
                "<html>",
            ]
        ),
        max_size=40,
    )
)
def test_hostile_html_only_raises_the_declared_error(tokens: list[str]) -> None:
    _read_or_refuse("".join(tokens).encode("utf-8"), ".html")


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_pdfs_only_raise_the_declared_error(data: st.DataObject) -> None:
    pdf = bytearray(make_pdf(["Both sides will meet by the end of 2025."]))
    for _ in range(data.draw(st.integers(min_value=1, max_value=8))):
        position = data.draw(st.integers(min_value=0, max_value=len(pdf) - 1))
        pdf[position] = data.draw(st.integers(min_value=0, max_value=255))
    cut = data.draw(st.integers(min_value=1, max_value=len(pdf)))
    _read_or_refuse(bytes(pdf[:cut]), ".pdf")
