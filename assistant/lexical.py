"""BM25 over analysed passages (bm25s), scored with weighted query terms."""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache

import bm25s
import numpy as np
import numpy.typing as npt

Scores = npt.NDArray[np.float32]

K1 = 1.2
B = 0.75
TERM_CACHE_VALUES = 2_000_000  # 8 MB of float32 scores per index


class LexicalIndex:
    """A BM25 index over passages given as lists of stems (see `Analyzer.document_terms`)."""

    def __init__(self, documents: Sequence[Sequence[str]], *, k1: float = K1, b: float = B) -> None:
        # bm25s sets its own logger to DEBUG on import; let the application's config decide.
        logging.getLogger("bm25s").setLevel(logging.NOTSET)
        self._size = len(documents)
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        # bm25s needs at least one token per document; "" never occurs in a query.
        corpus = [list(terms) or [""] for terms in documents]
        if corpus:
            self._bm25.index(corpus, show_progress=False)
        self._vocab: frozenset[str] = frozenset(getattr(self._bm25, "vocab_dict", {}) or {})
        self._df: Counter[str] = Counter(t for terms in documents for t in set(terms))
        # Questions repeat their stems: keep each one's scores, TERM_CACHE_VALUES values in all.
        cached = max(16, TERM_CACHE_VALUES // max(1, self._size))
        self._term_scores = lru_cache(maxsize=cached)(self._term_scores_uncached)

    def __len__(self) -> int:
        return self._size

    def idf(self, term: str) -> float:
        """Return the BM25 inverse document frequency of a stem (highest for unseen stems)."""
        df = self._df.get(term, 0)
        return math.log(1.0 + (self._size - df + 0.5) / (df + 0.5))

    def score(self, terms: Mapping[str, float]) -> Scores:
        """Return the weighted BM25 score of every passage for the weighted query stems."""
        total = np.zeros(self._size, dtype=np.float32)
        for term, weight in terms.items():
            if weight > 0 and term in self._vocab:
                total += np.float32(weight) * self._term_scores(term)
        return total

    def _term_scores_uncached(self, term: str) -> Scores:
        scores: Scores = self._bm25.get_scores([term]).astype(np.float32)
        scores.flags.writeable = False
        return scores
