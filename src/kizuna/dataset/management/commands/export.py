import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.audit.log import append_entry
from kizuna.core.actors import actor_for, add_as_user_option
from kizuna.dataset.exporter import export_dataset, write_csv_folder, write_json


class Command(BaseCommand):
    help = "Export every record you may see, as one JSON object or a folder of CSV files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--out",
            type=Path,
            help="JSON: the file to write (default: standard output); CSV: a folder",
        )
        add_as_user_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path | None = options["out"]
        if options["format"] == "csv" and out is None:
            raise CommandError("--format csv needs --out FOLDER (one CSV file per list)")
        if options["format"] == "csv" and out is not None and out.exists() and not out.is_dir():
            raise CommandError(f"--out {out}: exists and is not a folder")
        actor = actor_for(options["as_user"])
        data = export_dataset(actor=actor)
        append_entry(
            actor=actor,
            action="dataset.export",
            object_kind="dataset",
            object_id=options["format"],
            marking=data["meta"]["marking"],
            after={
                name: len(records) for name, records in data.items() if isinstance(records, list)
            },
        )
        if options["format"] == "json":
            text = write_json(data, out)
            if out is None:
                sys.stdout.write(text + "\n")
            return
        assert out is not None
        files = write_csv_folder(data, out)
        self.stdout.write(f"Wrote {len(files)} CSV files to {out}")
