"""The feedback store: saving, exporting, never losing feedback silently, never flooded."""

from __future__ import annotations

import csv
import io
import json
import logging
import sqlite3
from pathlib import Path

import pytest

from assistant.answer import MAX_ANSWER_CHARS
from assistant.assistant import MAX_QUESTION_CHARS
from web.feedback import Feedback, FeedbackStore, export_feedback, parse_rating
from web.feedback_view import MAX_QUOTED_CHARS, FeedbackFilter, FilterError
from web.rate_limit import RateLimiter


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


# --- the staff's filter ---------------------------------------------------------------------


def test_filter_dates_are_read_in_the_forms_staff_write_them() -> None:
    wanted = FeedbackFilter.from_query({"van": "1-4-2021", "tot": " 2021-06-30 "})
    assert (wanted.since, wanted.until) == ("2021-04-01", "2021-06-30")
    assert FeedbackFilter.from_query({"van": "", "tot": "  "}) == FeedbackFilter()


@pytest.mark.parametrize(
    "bad",
    ["2021-13-45", "gisteren", "2021-02-30", "2021-04-01 tot 2021-05-01", "2021-04-01T10:00"],
)
def test_a_filter_date_that_is_not_a_date_is_refused(bad: str) -> None:
    with pytest.raises(FilterError) as refused:
        FeedbackFilter.from_query({"oordeel": "slecht", "van": "2021-04-01", "tot": bad})
    assert refused.value.message == f"Tot en met: „{bad}” is geen geldige datum (JJJJ-MM-DD)."
    assert refused.value.fields == ("tot",)
    assert refused.value.shown == FeedbackFilter(rating="slecht", since="2021-04-01")


@pytest.mark.parametrize(
    ("bad", "quoted"),
    [
        ("l'année", "„l'année”"),  # its own quotes, as typed: no repr escaping
        ('"morgen"', '„"morgen"”'),
        ("gis\nteren\x00\u202e", "„gis teren”"),  # control and format characters out
        ("x" * 500, "„" + "x" * (MAX_QUOTED_CHARS - 1) + "…”"),
    ],
)
def test_a_refused_date_is_quoted_as_typed_cleaned_and_cut(bad: str, quoted: str) -> None:
    with pytest.raises(FilterError) as refused:
        FeedbackFilter.from_query({"van": bad})
    assert refused.value.message == f"Van: {quoted} is geen geldige datum (JJJJ-MM-DD)."


def test_both_bad_dates_are_named() -> None:
    with pytest.raises(FilterError) as refused:
        FeedbackFilter.from_query({"van": "gisteren", "tot": "morgen"})
    assert refused.value.fields == ("van", "tot")
    assert "Van: „gisteren”" in refused.value.message
    assert "Tot en met: „morgen”" in refused.value.message


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"oordeel": "super"}, "Oordeel: „super” is geen bekend oordeel (goed of slecht)."),
        (
            {"reden": "te lang"},
            "Reden: „te lang” is geen bekende reden (bron klopt niet, antwoord onvolledig, "
            "antwoord onjuist of anders).",
        ),
    ],
)
def test_an_unknown_rating_or_reason_is_refused_not_dropped(
    query: dict[str, str], message: str
) -> None:
    with pytest.raises(FilterError) as refused:
        FeedbackFilter.from_query({**query, "zoek": "Tozo", "van": "2021-04-01"})
    assert refused.value.message == message
    assert refused.value.fields == tuple(query)
    assert refused.value.shown == FeedbackFilter(text="Tozo", since="2021-04-01")


def test_every_refused_field_is_named_in_the_form_s_order() -> None:
    with pytest.raises(FilterError) as refused:
        FeedbackFilter.from_query({"tot": "morgen", "reden": "x", "oordeel": "ja"})
    assert refused.value.fields == ("oordeel", "reden", "tot")
    message = refused.value.message
    assert message.index("Oordeel: „ja”") < message.index("Reden: „x”") < message.index("Tot")


def test_a_known_or_empty_rating_and_reason_filter() -> None:
    wanted = FeedbackFilter.from_query({"oordeel": "slecht", "reden": "anders"})
    assert (wanted.rating, wanted.reason) == ("slecht", "anders")
    assert FeedbackFilter.from_query({"oordeel": "", "reden": " "}) == FeedbackFilter()


def test_a_filter_error_keeps_its_message_once() -> None:
    with pytest.raises(FilterError) as refused:
        FeedbackFilter.from_query({"van": "gisteren"})
    assert refused.value.args == (refused.value.message,)
    assert "message" not in vars(refused.value)  # no second copy that could differ


# --- one row per answer, capped text --------------------------------------------------------


def test_a_later_rating_of_the_same_answer_replaces_the_earlier(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    assert store.save(_feedback(answer_id="antwoord-1", rating="goed", reason=None))
    assert store.save(_feedback(answer_id="antwoord-2"))
    assert store.save(_feedback(answer_id="antwoord-1", rating="slecht", reason="anders"))
    records = list(store.all())
    assert [(r.answer_id, r.rating, r.reason) for r in records] == [
        ("antwoord-1", "slecht", "anders"),
        ("antwoord-2", "slecht", "bron klopt niet"),
    ]


def test_a_database_from_before_answer_ids_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, "
        "rating TEXT NOT NULL, reason TEXT, question TEXT NOT NULL, answer TEXT NOT NULL, "
        "passage_ids TEXT NOT NULL, index_version TEXT NOT NULL)"
    )
    for _ in range(2):
        old.execute(
            "INSERT INTO feedback (created_at, rating, reason, question, answer, passage_ids, "
            "index_version) VALUES ('2026-01-01T00:00:00+00:00', 'goed', NULL, 'V', 'A', '[]', "
            "'v1')"
        )
    old.commit()
    old.close()
    store = FeedbackStore(path)
    assert store.save(_feedback(answer_id="nieuw"))
    assert store.save(_feedback(answer_id="nieuw", rating="goed"))
    assert [(r.answer_id, r.rating) for r in store.all()] == [
        ("", "goed"),
        ("", "goed"),
        ("nieuw", "goed"),
    ]


def test_stored_texts_are_capped(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.save(_feedback(question="v" * 100_000, answer="a" * 100_000, answer_id="x"))
    (record,) = store.all()
    assert len(record.question) == MAX_QUESTION_CHARS and record.question.endswith("…")
    assert len(record.answer) == MAX_ANSWER_CHARS and record.answer.endswith("…")


# --- CSV formula injection ------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example","klik")',
    "+31 20 123 4567",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("question", FORMULAS)
def test_csv_cells_that_start_a_formula_are_shown_as_text(tmp_path: Path, question: str) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.save(_feedback(question=question, answer=question, answer_id="=1+1"))
    out = io.StringIO()
    export_feedback(store.all(), "csv", out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert row["question"] == row["answer"] == "'" + question
    assert row["answer_id"] == "'=1+1"
    assert row["rating"] == "slecht"  # ordinary cells stay as they are


def test_jsonl_export_keeps_formula_like_text_exactly(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    for n, question in enumerate(FORMULAS):
        store.save(_feedback(question=question, answer_id=str(n)))
    out = io.StringIO()
    export_feedback(store.all(), "jsonl", out)
    assert [json.loads(line)["question"] for line in out.getvalue().splitlines()] == FORMULAS


# --- the rate limit -------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_limit_allows_a_burst_then_one_per_interval_per_client() -> None:
    clock = Clock()
    limiter = RateLimiter(burst=3, interval=2.0, clock=clock)
    assert [limiter.wait_seconds("a") for _ in range(4)] == [0, 0, 0, 2]
    assert limiter.wait_seconds("b") == 0  # another client has its own bucket
    clock.now += 2.0
    assert limiter.wait_seconds("a") == 0
    assert limiter.wait_seconds("a") == 2
    clock.now += 60.0
    assert [limiter.wait_seconds("a") for _ in range(4)] == [0, 0, 0, 2]  # no more than a burst


def test_rate_limit_remembers_a_bounded_number_of_clients() -> None:
    limiter = RateLimiter(burst=1, interval=60.0, max_clients=2, clock=Clock())
    for client in ("a", "b", "c"):
        assert limiter.wait_seconds(client) == 0
    assert limiter.wait_seconds("c") == 60
    assert limiter.wait_seconds("a") == 0  # forgotten, so it starts afresh
