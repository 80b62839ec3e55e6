"""The feedback store: saving, exporting, and never losing feedback silently."""

from __future__ import annotations

import csv
import io
import json
import logging
import sqlite3
from pathlib import Path

import pytest

from web.feedback import Feedback, FeedbackStore, export_feedback, parse_rating


def _feedback(**changes: object) -> Feedback:
    values: dict[str, object] = {
        "rating": "slecht",
        "reason": "bron klopt niet",
        "question": "Hoe lang mag een groot bedrijf over mijn factuur doen?",
        "answer": "Een grote onderneming mag geen betaaltermijn van meer dan 60 dagen afspreken.",
        "passage_ids": ("kamerbrief-betaaltermijnen-2020.md/p3",),
        "index_version": "20261127T000000.000000-abcdef",
    }
    values.update(changes)
    return Feedback(**values)  # type: ignore[arg-type]


def test_saved_feedback_comes_back_with_a_timestamp(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "sub" / "feedback.sqlite3")
    assert store.save(_feedback())
    assert store.save(_feedback(rating="goed", reason=None, passage_ids=()))
    first, second = list(store.all())
    assert first.rating == "slecht" and first.reason == "bron klopt niet"
    assert first.passage_ids == ("kamerbrief-betaaltermijnen-2020.md/p3",)
    assert first.index_version == "20261127T000000.000000-abcdef"
    assert first.created_at.startswith("20") and first.created_at.endswith("+00:00")
    assert second.rating == "goed" and second.reason is None and second.passage_ids == ()


def test_no_database_yet_exports_nothing(tmp_path: Path) -> None:
    assert list(FeedbackStore(tmp_path / "nog-niet.sqlite3").all()) == []


def test_csv_export_has_a_header_and_one_row_per_feedback(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.save(_feedback(question='Vraag met "aanhalingstekens", komma en\nregelovergang'))
    out = io.StringIO()
    assert export_feedback(store.all(), "csv", out) == 1
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["question"] == 'Vraag met "aanhalingstekens", komma en\nregelovergang'
    assert rows[0]["passage_ids"] == "kamerbrief-betaaltermijnen-2020.md/p3"
    assert rows[0]["rating"] == "slecht"


def test_jsonl_export_is_one_object_per_line(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.save(_feedback())
    store.save(_feedback(rating="goed"))
    out = io.StringIO()
    assert export_feedback(store.all(), "jsonl", out) == 2
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["rating"] for r in records] == ["slecht", "goed"]
    assert records[0]["passage_ids"] == ["kamerbrief-betaaltermijnen-2020.md/p3"]


def test_unknown_export_format_is_refused() -> None:
    with pytest.raises(ValueError, match="onbekend exportformaat"):
        export_feedback(iter(()), "xml", io.StringIO())


def test_unwritable_location_returns_false_and_logs_the_whole_record(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    store = FeedbackStore(blocker / "feedback.sqlite3")
    with caplog.at_level(logging.ERROR, logger="web.feedback"):
        assert store.save(_feedback()) is False
    assert "feedback not saved" in caplog.text
    assert "Hoe lang mag een groot bedrijf over mijn factuur doen?" in caplog.text
    assert "kamerbrief-betaaltermijnen-2020.md/p3" in caplog.text


def test_locked_database_returns_false(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "feedback.sqlite3"
    store = FeedbackStore(path, timeout=0.05)
    assert store.save(_feedback())
    holder = sqlite3.connect(path)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with caplog.at_level(logging.ERROR, logger="web.feedback"):
            assert store.save(_feedback(rating="goed")) is False
    finally:
        holder.rollback()
        holder.close()
    assert "locked" in caplog.text
    assert [f.rating for f in store.all()] == ["slecht"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("goed", "goed"), ("slecht", "slecht"), ("", None), ("GOED", None), ("👍", None)],
)
def test_parse_rating(value: str, expected: str | None) -> None:
    assert parse_rating(value) == expected
