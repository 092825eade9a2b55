"""A synthetic workspace at any size, deterministic for a seed (`kizuna synth`, the benchmarks).

See `generate.py`. The records obey the loader's invariants, so every page and analysis
works on them; they are written with bulk_create in batches, not one by one.
"""

from kizuna.synth.generate import (
    DEFAULT_PASSWORD,
    Sizes,
    WorkspaceNotEmpty,
    generate,
    workspace_is_empty,
)

__all__ = ["DEFAULT_PASSWORD", "Sizes", "WorkspaceNotEmpty", "generate", "workspace_is_empty"]
