"""Kizuna: the coordination desk for allied economic dialogues."""

__version__ = "0.1.0"
