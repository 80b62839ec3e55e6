"""A per-client rate limit (token bucket) for requests that write something, such as feedback."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

# Clients remembered at once; the least recently seen is forgotten first (and starts afresh).
# 10,000 buckets take about 2 MB, and more addresses than that rating within one burst's refill
# time is far beyond what this app serves.
MAX_CLIENTS = 10_000


class RateLimiter:
    """At most `burst` requests at once per client, then one per `interval` seconds."""

    def __init__(
        self,
        burst: int,
        interval: float,
        *,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.interval = interval
        self._max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, when
        self._lock = threading.Lock()

    def wait_seconds(self, client: str) -> int:
        """Take a request of `client`: 0 when it may go ahead, else the whole seconds to wait."""
        now = self._clock()
        with self._lock:
            tokens, then = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) / self.interval)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)
        return 0 if allowed else max(1, math.ceil((1.0 - tokens) * self.interval))
