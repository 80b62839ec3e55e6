"""Feedback on answers (👍/👎 with an optional reason), kept in SQLite for staff."""

from __future__ import annotations

import csv
import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TextIO

from assistant.answer import MAX_SENTENCES
from index.chunk import DEFAULT_MAX_CHARS
from web.conversations import Exchange

logger = logging.getLogger(__name__)

Rating = Literal["goed", "slecht"]
RATINGS: tuple[Rating, ...] = ("goed", "slecht")
REASONS: tuple[str, ...] = (
    "bron klopt niet",
    "antwoord onvolledig",
    "antwoord onjuist",
    "anders",
)
EXPORT_FORMATS = ("csv", "jsonl")
# The longest answer: MAX_SENTENCES sentences, each quoted from one passage of at most
# DEFAULT_MAX_CHARS characters, with its " [n]" marker and a space.
MAX_ANSWER_CHARS = MAX_SENTENCES * (DEFAULT_MAX_CHARS + len(" [99] "))
_TIMEOUT_SECONDS = 2.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL,
    reason TEXT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    passage_ids TEXT NOT NULL,
    index_version TEXT NOT NULL
)
"""
_COLUMNS = (
    "created_at",
    "rating",
    "reason",
    "question",
    "answer",
    "passage_ids",
    "index_version",
)

_INSERT = f"INSERT INTO feedback ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


@dataclass(frozen=True, slots=True)
class Feedback:
    """One judgement of one answer, with what was shown to the user."""

    rating: Rating
    reason: str | None
    question: str
    answer: str
    passage_ids: tuple[str, ...]
    index_version: str
    created_at: str = ""  # ISO 8601 UTC; filled in by `FeedbackStore.save` when empty


class FeedbackStore:
    """Append-only SQLite table of feedback; one short connection per call."""

    def __init__(self, path: Path, timeout: float = _TIMEOUT_SECONDS) -> None:
        self.path = path
        self.timeout = timeout  # seconds to wait for a lock held by another writer

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=self.timeout)
        connection.execute(_SCHEMA)
        return connection

    def save(self, feedback: Feedback) -> bool:
        """Store `feedback`; on a locked or unwritable database log it in full and return False."""
        if not feedback.created_at:
            now = datetime.now(UTC).isoformat(timespec="seconds")
            feedback = Feedback(**{**asdict(feedback), "created_at": now})
        row = (
            feedback.created_at,
            feedback.rating,
            feedback.reason,
            feedback.question,
            feedback.answer,
            json.dumps(list(feedback.passage_ids), ensure_ascii=False),
            feedback.index_version,
        )
        try:
            connection = self._connect()
            try:
                with connection:
                    connection.execute(_INSERT, row)
            finally:
                connection.close()
        except (sqlite3.Error, OSError):
            # Not silently lost: the whole record goes to the log for staff to recover.
            logger.exception("feedback not saved to %s: %s", self.path, _to_json(feedback))
            return False
        return True

    def all(self) -> Iterator[Feedback]:
        """Yield every stored feedback record, oldest first (nothing if there is no database)."""
        if not self.path.exists():
            return
        connection = self._connect()
        try:
            cursor = connection.execute(f"SELECT {', '.join(_COLUMNS)} FROM feedback ORDER BY id")
            for created_at, rating, reason, question, answer, ids, version in cursor:
                yield Feedback(
                    rating=rating,
                    reason=reason,
                    question=question,
                    answer=answer,
                    passage_ids=tuple(json.loads(ids)),
                    index_version=version,
                    created_at=created_at,
                )
        finally:
            connection.close()


def parse_rating(value: str) -> Rating | None:
    """Return `value` as a rating, or None when it is not one."""
    for rating in RATINGS:
        if value == rating:
            return rating
    return None


def record_feedback(
    store: FeedbackStore, exchange: Exchange, rating: Rating, reason: str | None
) -> bool:
    """Save feedback on `exchange` with what the user saw; remember on it whether that worked."""
    answer = exchange.answer
    saved = store.save(
        Feedback(
            rating=rating,
            reason=reason,
            question=answer.question,
            answer=answer.text,
            passage_ids=tuple(c.passage.id for c in answer.citations),
            index_version=answer.index_version,
        )
    )
    exchange.feedback = "opgeslagen" if saved else "mislukt"
    return saved


def export_feedback(records: Iterator[Feedback], fmt: str, out: TextIO) -> int:
    """Write `records` as "csv" or "jsonl" to `out`; return how many were written."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"onbekend exportformaat {fmt!r}; kies uit {', '.join(EXPORT_FORMATS)}")
    count = 0
    if fmt == "jsonl":
        for record in records:
            out.write(_to_json(record) + "\n")
            count += 1
        return count
    writer = csv.writer(out)
    writer.writerow(_COLUMNS)
    for record in records:
        writer.writerow(
            [
                record.created_at,
                record.rating,
                record.reason or "",
                record.question,
                record.answer,
                " ".join(record.passage_ids),
                record.index_version,
            ]
        )
        count += 1
    return count


def _to_json(record: Feedback) -> str:
    data = asdict(record)
    data["passage_ids"] = list(record.passage_ids)
    return json.dumps(data, ensure_ascii=False)
