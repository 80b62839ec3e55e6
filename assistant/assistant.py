"""The assistant: a question in, a cited extractive answer or an honest abstention out."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assistant.answer import MAX_ANSWER_CHARS, compose
from assistant.asked import asked_parts
from assistant.citations import number_citations, suggest_topics, within_chars
from assistant.compare import is_comparison, named_years
from assistant.errors import QuestionError
from assistant.features import (
    QUESTION_FEATURES,
    Extracted,
    FeatureExtractor,
    sentence_forms,
    weigh,
)
from assistant.followup import search_query
from assistant.model import AnswerModel, model_for, sigmoid
from assistant.notes import NoteFinder, with_notes
from assistant.rarity import warm_up
from assistant.search import FusionWeights, Retrieval, Searcher
from assistant.tables import with_table_headers
from assistant.types import Answer, Hit, Turn
from index.embed import Embedder
from index.store import LoadedIndex

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decision:
    """What the answer model made of a question's candidates."""

    extracted: Extracted
    probabilities: npt.NDArray[np.float64]  # per candidate: answers the question
    answerable: float  # probability that the documents answer the question


MAX_QUESTION_CHARS = 1000
_SURROGATE = re.compile("[\ud800-\udfff]")


def make_extractor(index: LoadedIndex, searcher: Searcher) -> FeatureExtractor:
    """Return the feature extractor of an index, its sentences analysed like passages."""
    table = index.sentences
    texts = (
        index.passages[int(row)].text[int(start) : int(end)]
        for row, start, end in zip(table.passage, table.start, table.end, strict=True)
    )
    stems = [frozenset(searcher.analyzer.document_terms(text)) for text in texts]
    return FeatureExtractor(
        index.passages,
        table,
        stems,
        searcher.passage_terms,
        sentence_forms(index.passages, table),
    )


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
        model: AnswerModel | None = None,
    ) -> None:
        self._index = index
        self.top_k = top_k
        self.max_question_chars = max_question_chars
        self.model = model or model_for(embedder.model_id)
        self.searcher = Searcher.of_index(index, embedder, weights)
        self.extractor = make_extractor(index, self.searcher)
        self.notes = NoteFinder(index.documents, index.passages)
        warm_up()

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

    def answers(self, text: str) -> bool:
        """Return whether `text`, asked as a question, would be answered rather than declined
        (a text refused as a question, empty or too long, counts as answered: nothing is said
        about it).

        The decision is `ask`'s (same retrieval, answer model and guards, `_answering`) without
        composing the answer, whose table headers, notes and citation numbers it does not need.
        """
        try:
            question = self._checked(text)
        except QuestionError:
            return True
        query = search_query(question, ())
        retrieval = self.searcher.retrieve(query)
        hits = self.searcher.hits(retrieval, self.top_k)
        return self._answering(self.decide(question, query, retrieval), hits)

    def decide(self, question: str, query: str, retrieval: Retrieval) -> Decision:
        """Return the candidates of a question, their probabilities and the answerability."""
        extracted = self.extractor.extract(question, query, retrieval)
        logits = self.model.sentence_logits(extracted)
        probabilities = np.array([sigmoid(float(x)) for x in logits])
        answerable = self.model.answerable_probability(extracted, logits)
        return Decision(extracted, probabilities, answerable)

    def _compose(
        self, question: str, query: str, retrieval: Retrieval, hits: tuple[Hit, ...]
    ) -> Answer:
        decision = self.decide(question, query, retrieval)
        if self._answering(decision, hits):
            parts = asked_parts(question)
            quotes = compose(
                decision.probabilities,
                decision.extracted.candidates,
                hits,
                self.model.selection_for(parts),
                over_time=is_comparison(question),
                years=named_years(question),
                texts=decision.extracted.texts,
                eligible=decision.extracted.eligible,
                parts=parts,
            )
            headed = with_table_headers(quotes, self._index.documents)
            # table headers and notes together add at most one sentence per composed one
            # (MAX_ANSWER_SENTENCES): the notes get what the headers left
            spare = len(quotes) - (len(headed) - len(quotes))
            quoted = within_chars(with_notes(headed, self.notes, limit=spare), MAX_ANSWER_CHARS)
            sentences, citations = number_citations(quoted)
            if sentences:
                return Answer(
                    question, sentences, citations, hits, False, (), self.index_version, query,
                    uncertain=self.model.uncertain(decision.answerable),
                )  # fmt: skip
        suggestions = suggest_topics(self._on_topic(query, retrieval, hits))
        return Answer(question, (), (), hits, True, suggestions, self.index_version, query)

    def _on_topic(self, query: str, retrieval: Retrieval, hits: Sequence[Hit]) -> list[Hit]:
        """Return the `hits` whose passage (with its title and section path) shows the
        question's topic (`has_topic`): a decline suggests only those. A question the documents
        do not touch ("hoe maak ik pannenkoeken?") gets no suggestions; the closest passages
        to it are arbitrary, whatever their rank."""
        weighted = weigh(query, retrieval.terms, retrieval.english)
        return [hit for hit in hits if weighted.has_topic(self.searcher.terms_of(hit.passage))]

    def _answering(self, decision: Decision, hits: Sequence[Hit]) -> bool:
        """Return whether a question is answered: passages were found, the answerability passes
        the model's threshold, the question's words are in them (`_no_evidence`), and there is a
        candidate sentence to quote. With one, the answer has sentences: `compose` always
        quotes the best candidate, and table headers, notes, the length cut and citation
        numbering keep the first quote, so `answers` need not compose to know."""
        return (
            bool(hits)
            and bool(decision.extracted.candidates)
            and not self._no_evidence(decision)
            and decision.answerable >= self.model.answer_threshold
        )

    @staticmethod
    def _no_evidence(decision: Decision) -> bool:
        """Return whether the passages read share no word with a Dutch question.

        An extractive answer quotes the documents; when not one content word of the question
        (typo-corrected, compounds split) occurs in the passages it would quote from, there is
        nothing to quote, whatever the models say. English questions are exempt: their words
        are not in Dutch text, and the dense evidence speaks for them. So is a question for a
        letter's signatory when a signature was read: a signature holds an office and a name,
        never the words of "wie heeft dit ondertekend?" (`index.signature`).
        """
        row = decision.extracted.question
        coverage = row[QUESTION_FEATURES.index("top_coverage")]
        english = row[QUESTION_FEATURES.index("english")]
        words = row[QUESTION_FEATURES.index("words")]
        if words == 0:
            return True
        if coverage > 0 or english:
            return False
        asked = decision.extracted.asked
        return "signatory" not in asked.kinds or not any(
            "signatory" in asked.answered_by(text) for text in decision.extracted.texts
        )

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
