"""Split passage text into sentences that can be quoted verbatim (spans into the text)."""

from __future__ import annotations

import re

# Words that end with a full stop without ending the sentence ("nr. 316", "ca. 12 miljard").
_ABBREVIATIONS = frozenset(
    "nr nrs art bijv mln mld mrd ca incl excl enz etc resp jl dhr mevr mr dr drs ir ing prof "
    "blz pag vgl zgn evt min max gem afd tel st vs hfst par bijl jan feb mrt apr jun jul aug "
    "sep sept okt nov dec".split()
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]*_]*(?:\[\^\d+\])?(?=\s+\S)")
_LINE_BREAK = re.compile(r"\n+")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)$")
_INITIALISM = re.compile(r"(?:\b[^\W\d_]\.)+[^\W\d_]$")  # "o.a", "d.w.z", "m.b.t"
# Stripped from the ends of a sentence: list bullets, numbering, emphasis, table pipes.
_LEAD = re.compile(r"(?:[-*•–]\s+|\d+[.)]\s+|[*_|#>]+\s*)+")
_NUMBERING = re.compile(r"^[\s#*_>|-]*[\d.]*\d$")  # "## 2", "1.1": not a sentence
_TRAIL = re.compile(r"(?:\s*[*_|]+)+$")
_FOOTNOTE = re.compile(r"\[\^\d+\]$")

Span = tuple[int, int]


def split_sentences(text: str) -> list[Span]:
    """Return (start, end) spans of the sentences of `text`, stripped of markup at their ends."""
    spans: list[Span] = []
    line_start = 0
    for line_end in [m.start() for m in _LINE_BREAK.finditer(text)] + [len(text)]:
        start = line_start
        for match in _SENTENCE_END.finditer(text, line_start, line_end):
            if _is_abbreviation(text[start : match.start()]):
                continue
            spans.append((start, match.end()))
            start = match.end()
        spans.append((start, line_end))
        line_start = line_end
    trimmed = (_trim(text, a, b) for a, b in spans)
    return [(a, b) for a, b in trimmed if any(ch.isalnum() for ch in text[a:b])]


def _is_abbreviation(before: str) -> bool:
    """Return whether the full stop after `before` belongs to an abbreviation or initialism."""
    if _INITIALISM.search(before) or _NUMBERING.match(before):
        return True
    match = _WORD_BEFORE.search(before)
    if match is None:
        return False
    word = match.group(1)
    return word.lower() in _ABBREVIATIONS or len(word) == 1


def _trim(text: str, start: int, end: int) -> Span:
    """Shrink a span past whitespace and markup at both ends (the result stays verbatim)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    lead = _LEAD.match(text, start, end)
    if lead:
        start = lead.end()
    piece = text[start:end]
    trail = _TRAIL.search(piece)
    if trail:
        end = start + trail.start()
    footnote = _FOOTNOTE.search(text[start:end])
    if footnote:
        end = start + footnote.start()
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
