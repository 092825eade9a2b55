"""The U.S.–Japan demo dataset: data files under data/, official texts under texts/."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
