"""The index the app serves, swapped for a newly published version without a restart.

Each request takes `LiveIndex.current()` once and uses that snapshot to the end, so it never
mixes two versions. A cheap look at the "current" pointer (at most once per `check_interval`)
notices a new version; a background thread loads it and then replaces the reference in one
assignment. A failed load keeps serving the old version and is logged.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.assistant import Assistant
from assistant.examples import answered_examples, candidate_questions
from assistant.finder import Finder
from index import store
from index.embed import Embedder
from index.store import LoadedIndex
from index.types import Passage
from web.templating import text_fingerprint

logger = logging.getLogger(__name__)

RETRY_FAILED_AFTER = 30.0  # seconds before a version that failed to load is tried again


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One index version, the assistant answering from it, the example questions it answers
    (see `assistant.examples`), the finder over its scheme cards and where each passage text
    is (see `rows_by_text`)."""

    index: LoadedIndex
    assistant: Assistant
    finder: Finder
    examples: tuple[str, ...] = ()
    row_by_text: Mapping[tuple[str, str], int] = field(default_factory=dict)

    @property
    def version(self) -> str:
        """Return the index version."""
        return self.index.version


AssistantFactory = Callable[[LoadedIndex, Embedder], Assistant]


def rows_by_text(passages: Sequence[Passage]) -> dict[tuple[str, str], int]:
    """Map (document id, `text_fingerprint` of a passage's text) to the row of the first
    passage, in index order, of that document with that text, so that a link quoting a
    passage finds it again after a rebuild renumbered its document (`web.sources`)."""
    rows: dict[tuple[str, str], int] = {}
    for row, passage in enumerate(passages):
        rows.setdefault((passage.doc_id, text_fingerprint(passage.text)), row)
    return rows


class LiveIndex:
    """Hold the current `Snapshot`; load newly published versions in the background."""

    def __init__(
        self,
        index_dir: Path,
        embedder: Embedder,
        *,
        make_assistant: AssistantFactory = Assistant,
        check_interval: float = 1.0,
        loaded: LoadedIndex | None = None,
    ) -> None:
        """Serve `loaded` (an index version the caller has already loaded from `index_dir`),
        or load the current version now (raising `IndexStoreError` if there is none)."""
        self._index_dir = index_dir
        self._embedder = embedder
        self._make_assistant = make_assistant
        self._check_interval = check_interval
        self._snapshot = self._load(None) if loaded is None else self._snapshot_of(loaded)
        self._lock = threading.Lock()
        self._checked_at = time.monotonic()
        self._loader: threading.Thread | None = None
        self._failed: tuple[str, float] | None = None  # (version, when)

    def _load(self, version: str | None) -> Snapshot:
        return self._snapshot_of(
            store.load(self._index_dir, self._embedder.model_id, version=version)
        )

    def _snapshot_of(self, index: LoadedIndex) -> Snapshot:
        assistant = self._make_assistant(index, self._embedder)
        candidates = candidate_questions(
            index.passages, (doc.meta for doc in index.documents.values())
        )
        finder = Finder.of_index(index, assistant.searcher.query_vector)
        examples = answered_examples(assistant, candidates)
        return Snapshot(index, assistant, finder, examples, rows_by_text(index.passages))

    def current(self) -> Snapshot:
        """Return the snapshot to use for one request (after a cheap check for a new version)."""
        self._maybe_start_reload()
        return self._snapshot

    def _maybe_start_reload(self) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._checked_at < self._check_interval or self._loading():
                return
            self._checked_at = now
            version = store.current_version(self._index_dir)
            if version is None or version == self._snapshot.version:
                return
            if self._failed and self._failed[0] == version:
                if now - self._failed[1] < RETRY_FAILED_AFTER:
                    return
            self._loader = threading.Thread(
                target=self._reload, args=(version,), name="index-reload", daemon=True
            )
            self._loader.start()

    def _loading(self) -> bool:
        return self._loader is not None and self._loader.is_alive()

    def _reload(self, version: str) -> None:
        old = self._snapshot.version
        started = time.perf_counter()
        try:
            snapshot = self._load(version)
        except Exception:  # any failure: keep serving the version we have
            logger.exception("loading index version %s failed; still serving %s", version, old)
            self._failed = (version, time.monotonic())
            return
        self._snapshot = snapshot  # one reference assignment: requests see old or new
        logger.info(
            "now serving index version %s (was %s; loaded in %.1f s)",
            version,
            old,
            time.perf_counter() - started,
        )

    def wait(self, timeout: float = 30.0) -> None:
        """Wait until a background load (if any) has finished."""
        loader = self._loader
        if loader is not None:
            loader.join(timeout)
