"""Answer composition: verbatim sentences from the top passages, each tied to a numbered source.

`ExtractiveComposer` picks 1-4 sentences greedily: the best sentence, then those that cover
question words not yet covered, weighted by term rarity and the rank of their passage. What the
question asks for (an amount, a duration, a date, a scheme's name; see `assistant.asked`) counts
as one more thing to cover. A question comparing over time gets the best sentence of each of a
few documents, oldest first (`assistant.compare`). A sentence that leans on its neighbour
("Deze regeling ...", "Daarmee ...") brings that neighbour along.

A language model could later take its place: anything with the `Composer.compose` signature
that returns `Quote`s (text plus the hit it came from) fits, and `number_citations` turns quotes
into the answer's sentences and sources either way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.analyze import Analyzer, QueryTerms
from assistant.asked import what_is_asked
from assistant.citations import Quote
from assistant.compare import is_comparison, one_per_source
from assistant.sentences import (
    heading_spans,
    leans_on,
    same_statement,
    shape_factor,
    split_sentences,
)
from assistant.types import Hit
from index.types import ParsedDocument, Passage

MAX_SENTENCES = 4  # in the answer, context sentences included
MAX_PICKS = 3  # sentences chosen for their content (a context sentence may make it four)
PASSAGES_READ = 5  # sentences are taken from this many top passages
RANK_DECAY = 0.25  # a sentence from the passage ranked r+1 is worth at most 1 / (1 + 0.25 r)
SCORE_GAP_POWER = 2  # ... and at most (its score / the top score) squared
MIN_RELEVANT = 0.35  # an extra sentence must cover a new question word and score this part
# of the best sentence
SAME_PASSAGE = 0.6  # ... or come from the best passage and score this part of the best
SAME_PASSAGE_GAIN = 1.5  # extra sentences from the best passage are preferred
COMPARE_COVER = 0.4  # over time: a sentence of another document covers this share of the best
KEEP_SCORE = 1.0  # weight of an extra sentence's own score next to the new words it covers
TYPE_BONUS = 1.3  # a sentence with what the question asks for (amount, date, organisation)
TYPE_ONLY_PASSAGES = 2  # ... may be picked without a question word from the two best passages
EXAMPLE_PRIOR = 0.5  # illustrative cases ("Praktijkvoorbeeld") are weaker answers than policy
MIN_CONTEXT_WORDS = 4  # "Ja." or "Wat." is no context
ASKED = -1  # credit key of the first kind the question asks for (-2 the second, ...)

_EXAMPLE = re.compile(r"[*_>\s]*(praktijkvoorbeeld|voorbeeld|casus)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int
    end: int
    stems: frozenset[str]
    prior: float  # EXAMPLE_PRIOR inside an example box ("Praktijkvoorbeeld ..."), else 1.0


class Composer(Protocol):
    """Turns a question and its ranked passages into quoted sentences (extractive or an LLM)."""

    def compose(self, question: str, terms: QueryTerms, hits: Sequence[Hit]) -> list[Quote]:
        """Return the answer as quotes, in reading order; empty when nothing fits."""
        ...


@dataclass(frozen=True, slots=True)
class _Candidate:
    hit_rank: int
    position: int  # sentence number within its passage
    start: int
    end: int
    stems: frozenset[str]
    credit: dict[int, float]  # question word (group index) -> how well this sentence covers it
    factor: float  # passage rank, sentence shape and question-type preferences
    score: float


class ExtractiveComposer:
    """Picks the sentences of the top passages that best cover the question."""

    def __init__(
        self,
        analyzer: Analyzer,
        idf: Callable[[str], float],
        passages: Sequence[Passage] = (),
        documents: Mapping[str, ParsedDocument] | None = None,
    ) -> None:
        self._analyzer = analyzer
        self._idf = idf
        self._documents = documents or {}
        # Sentences of the indexed passages, split and analysed once, up front.
        self._sentences = {p.id: self._split(p) for p in passages}

    def sentences(self, hit: Hit) -> list[_Sentence]:
        """Return (start, end, stems) of the body sentences of a hit's passage (no headings)."""
        known = self._sentences.get(hit.passage.id)
        return known if known is not None else self._split(hit.passage)

    def _split(self, passage: Passage) -> list[_Sentence]:
        text = passage.text
        headings = heading_spans(passage, self._documents.get(passage.doc_id))
        out = []
        for a, b in split_sentences(text):
            if any(h_start <= a and b <= h_end for h_start, h_end in headings):
                continue
            paragraph = text[text.rfind("\n\n", 0, a) + 1 : b].lstrip()
            prior = EXAMPLE_PRIOR if _EXAMPLE.match(paragraph) else 1.0
            stems = frozenset(self._analyzer.document_terms(text[a:b]))
            out.append(_Sentence(a, b, stems, prior))
        return out

    def compose(self, question: str, terms: QueryTerms, hits: Sequence[Hit]) -> list[Quote]:
        """Return up to four quotes: the best sentence, then others that add something."""
        candidates = self._candidates(question, terms, hits[:PASSAGES_READ])
        if not candidates:
            return []
        # A question comparing over time gets a sentence per document (per date), in date
        # order; when only one document has a fitting sentence, it is answered as usual.
        over_time = is_comparison(question)
        chosen = self._select_over_time(candidates, hits) if over_time else []
        chosen = chosen or self._select(candidates)
        chosen = self._with_elaboration(chosen, hits)
        chosen = self._with_context(chosen, hits, frozenset(terms.weights))
        return self._in_reading_order(chosen, hits, by_date=over_time)

    def _candidates(
        self, question: str, terms: QueryTerms, hits: Sequence[Hit]
    ) -> list[_Candidate]:
        groups = [
            {stem: weight * self._idf(stem) for stem, weight in g.stems.items()}
            for g in terms.groups
        ]
        importance = [max(g.values(), default=0.0) for g in groups]
        # What the question asks for (an amount, a date, an organisation) counts as one more
        # question word, covered by any sentence that has one.
        asked = what_is_asked(question)
        asked_weight = sum(importance) / len(importance) if importance else 1.0
        out: list[_Candidate] = []
        for rank, hit in enumerate(hits):
            for position, sentence in enumerate(self.sentences(hit)):
                start, end, stems = sentence.start, sentence.end, sentence.stems
                text = hit.passage.text[start:end]
                credit = {
                    i: max(w for s, w in g.items() if s in stems)
                    for i, g in enumerate(groups)
                    if any(s in stems for s in g)
                }
                kinds = asked.answered_by(text)
                if not credit and not (kinds and rank < TYPE_ONLY_PASSAGES):
                    continue
                factor = sentence.prior * shape_factor(text) * _passage_weight(hits, rank)
                for kind in kinds:
                    credit[ASKED - asked.kinds.index(kind)] = asked_weight
                if kinds:
                    factor *= TYPE_BONUS
                score = sum(credit.values()) * factor
                out.append(_Candidate(rank, position, start, end, stems, credit, factor, score))
        out.sort(key=lambda c: (-c.score, c.hit_rank, c.position))
        return out

    def _select(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """Take the best sentence, then greedily those that cover the most new question words.

        A sentence of the best passage may also join without new words when it scores close
        to the best one (answers often take two sentences).
        """
        best = candidates[0]
        chosen = [best]
        covered = set(best.credit)
        while len(chosen) < MAX_PICKS:
            pick: _Candidate | None = None
            pick_gain = 0.0
            for c in candidates:
                if any(c is o or same_statement(c.stems, o.stems) for o in chosen):
                    continue
                new = sum(w for i, w in c.credit.items() if i not in covered) * c.factor
                eligible = (new > 0 and c.score >= MIN_RELEVANT * best.score) or (
                    c.hit_rank == best.hit_rank and c.score >= SAME_PASSAGE * best.score
                )
                gain = new + KEEP_SCORE * c.score
                if c.hit_rank == best.hit_rank:
                    gain *= SAME_PASSAGE_GAIN  # the best passage is one coherent answer
                if eligible and gain > pick_gain:
                    pick, pick_gain = c, gain
            if pick is None:
                break
            chosen.append(pick)
            covered |= set(pick.credit)
        return chosen

    @staticmethod
    def _select_over_time(candidates: list[_Candidate], hits: Sequence[Hit]) -> list[_Candidate]:
        """Take the best sentence of each of the best documents (up to three), so that a
        question comparing over time gets the figure of each date; [] if only one qualifies.

        The others must cover the question about as well as the best one does, and have what
        it asks for (a number, a date) when the best one has it.
        """
        best = candidates[0]
        typed = any(key <= ASKED for key in best.credit)
        content = sum(best.credit.values())

        def keep(c: _Candidate) -> bool:
            # judged on what it covers, not on its passage's rank: other dates rank lower
            has_kind = any(key <= ASKED for key in c.credit)
            covers = sum(c.credit.values()) >= COMPARE_COVER * content
            return covers and (has_kind or not typed)

        chosen = one_per_source(
            candidates, lambda c: hits[c.hit_rank].passage.doc_id, MAX_PICKS, keep
        )
        return chosen if len(chosen) > 1 else []

    def _with_elaboration(self, chosen: list[_Candidate], hits: Sequence[Hit]) -> list[_Candidate]:
        """Add the sentence after the best one when it continues it in the same paragraph
        ("Vraag uw bank naar de KKC. Daarmee kunt u ... lenen ...")."""
        best = chosen[0]
        sentences = self.sentences(hits[best.hit_rank])
        if len(chosen) >= MAX_SENTENCES or best.position + 1 >= len(sentences):
            return chosen
        after = sentences[best.position + 1]
        passage_text = hits[best.hit_rank].passage.text
        if "\n\n" in passage_text[best.end : after.start]:
            return chosen
        if not leans_on(passage_text[after.start : after.end], best.stems, self._stems):
            return chosen
        key = (best.hit_rank, best.position + 1)
        if any((c.hit_rank, c.position) == key for c in chosen):
            return chosen
        return [*chosen, _Candidate(*key, after.start, after.end, after.stems, {}, 0.0, 0.0)]

    def _with_context(
        self, chosen: list[_Candidate], hits: Sequence[Hit], question_stems: frozenset[str]
    ) -> list[_Candidate]:
        """Add the sentence before a chosen one when it is needed to understand it.

        That is the case for a sentence that refers back ("Deze regeling ..."), and for the
        best sentence when the sentence before it is in the same paragraph (it usually names
        the scheme or the subject the best sentence is about) and shares a question word.
        """
        out = list(chosen)
        for index, candidate in enumerate(chosen):
            if len(out) >= MAX_SENTENCES or candidate.position == 0:
                continue
            passage_text = hits[candidate.hit_rank].passage.text
            previous = self.sentences(hits[candidate.hit_rank])[candidate.position - 1]
            start, end, stems = previous.start, previous.end, previous.stems
            before = passage_text[start:end]
            if len(before.split()) < MIN_CONTEXT_WORDS:
                continue
            refers_back = leans_on(
                passage_text[candidate.start : candidate.end], stems, self._stems
            )
            same_paragraph = "\n\n" not in passage_text[end : candidate.start]
            relevant = bool(stems & question_stems)
            if not (refers_back or (index == 0 and same_paragraph and relevant)):
                continue
            key = (candidate.hit_rank, candidate.position - 1)
            if all((c.hit_rank, c.position) != key for c in out):
                out.append(_Candidate(*key, start, end, stems, {}, 0.0, 0.0))
        return out

    def _stems(self, text: str) -> list[str]:
        return self._analyzer.document_terms(text)

    @staticmethod
    def _in_reading_order(
        chosen: list[_Candidate], hits: Sequence[Hit], *, by_date: bool = False
    ) -> list[Quote]:
        """Order by the passage of each sentence (best first; oldest document first when
        `by_date`), text order within a passage."""
        first_pick: dict[int, int] = {}
        for i, candidate in enumerate(chosen):
            first_pick.setdefault(candidate.hit_rank, i)

        def key(c: _Candidate) -> tuple[str, int, int]:
            date = (hits[c.hit_rank].document.date or "") if by_date else ""
            return date, first_pick[c.hit_rank], c.position

        ordered = sorted(chosen, key=key)
        return [
            Quote(hits[c.hit_rank].passage.text[c.start : c.end], hits[c.hit_rank]) for c in ordered
        ]


def _passage_weight(hits: Sequence[Hit], rank: int) -> float:
    """Return how much a sentence of the passage at `rank` counts: by rank and by score gap."""
    by_rank = 1.0 / (1.0 + RANK_DECAY * rank)
    top = hits[0].score
    if top <= 0:
        return by_rank
    return min(by_rank, (max(0.0, hits[rank].score) / top) ** SCORE_GAP_POWER)
