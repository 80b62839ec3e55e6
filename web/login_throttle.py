"""Slow down password guessing: per client, a few wrong passwords, then one try per minute."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from web.rate_limit import MAX_CLIENTS

# Five wrong tries cover typing mistakes; after that one guess a minute allows an attacker at
# one address 1,440 guesses a day, against a password of at least 15 characters.
FAILED_LOGIN_BURST = 5
FAILED_LOGIN_INTERVAL_SECONDS = 60.0


class LoginThrottle:
    """A token bucket per client that only wrong passwords drain; a right one refills it."""

    def __init__(
        self,
        burst: int = FAILED_LOGIN_BURST,
        interval: float = FAILED_LOGIN_INTERVAL_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.interval = interval
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, when
        self._lock = threading.Lock()

    def _tokens(self, client: str, now: float) -> float:
        tokens, then = self._buckets.pop(client, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - then) / self.interval)

    def wait_seconds(self, client: str) -> int:
        """Return 0 when `client` may try a password now, else the whole seconds to wait."""
        now = self._clock()
        with self._lock:
            tokens = self._tokens(client, now)
            self._buckets[client] = (tokens, now)
        return 0 if tokens >= 1.0 else max(1, math.ceil((1.0 - tokens) * self.interval))

    def failed(self, client: str) -> None:
        """Count a wrong password of `client`."""
        now = self._clock()
        with self._lock:
            self._buckets[client] = (max(0.0, self._tokens(client, now) - 1.0), now)
            while len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)

    def succeeded(self, client: str) -> None:
        """Forget the wrong passwords of `client`."""
        with self._lock:
            self._buckets.pop(client, None)
