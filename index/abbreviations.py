"""Dutch abbreviations that end with a full stop without ending the sentence ("nr. 316",
"ca. 12 miljard", "3 mrt. 2021"): shared by the passage cutter (`index.chunk`) and the sentence
splitter (`index.sentences`), so that both cut a text between the same sentences."""

from __future__ import annotations

from typing import Final

from index.calendar_words import MONTH_ABBREVIATIONS

# Lower case, without the full stop; each splitter compares the word before a full stop with
# these after folding its case.
ABBREVIATIONS: Final = frozenset(
    "nr nrs art artt bijv mln mld mrd ca incl excl enz etc resp jl jr sr dhr mevr mr dr drs "
    "ir ing prof blz pag vgl zgn zg evt min max gem afd tel st vs cf ibid ged hfst par bijl".split()
) | frozenset(MONTH_ABBREVIATIONS)
