"""Fixed-window request counters per token (or signed-in user) and per client address.

Counters live in Django's cache. With the default per-process cache each worker counts on
its own, so N workers allow up to N times the limit; a shared cache (CACHES in settings:
Redis, Memcached or the database cache) makes the limit exact. That trade keeps the read
path free of database writes.

Settings (requests per minute; 0 turns a limit off): KIZUNA_API_RATE_PER_TOKEN and
KIZUNA_API_RATE_PER_IP, read from the environment in settings.py.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from kizuna.api.errors import RateLimited

WINDOW_SECONDS = 60


def check(kind: str, ident: str) -> None:
    """Count one request for `ident`; RateLimited (with Retry-After) once over the limit."""
    limit = (
        settings.KIZUNA_API_RATE_PER_TOKEN if kind == "token" else settings.KIZUNA_API_RATE_PER_IP
    )
    if limit <= 0:
        return
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"kizuna:api-rate:{kind}:{ident}:{window}"
    # add() only sets a missing key, so concurrent first requests do not reset each other.
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    if count > limit:
        retry_after = max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)
        what = "this token" if kind == "token" else "your address"
        raise RateLimited(
            f"too many requests from {what}: {limit} a minute; try again in {retry_after} s",
            retry_after=retry_after,
        )
