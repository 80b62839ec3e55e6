"""Hybrid retrieval: dense (FAISS) + lexical (BM25) scores, fused, filtered, recency-aware."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from assistant.analyze import Analyzer, QueryTerms, Synonyms, is_english
from assistant.errors import FilterError
from assistant.lexical import LexicalIndex, Scores
from assistant.types import Hit
from index.embed import Embedder
from index.sentences import SentenceTable
from index.store import LoadedIndex
from index.types import DocumentMeta, Passage

logger = logging.getLogger(__name__)

Mask = npt.NDArray[np.bool_]
QUERY_CACHE = 2048  # question vectors kept (1.5 kB each with 384 dimensions: 3 MB at most)
LEXICAL_ENGLISH = 0.0  # fitted: `bench/retrieval.py --fit` (English questions, mean MRR@10)
SENTENCE = 0.3  # fitted: `bench/retrieval.py --fit` (the best-sentence share of the dense side)


@dataclass(frozen=True, slots=True)
class FusionWeights:
    """How dense and lexical evidence are combined (see `Searcher.fuse`).

    Fitted with `bench/retrieval.py --fit` on the five fitting benchmark corpora: min-max
    normalised score fusion with the lexical side at 0.7 and a dense side that is 0.7 x the
    passage's cosine + 0.3 x its best sentence's has the best mean MRR@10 (0.861; 0.860 with
    the share 0.2 of earlier fits, a near tie that moves as the corpora change). The surface is
    flat (0.83-0.86 over the grid); weighted reciprocal rank fusion (`method="rrf"`) is kept for
    comparison. No recency bonus is fitted (`bench/retrieval.py`, RECENCY_GRID): added to
    normalised scores whose scale moves with the corpus, it made the passages read for a
    question change when unrelated documents were indexed.

    An English question (`analyze.is_english`) shares few words with Dutch documents beyond
    names, so its lexical side is mostly noise: `lexical_english` is its own weight, fitted by
    the same script on the corpora's English questions alone (see README, "Retrieval").
    """

    dense: float = 1.0
    lexical: float = 0.7
    lexical_english: float = LEXICAL_ENGLISH
    # The dense side is (1 - sentence) x the passage's cosine + sentence x its best sentence's:
    # a passage whose one sentence says what the question asks ranks higher (see README).
    sentence: float = SENTENCE
    recency: float = 0.0  # bonus for the newest document, scaled down for older ones
    rrf_k: int = 60
    method: str = "score"  # "score" (min-max normalised scores) or "rrf" (reciprocal rank)


def passage_context(passage: Passage, meta: DocumentMeta | None) -> str:
    """Return the text lexical search indexes for a passage: title, section path, text."""
    title = meta.title if meta else ""
    return f"{title}\n{passage.section_path}\n{passage.text}"


def ranks(scores: Scores) -> npt.NDArray[np.int64]:
    """Return the 1-based rank of every entry when sorted by score, best first."""
    order = np.argsort(-scores, kind="stable")
    out = np.empty(len(scores), dtype=np.int64)
    out[order] = np.arange(1, len(scores) + 1)
    return out


def rrf(parts: Sequence[tuple[Scores, float]], k: int = 60) -> Scores:
    """Fuse score arrays by weighted reciprocal rank: sum of weight / (k + rank)."""
    total = np.zeros(len(parts[0][0]), dtype=np.float64)
    for scores, weight in parts:
        total += weight / (k + ranks(scores))
    # scale so that a passage ranked first everywhere scores 1.0
    best = sum(weight / (k + 1) for _, weight in parts)
    return (total / best).astype(np.float32)


def minmax(scores: Scores) -> Scores:
    """Scale scores to 0..1 (all zeros when they are all equal)."""
    if scores.size == 0:
        return scores
    low, high = float(scores.min()), float(scores.max())
    if high - low <= 1e-9:
        return np.zeros_like(scores)
    return ((scores - low) / (high - low)).astype(np.float32)


def score_fusion(parts: Sequence[tuple[Scores, float]]) -> Scores:
    """Fuse score arrays as the weighted mean of their min-max normalised values."""
    total = sum(weight for _, weight in parts) or 1.0
    fused = sum(weight * minmax(scores) for scores, weight in parts)
    return (np.asarray(fused, dtype=np.float32) / np.float32(total)).astype(np.float32)


def recency(metas: Sequence[DocumentMeta | None]) -> Scores:
    """Return per passage 0..1: how recent its document is among all documents (1 = newest)."""
    dates = sorted({m.date for m in metas if m is not None and m.date})
    if len(dates) < 2:
        return np.zeros(len(metas), dtype=np.float32)
    position = {d: i / (len(dates) - 1) for i, d in enumerate(dates)}
    return np.array(
        [position.get(m.date, 0.0) if m and m.date else 0.0 for m in metas], dtype=np.float32
    )


@dataclass(frozen=True)
class Retrieval:
    """Every score of one query, per passage row; `fused` decides the final ranking."""

    terms: QueryTerms
    dense: Scores
    lexical: Scores
    fused: Scores
    allowed: Mask
    vector: Scores  # the query's unit vector (zeros for an empty index)
    english: bool = False  # the query is English (`analyze.is_english`): fused accordingly
    sentence: Scores | None = None  # per passage: its best sentence's cosine (None: no table)

    def top(self, scores: Scores, k: int) -> list[int]:
        """Return the rows of the k best allowed passages by `scores`."""
        masked = np.where(self.allowed, scores, -np.inf)
        order = np.argsort(-masked, kind="stable")[:k]
        return [int(i) for i in order if np.isfinite(masked[i])]


class Searcher:
    """Scores passages for a query; everything query-independent is computed once here."""

    def __init__(
        self,
        passages: Sequence[Passage],
        documents: Mapping[str, DocumentMeta],
        faiss_index: Any,
        embedder: Embedder,
        weights: FusionWeights = FusionWeights(),
        synonyms: Synonyms | None = None,
        sentences: SentenceTable | None = None,
    ) -> None:
        self.passages = tuple(passages)
        self._sentences = sentences
        self.documents = dict(documents)
        self.weights = weights
        self._faiss = faiss_index
        self._embedder = embedder
        metas = [self.documents.get(p.doc_id) for p in self.passages]
        contexts = [passage_context(p, m) for p, m in zip(self.passages, metas, strict=True)]
        self.analyzer = Analyzer.from_texts(contexts, synonyms)
        terms = [self.analyzer.document_terms(c) for c in contexts]
        self.lexical = LexicalIndex(terms)
        self.passage_terms = [frozenset(t) for t in terms]
        self._row = {p.id: row for row, p in enumerate(self.passages)}
        self._recency = recency(metas)
        self._doc_ids = np.array([p.doc_id for p in self.passages], dtype=object)
        self._years = np.array([_year(m) for m in metas], dtype=np.int64)
        self.newest_year = int(self._years.max()) if len(self._years) else 0
        # Example questions are clicked again and again: their vectors are kept.
        self._query_vector = lru_cache(maxsize=QUERY_CACHE)(self._embed_query)

    @classmethod
    def of_index(
        cls,
        index: LoadedIndex,
        embedder: Embedder,
        weights: FusionWeights | None = None,
        synonyms: Synonyms | None = None,
    ) -> Searcher:
        """Return the searcher of a loaded index as the assistant uses it: with its documents'
        metadata and its sentence table (each passage's best sentence weighs in the fusion)."""
        metas = {doc_id: doc.meta for doc_id, doc in index.documents.items()}
        return cls(
            index.passages, metas, index.faiss_index, embedder, weights or FusionWeights(),
            synonyms, index.sentences,
        )  # fmt: skip

    def query_vector(self, query: str) -> Scores:
        """Return the unit vector of a query (kept for the most recent queries)."""
        return self._query_vector(query)

    def _embed_query(self, query: str) -> Scores:
        vector = np.ascontiguousarray(self._embedder.embed_query(query), dtype=np.float32)
        vector.flags.writeable = False  # shared by every request that asks the same
        return vector

    def retrieve(
        self, query: str, *, document: str | None = None, year: int | None = None
    ) -> Retrieval:
        """Score every passage for `query`, restricted to the filters."""
        terms = self.analyzer.query_terms(query)
        vector, dense = self._dense(query)
        sentence = None
        if self._sentences is not None and len(dense):
            sentence = best_sentence_cosines(self._sentences, vector, dense)
        lexical = self.lexical.score(terms.weights)
        english = is_english(query)
        fused = self.fuse(dense, lexical, english=english, sentence=sentence)
        allowed = self.mask(document=document, year=year)
        return Retrieval(terms, dense, lexical, fused, allowed, vector, english, sentence)

    def fuse(
        self,
        dense: Scores,
        lexical: Scores,
        *,
        english: bool = False,
        sentence: Scores | None = None,
    ) -> Scores:
        """Combine dense and lexical scores (of an English query: with the English lexical
        weight) and add the recency bonus. With `sentence` (each passage's best sentence
        cosine), the dense side mixes it in by the `sentence` weight."""
        w = self.weights
        if sentence is not None and w.sentence:
            dense = ((1.0 - w.sentence) * dense + w.sentence * sentence).astype(np.float32)
        parts = [(dense, w.dense), (lexical, w.lexical_english if english else w.lexical)]
        fused = rrf(parts, w.rrf_k) if w.method == "rrf" else score_fusion(parts)
        return (fused + np.float32(w.recency) * self._recency).astype(np.float32)

    def mask(self, *, document: str | None = None, year: int | None = None) -> Mask:
        """Return which passages pass the filters; unknown filter values raise FilterError."""
        allowed = np.ones(len(self.passages), dtype=np.bool_)
        if document:
            if document not in self.documents:
                raise FilterError(
                    f"Het document {document!r} staat niet in de index. Geef de naam zoals "
                    "`mkb-assistent documents` die toont (het pad binnen de documentenmap), "
                    f"bijvoorbeeld {min(self.documents)!r}."
                    if self.documents
                    else f"Het document {document!r} staat niet in de index."
                )
            allowed &= self._doc_ids == document
        if year is not None:
            allowed &= self._years == year
            if not allowed.any():
                raise FilterError(f"Er zijn geen documenten uit {year} die aan het filter voldoen.")
        return allowed

    def terms_of(self, passage: Passage) -> frozenset[str]:
        """Return the stems indexed for a passage of this index, with its title and section
        path (`passage_context`), as made once at start-up."""
        return self.passage_terms[self._row[passage.id]]

    def hits(self, retrieval: Retrieval, k: int, scores: Scores | None = None) -> list[Hit]:
        """Return the top-k allowed passages as hits (by fused score unless `scores` given)."""
        chosen = retrieval.fused if scores is None else scores
        return [
            Hit(self.passages[i], self.documents[self.passages[i].doc_id], float(chosen[i]))
            for i in retrieval.top(chosen, k)
        ]

    def _dense(self, query: str) -> tuple[Scores, Scores]:
        """Return the query's vector and its cosine similarity to every passage."""
        n = len(self.passages)
        scores = np.zeros(n, dtype=np.float32)
        if n == 0:
            return np.zeros(self._embedder.dim, dtype=np.float32), scores
        vector = self._query_vector(query)
        similarities, rows = self._faiss.search(vector.reshape(1, -1), n)
        valid = rows[0] >= 0
        scores[rows[0][valid]] = similarities[0][valid]
        return vector, scores


def best_sentence_cosines(table: SentenceTable, vector: Scores, dense: Scores) -> Scores:
    """Return per passage the cosine of its best sentence with `vector`; a passage without
    body sentences keeps its own cosine from `dense`."""
    out = dense.astype(np.float32, copy=True)
    if len(table) == 0:
        return out
    # einsum, not `@`: a BLAS matrix-vector product this size starts OpenBLAS's threads, whose
    # spinning afterwards doubled the next question embedding (12 -> 25 ms measured on 2 cores).
    cosines = np.einsum("ij,j->i", table.vectors, vector.astype(np.float32))
    starts = table.first[:-1]
    has = table.first[1:] > starts
    out[has] = np.maximum.reduceat(cosines, starts[has])
    return out


def _year(meta: DocumentMeta | None) -> int:
    if meta is None or not meta.date or not meta.date[:4].isdigit():
        return 0
    return int(meta.date[:4])
