"""The assistant: a question in, a cited extractive answer or an honest abstention out."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence

from assistant.abstain import (
    AbstentionPolicy,
    Evidence,
    future_year,
    numbered_names,
    policy_for,
    unknown_acronyms,
    unknown_edition,
    unknown_share,
)
from assistant.analyze import is_english
from assistant.answer import Composer, ExtractiveComposer
from assistant.asked import question_part
from assistant.citations import number_citations, suggest_topics
from assistant.errors import QuestionError
from assistant.followup import search_query
from assistant.search import FusionWeights, Retrieval, Searcher
from assistant.types import Answer, Hit, Turn
from index.embed import Embedder
from index.store import LoadedIndex

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
_SURROGATE = re.compile("[\ud800-\udfff]")
EVIDENCE_PASSAGES = 3  # a year in the question is looked up in this many top passages


def well_formed(text: str) -> str:
    """Return `text` with lone surrogates (ill-formed input, e.g. JSON "\\ud800") as U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


class Assistant:
    """Answers questions from one loaded index version; build once, ask many times."""

    def __init__(
        self,
        index: LoadedIndex,
        embedder: Embedder,
        *,
        top_k: int = 10,
        max_question_chars: int = MAX_QUESTION_CHARS,
        weights: FusionWeights | None = None,
        policy: AbstentionPolicy | None = None,
        composer: Composer | None = None,
    ) -> None:
        self._index = index
        self.top_k = top_k
        self.max_question_chars = max_question_chars
        self.policy = policy or policy_for(embedder.model_id)
        self._editions = numbered_names(doc.text for doc in index.documents.values())
        metas = {doc_id: doc.meta for doc_id, doc in index.documents.items()}
        self.searcher = Searcher(
            index.passages, metas, index.faiss_index, embedder, weights or FusionWeights()
        )
        self.composer: Composer = composer or ExtractiveComposer(
            self.searcher.analyzer, self.searcher.lexical.idf, index.passages, index.documents
        )

    @property
    def index_version(self) -> str:
        """Return the version name of the index this assistant answers from."""
        return self._index.version

    def search(
        self, query: str, k: int = 10, *, document: str | None = None, year: int | None = None
    ) -> list[Hit]:
        """Return the k best passages for `query` (hybrid ranking, filters applied)."""
        query = self._checked(query)
        retrieval = self.searcher.retrieve(query, document=document, year=year)
        return self.searcher.hits(retrieval, k)

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        *,
        document: str | None = None,
        year: int | None = None,
    ) -> Answer:
        """Answer `question` (a follow-up uses `history`) from the documents, or abstain."""
        started = time.perf_counter()
        question = self._checked(question)
        query = search_query(question, history)
        retrieval = self.searcher.retrieve(query, document=document, year=year)
        hits = tuple(self.searcher.hits(retrieval, self.top_k))
        answer = self._compose(question, query, retrieval, hits)
        logger.info(
            "answered in %d ms, %d hits, top %.2f%s",
            (time.perf_counter() - started) * 1000,
            len(hits),
            hits[0].score if hits else 0.0,
            ", abstained" if answer.abstained else "",
        )
        return answer

    def evidence(self, query: str, retrieval: Retrieval) -> Evidence:
        """Return the abstention evidence of a retrieval for `query`."""
        allowed = retrieval.dense[retrieval.allowed]
        top_rows = retrieval.top(retrieval.fused, EVIDENCE_PASSAGES)
        passages = [self.searcher.passage_terms[i] for i in top_rows]
        _, words = unknown_share(retrieval.terms)
        part = question_part(query)  # words of a situation sketch are often incidental
        asked_terms = retrieval.terms if part == query else self.searcher.analyzer.query_terms(part)
        share, _ = unknown_share(asked_terms)
        return Evidence(
            dense_top=float(allowed.max()) if allowed.size else 0.0,
            unknown_share=share,
            words=words,
            english=is_english(query),
            future_year=future_year(retrieval.terms, self.searcher.newest_year, passages),
            unknown_acronyms=unknown_acronyms(query, retrieval.terms),
            unknown_edition=unknown_edition(query, self._editions),
        )

    def _compose(
        self, question: str, query: str, retrieval: Retrieval, hits: tuple[Hit, ...]
    ) -> Answer:
        if hits and not self.policy.abstains(self.evidence(query, retrieval)):
            quotes = self.composer.compose(query, retrieval.terms, hits)
            sentences, citations = number_citations(quotes)
            if sentences:
                return Answer(question, sentences, citations, hits, False, (), self.index_version)
        return Answer(question, (), (), hits, True, suggest_topics(hits), self.index_version)

    def _checked(self, question: str) -> str:
        """Return the stripped question; raise QuestionError when empty or too long."""
        text = " ".join(well_formed(question).split())
        if not text:
            raise QuestionError("Stel een vraag: het vraagveld is leeg.")
        if len(text) > self.max_question_chars:
            raise QuestionError(
                f"Uw vraag is te lang ({len(text)} tekens). Houd het bij maximaal "
                f"{self.max_question_chars} tekens."
            )
        return text
