"""Working with the many plain objects an analysis builds at scale."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Hold Python's cycle collector while an analysis builds its rows (also a decorator).

    At 200,000 commitments an analysis allocates hundreds of thousands of tuples, sets
    and dicts that stay alive until it returns and form no cycles; each full pass of the
    collector rescanned all of them, for nothing, and took 10 to 30% of the analysis's
    time (benchmarks/bench_analysis.py). Reference counting frees everything as usual,
    and a collector that the caller had disabled stays disabled.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
