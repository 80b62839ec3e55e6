"""How uvicorn serves the app: bounded time per request read, bounded concurrency, no banner.

uvicorn alone keeps a connection open for as long as its client sends the request headers a
byte at a time; `ReadDeadlineH11Protocol` closes it when a request has not fully arrived within
READ_TIMEOUT. In production a reverse proxy belongs in front of it anyway (README, "Behind a
reverse proxy"), with its own header and body timeouts.
"""

from __future__ import annotations

import asyncio
import errno
import socket
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from index import oserrors

# Seconds an idle keep-alive connection stays open (uvicorn's default, set on purpose): enough
# for a browser to fetch the page's CSS and JavaScript over it, short enough that idle
# connections do not crowd LIMIT_CONCURRENCY.
TIMEOUT_KEEP_ALIVE = 5
# Connections and requests at once before uvicorn answers 503 at once: about two seconds of
# work at the measured 50-55 answers/s (README, "Load"); a longer queue helps nobody.
LIMIT_CONCURRENCY = 100
# Seconds for a whole request (headers and body, at most 64 kB) to arrive. A browser sends it
# in milliseconds; ten seconds leave room for a very slow mobile connection.
READ_TIMEOUT = 10.0
# uvicorn's own text for a request that is not HTTP ("Invalid HTTP request received."); ASCII.
INVALID_HTTP = "Ongeldige HTTP-aanvraag."


class ReadDeadlineH11Protocol(H11Protocol):
    """uvicorn's h11 protocol: closes a connection whose request does not arrive in time, and
    refuses a malformed request in Dutch."""

    read_timeout = READ_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request as soon as the client connects."""
        self._read_deadline: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._start_read_deadline()

    def data_received(self, data: bytes) -> None:
        """Feed uvicorn; keep the clock running until the request has arrived in full."""
        super().data_received(data)
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY):
            self._start_read_deadline()  # part of a request: no-op when the clock runs already
        else:
            self._stop_read_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock with the connection."""
        self._stop_read_deadline()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        """Answer a malformed request with 400 and a Dutch text."""
        super().send_400_response(INVALID_HTTP)

    def _start_read_deadline(self) -> None:
        if self._read_deadline is None:
            self._read_deadline = self.loop.call_later(self.read_timeout, self._too_slow)

    def _stop_read_deadline(self) -> None:
        if self._read_deadline is not None:
            self._read_deadline.cancel()
            self._read_deadline = None

    def _too_slow(self) -> None:
        self._read_deadline = None
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY) and not self.transport.is_closing():
            self.transport.close()


def uvicorn_options() -> dict[str, Any]:
    """Return the uvicorn settings for `serve` (and the browser tests' server)."""
    return {
        "http": f"{ReadDeadlineH11Protocol.__module__}:{ReadDeadlineH11Protocol.__qualname__}",
        "timeout_keep_alive": TIMEOUT_KEEP_ALIVE,
        "limit_concurrency": LIMIT_CONCURRENCY,
        "server_header": False,  # "server: uvicorn" tells an attacker what to try
        "ws": "none",  # the app has no WebSocket routes
    }


def address_problem(host: str, port: int) -> str | None:
    """Return in Dutch why the app could not listen on `host`:`port`, or None when it can.

    Binds (and closes) a socket on every address `host` resolves to, with SO_REUSEADDR as
    uvicorn sets it, so that it refuses what uvicorn would refuse: a port in use, an address
    that is not this machine's, a name that does not resolve. Checked before `serve` says it
    is running; uvicorn itself would report it only in English, after that message.
    """
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):
        return f"Het adres {host} (--host) is onbekend."
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                return _bind_failure(host, port, exc)
    return None


def _bind_failure(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"Poort {port} op {host} is al in gebruik, misschien door een MKB-assistent die al "
            "draait. Stop dat programma, of kies een andere poort met --port."
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"Het adres {host} (--host) hoort niet bij deze machine."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"Er is geen toestemming om poort {port} te openen; kies een andere met --port."
    return f"Poort {port} op {host} kan niet worden geopend: {oserrors.describe(exc)}."
