"""The held-out study: rules written from one labelled set, scored on the other.

The shipped rules (`kizuna.extraction.labelling`, `topics`) were written while reading
both shared sets, so their figures are in-sample. This study gives the honest estimate
the extraction issue asks for: for each set, a rule book written by someone who read
*only that set* (and EXTRACTION.md), then scored once on the set its author never
opened. `from_dev.py` was written from `extraction-dev`, `from_us_japan.py` from
`us-japan-texts`; neither imports the shipped labelling or topic rules.
The nlp mode is held out the same way: its thresholds are chosen by leave-one-document-out
on the author's set only (`kizuna.extraction.nlp.tune_*`), then it runs over the author's
rules on the other set.

    python studies/heldout-rules/run.py --rules from_dev --score ../shared/data/extraction-dev
        # an author's own-set report, while writing the rules
    python studies/heldout-rules/run.py --all [--data ../shared/data] [--no-nlp]
        # the study: both directions, rules mode and (when torch is installed) the nlp
        # classifier tuned and trained on the author's set, over the author's rules; JSON
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from kizuna.extraction.evaluation import evaluate, format_report, load_labelled
from kizuna.extraction.pipeline import RuleBook, extract

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = Path(os.environ.get("KIZUNA_SHARED_DATA", HERE.parents[2] / "shared" / "data"))
# Which set each rule book was written from, and so which set scores it.
AUTHORED_ON = {"from_dev": "extraction-dev", "from_us_japan": "us-japan-texts"}
HELD_OUT = {"from_dev": "us-japan-texts", "from_us_japan": "extraction-dev"}


def load_rule_book(name: str) -> RuleBook:
    """The rule book in `<name>.py` beside this file."""
    module = _load_module(name)
    return RuleBook(
        label_unit=module.label_unit,
        is_forcing_lead_in=module.is_forcing_lead_in,
        find_topics_and_sectors=module.find_topics_and_sectors,
    )


def _load_module(name: str) -> ModuleType:
    path = HERE / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"heldout_{name}", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"no rule book at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_rules(rules: RuleBook, folder: Path) -> dict[str, Any]:
    """Rules-mode scores of `rules` on a labelled folder."""
    return evaluate(folder, extractor=lambda text, date: extract(text, date=date, rules=rules))


def score_nlp(rules: RuleBook, train: Path, folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The nlp classifier tuned and trained on `train` alone, run over `rules` (the book
    written from `train`) on `folder`: its scores, and the cross-validated choices made
    on `train` before `folder` was read."""
    from kizuna.extraction.nlp import nlp_extractor, train_classifier

    classifier = train_classifier(train)
    return evaluate(folder, extractor=nlp_extractor(classifier, rules)), classifier.tuning


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    commitment = report["commitment"]
    return {
        "gold_commitments": commitment["gold"],
        "precision": commitment["precision"],
        "recall": commitment["recall"],
        "f1": commitment["f1"],
        "tp": commitment["tp"],
        "fp": commitment["fp"],
        "fn": commitment["fn"],
        "per_label_f1": {
            label: row["f1"] for label, row in report["per_label"].items() if label != "accuracy"
        },
        "accuracy": report["per_label"]["accuracy"]["value"],
        "deadline_exact_match": report["deadline"]["exact_match"],
        "topic_micro_f1": report["topics"]["f1"],
        "topic_units": report["topics"]["units"],
    }


def study(data: Path, *, with_nlp: bool) -> dict[str, Any]:
    """Both directions; each rule book is scored only on the set its author never read."""
    results: dict[str, Any] = {}
    for name, authored_on in AUTHORED_ON.items():
        rules = load_rule_book(name)
        held_out = data / HELD_OUT[name]
        row: dict[str, Any] = {
            "written_from": authored_on,
            "scored_on": HELD_OUT[name],
            "rules": _summary(score_rules(rules, held_out)),
            "rules_on_own_set": _summary(score_rules(rules, data / authored_on)),
        }
        if with_nlp:
            report, tuning = score_nlp(rules, data / authored_on, held_out)
            row["nlp"] = _summary(report)
            row["nlp_tuning"] = tuning
        results[name] = row
    return results


def _nlp_available() -> bool:
    return all(importlib.util.find_spec(name) for name in ("torch", "numpy"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--rules", choices=sorted(AUTHORED_ON), help="one rule book")
    parser.add_argument("--score", type=Path, help="a labelled folder to score --rules on")
    parser.add_argument("--all", action="store_true", help="run the study; prints JSON")
    parser.add_argument("--no-nlp", action="store_true", help="skip the nlp classifier")
    args = parser.parse_args(argv)
    if args.all:
        with_nlp = not args.no_nlp and _nlp_available()
        print(json.dumps(study(args.data, with_nlp=with_nlp), indent=2))
        return 0
    if not (args.rules and args.score):
        parser.error("give --all, or --rules and --score")
    load_labelled(args.score)  # a clear error for a folder without labels.json
    print(format_report(score_rules(load_rule_book(args.rules), args.score)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
