"""The fitted answer model: which sentences answer a question, and whether to answer at all.

Two logistic regressions, fitted by `bench/train.py` on the benchmark corpora and shipped as a
small JSON file of weights that numpy applies here:
- the sentence model scores each candidate sentence (`assistant.features.SENTENCE_FEATURES` and,
  for the embedder it was fitted with, the product of the sentence's and the question's
  vectors, `pair_vectors`);
- the answerability model reads `QUESTION_FEATURES`, the sentence model's best score and its
  margin, and (for the embedder it was fitted with) the question's own vector, and gives the
  probability that the documents answer the question. The vector lets it learn which kinds of
  question the documents of this genre rarely answer (a fee, a phone number, a next edition):
  on corpora left out of the fit it lifts the area under the ROC curve from 0.74 to 0.86 (mean
  over the corpora, `bench/ablation.py`). Its weight against the evidence features is fitted too
  (`bench/train.py`) and folded into the coefficients.
The selection thresholds (which extra sentences join the best one; one set for questions that
ask one thing, one for those that ask two, `assistant.asked.asked_parts`) and the answerability
threshold are fitted by the same script; see its docstring for how.

The dense features are on one embedding model's cosine scale, so a model file names the
embedder it was fitted for; `embedder = "*"` marks a model that uses no dense feature and fits
any embedder (the fallback).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assistant.errors import AssistantError
from assistant.features import QUESTION_FEATURES, SENTENCE_FEATURES, Extracted

FORMAT = "mkb-assistent/answer-model"
FORMAT_VERSION = 1
ANY_EMBEDDER = "*"
MODELS_DIR = Path(__file__).parent / "models"
QUERY_VECTOR = "query_vector"  # the question's embedding, appended after the named features
SCORE_FEATURES = ("best_score", "score_margin")  # from the sentence model, for answerability

Matrix = npt.NDArray[np.float64]


class AnswerModelError(AssistantError):
    """The answer model file is missing, damaged or does not fit this version."""


@dataclass(frozen=True)
class LinearModel:
    """A logistic regression on standardised features: sigmoid(((x - mean) / scale) . coef + b).

    `features` names the columns it reads; with `query_vector`, vectors follow them: the
    question's embedding in the answerability model, the candidates' `pair_vectors` in the
    sentence model (`sentence_logits` gives each model its own). With a `vector_gate` (a
    feature between 0 and 1), the vector is multiplied by one minus that feature before it is
    standardised: the question's vector is a prior on the kind of question, and it weighs in
    only as far as the evidence (e.g. the share of the question's words found near each other
    in a passage) leaves the question unexplained. A question whose words all stand in one
    sentence is then judged on that evidence, whatever its topic, so a document on a subject
    the model never saw can still answer. `bench/train.py` chooses the gate, or none, by
    left-out log-loss.
    """

    features: tuple[str, ...]
    mean: Matrix
    scale: Matrix
    coef: Matrix
    intercept: float
    query_vector: bool = False
    vector_gate: str | None = None

    def logits(self, table: Matrix, names: Sequence[str], vectors: Matrix | None = None) -> Matrix:
        """Return the logit of every row of `table` (columns named by `names`); `vectors` are
        the rows' query vectors, needed when the model reads them."""
        index = {name: i for i, name in enumerate(names)}
        columns = table[:, [index[f] for f in self.features]]
        if self.query_vector:
            if vectors is None or len(vectors) != len(columns):
                raise ValueError("this model needs the query vectors")
            if columns.shape[1] + vectors.shape[1] != len(self.coef):
                raise AnswerModelError(
                    "Het antwoordmodel past niet bij dit taalmodel (andere vectorlengte); "
                    "train het opnieuw met `.venv/bin/python bench/train.py`."
                )
            if self.vector_gate is not None:
                vectors = gated(vectors, table[:, index[self.vector_gate]])
            columns = np.hstack([columns, vectors])
        result: Matrix = ((columns - self.mean) / self.scale) @ self.coef + self.intercept
        return result

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "features": list(self.features),
            "query_vector": self.query_vector,
            "vector_gate": self.vector_gate,
            "mean": _rounded(self.mean),
            "scale": _rounded(self.scale),
            "coef": _rounded(self.coef),
            "intercept": round(self.intercept, 6),
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], known: Sequence[str]) -> LinearModel:
        """Parse the JSON form; raise ValueError when it does not fit the `known` features."""
        features = tuple(str(f) for f in raw["features"])
        unknown = [f for f in features if f not in known]
        if unknown:
            raise ValueError(f"unknown features {unknown}")
        query_vector = bool(raw.get("query_vector", False))
        gate = raw.get("vector_gate")
        if gate is not None and (not query_vector or gate not in known):
            raise ValueError(f"a vector gate {gate!r} that this version does not know")
        mean, scale, coef = (
            np.asarray(raw[k], dtype=np.float64) for k in ("mean", "scale", "coef")
        )
        width = len(features)
        if query_vector:
            width = len(coef)
            if width <= len(features):
                raise ValueError("no weights for the query vector")
        if not (mean.shape == scale.shape == coef.shape == (width,)):
            raise ValueError("weights of different lengths")
        if not (np.all(np.isfinite(coef)) and np.all(np.isfinite(mean))):
            raise ValueError("weights that are not finite numbers")
        if not np.all(scale > 0):
            raise ValueError("a scale that is not positive")
        return cls(
            features, mean, scale, coef, float(raw["intercept"]), query_vector,
            None if gate is None else str(gate),
        )  # fmt: skip


@dataclass(frozen=True)
class Selection:
    """Which sentences join the best one: those with a probability of at least `min_probability`
    and at least `ratio` times the best one's, up to `max_sentences` chosen for their content (a
    context sentence may be added to one that refers back)."""

    min_probability: float
    ratio: float
    max_sentences: int


@dataclass(frozen=True)
class AnswerModel:
    """The sentence model, the answerability model and their fitted thresholds."""

    embedder: str
    sentence: LinearModel
    answerable: LinearModel
    answer_threshold: float  # answer when the answerability probability reaches this
    selection: Selection  # for a question that asks one thing
    fitted: Mapping[str, Any]  # how and on what it was fitted (for the README and `eval`)
    selection_two_parts: Selection | None = None  # ... two things (None: the same)
    # below this (and at or above answer_threshold) an answer is given but marked uncertain;
    # None: never (a model file of before this threshold)
    hedge_threshold: float | None = None

    def uncertain(self, answerable: float) -> bool:
        """Return whether an answer given with answerability `answerable` is uncertain: the
        balanced threshold (`bench/train.py`, 3.) would have declined it."""
        return self.hedge_threshold is not None and answerable < self.hedge_threshold

    def selection_for(self, parts: int) -> Selection:
        """Return the selection for a question that asks `parts` things."""
        if parts > 1 and self.selection_two_parts is not None:
            return self.selection_two_parts
        return self.selection

    def sentence_logits(self, extracted: Extracted) -> Matrix:
        """Return the sentence model's logit for every candidate."""
        return sentence_logits(self.sentence, extracted)

    def answerable_probability(self, extracted: Extracted, logits: Matrix) -> float:
        """Return the probability that the documents answer the question."""
        row = np.concatenate([extracted.question, score_features(logits)])
        names = (*QUESTION_FEATURES, *SCORE_FEATURES)
        vectors = extracted.query_vector.reshape(1, -1)
        logit = float(self.answerable.logits(row.reshape(1, -1), names, vectors)[0])
        return sigmoid(logit)

    def to_json(self) -> str:
        """Return the model file's text."""
        data = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "embedder": self.embedder,
            "sentence": self.sentence.to_dict(),
            "answerable": self.answerable.to_dict(),
            "answer_threshold": round(self.answer_threshold, 6),
            **(
                {"hedge_threshold": round(self.hedge_threshold, 6)}
                if self.hedge_threshold is not None
                else {}
            ),
            "selection": _selection_dict(self.selection),
            **(
                {"selection_two_parts": _selection_dict(self.selection_two_parts)}
                if self.selection_two_parts is not None
                else {}
            ),
            "fitted": dict(self.fitted),
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _selection_dict(selection: Selection) -> dict[str, Any]:
    return {
        "min_probability": round(selection.min_probability, 6),
        "ratio": round(selection.ratio, 6),
        "max_sentences": selection.max_sentences,
    }


def _parse_selection(raw: Mapping[str, Any]) -> Selection:
    return Selection(float(raw["min_probability"]), float(raw["ratio"]), int(raw["max_sentences"]))


def sentence_logits(model: LinearModel, extracted: Extracted) -> Matrix:
    """Return the logit of every candidate under a sentence model (the shipped one, or one that
    `bench/train.py` fits), with the pair vectors when it reads them."""
    if not extracted.candidates:
        return np.zeros(0)
    vectors = pair_vectors(extracted) if model.query_vector else None
    return model.logits(extracted.sentence, SENTENCE_FEATURES, vectors)


def pair_vectors(extracted: Extracted) -> Matrix:
    """Return per candidate its sentence vector times the question's, element by element: what
    the sentence model reads beside its features when its file says `query_vector`.

    Their sum is the cosine; apart, a fitted weight per dimension lets the model learn which
    of the embedding's directions a question and its answer share, beyond likeness (README,
    "Answer model", and `docs/answer-model-history.md`, "Since commit 86a0b11"). Its weight
    against the features is fitted by `bench/train.py` (1.) and folded into the coefficients."""
    result: Matrix = extracted.vectors * extracted.query_vector[None, :]
    return result


def gated(vectors: Matrix, gate: Matrix) -> Matrix:
    """Return `vectors` (one row each) times one minus the row's `gate` value, clipped to 0..1."""
    weight: Matrix = 1.0 - np.clip(gate, 0.0, 1.0)
    result: Matrix = vectors * weight[:, None]
    return result


def score_features(logits: Matrix) -> Matrix:
    """Return the sentence model's best logit and its margin over the second (0 if alone)."""
    if logits.size == 0:
        return np.array([-10.0, 0.0])  # no candidate at all: as unlikely as a sentence gets
    ordered = np.sort(logits)[::-1]
    margin = float(ordered[0] - ordered[1]) if ordered.size > 1 else 0.0
    return np.array([float(ordered[0]), margin])


def sigmoid(x: float) -> float:
    """Return the logistic function of `x`, safe for large magnitudes."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def parse_model(text: str, origin: str) -> AnswerModel:
    """Parse a model file's text; raise AnswerModelError (Dutch) when it is not a valid model."""
    try:
        raw = json.loads(text)
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise ValueError("not an answer model")
        if raw.get("format_version") != FORMAT_VERSION:
            raise AnswerModelError(
                f"Het antwoordmodel {origin} heeft formaatversie {raw.get('format_version')!r}; "
                f"deze versie van MKB-assistent leest versie {FORMAT_VERSION}. Train het opnieuw "
                "met `.venv/bin/python bench/train.py`."
            )
        two_parts = raw.get("selection_two_parts")
        hedge = raw.get("hedge_threshold")
        model = AnswerModel(
            embedder=str(raw["embedder"]),
            sentence=LinearModel.from_dict(raw["sentence"], SENTENCE_FEATURES),
            answerable=LinearModel.from_dict(
                raw["answerable"], (*QUESTION_FEATURES, *SCORE_FEATURES)
            ),
            answer_threshold=float(raw["answer_threshold"]),
            selection=_parse_selection(raw["selection"]),
            fitted=dict(raw.get("fitted", {})),
            selection_two_parts=None if two_parts is None else _parse_selection(two_parts),
            hedge_threshold=None if hedge is None else float(hedge),
        )
    except AnswerModelError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise AnswerModelError(
            f"Het antwoordmodel {origin} is beschadigd of onleesbaar ({exc}). Zet het bestand "
            "terug (git checkout) of train het opnieuw met `.venv/bin/python bench/train.py`."
        ) from None
    selections = (model.selection, model.selection_for(2))
    hedge_ok = model.hedge_threshold is None or (
        model.answer_threshold <= model.hedge_threshold <= 1.0
    )
    if not (
        0.0 <= model.answer_threshold <= 1.0
        and hedge_ok
        and all(s.max_sentences >= 1 for s in selections)
    ):
        raise AnswerModelError(f"Het antwoordmodel {origin} heeft ongeldige drempels.")
    return model


def load_model(path: Path) -> AnswerModel:
    """Read and parse a model file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnswerModelError(
            f"Het antwoordmodel {path} kan niet worden gelezen ({exc})."
        ) from None
    return parse_model(text, str(path))


def model_for(embedder_id: str, models_dir: Path = MODELS_DIR) -> AnswerModel:
    """Return the shipped model fitted for `embedder_id`, else the one that fits any embedder."""
    fallback: AnswerModel | None = None
    for path in sorted(models_dir.glob("*.json")):
        model = load_model(path)
        if model.embedder == embedder_id:
            return model
        if model.embedder == ANY_EMBEDDER:
            fallback = model
    if fallback is None:
        raise AnswerModelError(
            f"Geen antwoordmodel voor taalmodel {embedder_id} in {models_dir}; train er een met "
            "`.venv/bin/python bench/train.py`."
        )
    return fallback


def _rounded(values: Matrix) -> list[float]:
    return [round(float(v), 6) for v in values]
