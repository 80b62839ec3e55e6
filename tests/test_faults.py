"""Faults: a killed build, a damaged index version, a locked feedback database, a full disk.

Each time the served index stays usable, the user gets a Dutch message, and the next build
recovers. Builds that must be killed or starved run as `mkb-assistent index` in a child process
(with the FakeEmbedder and a hook that pauses at the chosen moment patched in). The long, repeated
versions of these checks are in `bench/faults.py`.
"""

from __future__ import annotations

import json
import logging
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import faiss
import numpy as np
import pytest
from conftest import FakeEmbedder
from fastapi.testclient import TestClient

import web.cli
import web.cli_index
from assistant.settings import Settings
from index import store
from index.build import build_index
from web.app import create_app

TESTS = Path(__file__).parent
QUESTION = "Hoeveel dagen mag een grote onderneming over betaling doen?"
CHANGED = "kamerbrief-betaaltermijnen-2020.md"

# --- helpers ---------------------------------------------------------------------------------


def served_version(client: TestClient) -> str:
    """Ask a question and return the index version that answered it (after a health check)."""
    health = client.get("/healthz")
    assert health.status_code == 200
    answer = client.post("/api/ask", json={"question": QUESTION})
    assert answer.status_code == 200
    assert answer.json()["citations"]
    version: str = answer.json()["index_version"]
    return version


def wait_until_served(client: TestClient, version: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while served_version(client) != version:
        client.app.state.live.wait()  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, f"version {version} not served after {timeout} s"
        time.sleep(0.02)


def assert_clean(index_dir: Path) -> None:
    """No leftovers of a crashed build: temporary versions, stray links, cache temp files."""
    versions = store.versions_dir(index_dir)
    assert not [p.name for p in versions.iterdir() if p.name.startswith(store.TMP_PREFIX)]
    assert not [p.name for p in versions.iterdir() if not (p / store.MANIFEST).is_file()]
    assert not list(index_dir.glob(".current-*"))
    assert not list((index_dir / "cache").rglob("*.tmp"))


def change_a_document(documents: Path, n: int = 1) -> None:
    with (documents / CHANGED).open("a", encoding="utf-8") as out:
        out.write(f"\n\nAanvulling {n}: de betaaltermijn wordt elk kwartaal gecontroleerd.\n")


# --- SIGKILL at several moments of `mkb-assistent index` -----------------------------------

_KILL_CHILD = """
import os, sys, time
sys.path.insert(0, {tests!r})
from conftest import FakeEmbedder
import web.cli, web.cli_index
from index import build, cache, store

MARKER = {marker!r}
calls = {{}}

def pause(moment):
    open(MARKER, "w").write(moment)
    time.sleep(60)
    raise SystemExit("niet gestopt")

def hook(owner, name, moment, *, nth=1, before=True, when=lambda *a, **k: True):
    real = getattr(owner, name)
    def wrapper(*args, **kwargs):
        if when(*args, **kwargs):
            calls[moment] = calls.get(moment, 0) + 1
            if calls[moment] == nth and before:
                pause(moment)
        result = real(*args, **kwargs)
        if when(*args, **kwargs) and calls.get(moment) == nth and not before:
            pause(moment)
        return result
    setattr(owner, name, wrapper)

moment = {moment!r}
if moment == "lezen":
    hook(build, "parse_document", moment)
elif moment == "berekenen":
    hook(FakeEmbedder, "embed_passages", moment)
elif moment == "cache-schrijven":
    hook(cache.os, "replace", moment, when=lambda src, dst: str(dst).endswith(".npz"))
elif moment == "passages-schrijven":
    hook(store, "write_jsonl", moment, before=False)
elif moment == "faiss-schrijven":
    hook(store.faiss, "write_index", moment, before=False)
elif moment == "controleren":
    hook(store, "validate_version", moment)
elif moment == "publiceren":
    hook(store.os, "symlink", moment, before=False)
elif moment == "opruimen":
    hook(store, "prune", moment, nth=2)
web.cli_index.load_embedder = lambda spec, threads: FakeEmbedder()
sys.exit(web.cli.main(["index", "--documents", {docs!r}, "--index-dir", {index!r}, "--quiet"]))
"""


def _tmp_versions(index_dir: Path) -> list[Path]:
    return [p for p in store.versions_dir(index_dir).iterdir() if p.name.startswith(".tmp-")]


def _unpublished_versions(index_dir: Path) -> list[Path]:
    current = store.current_version(index_dir)
    return [p for p in store.versions_dir(index_dir).iterdir() if p.name != current]


def _older_versions(index_dir: Path) -> list[Path]:
    return [p for p in _unpublished_versions(index_dir) if (p / store.MANIFEST).is_file()]


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under `folder` with its size and modification time."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
    }


KEEP = Settings().keep_versions
# moment -> what a kill there leaves behind for the next build to clean up; None: nothing at all,
# the index folder is exactly as it was (the build had not written anything yet)
LEFTOVERS: dict[str, Callable[[Path], bool] | None] = {
    "lezen": None,
    "berekenen": None,
    "cache-schrijven": lambda index_dir: bool(list((index_dir / "cache").rglob("*.tmp"))),
    "passages-schrijven": lambda index_dir: bool(_tmp_versions(index_dir)),
    "faiss-schrijven": lambda index_dir: any(
        (p / f"{store.FAISS_FILE}.part").exists() for p in _tmp_versions(index_dir)
    ),
    "controleren": lambda index_dir: bool(_unpublished_versions(index_dir)),
    "publiceren": lambda index_dir: bool(list(index_dir.glob(".current-*"))),
    # killed before removing the oldest versions (the test first builds KEEP of them)
    "opruimen": lambda index_dir: len(_older_versions(index_dir)) > KEEP,
}
# moment -> whether the killed build had already published its new version
KILL_MOMENTS = {
    "lezen": False,
    "berekenen": False,
    "cache-schrijven": False,
    "passages-schrijven": False,
    "faiss-schrijven": False,
    "controleren": False,
    "publiceren": False,
    "opruimen": True,
}


def kill_build_at(moment: str, documents: Path, index_dir: Path, workdir: Path) -> None:
    """Start `mkb-assistent index` in a child, wait until it reaches `moment`, SIGKILL it."""
    marker = workdir / f"bereikt-{moment}"
    script = _KILL_CHILD.format(
        tests=str(TESTS),
        marker=str(marker),
        moment=moment,
        docs=str(documents),
        index=str(index_dir),
    )
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"},
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if not marker.exists():
        child.kill()
        _, err = child.communicate(timeout=30)
        pytest.fail(f"the build never reached {moment!r}:\n{err.decode()}")
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL


@pytest.mark.parametrize("moment", list(KILL_MOMENTS))
def test_killed_build_leaves_a_served_index_and_the_next_build_recovers(
    moment: str, client: TestClient, documents: Path, index_dir: Path, tmp_path: Path
) -> None:
    if moment == "opruimen":  # so that the killed build has old versions to remove
        for n in range(KEEP):
            change_a_document(documents, n + 2)
            build_index(documents, index_dir, FakeEmbedder(), progress=False)
        wait_until_served(client, str(store.current_version(index_dir)))
    old = served_version(client)
    change_a_document(documents)
    before = _snapshot(index_dir)
    kill_build_at(moment, documents, index_dir, tmp_path)
    leftover = LEFTOVERS[moment]
    if leftover is None:
        assert _snapshot(index_dir) == before, f"a kill at {moment!r} should leave nothing behind"
    else:
        assert leftover(index_dir), f"a kill at {moment!r} should leave something behind"

    current = store.current_version(index_dir)
    assert current is not None
    if KILL_MOMENTS[moment]:
        assert current != old
    else:
        assert current == old
    loaded = store.validate_version(store.versions_dir(index_dir) / current, FakeEmbedder())
    assert loaded.version == current
    wait_until_served(client, current)  # the app never stopped answering

    report = build_index(documents, index_dir, FakeEmbedder(), progress=False)
    assert_clean(index_dir)
    assert len(_older_versions(index_dir)) <= KEEP
    assert store.current_version(index_dir) == report.version
    if not KILL_MOMENTS[moment]:
        assert report.published and report.changed == (CHANGED,)
    wait_until_served(client, report.version)
    assert "elk kwartaal gecontroleerd" in store.load(index_dir).documents[CHANGED].text


# --- a damaged index version: refused at publish and at load --------------------------------


def _truncate_faiss(folder: Path) -> None:
    path = folder / store.FAISS_FILE
    path.write_bytes(path.read_bytes()[:100])


def _drop_passages(folder: Path) -> None:
    (folder / store.PASSAGES_FILE).unlink()


def _wrong_dimension(folder: Path) -> None:
    count = faiss.read_index(str(folder / store.FAISS_FILE)).ntotal
    vectors = np.random.default_rng(1).normal(size=(count, 128)).astype(np.float32)
    faiss.normalize_L2(vectors)
    faiss.write_index(store.build_faiss_index(vectors), str(folder / store.FAISS_FILE))


def _quote_not_in_passage(folder: Path) -> None:
    path = folder / store.SCHEMES_FILE
    cards = json.loads(path.read_text("utf-8"))
    cards[0]["fields"][0]["text"] = "Een zin die niet in de passage staat."
    path.write_text(json.dumps(cards), "utf-8")


DAMAGE = {
    "beschadigd FAISS-bestand": (_truncate_faiss, "heeft een beschadigd FAISS-bestand"),
    "regeling citeert verkeerd": (
        _quote_not_in_passage,
        "heeft een onleesbaar bestand met regelingen",
    ),
    "passages ontbreken": (_drop_passages, "is onvolledig (passages.jsonl ontbreekt)"),
    "verkeerde dimensie": (_wrong_dimension, "dimensie 128/256"),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_version_is_refused_at_publish(
    kind: str,
    documents: Path,
    index_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    damage, message = DAMAGE[kind]
    old = store.current_version(index_dir)
    real_save = store.save_version

    def save_damaged(*args: object, **kwargs: object) -> Path:
        folder = real_save(*args, **kwargs)  # type: ignore[arg-type]
        damage(folder)
        return folder

    monkeypatch.setattr(store, "save_version", save_damaged)
    monkeypatch.setattr(web.cli_index, "load_embedder", lambda spec, threads: FakeEmbedder())
    change_a_document(documents)
    status = web.cli.main(["index", "--documents", str(documents), "--index-dir", str(index_dir)])

    err = capsys.readouterr().err
    assert status == 2
    assert message in err and "mkb-assistent index --full" in err
    assert store.current_version(index_dir) == old
    assert [p.name for p in store.versions_dir(index_dir).iterdir()] == [old]
    monkeypatch.undo()
    report = build_index(documents, index_dir, FakeEmbedder(), progress=False)
    assert report.published and store.load(index_dir).version == report.version


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_published_version_is_refused_at_load_and_the_old_one_keeps_serving(
    kind: str,
    client: TestClient,
    documents: Path,
    index_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    damage, message = DAMAGE[kind]
    old = served_version(client)
    copy = store.new_version_name()
    shutil.copytree(store.versions_dir(index_dir) / old, store.versions_dir(index_dir) / copy)
    damage(store.versions_dir(index_dir) / copy)
    store.publish(index_dir, copy)  # as if a damaged version slipped past the build

    with pytest.raises(store.IndexCorrupt) as refused:
        store.load(index_dir, FakeEmbedder().model_id)
    assert message in str(refused.value)
    with caplog.at_level(logging.ERROR, logger="web.live_index"):
        assert served_version(client) == old  # starts the background load, which fails
        client.app.state.live.wait()  # type: ignore[attr-defined]
        assert served_version(client) == old
    assert f"loading index version {copy} failed" in caplog.text

    report = build_index(documents, index_dir, FakeEmbedder(), progress=False)
    assert report.published and report.version not in (old, copy)
    wait_until_served(client, report.version)


# --- the feedback database locked or unwritable -----------------------------------------------


def _ask_with_the_form(client: TestClient) -> str:
    page = client.post("/vraag", data={"vraag": QUESTION})
    assert page.status_code == 200 and "antwoord-" in str(page.url)
    exchange = client.get("/").context["exchanges"][-1]  # type: ignore[attr-defined]
    return str(exchange.id)


def test_locked_feedback_database_still_answers_and_keeps_the_feedback_for_a_retry(
    client: TestClient, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    feedback = client.app.state.feedback  # type: ignore[attr-defined]
    feedback.timeout = 0.1
    answer_id = _ask_with_the_form(client)  # creates the database
    client.post("/feedback", data={"antwoord": answer_id, "oordeel": "goed"})
    holder = sqlite3.connect(feedback.path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.ERROR, logger="web.feedback"):
            answer = client.post("/api/ask", json={"question": QUESTION})
            assert answer.status_code == 200 and answer.json()["citations"]
            api = client.post(
                "/api/feedback",
                json={"answer_id": answer.json()["answer_id"], "rating": "slecht"},
            )
            page = client.post(
                "/feedback", data={"antwoord": answer_id, "oordeel": "slecht", "reden": "anders"}
            )
    finally:
        holder.rollback()
        holder.close()
    assert api.status_code == 503 and "niet worden opgeslagen" in api.json()["message"]
    assert page.status_code == 200 and "Uw feedback kon niet worden opgeslagen" in page.text
    assert caplog.text.count("feedback not saved") == 2 and QUESTION in caplog.text
    retry = client.post(
        "/api/feedback", json={"answer_id": answer.json()["answer_id"], "rating": "slecht"}
    )
    assert retry.status_code == 201
    assert [f.rating for f in feedback.all()] == ["goed", "slecht"]


def test_unwritable_feedback_database_still_answers(
    documents: Path, index_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    not_a_folder = tmp_path / "bestand"
    not_a_folder.write_text("")  # root may write anywhere; a file as parent stops everyone
    settings = Settings(
        documents_dir=documents, index_dir=index_dir, feedback_db=not_a_folder / "f.sqlite3"
    )
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as client:
        answer_id = _ask_with_the_form(client)
        with caplog.at_level(logging.ERROR, logger="web.feedback"):
            page = client.post("/feedback", data={"antwoord": answer_id, "oordeel": "goed"})
        assert page.status_code == 200
        assert "Uw feedback kon niet worden opgeslagen" in page.text
        assert client.get("/healthz").status_code == 200
    assert "feedback not saved" in caplog.text and QUESTION in caplog.text


# --- disk full while building -----------------------------------------------------------------

_FULL_DISK_CHILD = """
import resource, signal, sys
sys.path.insert(0, {tests!r})
from conftest import FakeEmbedder
import web.cli, web.cli_index
from index import store
web.cli_index.load_embedder = lambda spec, threads: FakeEmbedder()
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead

def starve():
    resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, resource.RLIM_INFINITY))

if {at!r} == "start":
    starve()
else:
    real = store.save_version
    def save_version(*args, **kwargs):
        starve()
        return real(*args, **kwargs)
    store.save_version = save_version
sys.exit(web.cli.main(["index", "--documents", {docs!r}, "--index-dir", {index!r}, "--quiet",
                       "--full"]))
"""

# where the disk fills up -> (when the limit starts, file size limit in bytes)
FULL_DISK = {
    "embedding-cache": ("start", 30_000),
    "passages": ("version", 30_000),
    "faiss-bestand": ("version", 60_000),
}


def build_on_a_full_disk(
    where: str, documents: Path, index_dir: Path
) -> subprocess.CompletedProcess[str]:
    """Run `mkb-assistent index --full` with file writes limited as `FULL_DISK[where]` says."""
    at, limit = FULL_DISK[where]
    script = _FULL_DISK_CHILD.format(
        tests=str(TESTS), docs=str(documents), index=str(index_dir), at=at, limit=limit
    )
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.parametrize("where", list(FULL_DISK))
def test_full_disk_leaves_the_previous_index_and_the_next_build_recovers(
    where: str, client: TestClient, documents: Path, index_dir: Path
) -> None:
    old = served_version(client)
    change_a_document(documents)
    child = build_on_a_full_disk(where, documents, index_dir)
    assert child.returncode != 0
    # the file size limit, not something else, stopped it (wording before and after the fix)
    assert "File too large" in child.stderr or "te groot" in child.stderr
    assert not _tmp_versions(index_dir)  # the failed build removed its temporary version
    assert store.current_version(index_dir) == old
    assert store.load(index_dir).version == old
    assert served_version(client) == old
    report = build_index(documents, index_dir, FakeEmbedder(), progress=False)
    assert_clean(index_dir)
    wait_until_served(client, report.version)


@pytest.mark.parametrize("where", list(FULL_DISK))
def test_full_disk_is_explained_in_dutch(where: str, documents: Path, index_dir: Path) -> None:
    change_a_document(documents)
    child = build_on_a_full_disk(where, documents, index_dir)
    assert child.returncode == 2
    assert "Traceback" not in child.stderr
    assert "schijf is vol of het bestand is te groot" in child.stderr
