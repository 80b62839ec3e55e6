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

from assistant.answer import MAX_ANSWER_CHARS
from assistant.assistant import MAX_QUESTION_CHARS
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
# Per client: a whole conversation (20 answers, see Conversations) may be rated at once, then
# one rating per 3 seconds, less time than reading an answer takes.
FEEDBACK_BURST = 20
FEEDBACK_INTERVAL_SECONDS = 3.0
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
    index_version TEXT NOT NULL,
    answer_id TEXT
)
"""
# Databases made before answer ids were stored get the column; their old rows keep NULL, which
# a UNIQUE index allows any number of times.
_ADD_ANSWER_ID = "ALTER TABLE feedback ADD COLUMN answer_id TEXT"
_ONE_PER_ANSWER = "CREATE UNIQUE INDEX IF NOT EXISTS feedback_answer ON feedback (answer_id)"
_COLUMNS = (
    "created_at",
    "rating",
    "reason",
    "question",
    "answer",
    "passage_ids",
    "index_version",
    "answer_id",
)
# A later rating of the same answer replaces the earlier one (row and all).
_SAVE = (
    f"INSERT INTO feedback ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))}) "
    "ON CONFLICT (answer_id) DO UPDATE SET "
    + ", ".join(f"{column} = excluded.{column}" for column in _COLUMNS)
)
# Spreadsheets run a cell starting with one of these as a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    answer_id: str = ""  # the answer judged; "" for feedback stored before ids were kept


class FeedbackStore:
    """SQLite table of feedback, one row per answer; one short connection per call."""

    def __init__(self, path: Path, timeout: float = _TIMEOUT_SECONDS) -> None:
        self.path = path
        self.timeout = timeout  # seconds to wait for a lock held by another writer

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=self.timeout)
        connection.execute(_SCHEMA)
        columns = {row[1] for row in connection.execute("PRAGMA table_info(feedback)")}
        if "answer_id" not in columns:
            connection.execute(_ADD_ANSWER_ID)
        connection.execute(_ONE_PER_ANSWER)
        return connection

    def save(self, feedback: Feedback) -> bool:
        """Store `feedback` (replacing earlier feedback on the same answer), its texts capped.

        On a locked or unwritable database log it in full and return False.
        """
        if not feedback.created_at:
            now = datetime.now(UTC).isoformat(timespec="seconds")
            feedback = Feedback(**{**asdict(feedback), "created_at": now})
        row = (
            feedback.created_at,
            feedback.rating,
            feedback.reason,
            _capped(feedback.question, MAX_QUESTION_CHARS),
            _capped(feedback.answer, MAX_ANSWER_CHARS),
            json.dumps(list(feedback.passage_ids), ensure_ascii=False),
            feedback.index_version,
            feedback.answer_id or None,
        )
        try:
            connection = self._connect()
            try:
                with connection:
                    connection.execute(_SAVE, row)
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
            for created_at, rating, reason, question, answer, ids, version, answer_id in cursor:
                yield Feedback(
                    rating=rating,
                    reason=reason,
                    question=question,
                    answer=answer,
                    passage_ids=tuple(json.loads(ids)),
                    index_version=version,
                    created_at=created_at,
                    answer_id=answer_id or "",
                )
        finally:
            connection.close()


def parse_rating(value: str) -> Rating | None:
    """Return `value` as a rating, or None when it is not one."""
    for rating in RATINGS:
        if value == rating:
            return rating
    return None


def reason_for(rating: Rating, reason: str | None) -> str | None:
    """Return the reason to store with `rating`: a reason says what was wrong, so only a 👎 has one.

    A 👍 given after a 👎 with a reason (the form still shows that reason) stores none.
    """
    return reason if rating == "slecht" else None


def record_feedback(
    store: FeedbackStore, exchange: Exchange, rating: Rating, reason: str | None
) -> bool:
    """Save feedback on `exchange` with what the user saw; remember on it whether that worked."""
    answer = exchange.answer
    saved = store.save(
        Feedback(
            rating=rating,
            reason=reason_for(rating, reason),
            question=answer.question,
            answer=answer.text,
            passage_ids=tuple(c.passage.id for c in answer.citations),
            index_version=answer.index_version,
            answer_id=exchange.id,
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
        cells = [
            record.created_at,
            record.rating,
            record.reason or "",
            record.question,
            record.answer,
            " ".join(record.passage_ids),
            record.index_version,
            record.answer_id,
        ]
        writer.writerow([as_text_cell(cell) for cell in cells])
        count += 1
    return count


def as_text_cell(value: str) -> str:
    """Return `value` so that a spreadsheet shows it as text: a formula start gets a "'"."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _capped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _to_json(record: Feedback) -> str:
    data = asdict(record)
    data["passage_ids"] = list(record.passage_ids)
    return json.dumps(data, ensure_ascii=False)
