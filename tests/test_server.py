"""uvicorn as `serve` runs it (web/server.py), over real sockets: slow clients are cut off, the
server does not name itself, a malformed request is refused in Dutch.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from conftest import FakeEmbedder, serving
from fastapi import FastAPI

from assistant.settings import Settings
from web.app import create_app
from web.server import (
    INVALID_HTTP,
    LIMIT_CONCURRENCY,
    READ_TIMEOUT,
    TIMEOUT_KEEP_ALIVE,
    ReadDeadlineH11Protocol,
    uvicorn_options,
)

QUICK = 0.5  # seconds: the read deadline in these tests, instead of READ_TIMEOUT


class QuickDeadline(ReadDeadlineH11Protocol):
    read_timeout = QUICK


@pytest.fixture
def app(web_corpus: Path, web_index_dir: Path, tmp_path: Path) -> FastAPI:
    settings = Settings(
        documents_dir=web_corpus,
        index_dir=web_index_dir,
        feedback_db=tmp_path / "feedback.sqlite3",
        threads=1,
    )
    return create_app(settings, embedder=FakeEmbedder())


@pytest.fixture
def url(app: FastAPI) -> Iterator[str]:
    # Small numbers, so that the test is quick: a deadline of 0.5 s, 1 s keep-alive, 4 at once.
    with serving(app, http=QuickDeadline, timeout_keep_alive=1, limit_concurrency=4) as base:
        yield base


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
    return sock


def _read_until_closed(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(4096):
        chunks.append(chunk)
    return b"".join(chunks)


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """Tell whether the server closes `sock` within `seconds` (reading whatever it sends)."""
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        pass
    return True


def test_serve_sets_the_documented_values() -> None:
    options = uvicorn_options()
    assert options["timeout_keep_alive"] == TIMEOUT_KEEP_ALIVE == 5
    assert options["limit_concurrency"] == LIMIT_CONCURRENCY == 100
    assert options["server_header"] is False
    assert options["http"] == "web.server:ReadDeadlineH11Protocol" and READ_TIMEOUT == 10.0


def test_the_server_does_not_name_itself(url: str) -> None:
    response = httpx.get(f"{url}/healthz")
    assert response.status_code == 200
    assert "server" not in response.headers


def test_headers_sent_a_byte_at_a_time_are_cut_off(url: str) -> None:
    started = time.monotonic()
    with _connect(url) as sock:
        try:
            for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n":
                sock.sendall(bytes([byte]))
                time.sleep(QUICK / 10)
        except (BrokenPipeError, ConnectionResetError):
            pass  # cut off while sending
        assert _closed_within(sock, QUICK * 4)
    assert time.monotonic() - started < QUICK * 6


def test_a_body_that_never_ends_is_cut_off(url: str) -> None:
    with _connect(url) as sock:
        sock.sendall(
            b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 1000\r\n\r\n{"question": '
        )
        assert _closed_within(sock, QUICK * 4)


def test_a_connection_that_sends_nothing_is_closed(url: str) -> None:
    with _connect(url) as sock:
        assert _closed_within(sock, QUICK * 4)


def test_a_slow_request_that_arrives_in_time_is_answered(url: str) -> None:
    with _connect(url) as sock:
        for part in (b"GET /healthz HTTP/1.1\r\n", b"Host: x\r\n", b"Connection: close\r\n\r\n"):
            sock.sendall(part)
            time.sleep(QUICK / 5)
        reply = sock.recv(4096)
    assert reply.startswith(b"HTTP/1.1 200")


def test_an_idle_keep_alive_connection_is_closed(url: str) -> None:
    with _connect(url) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        assert _closed_within(sock, 3)
    assert time.monotonic() - started >= 0.5  # kept open for a next request first


def test_slow_clients_hold_the_server_only_until_their_deadline(url: str) -> None:
    holders = [_connect(url) for _ in range(4)]  # as many as limit_concurrency
    try:
        for sock in holders:
            sock.sendall(b"GET / HTTP/1.1\r\nHo")
        time.sleep(0.1)
        assert httpx.get(f"{url}/healthz").status_code == 503  # all slots taken
        time.sleep(QUICK * 2)
        assert httpx.get(f"{url}/healthz").status_code == 200  # the slow ones were cut off
    finally:
        for sock in holders:
            sock.close()


def test_a_malformed_request_is_refused_in_dutch(url: str) -> None:
    with _connect(url) as sock:
        sock.sendall(b"DIT IS GEEN HTTP\r\n\r\n")
        reply = _read_until_closed(sock)
    assert reply.startswith(b"HTTP/1.1 400")
    assert reply.endswith(b"\r\n\r\n" + INVALID_HTTP.encode())
