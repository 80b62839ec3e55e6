"""Scoring a question set (bench/corpora/README.md): retrieval, abstention, keywords, latency.

The rules follow the evaluation README: a question is a hit at rank k when one of the top-k
passages contains a gold quote (whitespace collapsed, case-insensitive) and comes from the same
document (identity = file name); keyword matching is case-insensitive and ignores separators
between digits. Everything here is pure: `score` takes the questions and what a system returned.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath
from typing import Any

KS = (1, 3, 5, 10)


@dataclass(frozen=True, slots=True)
class Gold:
    """A place where the answer is written: an exact quote in a document."""

    doc: str
    quote: str


@dataclass(frozen=True, slots=True)
class Question:
    """One evaluation question."""

    id: str
    question: str
    answerable: bool
    gold: tuple[Gold, ...] = ()
    answer_keywords: tuple[str, ...] = ()
    type: str = ""


@dataclass(frozen=True, slots=True)
class Retrieved:
    """One retrieved passage: the document it came from and its text."""

    doc: str
    text: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a system did with one question."""

    id: str
    passages: tuple[Retrieved, ...]  # ranked, best first
    abstained: bool | None = None  # None: the system does not answer (a retrieval baseline)
    answer: str | None = None
    seconds: float | None = None
    uncertain: bool = False  # answered with the caveat that it may not answer exactly this


@dataclass(frozen=True)
class Report:
    """Scores of one system on one question set; rates are None when nothing to count."""

    questions: int
    answerable: int
    unanswerable: int
    recall: dict[int, float | None]  # None (like mrr) when no answerable question was asked
    mrr: float | None
    keyword_accuracy: float | None
    abstention: float | None  # correct abstention on unanswerable questions
    false_abstention: float | None  # abstention on answerable questions
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    # of the answers given (not declined): the share said to be uncertain, answerable / not
    uncertain_answerable: float | None = None
    uncertain_unanswerable: float | None = None
    by_type: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (recall keys as "recall@k")."""
        data = asdict(self)
        data["recall"] = {f"recall@{k}": v for k, v in self.recall.items()}
        return data


def parse_questions(lines: Iterable[str]) -> list[Question]:
    """Parse a JSONL question file; raise ValueError naming the line on bad input."""
    questions: list[Question] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError:
            raise ValueError(f"regel {number}: geen geldige vraag (geen geldige JSON)") from None
        if not isinstance(raw, dict):
            raise ValueError(f"regel {number}: geen geldige vraag (geen JSON-object)")
        try:
            questions.append(
                Question(
                    id=str(raw["id"]),
                    question=str(raw["question"]),
                    answerable=bool(raw.get("answerable", True)),
                    gold=tuple(Gold(str(g["doc"]), str(g["quote"])) for g in raw.get("gold", [])),
                    answer_keywords=tuple(str(k) for k in raw.get("answer_keywords", [])),
                    type=str(raw.get("type", "")),
                )
            )
        except KeyError as exc:
            raise ValueError(
                f"regel {number}: geen geldige vraag (het veld {exc} ontbreekt)"
            ) from None
        except (ValueError, TypeError, AttributeError):
            raise ValueError(
                f"regel {number}: geen geldige vraag (een veld heeft de verkeerde vorm)"
            ) from None
    return questions


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _numnorm(text: str) -> str:
    return re.sub(r"(?<=\d)[.,\s](?=\d)", "", _norm(text))


def document_name(doc_id: str) -> str:
    """Return a document's identity for scoring: its file name."""
    return PurePosixPath(doc_id).name


def first_hit_rank(gold: Sequence[Gold], passages: Sequence[Retrieved], k: int = 10) -> int | None:
    """Return the 1-based rank of the first passage holding a gold quote of its document."""
    for rank, passage in enumerate(passages[:k], 1):
        text = _norm(passage.text)
        name = document_name(passage.doc)
        if any(document_name(g.doc) == name and _norm(g.quote) in text for g in gold):
            return rank
    return None


def keywords_ok(keywords: Sequence[str], answer: str) -> bool:
    """Return whether every keyword ("a|b" = either) occurs in the answer."""
    text = _numnorm(answer)
    return all(any(_numnorm(alt) in text for alt in kw.split("|")) for kw in keywords)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Return the q-th percentile (0..100, nearest rank) or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return ordered[index]


def score(questions: Sequence[Question], outcomes: Mapping[str, Outcome]) -> Report:
    """Score `outcomes` (by question id) against `questions`."""
    report = _score(questions, outcomes)
    types = sorted({q.type for q in questions})
    by_type = {}
    for kind in types:
        part = _score([q for q in questions if q.type == kind], outcomes)
        by_type[kind] = {
            "questions": part.questions,
            "recall@1": part.recall[1],
            "recall@5": part.recall[5],
            "mrr": part.mrr,
            "keyword_accuracy": part.keyword_accuracy,
            "abstention": part.abstention if part.unanswerable else part.false_abstention,
        }
    return Report(**{**asdict(report), "recall": report.recall, "by_type": by_type})


def _score(questions: Sequence[Question], outcomes: Mapping[str, Outcome]) -> Report:
    answerable = [q for q in questions if q.answerable]
    unanswerable = [q for q in questions if not q.answerable]
    empty = Outcome("", ())
    ranks = [first_hit_rank(q.gold, outcomes.get(q.id, empty).passages) for q in answerable]
    recall = {k: _rate(sum(1 for r in ranks if r is not None and r <= k), len(ranks)) for k in KS}
    mrr = _rate(sum(1.0 / r for r in ranks if r is not None), len(ranks))
    given = [outcomes.get(q.id, empty) for q in answerable]
    keywords = [
        keywords_ok(q.answer_keywords, o.answer)
        for q, o in zip(answerable, given, strict=True)
        if o.answer is not None
    ]
    abstained_wrong = [o.abstained for o in given if o.abstained is not None]
    abstained_ok = [
        o.abstained for q in unanswerable if (o := outcomes.get(q.id, empty)).abstained is not None
    ]
    latencies = [
        o.seconds * 1000 for q in questions if (o := outcomes.get(q.id, empty)).seconds is not None
    ]
    answered = {
        kind: [o.uncertain for q in part if (o := outcomes.get(q.id, empty)).abstained is False]
        for kind, part in (("answerable", answerable), ("unanswerable", unanswerable))
    }
    return Report(
        questions=len(questions),
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        recall=recall,
        mrr=mrr,
        keyword_accuracy=_rate(sum(keywords), len(keywords)),
        abstention=_rate(sum(abstained_ok), len(abstained_ok)),
        false_abstention=_rate(sum(abstained_wrong), len(abstained_wrong)),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        uncertain_answerable=_rate(sum(answered["answerable"]), len(answered["answerable"])),
        uncertain_unanswerable=_rate(sum(answered["unanswerable"]), len(answered["unanswerable"])),
    )


def _rate(count: float, total: int) -> float | None:
    return count / total if total else None
