"""Index builds started from the staff page: one at a time, in a background thread, with progress.

The chat keeps answering meanwhile: the build embeds with the app's own model, one call at a
time (one core), and `LiveIndex` switches to the new version once it is published. A second
build while one runs is refused ("er loopt al een build"); a change to the documents while one
runs queues one more build after it, so the change is never left out. Across processes (a
`mkb-assistent index` on the command line, another worker) the index's build lock decides.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from index.build import BuildError, Progress, build_index
from index.embed import Embedder
from index.store import BuildLocked, IndexStoreError
from web.cli_index import format_report

logger = logging.getLogger(__name__)

ALREADY_RUNNING = "Er loopt al een build; wacht tot die klaar is."
FAILED = "De build is mislukt; de vorige index blijft in gebruik."
Outcome = Literal["", "gelukt", "mislukt"]
Started = Literal["gestart", "loopt al", "ingepland"]


@dataclass(frozen=True, slots=True)
class BuildState:
    """What the staff page shows of the latest build."""

    running: bool = False
    stage: str = ""  # Dutch name of the current stage
    done: int = 0
    total: int = 0
    reason: str = ""  # why it was started, in Dutch
    started_at: str = ""  # ISO 8601 UTC
    finished_at: str = ""
    outcome: Outcome = ""
    lines: tuple[str, ...] = ()  # the summary, as `mkb-assistent index` prints it
    pending: bool = False  # another build follows this one
    version: str = ""  # the index version the build published or kept

    def settled(self, serving: str) -> bool:
        """Tell whether nothing is left to happen: no build, and the chat serves its result."""
        return not self.running and not self.pending and self.version in ("", serving)

    @property
    def percent(self) -> int:
        """Return how far the current stage is, 0 to 100."""
        return round(100 * self.done / self.total) if self.total else 0


Finished = Callable[[BuildState], None]


class BuildRunner:
    """Run `build_index` in a background thread, one build at a time."""

    def __init__(
        self,
        documents_dir: Path,
        index_dir: Path,
        embedder: Embedder,
        *,
        keep_versions: int = 3,
        on_finish: Finished | None = None,
    ) -> None:
        self._documents_dir = documents_dir
        self._index_dir = index_dir
        self._embedder = embedder
        self._keep_versions = keep_versions
        self._on_finish = on_finish
        self._lock = threading.Lock()
        self._state = BuildState()
        self._thread: threading.Thread | None = None

    def state(self) -> BuildState:
        """Return the latest build's state."""
        return self._state

    def start(self, reason: str, *, queue: bool = False) -> Started:
        """Start a build; when one runs, refuse ("loopt al") or, with `queue`, run one after."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                if not queue:
                    return "loopt al"
                self._state = replace(self._state, pending=True)
                return "ingepland"
            self._begin(reason)
        return "gestart"

    def _begin(self, reason: str) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._state = BuildState(running=True, stage="Wachten", reason=reason, started_at=now)
        self._thread = threading.Thread(target=self._run, name="staff-build", daemon=True)
        self._thread.start()

    def _progress(self, progress: Progress) -> None:
        self._state = replace(
            self._state, stage=progress.stage, done=progress.done, total=progress.total
        )

    def _run(self) -> None:
        outcome: Outcome = "mislukt"
        version = ""
        try:
            report = build_index(
                self._documents_dir,
                self._index_dir,
                self._embedder,
                keep_versions=self._keep_versions,
                progress=False,
                on_progress=self._progress,
            )
            lines, outcome, version = tuple(format_report(report)), "gelukt", report.version
        except BuildLocked:
            lines = (ALREADY_RUNNING + " (in een ander proces)",)
        except BuildError as exc:
            skipped = tuple(f"Overgeslagen: {doc} — {why}" for doc, why in exc.skipped)
            lines = (str(exc), *skipped)
        except (IndexStoreError, OSError) as exc:
            logger.error("staff build failed: %s", exc)
            lines = (FAILED, str(exc))
        except Exception:
            logger.exception("staff build failed")
            lines = (FAILED,)
        self._finish(outcome, lines, version)

    def _finish(self, outcome: Outcome, lines: tuple[str, ...], version: str) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        finished = replace(
            self._state,
            running=False,
            outcome=outcome,
            lines=lines,
            finished_at=now,
            version=version,
        )
        if self._on_finish is not None:  # logged before anyone can see the build as done
            self._on_finish(finished)
        with self._lock:
            again = self._state.pending
            self._state = replace(finished, pending=False)
            if again:
                self._begin("wijzigingen tijdens de vorige build")

    def wait(self, timeout: float = 30.0) -> None:
        """Wait for the running build (and one queued after it) to finish."""
        deadline = time.monotonic() + timeout
        while (thread := self._thread) is not None and thread.is_alive():
            thread.join(max(0.0, deadline - time.monotonic()))
            if time.monotonic() >= deadline:
                return
