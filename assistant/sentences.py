"""Sentences of passage text: verbatim spans, their shape, and how they hang together."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from assistant.analyze import fold
from index.types import ParsedDocument, Passage

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

DUPLICATE_OVERLAP = 0.6  # stem overlap (Jaccard) above which two sentences say the same
# A sentence opening with one of these leans on the sentence before it.
_REFERS_BACK = re.compile(
    r"^(deze|die|dit|dat|hij|zij|ze|het|hun|daar|hier|daarbij|daarvoor|daarnaast|daarmee|"
    r"daardoor|daarvan|hiervoor|hierbij|hiermee|hiervan|ook|wel|zo|verder|bovendien|tevens|"
    r"dan|daarna|vervolgens)\b"
)
_DEFINITE = re.compile(r"(?:de|het)\s+([^\W\d_][\w-]*)")


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


def shape_factor(text: str) -> float:
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


def heading_spans(passage: Passage, doc: ParsedDocument | None) -> list[Span]:
    """Return the spans of heading blocks inside a passage, relative to its text."""
    if doc is None:
        return []
    return [
        (max(b.start, passage.start) - passage.start, min(b.end, passage.end) - passage.start)
        for b in doc.blocks
        if b.kind == "heading" and b.start < passage.end and b.end > passage.start
    ]


def same_statement(a: frozenset[str], b: frozenset[str]) -> bool:
    """Return whether two sentences (as stem sets) say the same: mostly the same words and no
    other numbers."""
    numbers_a = {t for t in a if t.isdigit()}
    numbers_b = {t for t in b if t.isdigit()}
    if not (numbers_a <= numbers_b or numbers_b <= numbers_a):
        return False  # "In 2018 ... 3.029" and "In 2019 ... 2.751" are different facts
    union = len(a | b)
    return union > 0 and len(a & b) / union >= DUPLICATE_OVERLAP


def leans_on(sentence: str, before: frozenset[str], stems: Callable[[str], Iterable[str]]) -> bool:
    """Return whether `sentence` leans on the sentence before it (given as its stems).

    It does when it opens with a pronoun or a linking word ("Deze regeling ...", "Daarmee
    ..."), or with "De/Het <word>" where the sentence before has that word ("... vijf Smart
    Industry Hubs. De hubs zijn ..."). `stems` analyses a word like the sentence stems were.
    """
    folded = fold(sentence)
    if _REFERS_BACK.match(folded):
        return True
    match = _DEFINITE.match(folded)
    return bool(match and set(stems(match.group(1))) & before)
