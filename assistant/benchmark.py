"""Run a question set through the assistant and two retrieval baselines, then score all three."""

from __future__ import annotations

import time
from collections.abc import Sequence

from assistant.assistant import Assistant
from assistant.evaluate import Outcome, Question, Report, Retrieved, score
from assistant.types import Hit

METHODS = ("hybride", "bm25", "dense")
WARM_UP = "MKB-actieplan"


def _retrieved(hits: Sequence[Hit]) -> tuple[Retrieved, ...]:
    return tuple(Retrieved(h.passage.doc_id, h.passage.text) for h in hits)


def run_questions(
    assistant: Assistant, questions: Sequence[Question], k: int = 10
) -> dict[str, dict[str, Outcome]]:
    """Ask every question; return per method ("hybride", "bm25", "dense") the outcomes by id."""
    outcomes: dict[str, dict[str, Outcome]] = {m: {} for m in METHODS}
    assistant.search(WARM_UP)  # the model's first call allocates its buffers; not a question
    for q in questions:
        started = time.perf_counter()
        answer = assistant.ask(q.question)
        seconds = time.perf_counter() - started
        outcomes["hybride"][q.id] = Outcome(
            q.id, _retrieved(answer.hits[:k]), answer.abstained, answer.text, seconds,
            answer.uncertain,
        )  # fmt: skip
        retrieval = assistant.searcher.retrieve(q.question)
        for method, scores in (("bm25", retrieval.lexical), ("dense", retrieval.dense)):
            hits = assistant.searcher.hits(retrieval, k, scores)
            outcomes[method][q.id] = Outcome(q.id, _retrieved(hits))
    return outcomes


def evaluate(assistant: Assistant, questions: Sequence[Question]) -> dict[str, Report]:
    """Score the assistant and both baselines on `questions`."""
    outcomes = run_questions(assistant, questions)
    return {method: score(questions, outcomes[method]) for method in METHODS}
