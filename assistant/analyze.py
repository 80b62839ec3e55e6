"""Dutch text analysis for lexical search: tokens, stems, compounds, synonyms and typos.

Documents and questions go through the same steps: fold (lowercase, no accents, digit groups
joined so "4.000" == "4000"), split into words, drop stop words, split compounds into parts the
corpus knows, stem with the Dutch Snowball stemmer. Questions additionally get typo correction
against the corpus vocabulary and, when a table is given, synonyms (everyday and English words ->
document words), each with a lower weight than the words the user typed.

No synonym table is used by default: the hand-written one of earlier versions (now
`bench/synonyms.py`) helped only on the corpus it was written against and lowered MRR@10 on the
other benchmark corpora (`bench/retrieval.py --synonyms`, README "Answer model").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN_PLUS

from assistant.typos import TypoCorrector
from index.common_words import is_common_dutch

_DIGIT_SEPARATOR = re.compile(r"(?<=\d)[.,](?=\d)")
_APOSTROPHE = re.compile(r"(?<=\w)['’‘`](?=\w)")
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A name with a small number glued to it: an edition ("now3", "tozo5"), as `features._EDITION`
# reads one in the question.
_GLUED_EDITION = re.compile(r"([a-z]{2,})(\d{1,2})")

# Question words and fillers that carry no topic; Dutch and English.
_EXTRA_STOPWORDS = frozenset(
    """
    hoeveel hoelang hoe welke welk wanneer waar waarom wie wat waarmee waarvoor
    eigenlijk gewoon zomaar nu straks dan daar daarvoor daarbij erbij eromheen er
    krijg krijgt kunnen kun mag mogen moeten zit zitten graag weet weten wil willen
    ik mijn we wij ons onze je jij jouw u uw zijn haar hun
    ergens zulke zulk zoiets uiteindelijk niks niets iets durf durven one
    does do did can could would should will shall how what when where which who why
    cant dont doesnt isnt get got much many new also need still long run give tell way
    """.split()
)

MIN_EXTENDED = 5  # shortest stem that is extended to longer corpus stems
MAX_EXTENSION = 3  # ... by at most this many letters
MIN_PART = 4  # shortest compound part ("loon", "mkb" is handled by hyphen splitting)
MIN_COMPOUND = 8  # shortest word we try to split
MIN_LEXICON_PART = 5  # a part known only from general Dutch is longer: "eren", "ling" are not
_LINKS = ("", "s", "e", "en")  # Dutch linking morphemes between compound parts

# Weights of the derived query terms relative to a word the user typed (1.0).
PART_WEIGHT = 0.5
EXTENSION_WEIGHT = 0.5
SYNONYM_WEIGHT = 0.6
TYPO_WEIGHT = 0.8


@lru_cache(maxsize=64)
def fold(text: str) -> str:
    """Lowercase, strip accents, drop in-word apostrophes and digit-group separators.

    One question is folded by several readers (terms, what is asked, follow-ups, comparisons),
    and its longest form, 1000 characters that NFKD may spread over 18,000, costs milliseconds
    each time: kept for the most recent texts.
    """
    text = text.lower()
    if not text.isascii():  # ASCII, most sentences, has nothing to decompose or drop
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHE.sub("", text)
    return _DIGIT_SEPARATOR.sub("", text)


# bm25s's longer English list, minus "now" (the NOW wage-cost scheme), folded like text.
_ENGLISH = frozenset(fold(w) for w in STOPWORDS_EN_PLUS) - {"now"}
STOPWORDS: frozenset[str] = frozenset(STOPWORDS_DUTCH) | _ENGLISH | _EXTRA_STOPWORDS


# English function words that are not Dutch words: enough of them means an English question.
_ENGLISH_ONLY = _ENGLISH - frozenset(STOPWORDS_DUTCH) - {"in", "is", "over", "had", "me", "was"}


def is_english(text: str) -> bool:
    """Return whether a question is (mostly) English, judged by its function words."""
    tokens = _WORD.findall(fold(text))
    hits = sum(1 for t in tokens if t in _ENGLISH_ONLY)
    return hits >= 2 and hits >= 0.2 * len(tokens)


def token_parts(token: str) -> list[str]:
    """Return the parts of a folded token that are words of their own: those between its
    hyphens ("mkb-bedrijven" -> "mkb", "bedrijven"), or a name and the edition number glued to
    it ("now3" -> "now", "3"), which pages write as "NOW3", "NOW 3" and "NOW-3" alike; [token]
    for a token of one part."""
    if "-" in token:
        return [p for p in token.split("-") if p]
    edition = _GLUED_EDITION.fullmatch(token)
    return [edition[1], edition[2]] if edition else [token]


def words(text: str) -> list[str]:
    """Return the folded words of `text`, a token of several parts (`token_parts`) as its parts
    and joined: "mkb-bedrijven" -> "mkb", "bedrijven", "mkbbedrijven"; "now3" -> "now", "3",
    "now3"."""
    out: list[str] = []
    for match in _WORD.finditer(fold(text)):
        parts = token_parts(match.group())
        out.extend(parts)
        if len(parts) > 1:
            out.append("".join(parts))
    return out


_ENGLISH_ENDINGS = (("ies", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("s", ""))


def _english_bases(word: str) -> list[str]:
    """Return the forms an English word may be an inflection of ("employers" -> "employer")."""
    return [word[: -len(end)] + base for end, base in _ENGLISH_ENDINGS if word.endswith(end)]


def _is_content(word: str) -> bool:
    return word not in STOPWORDS and (len(word) > 1 or word.isdigit())


@dataclass(frozen=True, slots=True)
class TermGroup:
    """One word the user typed and the stems that stand for it, with their weights."""

    word: str
    stems: Mapping[str, float]  # its own stem (1.0), compound parts, correction, synonyms
    known: bool  # the corpus knows the word (or a part, a correction or a synonym of it)
    known_modifier: bool = False  # unknown, but it opens with a corpus word ("omzet|grens")
    corrected: str | None = None  # the corpus word a typo was corrected to
    parts: tuple[str, ...] = ()  # the stems of its compound parts ("terug", "betal")


@dataclass(frozen=True, slots=True)
class QueryTerms:
    """A question analysed for search: one group per typed content word."""

    groups: tuple[TermGroup, ...]

    @property
    def weights(self) -> dict[str, float]:
        """Return every stem with its highest weight over the groups."""
        merged: dict[str, float] = {}
        for group in self.groups:
            for stem, weight in group.stems.items():
                merged[stem] = max(merged.get(stem, 0.0), weight)
        return merged

    @property
    def unknown(self) -> tuple[str, ...]:
        """Return the typed words the corpus does not know, even corrected."""
        return tuple(g.word for g in self.groups if not g.known)


@dataclass(frozen=True, slots=True)
class Synonyms:
    """Synonym tables: Dutch keys match every inflection (by stem), English keys only as typed."""

    dutch: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    english: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class Analyzer:
    """Turns texts into stems; knows the corpus vocabulary for compounds and typo correction."""

    def __init__(self, vocabulary: Counter[str], synonyms: Synonyms | None = None) -> None:
        synonyms = synonyms or Synonyms()
        self._stemmer = Stemmer.Stemmer("dutch")
        self._vocab = Counter({w: n for w, n in vocabulary.items() if _is_content(w)})
        self._typos = TypoCorrector(self._vocab)
        self._by_stem = self._analyse_synonyms(synonyms.dutch, by_stem=True)
        self._by_word = self._analyse_synonyms(synonyms.english, by_stem=False)
        self._stem = lru_cache(maxsize=50_000)(self._stemmer.stemWord)
        self._stems = frozenset(self._stem(w) for w in self._vocab)
        self._sorted_stems = sorted(self._stems)
        self._split = lru_cache(maxsize=50_000)(self._split_uncached)
        # A word's group depends on the word alone, and questions repeat their words: an
        # unknown word's typo lookup (edit distances to its candidates) was redone each time.
        self._group = lru_cache(maxsize=10_000)(self._group_uncached)

    @classmethod
    def from_texts(cls, texts: Iterable[str], synonyms: Synonyms | None = None) -> Analyzer:
        """Build an analyzer whose vocabulary is every word of `texts`."""
        vocab: Counter[str] = Counter()
        for text in texts:
            vocab.update(words(text))
        return cls(vocab, synonyms)

    def document_terms(self, text: str) -> list[str]:
        """Return the stems indexed for a passage (compound parts included)."""
        stems: list[str] = []
        for word in words(text):
            if not _is_content(word):
                continue
            stems.append(self._stem(word))
            stems.extend(self._stem(part) for part in self._split(word))
        return stems

    def query_terms(self, text: str) -> QueryTerms:
        """Return weighted stems for a question: typed words, parts, corrections, synonyms."""
        groups: dict[str, TermGroup] = {}
        for match in _WORD.finditer(fold(text)):
            parts = token_parts(match.group())
            for word in parts:
                if _is_content(word) and word not in groups:
                    groups[word] = self._group(word)
            joined = "".join(parts)
            if len(parts) > 1 and joined not in groups and self._is_term(joined):
                groups[joined] = self._group(joined)  # "mkb-deals" also as "mkbdeals"
        return QueryTerms(tuple(groups.values()))

    def _is_term(self, word: str) -> bool:
        """Return whether the corpus or the synonym tables know `word` as it is."""
        return word in self._vocab or word in self._by_word or self._stem(word) in self._by_stem

    def _group_uncached(self, word: str) -> TermGroup:
        """Return the stems that stand for one typed word (callers must not change them)."""
        stem = self._stem(word)
        stems: dict[str, float] = {stem: 1.0}

        def add(other: str, weight: float) -> None:
            stems[other] = max(stems.get(other, 0.0), weight)

        synonyms = (*self._by_stem.get(stem, ()), *self._by_word.get(word, ()))
        if not synonyms and word not in self._vocab and stem not in self._stems:
            synonyms = self._inflected_synonyms(word)
        for synonym in synonyms:
            add(synonym, SYNONYM_WEIGHT)
        for longer in self._extensions(stem):
            add(longer, EXTENSION_WEIGHT)
        parts = self._split(word)
        part_stems = tuple(dict.fromkeys(self._stem(part) for part in parts))
        for part in part_stems:
            add(part, PART_WEIGHT)
        if word in self._vocab or stem in self._stems or parts:
            return TermGroup(word, stems, known=True, parts=part_stems)
        if any(synonym in self._stems for synonym in synonyms):
            return TermGroup(word, stems, known=True, parts=part_stems)
        # A common Dutch word ("morgen", "gasten") is what the user meant, not a typo of a word
        # of the documents one letter away ("zorgen", "lasten"): correcting it would give the
        # question a topic it does not have. Typos are rare strings ("aanvragn", "budjet").
        corrected = None if is_common_dutch(word) else self._typos.correct(word)
        if corrected is None:
            return TermGroup(word, stems, known=False, known_modifier=self._has_known_head(word))
        add(self._stem(corrected), TYPO_WEIGHT)
        for part in self._split(corrected):
            add(self._stem(part), PART_WEIGHT * TYPO_WEIGHT)
        return TermGroup(word, stems, known=True, corrected=corrected)

    def _inflected_synonyms(self, word: str) -> tuple[str, ...]:
        """Return the synonyms of the key an unknown word is an inflection of: a Dutch
        participle ("beveiligd" -> "beveiligen", stemmed like "beveiliging") or an English
        plural or -ing form ("employers" -> "employer")."""
        if len(word) > MIN_EXTENDED and word.endswith(("d", "t")):
            for infinitive in (self._stem(word[:-1] + "en"), self._stem(word[:-1])):
                if infinitive in self._by_stem:
                    return self._by_stem[infinitive]
        bases = [w for w in _english_bases(word) if w in self._by_word]
        return self._by_word[bases[0]] if bases else ()

    def _extensions(self, stem: str) -> list[str]:
        """Return corpus stems that extend `stem` by a few letters ("garant" -> "garantie").

        The stemmer leaves such pairs apart; they are usually the same word family.
        """
        if len(stem) < MIN_EXTENDED or stem.isdigit():
            return []
        out = []
        for other in self._sorted_stems[bisect_left(self._sorted_stems, stem) :]:
            if not other.startswith(stem):
                break
            if 0 < len(other) - len(stem) <= MAX_EXTENSION:
                out.append(other)
        return out

    def _split_uncached(self, word: str) -> tuple[str, ...]:
        """Split a compound into corpus words: "loonkostensubsidie" -> "loonkosten", "subsidie"."""
        if len(word) < MIN_COMPOUND or word.isdigit():
            return ()
        best: tuple[str, ...] = ()
        best_shortest = 0
        for i in range(MIN_PART, len(word) - MIN_PART + 1):
            head = word[:i]
            if not self._is_part(head):
                continue
            for link in _LINKS:
                if not word.startswith(link, i):
                    continue
                tail = word[i + len(link) :]
                if len(tail) < MIN_PART:
                    continue
                tail_parts = (tail,) if self._is_part(tail) else self._split(tail)
                if not tail_parts:
                    continue
                shortest = min(len(head), *(len(p) for p in tail_parts))
                if shortest > best_shortest:
                    best, best_shortest = (head, *tail_parts), shortest
        return best

    def _has_known_head(self, word: str) -> bool:
        """Return whether an unknown compound opens with a corpus word ("omzetgrens")."""
        return any(self._is_part(word[:i]) for i in range(MIN_PART + 1, len(word) - MIN_PART + 1))

    def _is_part(self, word: str) -> bool:
        """Return whether `word` can be a compound part: a corpus word, or a Dutch word that
        general text uses at least once per million words (so that "kamerstuknummer" splits
        into "kamerstuk" + "nummer" on a one-letter corpus as on a library)."""
        if len(word) < MIN_PART:
            return False
        return word in self._vocab or (
            len(word) >= MIN_LEXICON_PART and word not in STOPWORDS and is_common_dutch(word)
        )

    def _analyse_synonyms(
        self, table: Mapping[str, tuple[str, ...]], *, by_stem: bool
    ) -> dict[str, tuple[str, ...]]:
        """Key a synonym table by folded word or stem; stem its targets like document text."""
        analysed: dict[str, tuple[str, ...]] = {}
        for key, targets in table.items():
            stems = [self._stemmer.stemWord(w) for t in targets for w in words(t) if _is_content(w)]
            key_word = words(key)[-1]  # "self-employed" -> "selfemployed"
            if by_stem:
                key_word = self._stemmer.stemWord(key_word)
            analysed[key_word] = tuple(dict.fromkeys((*analysed.get(key_word, ()), *stems)))
        return analysed
