"""What counts as a common Dutch word, by general Dutch text rather than by any corpus: one that
general Dutch uses at least once per million words (wordfreq's Zipf 3). The question analysis
splits compounds into such words whatever the corpus (a single letter or a library), and the
scheme finder does not take such a word, capitalised only by its place ("Overzicht"), for a
name."""

from __future__ import annotations

from typing import Final

from wordfreq import zipf_frequency

COMMON_WORD_ZIPF: Final = 3.0  # once per million words


def is_common_dutch(word: str) -> bool:
    """Return whether general Dutch uses `word` (lower case) at least once per million words."""
    return zipf_frequency(word, "nl") >= COMMON_WORD_ZIPF
