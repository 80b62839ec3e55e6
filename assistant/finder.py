"""The situation finder: which scheme cards fit an entrepreneur's situation, best first, each
with the sentence that fits it best.

A situation is the boxes ticked on the form ("zzp'er", "omzet weggevallen", ...) and free text.
Every card is scored against it on the sentences the documents write about the scheme: dense
(the question's vector against each sentence's vector in the index) and lexical (BM25 over the
same analysed Dutch as passage search), fused the way passage search fuses them
(`FusionWeights`, fitted by `bench/retrieval.py`). A card's score is its best sentence's; that
sentence, quoted, is why it fits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assistant.analyze import Analyzer
from assistant.lexical import LexicalIndex
from assistant.search import FusionWeights, score_fusion
from assistant.types import Answer
from index.scheme_text import CELL_SEPARATOR
from index.scheme_types import Quote, SchemeCard
from index.sentences import SentenceTable
from index.store import LoadedIndex
from index.types import Passage

Vector = npt.NDArray[np.float32]
EmbedQuery = Callable[[str], Vector]

# The form's choices: a key (in URLs and the API), the label shown, and what the choice means in
# the words Dutch documents use for it (general vocabulary, written for the form).
WHO: dict[str, tuple[str, str]] = {
    "zzp": ("zzp'er", "zzp'er zelfstandige zonder personeel zelfstandig ondernemer inkomen"),
    "personeel": ("ondernemer met personeel", "werkgever met personeel werknemers in loondienst"),
    "startup": ("startup of scale-up", "startup scale-up snelgroeiend innovatief investeerders"),
    "agrarisch": ("agrarisch ondernemer", "agrarisch ondernemer landbouw boer tuinder"),
    "anders": ("anders", ""),
}
CONCERNS: dict[str, tuple[str, str]] = {
    "omzet": ("omzet weggevallen", "omzet weggevallen omzetverlies"),
    "vaste-lasten": ("vaste lasten", "vaste lasten zoals huur betalen"),
    "loonkosten": ("loonkosten", "loonkosten loonsom salarissen doorbetalen"),
    "lenen": ("geld lenen", "geld lenen lening krediet bank financiering"),
    "belasting": ("belasting betalen", "belasting betalen uitstel van betaling"),
    "innoveren": ("innoveren of investeren", "innoveren investeren innovatie ontwikkeling"),
    "opleiden": ("personeel opleiden", "personeel opleiden scholing leren ontwikkelen"),
}
MAX_TEXT_CHARS = 1000
# Said above the nearest cards when the documents do not speak of a situation (`documents_cover`).
NOT_COVERED = "Wat u beschrijft, staat niet duidelijk in de documenten."
CHAT_CARDS = 3  # cards under a chat answer: a few, so that the answer stays the main thing


@dataclass(frozen=True, slots=True)
class Situation:
    """What an entrepreneur told the finder."""

    who: tuple[str, ...] = ()  # keys of WHO
    concerns: tuple[str, ...] = ()  # keys of CONCERNS
    text: str = ""

    def query(self) -> str:
        """Return the situation as one Dutch text to search with."""
        parts = [WHO[w][1] for w in self.who if w in WHO]
        parts += [CONCERNS[c][1] for c in self.concerns if c in CONCERNS]
        parts.append(self.text)
        return " ".join(" ".join(p for p in parts if p).split())

    @property
    def empty(self) -> bool:
        """Return whether nothing was told."""
        return not self.query()

    @property
    def only_words(self) -> bool:
        """Return whether the situation is told in free text alone: no box that means something
        was ticked ("anders" means nothing)."""
        boxes = any(WHO.get(w, ("", ""))[1] for w in self.who) or any(
            c in CONCERNS for c in self.concerns
        )
        return bool(self.text.strip()) and not boxes


def documents_cover(situation: Situation, answers: Callable[[str], bool]) -> bool:
    """Return whether the documents speak of a situation, so that the best cards fit it.

    Each of the form's boxes names a subject the documents are about. A situation told in words
    alone ("ik wil een hond kopen voor in de winkel") is covered when the assistant would answer
    it (`answers`: its fitted answerability model and guard), not by a threshold on the finder's
    own scores, whose scale depends on the corpus; the finder still ranks the nearest cards.
    """
    return not situation.only_words or answers(situation.text)


@dataclass(frozen=True, slots=True)
class Fit:
    """A card, how well it fits (0..1, higher is better) and the sentence that fits best."""

    card: SchemeCard
    score: float
    why: Quote


class Finder:
    """Ranks the scheme cards of one index version; build once per version."""

    def __init__(
        self,
        cards: Sequence[SchemeCard],
        passages: Sequence[Passage],
        sentences: SentenceTable,
        embed_query: EmbedQuery | None,
        weights: FusionWeights | None = None,
    ) -> None:
        self.cards = tuple(cards)
        self._embed = embed_query
        self._weights = weights or FusionWeights()
        self._quotes: list[Quote] = []
        owner: list[int] = []
        for index, card in enumerate(self.cards):
            for quote in _unique(card.sentences):
                self._quotes.append(quote)
                owner.append(index)
        self._owner = np.array(owner, dtype=np.int64)
        self._is_row = np.array([CELL_SEPARATOR in q.text for q in self._quotes], dtype=bool)
        texts = [
            f"{self.cards[o].label}\n{q.text}" for q, o in zip(self._quotes, owner, strict=True)
        ]
        self._analyzer = Analyzer.from_texts(texts)
        self._lexical = LexicalIndex([self._analyzer.document_terms(t) for t in texts])
        self._vectors = _sentence_vectors(self._quotes, passages, sentences)
        self._passages_of = [frozenset(q.passage_id for q in c.sentences) for c in self.cards]

    @classmethod
    def of_index(cls, index: LoadedIndex, embed_query: EmbedQuery | None) -> Finder:
        """Return the finder of an index version's cards (`embed_query`: the question embedder,
        best a cached one such as `Searcher.query_vector`; None ranks by words alone)."""
        return cls(index.schemes, index.passages, index.sentences, embed_query)

    def rank(self, situation: Situation) -> list[Fit]:
        """Return every card with its score and reason, best first (the documents' order when
        the situation is empty)."""
        return [fit for _, fit in self._ranked(situation)]

    def for_answer(
        self, answer: Answer, query: str | None = None, limit: int = CHAT_CARDS
    ) -> list[Fit]:
        """Return the cards of the schemes an answer quotes from, best fitting the question
        first (`query`: what was searched, `Answer.query`, a follow-up with the turns it leans on;
        the question when not given); none when the assistant abstained."""
        if answer.abstained or not answer.citations:
            return []
        cited = {c.passage.id for c in answer.citations}
        quoting = {i for i, ids in enumerate(self._passages_of) if not ids.isdisjoint(cited)}
        if not quoting:
            return []  # no card quotes the passages cited: nothing to rank
        ranked = self._ranked(Situation(text=query or answer.question))
        return [fit for index, fit in ranked if index in quoting][:limit]

    def _ranked(self, situation: Situation) -> list[tuple[int, Fit]]:
        """Return `rank`'s fits, each with its card's position in `cards`."""
        query = situation.query()
        if not query or not self._quotes:
            return [(i, Fit(c, 0.0, _first(c))) for i, c in enumerate(self.cards) if c.sentences]
        fused = self._sentence_scores(query)
        best = np.full(len(self.cards), -1.0, dtype=np.float64)
        np.maximum.at(best, self._owner, fused)
        # The reason shown is a card's best sentence, or its best table row when it has no
        # sentence: the first row of each card once ordered by card, then rank, best first.
        rank = fused + np.where(self._is_row, 0.0, 2.0).astype(fused.dtype)
        rows = np.lexsort((np.arange(len(rank)), -rank, self._owner))
        first = np.ones(len(rows), dtype=bool)
        first[1:] = self._owner[rows][1:] != self._owner[rows][:-1]
        why = np.zeros(len(self.cards), dtype=np.int64)
        why[self._owner[rows[first]]] = rows[first]
        order = np.argsort(-best, kind="stable")
        return [
            (
                int(i),
                Fit(self.cards[i], round(float(max(best[i], 0.0)), 4), self._quotes[int(why[i])]),
            )
            for i in order
            if best[i] >= 0
        ]

    def _sentence_scores(self, query: str) -> npt.NDArray[np.float32]:
        terms = self._analyzer.query_terms(query[:MAX_TEXT_CHARS])
        lexical = self._lexical.score(terms.weights)
        if self._embed is None or self._vectors is None:
            return score_fusion([(lexical, 1.0)])
        dense = (self._vectors @ self._embed(query[:MAX_TEXT_CHARS])).astype(np.float32)
        return score_fusion([(dense, self._weights.dense), (lexical, self._weights.lexical)])


def _unique(quotes: Sequence[Quote]) -> list[Quote]:
    seen: set[tuple[str, int]] = set()
    out = []
    for quote in quotes:
        if (quote.passage_id, quote.start) not in seen:
            seen.add((quote.passage_id, quote.start))
            out.append(quote)
    return out


def _first(card: SchemeCard) -> Quote:
    """Return the quote that introduces a card best: what it is, else its first sentence."""
    for quote in card.fields:
        if quote.field == "wat":
            return quote
    return card.fields[0] if card.fields else card.sentences[0]


def _sentence_vectors(
    quotes: Sequence[Quote], passages: Sequence[Passage], table: SentenceTable
) -> npt.NDArray[np.float32] | None:
    """Return the index's vector of every quote (each is a body sentence of the index), or None
    when one is missing (then the finder ranks by words alone)."""
    if not quotes:
        return None
    row_of = {p.id: i for i, p in enumerate(passages)}
    rows = []
    for quote in quotes:
        row = row_of.get(quote.passage_id)
        span = table.of_passage(row) if row is not None else range(0)
        found = [i for i in span if (table.start[i], table.end[i]) == (quote.start, quote.end)]
        if not found:
            return None
        rows.append(found[-1])
    return np.ascontiguousarray(table.vectors[rows], dtype=np.float32)
