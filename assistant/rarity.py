"""How specific a word is, from general Dutch (and English) word frequencies, not the corpus.

The information content of a word is `9 - zipf`, where zipf is wordfreq's Zipf value (log10
of the word's frequency per billion words): -log10 of its probability in running text. "de" (Zipf
7.4) carries 1.6, "subsidie" (4.3) 4.7, "parkeervergunning" (1.8) 7.2, an unseen word 9. Because
the scale comes from general language and not from the indexed documents, it means the same on
a one-letter corpus and on a library: the basis for weighting question words in the features
of `assistant.features`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wordfreq import zipf_frequency

MAX_INFORMATION = 9.0  # wordfreq's Zipf scale ends at 0 (unseen): 10^-9 per word
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@lru_cache(maxsize=100_000)
def information(word: str, english: bool = False) -> float:
    """Return the information content of `word` (lower-cased, as typed: accents help).

    For an English question, a word common in English is not specific either ("employees").
    """
    zipf = zipf_frequency(word, "nl")
    if english:
        zipf = max(zipf, zipf_frequency(word, "en"))
    return MAX_INFORMATION - min(zipf, MAX_INFORMATION)


def typed_forms(text: str) -> dict[str, str]:
    """Return the lower-cased words of `text` keyed by their folded form (see `analyze.fold`).

    wordfreq knows "financiële" far better than the folded "financiele", so the information of
    a question word is looked up in the form the user typed.
    """
    from assistant.analyze import fold  # analyze imports nothing from here; keep it one-way

    forms: dict[str, str] = {}
    for token in _TOKEN.findall(text.lower()):
        forms.setdefault(fold(token), token)
        for part in token.split("-"):
            forms.setdefault(fold(part), part)
    return forms


def warm_up() -> None:
    """Load wordfreq's Dutch and English lists now, not during the first question."""
    information("mkb")
    information("mkb", english=True)
