"""Names that the structure of a document gives: headings, bold lead-ins, the heads of list items,
the phrase before "aanvragen", a name after "zogeheten"."""

from __future__ import annotations

import re

from index.scheme_lexicon import SCHEME_HEADS, ends_with_any
from index.scheme_names import (
    CLAUSE_WORDS,
    PREPOSITIONS,
    STOPWORDS,
    TOKEN,
    Candidate,
    clean,
    is_acronym,
    upper_count,
)

_NUMBERING = re.compile(r"^(?:hoofdstuk\s+)?(?:[A-Z]?\d+(?:\.\d+)*\.?|[A-Z]\.)\s+", re.IGNORECASE)
_BRACKET = re.compile(r"\(([^()]{1,80})\)")
MAX_LEAD_IN_WORDS = 10


def strip_numbering(text: str) -> str:
    """Return a heading without its number: "2.2.1 Borgstelling" -> "Borgstelling"."""
    return _NUMBERING.sub("", text.strip()).strip()


def structural_name(text: str) -> Candidate | None:
    """Return the name a heading, lead-in or table cell holds: "2.2.1 Borgstelling MKB-kredieten
    (BMKB)" -> itself, "Nieuw: Tegemoetkoming Vaste Lasten (TVL)" -> the part after the colon,
    "WBSO: fiscale regeling ..." -> "WBSO" described as "fiscale regeling ..."; None for a
    question or a long title."""
    text = strip_numbering(text)
    if not text or text.endswith("?"):
        return None
    description = ""
    if ": " in text:
        left, _, right = text.partition(": ")
        if len(left.split()) <= 3 and (is_acronym(left) or left[:1].isupper()):
            if len(TOKEN.findall(left)) == 1 and is_acronym(left):
                text, description = left, right
            else:
                text = right
    text = _BRACKET.sub("", text).strip(" .")
    words = text.split()
    if not words or len(words) > MAX_LEAD_IN_WORDS:
        return None
    if any(w.lower() in CLAUSE_WORDS for w in words):
        return None
    lowercase = not (is_acronym(text.split()[0]) or upper_count(text) > 1)
    return Candidate(clean(text), lowercase=lowercase, description=description)


def named_after(text: str) -> list[str]:
    """Return the name after "zogeheten", "zogenoemde" or "genaamd" ("de zogeheten
    coronareserve", "het zogeheten tweede spoor"): up to three words, to a stop word."""
    out = []
    for match in re.finditer(
        r"\b(?:zogeheten|zogenoemde|zogenaamde|genaamd)\s+(?:de\s+|het\s+)?", text, re.I
    ):
        words = []
        for word in re.findall(r"[^\W\d_][\w-]*|\S", text[match.end() :])[:3]:
            if not word[0].isalpha() or word.lower() in STOPWORDS:
                break
            words.append(word)
        if words:
            out.append(clean(" ".join(words)))
    return out


def prefixes_before_prepositions(name: str) -> list[str]:
    """Return the shorter names a lowercase name holds before each preposition:
    "Bijzonder uitstel van betaling van belastingen" -> "Bijzonder uitstel", "Bijzonder uitstel
    van betaling" (a title often adds what the scheme is about)."""
    words = name.split()
    return [
        " ".join(words[:i])
        for i in range(2, len(words))
        if words[i].lower() in {"van", "voor", "in", "op", "bij", "met", "aan", "tot"}
    ]


def list_item_head(text: str) -> str | None:
    """Return the name a list item opens with, before its first comma ("de NOW, een
    tegemoetkoming in de loonkosten, aan te vragen bij UWV;" -> "de NOW")."""
    head, comma, _ = text.partition(", ")
    if not comma or len(head.split()) > MAX_LEAD_IN_WORDS // 2 + 3:
        return None
    return head


_APPLIED_FOR = re.compile(r"\s+(?:aan\s+te\s+vragen|aanvragen|aangevraagd)\b")


def applied_for_phrases(text: str) -> list[str]:
    """Return the lowercase noun phrases right before "aanvragen" that end in a phrase with a
    scheme noun ("kunnen bij de Belastingdienst bijzonder uitstel van betaling aanvragen" ->
    "bijzonder uitstel van betaling"); whether they are names is decided later."""
    out = []
    for match in _APPLIED_FOR.finditer(text):
        words = text[: match.start()].split()
        phrase: list[str] = []
        while words and len(phrase) < 5:
            word = words[-1].strip(",;:")
            if word != words[-1] or not word.islower() or not word.isalpha():
                break
            if word in STOPWORDS and word not in PREPOSITIONS:
                break
            phrase.insert(0, words.pop())
        while phrase and phrase[0] in PREPOSITIONS:
            phrase.pop(0)
        if len(phrase) >= 2 and any(ends_with_any(w, SCHEME_HEADS) for w in phrase):
            out.append(" ".join(phrase))
    return out


def split_list(text: str) -> list[str]:
    """Split "BMKB-C, GO-C, KKC" or "NOW 1 en NOW 2" into its names."""
    return [part for part in re.split(r",\s+|\s+en\s+", text) if part.strip()]
