"""Answer composition: verbatim sentences from the top passages, each tied to a numbered source.

`ExtractiveComposer` picks 1-4 sentences by their overlap with the question (weighted by term
rarity) and the rank of their passage. A language model could later take its place: anything
with the `Composer.compose` signature that returns `Quote`s (text plus the hit it came from) fits,
and `number_citations` turns quotes into the answer's sentences and sources either way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.analyze import Analyzer, QueryTerms, fold
from assistant.asked import answers_type, asked_types
from assistant.sentences import split_sentences
from assistant.types import AnswerSentence, Citation, Hit
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
KEEP_SCORE = 1.0  # weight of an extra sentence's own score next to the new words it covers
TYPE_BONUS = 1.3  # a sentence with what the question asks for (amount, date, organisation)
TYPE_ONLY_PASSAGES = 2  # ... may be picked without a question word from the two best passages
EXAMPLE_PRIOR = 0.5  # illustrative cases ("Praktijkvoorbeeld") are weaker answers than policy
MIN_CONTEXT_WORDS = 4  # "Ja." or "Wat." is no context
DUPLICATE_OVERLAP = 0.6  # stem overlap (Jaccard) above which two sentences say the same
ASKED = -1  # credit key of "what the question asks for"

_EXAMPLE = re.compile(r"[*_>\s]*(praktijkvoorbeeld|voorbeeld|casus)\b", re.IGNORECASE)
# A sentence opening with one of these leans on the sentence before it.
_REFERS_BACK = re.compile(
    r"^(deze|die|dit|dat|hij|zij|ze|het|hun|daar|hier|daarbij|daarvoor|daarnaast|daarmee|"
    r"daardoor|daarvan|hiervoor|hierbij|hiermee|hiervan|ook|wel|zo|verder|bovendien|tevens|"
    r"dan|daarna|vervolgens)\b"
)


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int
    end: int
    stems: frozenset[str]
    prior: float  # EXAMPLE_PRIOR inside an example box ("Praktijkvoorbeeld ..."), else 1.0


@dataclass(frozen=True, slots=True)
class Quote:
    """A sentence quoted verbatim from `hit.passage.text`."""

    text: str
    hit: Hit


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
        headings = _heading_spans(passage, self._documents.get(passage.doc_id))
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
        chosen = self._select(candidates)
        chosen = self._with_context(chosen, hits, frozenset(terms.weights))
        return self._in_reading_order(chosen, hits)

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
        asked = asked_types(question)
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
                has_asked = answers_type(text, asked)
                if not credit and not (has_asked and rank < TYPE_ONLY_PASSAGES):
                    continue
                factor = sentence.prior * _shape(text) * _passage_weight(hits, rank)
                if has_asked:
                    credit[ASKED] = asked_weight
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
                if any(c is o or _same(c.stems, o.stems) for o in chosen):
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
            refers_back = _REFERS_BACK.match(fold(passage_text[candidate.start : candidate.end]))
            same_paragraph = "\n\n" not in passage_text[end : candidate.start]
            relevant = bool(stems & question_stems)
            if not (refers_back or (index == 0 and same_paragraph and relevant)):
                continue
            key = (candidate.hit_rank, candidate.position - 1)
            if all((c.hit_rank, c.position) != key for c in out):
                out.append(_Candidate(*key, start, end, stems, {}, 0.0, 0.0))
        return out

    @staticmethod
    def _in_reading_order(chosen: list[_Candidate], hits: Sequence[Hit]) -> list[Quote]:
        """Order by the passage of each sentence (best first), text order within a passage."""
        first_pick: dict[int, int] = {}
        for i, candidate in enumerate(chosen):
            first_pick.setdefault(candidate.hit_rank, i)
        ordered = sorted(chosen, key=lambda c: (first_pick[c.hit_rank], c.position))
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


def _shape(text: str) -> float:
    """Return a factor that disfavours headings, fragments and very long sentences."""
    factor = 1.0
    if len(text) < 30:
        factor *= 0.5
    if len(text) > 350:
        factor *= 0.8
    if text.rstrip().endswith("?"):
        factor *= 0.4  # a question is not an answer
    elif not text.rstrip().endswith((".", "!", ":", ";")):
        factor *= 0.6  # a heading or a table row
    return factor


def _heading_spans(passage: Passage, doc: ParsedDocument | None) -> list[tuple[int, int]]:
    """Return the spans of heading blocks inside a passage, relative to its text."""
    if doc is None:
        return []
    return [
        (max(b.start, passage.start) - passage.start, min(b.end, passage.end) - passage.start)
        for b in doc.blocks
        if b.kind == "heading" and b.start < passage.end and b.end > passage.start
    ]


def _same(a: frozenset[str], b: frozenset[str]) -> bool:
    """Return whether two sentences say the same: mostly the same words, no other numbers."""
    numbers_a = {t for t in a if t.isdigit()}
    numbers_b = {t for t in b if t.isdigit()}
    if not (numbers_a <= numbers_b or numbers_b <= numbers_a):
        return False  # "In 2018 ... 3.029" and "In 2019 ... 2.751" are different facts
    union = len(a | b)
    return union > 0 and len(a & b) / union >= DUPLICATE_OVERLAP


def number_citations(
    quotes: Sequence[Quote],
) -> tuple[tuple[AnswerSentence, ...], tuple[Citation, ...]]:
    """Number the quoted passages in order of first use; drop repeated sentences."""
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    seen: set[str] = set()
    for quote in quotes:
        key = " ".join(quote.text.split()).casefold()
        if key in seen:
            continue
        seen.add(key)
        passage = quote.hit.passage
        if passage.id not in numbers:
            numbers[passage.id] = len(numbers) + 1
            citations.append(Citation(numbers[passage.id], passage, quote.hit.document))
        sentences.append(AnswerSentence(quote.text, numbers[passage.id]))
    return tuple(sentences), tuple(citations)


def suggest_topics(hits: Sequence[Hit], limit: int = 3) -> tuple[str, ...]:
    """Return distinct "title › section" labels of the closest passages (for abstentions)."""
    labels: list[str] = []
    for hit in hits:
        label = " › ".join(x for x in (hit.document.title, hit.passage.section_path) if x)
        if label and label not in labels:
            labels.append(label)
        if len(labels) >= limit:
            break
    return tuple(labels)
