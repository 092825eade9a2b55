"""`kizuna eval-extraction DIR [--json] [--mode rules|nlp] [--train DIR]`."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kizuna.extraction import ExtractionInputError, evaluate, format_report


class Command(BaseCommand):
    help = (
        "Score the extractor on a folder with labels.json and texts: commitment precision, "
        "recall and F1, per-label F1, deadline exact match and topic micro-F1."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("folder", help="folder with labels.json and the labelled texts")
        parser.add_argument("--json", action="store_true", help="print the scores as JSON")
        parser.add_argument("--mode", choices=["rules", "nlp"], default="rules")
        parser.add_argument(
            "--train",
            help="(nlp) train the classifier on this labelled folder instead of using the "
            "shipped coefficients",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["mode"] == "nlp":
                report = self._evaluate_nlp(options["folder"], options.get("train"))
            else:
                if options.get("train"):
                    raise CommandError("--train applies to --mode nlp only.")
                report = evaluate(options["folder"])
        except ExtractionInputError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            if report.get("mode") == "nlp":
                # Say what the classifier learnt from: a transfer figure reads differently.
                self.stdout.write(f"mode: nlp, classifier trained on {report['trained_on']}")
            self.stdout.write(format_report(report))

    def _evaluate_nlp(self, folder: str, train: str | None) -> dict[str, Any]:
        try:
            from kizuna.extraction.nlp import load_classifier, nlp_extractor, train_classifier
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise CommandError(f"--mode nlp needs the [nlp] extra: {exc}") from None
        try:
            classifier = train_classifier(train) if train else load_classifier()
        except ImportError as exc:
            raise CommandError(f"--mode nlp needs the [nlp] extra: {exc}") from None
        report = evaluate(folder, extractor=nlp_extractor(classifier))
        report["mode"] = "nlp"
        report["trained_on"] = train or "shipped coefficients"
        return report
