"""Scoring rules of the evaluation set: hits, MRR, keywords, abstention, latency."""

from __future__ import annotations

import json

import pytest

from assistant.evaluate import (
    Gold,
    Outcome,
    Question,
    Retrieved,
    first_hit_rank,
    keywords_ok,
    parse_questions,
    percentile,
    score,
)

GOLD = (Gold("rapport-2020.md", "Het  uitstel is DRIE maanden"),)


def test_hit_needs_the_quote_in_a_passage_of_the_same_document() -> None:
    passages = (
        Retrieved("factsheet.md", "het uitstel is drie maanden"),  # right text, wrong document
        Retrieved("rapport-2020.md", "iets anders"),
        Retrieved("rapport-2020.md", "Kort gezegd: het uitstel\nis drie maanden, daarna niet."),
    )
    assert first_hit_rank(GOLD, passages) == 3
    assert first_hit_rank(GOLD, passages, k=2) is None


def test_document_identity_is_the_file_name() -> None:
    passages = (Retrieved("sub/map/rapport-2020.md", "het uitstel is drie maanden"),)
    assert first_hit_rank(GOLD, passages) == 1


@pytest.mark.parametrize(
    ("keywords", "answer", "ok"),
    [
        (["4.000"], "Een bedrag van 4000 euro.", True),
        (["4.000"], "Een bedrag van 4,000 euro.", True),
        (["67,5"], "garantie van 67.5 procent", True),
        (["NOW", "uwv"], "De now wordt uitgevoerd door UWV.", True),
        (["NOW", "UWV"], "De NOW.", False),
        (["drie maanden|three months"], "for three months", True),
        (["2.751"], "2.750 borgstellingen", False),
    ],
)
def test_keywords(keywords: list[str], answer: str, ok: bool) -> None:
    assert keywords_ok(keywords, answer) is ok


def test_percentile_uses_nearest_rank() -> None:
    assert percentile([], 50) is None
    assert percentile([30.0, 10.0, 20.0, 40.0], 50) == 20.0
    assert percentile([float(i) for i in range(1, 21)], 95) == 19.0


def test_score_counts_recall_mrr_abstention_and_keywords() -> None:
    questions = [
        Question("q1", "a", True, GOLD, ("drie",), "keyword"),
        Question("q2", "b", True, GOLD, ("vier",), "keyword"),
        Question("q3", "c", False, (), (), "unanswerable"),
        Question("q4", "d", False, (), (), "unanswerable"),
    ]
    good = Retrieved("rapport-2020.md", "het uitstel is drie maanden")
    bad = Retrieved("rapport-2020.md", "niets")
    outcomes = {
        "q1": Outcome("q1", (good,), False, "drie maanden", 0.010),
        "q2": Outcome("q2", (bad, bad, good), True, "", 0.030),
        "q3": Outcome("q3", (bad,), True, "", 0.020),
        "q4": Outcome("q4", (bad,), False, "iets", 0.040),
    }
    report = score(questions, outcomes)
    assert report.recall == {1: 0.5, 3: 1.0, 5: 1.0, 10: 1.0}
    assert report.mrr == pytest.approx((1 + 1 / 3) / 2)
    assert report.keyword_accuracy == 0.5
    assert report.abstention == 0.5
    assert report.false_abstention == 0.5
    assert report.latency_p50_ms == pytest.approx(20.0)
    assert report.by_type["keyword"]["recall@1"] == 0.5
    assert report.by_type["unanswerable"]["abstention"] == 0.5
    assert report.by_type["unanswerable"]["recall@5"] is None
    only_unanswerable = score(questions[2:], outcomes)  # retrieval has nothing to score
    assert only_unanswerable.recall[1] is None and only_unanswerable.mrr is None


def test_baselines_without_answers_get_no_answer_scores() -> None:
    questions = [Question("q1", "a", True, GOLD, ("drie",), "keyword")]
    outcomes = {"q1": Outcome("q1", (Retrieved("rapport-2020.md", "het uitstel is drie maanden"),))}
    report = score(questions, outcomes)
    assert report.recall[1] == 1.0
    assert report.keyword_accuracy is None and report.false_abstention is None
    assert report.latency_p50_ms is None
    assert json.dumps(report.to_dict())  # JSON-ready


def test_parse_questions_reads_the_shared_format_and_names_bad_lines() -> None:
    line = json.dumps(
        {
            "id": "dev-001",
            "question": "Hoe lang?",
            "answerable": True,
            "gold": [{"doc": "a.md", "quote": "drie maanden"}],
            "answer_keywords": ["drie"],
            "type": "keyword",
        }
    )
    (question,) = parse_questions([line, ""])
    assert question.gold == (Gold("a.md", "drie maanden"),)
    with pytest.raises(ValueError, match="regel 2"):
        parse_questions([line, '{"id": "x"}'])


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("root:x:0:0:root:/root:/bin/bash", "geen geldige JSON"),  # `eval /etc/passwd`
        ('{"id": "x"}', "het veld 'question' ontbreekt"),
        ("[1, 2]", "geen JSON-object"),
        ('{"id": "x", "question": "?", "gold": [3]}', "een veld heeft de verkeerde vorm"),
    ],
)
def test_a_bad_question_line_is_explained_in_dutch(line: str, reason: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_questions([line])
    assert str(raised.value) == f"regel 1: geen geldige vraag ({reason})"
