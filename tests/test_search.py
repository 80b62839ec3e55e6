"""Hybrid search: fusion maths, recency, filters, over hand-made passages and a real FAISS index."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.errors import FilterError
from assistant.lexical import LexicalIndex
from assistant.search import (
    FusionWeights,
    Searcher,
    best_sentence_cosines,
    minmax,
    ranks,
    recency,
    rrf,
    score_fusion,
)
from index.embed import Embedder
from index.sentences import SentenceTable
from index.store import build_faiss_index
from index.types import DocumentMeta, Passage

DOCS = {
    "brief-2019.md": DocumentMeta("brief-2019.md", "Kamerbrief financiering", "2019-07-11"),
    "rapport-2020.md": DocumentMeta("rapport-2020.md", "Voortgangsrapportage 2020", "2020-10-30"),
}
TEXTS = [
    (
        "brief-2019.md",
        ("Financiering",),
        "Voor het Innovatiekrediet is 70 miljoen euro beschikbaar.",
    ),
    ("brief-2019.md", ("Personeel",), "Werkgevers kunnen subsidie krijgen voor een leerwerkplek."),
    (
        "rapport-2020.md",
        ("Financiering",),
        "Voor het Innovatiekrediet is 60 miljoen euro beschikbaar.",
    ),
    ("rapport-2020.md", ("Corona", "Loonkosten"), "De NOW is een tegemoetkoming in de loonkosten."),
    (
        "rapport-2020.md",
        ("Corona", "Vaste lasten"),
        "De TVL vergoedt een deel van de vaste lasten.",
    ),
]


def make_passages() -> list[Passage]:
    passages = []
    for n, (doc_id, section, text) in enumerate(TEXTS, 1):
        passages.append(Passage(f"{doc_id}/p{n}", doc_id, text, 0, len(text), 1, 1, section))
    return passages


@pytest.fixture
def searcher(fake_embedder: Embedder) -> Searcher:
    passages = make_passages()
    vectors = fake_embedder.embed_passages([p.text for p in passages])
    return Searcher(passages, DOCS, build_faiss_index(vectors), fake_embedder)


def test_ranks_are_one_based_best_first() -> None:
    assert ranks(np.array([0.1, 0.9, 0.5], dtype=np.float32)).tolist() == [3, 1, 2]


def test_rrf_rewards_agreement_and_scales_to_one() -> None:
    a = np.array([3.0, 2.0, 1.0], dtype=np.float32)
    b = np.array([1.0, 3.0, 2.0], dtype=np.float32)
    fused = rrf([(a, 1.0), (b, 1.0)], k=60)
    assert fused.argmax() == 1  # second in a, first in b beats first in a, third in b
    assert rrf([(a, 1.0), (a, 2.0)]).max() == pytest.approx(1.0)


def test_score_fusion_normalises_each_signal() -> None:
    assert minmax(np.array([2.0, 2.0], dtype=np.float32)).tolist() == [0.0, 0.0]
    dense = np.array([0.80, 0.82, 0.90], dtype=np.float32)
    lexical = np.array([30.0, 0.0, 10.0], dtype=np.float32)
    fused = score_fusion([(dense, 1.0), (lexical, 1.0)])
    assert fused.tolist() == pytest.approx([0.5, 0.1, 2 / 3])


def test_recency_orders_documents_by_date() -> None:
    metas = [DOCS["brief-2019.md"], DOCS["rapport-2020.md"], None]
    assert recency(metas).tolist() == [0.0, 1.0, 0.0]


def test_lexical_index_weights_terms_and_ignores_unknown_ones() -> None:
    index = LexicalIndex([["krediet", "innovatie"], ["loonkost"], []])
    scores = index.score({"krediet": 1.0, "onbekend": 1.0})
    assert scores[0] > 0 and scores[1] == scores[2] == 0
    half = index.score({"krediet": 0.5})
    assert half[0] == pytest.approx(scores[0] / 2)
    assert index.idf("onbekend") > index.idf("krediet")


def test_search_finds_the_passage_that_answers(searcher: Searcher) -> None:
    retrieval = searcher.retrieve("Wie helpt met de salarissen van mijn personeel in de crisis?")
    (best, *_) = searcher.hits(retrieval, 3)
    assert best.passage.id == "rapport-2020.md/p4"  # salarissen -> loonkosten


def test_a_recency_bonus_lets_the_newer_document_win_a_tie(searcher: Searcher) -> None:
    searcher.weights = FusionWeights(recency=0.03)  # the fitted default has no bonus
    retrieval = searcher.retrieve("budget innovatiekrediet")
    top = searcher.hits(retrieval, 2)
    assert [h.passage.doc_id for h in top] == ["rapport-2020.md", "brief-2019.md"]
    assert top[0].document.date == "2020-10-30"


def test_document_and_year_filters_restrict_the_hits(searcher: Searcher) -> None:
    only_2019 = searcher.hits(searcher.retrieve("innovatiekrediet", year=2019), 10)
    assert {h.passage.doc_id for h in only_2019} == {"brief-2019.md"}
    one_doc = searcher.hits(searcher.retrieve("innovatiekrediet", document="rapport-2020.md"), 10)
    assert {h.passage.doc_id for h in one_doc} == {"rapport-2020.md"}
    assert len(one_doc) == 3


def test_unknown_filter_values_raise_a_dutch_error(searcher: Searcher) -> None:
    with pytest.raises(FilterError, match="staat niet in de index") as unknown:
        searcher.retrieve("krediet", document="documents/rapport-2020.md")  # a path, not the id
    assert "zoals `mkb-assistent documents` die toont" in unknown.value.message
    assert repr(min(searcher.documents)) in unknown.value.message  # an id to follow
    with pytest.raises(FilterError, match="geen documenten uit 2017"):
        searcher.retrieve("krediet", year=2017)


def test_score_fusion_method_is_selectable(fake_embedder: Embedder) -> None:
    passages = make_passages()
    vectors = fake_embedder.embed_passages([p.text for p in passages])
    weights = FusionWeights(method="score")
    searcher = Searcher(passages, DOCS, build_faiss_index(vectors), fake_embedder, weights)
    retrieval = searcher.retrieve("vaste lasten huur")
    assert searcher.hits(retrieval, 1)[0].passage.id == "rapport-2020.md/p5"
    assert 0.0 <= float(retrieval.fused.max()) <= 1.0 + weights.recency


def _unit(*values: float) -> list[float]:
    vector = np.array(values, dtype=np.float32)
    return list(vector / np.linalg.norm(vector))


def test_best_sentence_cosines_take_each_passages_best_and_keep_a_bare_passage() -> None:
    # passage 0 has two sentences, passage 1 none, passage 2 one
    rows = [(0, 0, 5), (0, 6, 9), (2, 0, 4)]
    vectors = np.array([_unit(1, 0), _unit(0, 1), _unit(1, 1)], dtype=np.float32)
    table = SentenceTable.from_rows(3, rows, vectors)
    query = np.array(_unit(0, 1), dtype=np.float32)
    dense = np.array([0.5, 0.4, 0.3], dtype=np.float32)
    best = best_sentence_cosines(table, query, dense)
    np.testing.assert_allclose(best, [1.0, 0.4, np.sqrt(0.5)], atol=1e-6)
    empty = SentenceTable.from_rows(3, np.zeros((0, 3)), np.zeros((0, 2), dtype=np.float32))
    np.testing.assert_allclose(best_sentence_cosines(empty, query, dense), dense)


def test_the_sentence_share_lifts_a_passage_whose_sentence_answers(searcher: Searcher) -> None:
    dense = np.array([0.80, 0.70, 0.79, 0.10, 0.10], dtype=np.float32)
    sentence = np.array([0.80, 0.70, 0.95, 0.10, 0.10], dtype=np.float32)
    lexical = np.zeros(5, dtype=np.float32)
    searcher.weights = FusionWeights(sentence=0.0)
    assert int(np.argmax(searcher.fuse(dense, lexical, sentence=sentence))) == 0
    searcher.weights = FusionWeights(sentence=0.2)
    assert int(np.argmax(searcher.fuse(dense, lexical, sentence=sentence))) == 2
    assert int(np.argmax(searcher.fuse(dense, lexical))) == 0  # no table: passages alone
