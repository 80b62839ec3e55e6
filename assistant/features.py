"""Features of a question and of its candidate answer sentences, for the fitted answer model.

Every feature means the same on a 4-passage corpus and on a 10,000-passage one: cosine
similarities (the embedding model's own scale), differences to the best candidate, ranks among
the few passages read, and shares of the question's information found in a sentence, where a
word's information comes from general word frequencies (`assistant.rarity`), not from the
corpus. No raw BM25 score, corpus vocabulary share or corpus-size-dependent scale is used.

The candidates are the body sentences of the best `PASSAGES_READ` passages. `extract` returns
them with one row of `SENTENCE_FEATURES` each and one row of `QUESTION_FEATURES` (which the
answerability model reads, together with the sentence model's scores).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from assistant.analyze import QueryTerms, TermGroup, words
from assistant.asked import Asked, question_part, what_is_asked
from assistant.rarity import MAX_INFORMATION, information, typed_forms
from assistant.search import Retrieval
from assistant.sentences import is_list_item, leans_on_text, shape
from index.calendar_words import YEAR_PATTERN
from index.metadata import is_dateline
from index.sentences import SentenceTable
from index.types import Passage

# Sentences are read from this many passages: on every benchmark corpus, recall@5 is within a
# few points of recall@10 (README, "Answer model"), so further passages rarely hold the answer.
PASSAGES_READ = 5
# The answerability evidence looks at this many passages (a year or a name in the question
# should appear near the top, not somewhere in the tenth passage). `bench/ablation.py
# --evidence` compares 1, 2, 3 and 5: left-out log-loss 0.4701, 0.4662, 0.4640, 0.4690 and
# Youden's J 0.39, 0.39, 0.40, 0.37 (the 956 fitting questions of commit 26c7a0e); 3 is the best.
EVIDENCE_PASSAGES = 3

SENTENCE_FEATURES: tuple[str, ...] = (
    "sentence_cos",  # cosine of question and sentence
    "sentence_cos_gap",  # best sentence cosine among the candidates minus this one's
    "passage_cos",  # cosine of question and the sentence's passage
    "passage_cos_gap",  # best passage cosine minus this passage's
    "passage_rank",  # 1 / (1 + rank) of the passage in the fused ranking
    "lexical_rank",  # 1 / (1 + rank) of the passage by BM25 among those read
    "coverage",  # share of the question's information in the sentence
    "coverage_asked",  # ... of its interrogative part ("Welke regeling ...?")
    "coverage_passage",  # ... in the passage with its title and section path
    "local_coverage",  # ... with words weighted also by how few candidates have them
    "rarest_covered",  # the question's most informative word is in the sentence
    "has_number",
    "answers_kind",  # the sentence has what the question asks for (amount, date, place, ...)
    "asks_kind",  # the question asks for such a thing
    "length",  # log of the sentence length in characters
    "is_question",  # the sentence ends with "?"
    "unfinished",  # no closing punctuation: a heading, table row or fragment (no list item)
    "first_in_passage",
    "example",  # inside an illustration ("Praktijkvoorbeeld ...")
    "about_document",  # speaks of the document itself ("Hoofdstuk 2 geeft ...", "bijgevoegde")
    "refers_back",  # opens with "Deze", "Daarmee", ...: leans on the sentence before
    "english",  # the question is English (cross-lingual cosines run lower)
)

QUESTION_FEATURES: tuple[str, ...] = (
    "best_sentence_cos",
    "best_passage_cos",
    "top_coverage",  # share of the question's information in the top passages
    "missing_information",  # information of the most informative word they lack, / 9
    "kind_and_topic",  # best coverage of a sentence that also has what the question asks for
    "best_local_coverage",  # best local coverage of a candidate
    "asks_kind",
    "missing_year",  # a year the question names is in none of the top passages
    "missing_number",  # another number ("NOW 4", "Q5") is in none of them
    "missing_name",  # a name in capitals ("XYZ") is in none of them
    "missing_edition",  # a numbered name ("NOW 5", "Tozo-4") is in none of them
    "english",
    "situation",  # the question sketches a situation before asking
    "words",  # log(1 + content words)
)

_YEAR = re.compile(rf"^{YEAR_PATTERN}$")
_WORD_TOKEN = re.compile(r"[^\W_]+")
MIN_ANSWER_WORDS = 3  # "Invorderingsrente", "Periode | Rente": a label, not a statement
_NAME = re.compile(r"\b[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*\b")
# A name followed by a small number: an edition ("NOW 3", "Tozo-2", "NOW4"), not an amount or a
# date ("TOGS 4.000", "1 juni"): a capitalised word or acronym, the number not continued.
_EDITION = re.compile(r"\b([A-Z][A-Za-z]*)[ -]?(\d{1,2})\b(?![.,:]\d)")
_EXAMPLE = re.compile(r"[*_>\s]*(praktijkvoorbeeld|voorbeeld|casus)\b", re.IGNORECASE)
# A sentence about the document's own parts rather than its subject: "Hoofdstuk 1 is
# samenvattend ...", "Met de bijgevoegde rapportage ...", "In dit hoofdstuk ...". In a short
# letter such sentences share every question's topic words and outscored the one that answers
# (left-out top-1 of the sentence model 0.570 -> 0.587 with this feature, mean over corpora).
_ABOUT_DOCUMENT = re.compile(
    r"\b(hoofdstuk|hoofdstukken|paragraaf|bijlage|bijgevoegde|in dit (hoofdstuk|rapport|document)|"
    r"deze (brief|rapportage|voortgangsrapportage|notitie|factsheet|pagina))\b",
    re.IGNORECASE,
)

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A body sentence of one of the passages read: `passage.text[start:end]`."""

    hit_rank: int  # rank of its passage among the hits (0 = best)
    row: int  # its row in the index's sentence table
    position: int  # sentence number within its passage
    start: int
    end: int
    stems: frozenset[str]


@dataclass(frozen=True)
class Extracted:
    """The candidates of one question with their feature rows."""

    rows: tuple[int, ...]  # the passage rows read, best first (a candidate's hit_rank indexes it)
    candidates: tuple[Candidate, ...]
    sentence: Matrix  # (candidates, len(SENTENCE_FEATURES))
    question: Matrix  # (len(QUESTION_FEATURES),)
    vectors: Matrix  # (candidates, dim): the sentence vectors
    query_vector: Matrix  # (dim,)
    eligible: npt.NDArray[np.bool_]  # may be chosen for its content: no question, no fragment
    texts: tuple[str, ...] = ()  # per candidate: the sentence
    asked: Asked = Asked(())  # what the question asks for (`assistant.asked`)


@dataclass(frozen=True)
class _Context:
    """What the feature rows of one question are computed from."""

    question: str
    query: str
    rows: Sequence[int]
    weighted: _Weighted
    asked_weighted: _Weighted
    asked: Asked
    english: bool
    sentence_cos: Matrix
    passage_cos: Matrix
    lexical: Matrix


@dataclass(frozen=True)
class _Weighted:
    """The question's content words with their information (numbers left out)."""

    groups: tuple[TermGroup, ...]
    weights: npt.NDArray[np.float64]

    def coverage(self, stems: frozenset[str]) -> float:
        """Return the share of the information whose words occur in `stems` (a word found only
        as a compound part or a typo correction counts with that stem's weight)."""
        return float(self.coverage_of(self.matches([stems]))[0])

    def coverage_of(self, matches: Matrix) -> Matrix:
        """Return `coverage` for every row of a `matches` table."""
        total = float(self.weights.sum())
        if total <= 0 or not len(matches):
            return np.zeros(len(matches))
        result: Matrix = matches @ self.weights / total
        return result

    def matches(self, stems: Sequence[frozenset[str]]) -> Matrix:
        """Return per stem set and word how well the set covers the word (0..1): fully when
        the set has all of a compound's parts (`_all_parts`), else by its best stem."""
        rows = [
            [
                1.0 if _all_parts(group, found) else _best_match(pairs, found)
                for group, pairs in zip(self.groups, self._pairs, strict=True)
            ]
            for found in stems
        ]
        return np.array(rows, dtype=np.float64).reshape(len(stems), len(self.groups))

    @cached_property
    def _pairs(self) -> tuple[tuple[tuple[str, float], ...], ...]:
        """Per word, its (stem, weight) pairs, highest weight first."""
        return tuple(tuple(sorted(g.stems.items(), key=lambda pair: -pair[1])) for g in self.groups)

    def local_coverage(self, matches: Matrix) -> Matrix:
        """Return per row of `matches` its coverage with every word weighted by its information
        times its inverse frequency among the rows: log((n + 1) / (rows with it + 0.5)).

        Among the few dozen sentences read, a word they all share ("mkb" in an mkb report)
        does not tell them apart; one that a single sentence has ("adagium") does. Counted
        over the candidates, not the corpus, this means the same for any corpus size.
        """
        n = len(matches)
        if n == 0 or not self.groups:
            return np.zeros(n)
        spread = np.log((n + 1) / ((matches > 0).sum(axis=0) + 0.5))
        weights = spread * self.weights
        total = float(weights.sum())
        result: Matrix = matches @ weights / total if total > 0 else np.zeros(n)
        return result

    def has_topic(self, stems: frozenset[str]) -> bool:
        """Return whether `stems` hold at least an average word's share of the information
        (`coverage` times the number of words at least 1).

        A question's weakest words ("weer", "maak") turn up in any corpus, often in another
        sense; its topic lies in its more informative ones. Text that covers no more than a
        weak word of the question is no evidence of its topic; text that has one of its
        more informative words, or several weaker ones together, is. Without words, none.
        """
        if not self.groups:
            return False
        covered = float(self.matches([stems])[0] @ self.weights)
        return covered >= float(self.weights.sum()) / len(self.groups)

    def rarest_in(self, stems: frozenset[str]) -> bool:
        return not self._rarest.isdisjoint(stems)

    @cached_property
    def _rarest(self) -> frozenset[str]:
        """The stems of the most informative word (none without words)."""
        if not self.groups:
            return frozenset()
        return frozenset(self.groups[int(np.argmax(self.weights))].stems)

    def missing(self, stems: frozenset[str]) -> float:
        """Return the most information that `stems` leave unexplained of one word, / 9: a word's
        information times one minus how well `stems` cover it, so that a word found only as a
        compound part ("werkkostenregeling" by "regeling") counts as half missing, as it counts
        as half covered in `coverage`."""
        if not self.groups:
            return 0.0
        unexplained = self.weights * (1.0 - self.matches([stems])[0])
        return float(unexplained.max()) / MAX_INFORMATION


def _all_parts(group: TermGroup, found: frozenset[str]) -> bool:
    """Return whether `found` holds every part of the compound `group` stands for. Dutch writes
    a separable verb apart ("terugbetalen": "hoeft u niet terug te betalen") and may say a
    compound by its parts ("werkkostenregeling": "de regeling voor werkkosten"); a text with
    one part only says less ("regeling"), and keeps the part's weight (`_best_match`)."""
    return len(group.parts) > 1 and all(part in found for part in group.parts)


def _best_match(pairs: Sequence[tuple[str, float]], found: frozenset[str]) -> float:
    """Return the weight of the first of `pairs` (highest first) whose stem is in `found`."""
    for stem, weight in pairs:
        if stem in found:
            return weight
    return 0.0


def weigh(question: str, terms: QueryTerms, english: bool) -> _Weighted:
    """Return the content words of `terms` (numbers left out) with their information."""
    forms = typed_forms(question)
    groups = tuple(g for g in terms.groups if not g.word.isdigit())
    weights = [
        information(forms.get(g.corrected or g.word, g.corrected or g.word), english)
        for g in groups
    ]
    return _Weighted(groups, np.asarray(weights, dtype=np.float64))


class FeatureExtractor:
    """Computes features for questions against one index; sentence stems are made once."""

    def __init__(
        self,
        passages: Sequence[Passage],
        sentences: SentenceTable,
        sentence_stems: Sequence[frozenset[str]],
        passage_stems: Sequence[frozenset[str]],
        forms: SentenceForms,
    ) -> None:
        self._passages = passages
        self._sentences = sentences
        self._sentence_stems = sentence_stems
        self._passage_stems = passage_stems
        self._forms = forms

    def candidates(self, rows: Sequence[int]) -> list[Candidate]:
        """Return the body sentences of the passages at `rows` (best first)."""
        out: list[Candidate] = []
        for rank, row in enumerate(rows):
            for position, srow in enumerate(self._sentences.of_passage(row)):
                out.append(
                    Candidate(
                        rank,
                        srow,
                        position,
                        int(self._sentences.start[srow]),
                        int(self._sentences.end[srow]),
                        self._sentence_stems[srow],
                    )
                )
        return out

    def extract(self, question: str, query: str, retrieval: Retrieval) -> Extracted:
        """Return the candidates and features of a question (`query`: with its history)."""
        rows = retrieval.top(retrieval.fused, PASSAGES_READ)
        candidates = self.candidates(rows)
        english = retrieval.english  # `query` is the text that was retrieved for
        weighted = weigh(query, retrieval.terms, english)
        part = question_part(question)
        asked_weighted = weighted
        if part != question:
            asked_terms = _restrict(retrieval.terms, part)
            asked_weighted = weigh(part, asked_terms, english) if asked_terms.groups else weighted
        vectors = self._sentences.vectors[[c.row for c in candidates]].astype(np.float64)
        query_vector = retrieval.vector.astype(np.float64)
        context = _Context(
            question=question,
            query=query,
            rows=rows,
            weighted=weighted,
            asked_weighted=asked_weighted,
            asked=what_is_asked(question),
            english=english,
            sentence_cos=vectors @ query_vector if candidates else np.zeros(0),
            passage_cos=np.array([float(retrieval.dense[r]) for r in rows]),
            lexical=np.array([float(retrieval.lexical[r]) for r in rows]),
        )
        texts = tuple(self._passages[rows[c.hit_rank]].text[c.start : c.end] for c in candidates)
        table, kind_and_topic = self._sentence_rows(candidates, texts, context)
        question_row = self._question_row(context, retrieval.terms, kind_and_topic, table)
        eligible = self._forms.eligible[[c.row for c in candidates]]
        return Extracted(
            tuple(rows), tuple(candidates), table, question_row, vectors, query_vector, eligible,
            texts, context.asked,
        )  # fmt: skip

    def _sentence_rows(
        self, candidates: Sequence[Candidate], texts: Sequence[str], ctx: _Context
    ) -> tuple[Matrix, float]:
        """Return the SENTENCE_FEATURES rows, and the best asked-coverage of a sentence that
        has what the question asks for."""
        best_sentence = float(ctx.sentence_cos.max()) if ctx.sentence_cos.size else 0.0
        best_passage = float(ctx.passage_cos.max()) if ctx.passage_cos.size else 0.0
        lexical_rank = np.empty(len(ctx.lexical))
        lexical_rank[np.argsort(-ctx.lexical, kind="stable")] = np.arange(len(ctx.lexical))
        stems = [c.stems for c in candidates]
        matches = ctx.weighted.matches(stems)
        coverage = ctx.weighted.coverage_of(matches)
        asked = ctx.asked_weighted
        coverage_asked = (
            coverage if asked is ctx.weighted else asked.coverage_of(asked.matches(stems))
        )
        local = ctx.weighted.local_coverage(matches)
        passage_coverage = [ctx.weighted.coverage(self._passage_stems[r]) for r in ctx.rows]
        table = np.zeros((len(candidates), len(SENTENCE_FEATURES)))
        kind_and_topic = 0.0
        for i, c in enumerate(candidates):
            answers = bool(ctx.asked.answered_by(texts[i]))
            if answers:
                kind_and_topic = max(kind_and_topic, float(coverage_asked[i]))
            forms = self._forms
            table[i] = (
                ctx.sentence_cos[i],
                best_sentence - ctx.sentence_cos[i],
                ctx.passage_cos[c.hit_rank],
                best_passage - ctx.passage_cos[c.hit_rank],
                1.0 / (1.0 + c.hit_rank),
                1.0 / (1.0 + lexical_rank[c.hit_rank]),
                coverage[i],
                coverage_asked[i],
                passage_coverage[c.hit_rank],
                local[i],
                float(ctx.weighted.rarest_in(c.stems)),
                float(forms.has_number[c.row]),
                float(answers),
                float(bool(ctx.asked.kinds)),
                math.log(max(1, c.end - c.start)),
                float(forms.is_question[c.row]),
                float(forms.unfinished[c.row]),
                float(c.position == 0),
                float(forms.example[c.row]),
                float(forms.about_document[c.row]),
                float(forms.refers_back[c.row]),
                float(ctx.english),
            )
        return table, kind_and_topic

    def _question_row(
        self, ctx: _Context, terms: QueryTerms, kind_and_topic: float, sentences: Matrix
    ) -> Matrix:
        """Return the QUESTION_FEATURES row (`sentences`: the candidates' SENTENCE_FEATURES)."""
        top = ctx.rows[:EVIDENCE_PASSAGES]
        top_stems = frozenset().union(*(self._passage_stems[r] for r in top))
        local = sentences[:, SENTENCE_FEATURES.index("local_coverage")]
        asks = bool(ctx.asked.kinds)
        return np.array(
            (
                float(ctx.sentence_cos.max()) if ctx.sentence_cos.size else 0.0,
                float(ctx.passage_cos.max()) if ctx.passage_cos.size else 0.0,
                ctx.weighted.coverage(top_stems),
                ctx.weighted.missing(top_stems),
                kind_and_topic,
                float(local.max()) if local.size else 0.0,
                float(asks),
                float(_missing(terms, top_stems, _is_year)),
                float(_missing(terms, top_stems, _is_other_number)),
                float(_missing_name(ctx.query, terms, top_stems)),
                float(self._missing_edition(ctx.query, top)),
                float(ctx.english),
                float(question_part(ctx.question) != ctx.question),
                math.log1p(len(ctx.weighted.groups)),
            )
        )

    def _missing_edition(self, query: str, rows: Sequence[int]) -> bool:
        """Return whether the question numbers a name ("NOW 5") that the passages at `rows`
        never number that way."""
        texts = " ".join(self._passages[r].text for r in rows)
        for name, number in _EDITION.findall(query):
            pattern = rf"\b{re.escape(name)}[ -]?{int(number)}\b"
            if not re.search(pattern, texts, re.IGNORECASE):
                return True
        return False


@dataclass(frozen=True)
class SentenceForms:
    """What each sentence of an index looks like, whatever the question: computed once."""

    is_question: npt.NDArray[np.bool_]
    unfinished: npt.NDArray[np.bool_]
    refers_back: npt.NDArray[np.bool_]
    has_number: npt.NDArray[np.bool_]
    example: npt.NDArray[np.bool_]  # inside an illustration ("Praktijkvoorbeeld: ...")
    about_document: npt.NDArray[np.bool_]  # speaks of the document's own parts
    # may be chosen for its content: no question, no fragment, no announcement of nothing
    # (`_announces_nothing`), no dateline (a page's metadata, `index.metadata.is_dateline`: a
    # "wanneer" question found its date in "Gepubliceerd op: 29 januari 2018")
    eligible: npt.NDArray[np.bool_]


def sentence_forms(passages: Sequence[Passage], sentences: SentenceTable) -> SentenceForms:
    """Return the form of every sentence of the table."""
    n = len(sentences)
    flags = {name: np.zeros(n, dtype=np.bool_) for name in SentenceForms.__dataclass_fields__}
    for row in range(n):
        text = passages[int(sentences.passage[row])].text
        start, end = int(sentences.start[row]), int(sentences.end[row])
        sentence = text[start:end]
        form = shape(sentence)
        paragraph = text[text.rfind("\n\n", 0, start) + 1 : end].lstrip()
        flags["is_question"][row] = form.is_question
        flags["unfinished"][row] = form.unfinished and not is_list_item(text, start, end)
        flags["refers_back"][row] = leans_on_text(sentence)
        flags["has_number"][row] = any(ch.isdigit() for ch in sentence)
        flags["example"][row] = bool(_EXAMPLE.match(paragraph))
        flags["about_document"][row] = bool(_ABOUT_DOCUMENT.search(sentence))
        flags["eligible"][row] = (
            not form.is_question
            and len(_WORD_TOKEN.findall(sentence)) >= MIN_ANSWER_WORDS
            and not _announces_nothing(sentence, text[end:])
            and not is_dateline(sentence)
        )
    return SentenceForms(**flags)


def _announces_nothing(sentence: str, after: str) -> bool:
    """Return whether a sentence announces what its passage does not hold: it ends in a colon
    ("De volgende financiers hebben zich aangemeld:") and nothing follows it in its passage
    (a page copied without its list or picture, or a list cut off into the next passage). Quoted,
    it says nothing: the answer shows a passage's sentences, and its list is not among them."""
    return sentence.rstrip().endswith(":") and not after.strip()


def _restrict(terms: QueryTerms, part: str) -> QueryTerms:
    """Return the groups of `terms` whose word occurs in `part` (the interrogative sentences)."""
    present = set(words(part))
    return QueryTerms(tuple(g for g in terms.groups if g.word in present))


def _is_year(word: str) -> bool:
    return bool(_YEAR.match(word))


def _is_other_number(word: str) -> bool:
    return word.isdigit() and not _YEAR.match(word)


def _missing(terms: QueryTerms, stems: frozenset[str], test: Callable[[str], bool]) -> bool:
    """Return whether a question word passing `test` is absent from `stems`."""
    return any(test(g.word) and g.word not in stems for g in terms.groups)


def _missing_name(query: str, terms: QueryTerms, stems: frozenset[str]) -> bool:
    """Return whether a name in capitals in the question ("TVL", "XYZ") is absent from `stems`."""
    names = {n.lower().replace("-", "") for n in _NAME.findall(query) if len(n) >= 2}
    return any(
        g.word in names and not set(g.stems) & stems for g in terms.groups if not g.word.isdigit()
    )
