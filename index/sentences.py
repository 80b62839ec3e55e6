"""Sentences of passage text: verbatim (start, end) spans, stripped of markup at their ends.

The build embeds every body sentence of every passage (headings left out), so the assistant can
compare a question with single sentences; the assistant splits the same way when it quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.abbreviations import ABBREVIATIONS
from index.lines import BULLET_SIGNS
from index.types import ParsedDocument, Passage

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]*_]*(?:\[\^\d+\])?(?=\s+\S)")
_LINE_BREAK = re.compile(r"\n+")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)$")
_INITIALISM = re.compile(r"(?:\b[^\W\d_]\.)+[^\W\d_]$")  # "o.a", "d.w.z", "m.b.t"
# Stripped from the ends of a sentence: list bullets (the signs the readers tell list items
# by), numbering, emphasis, table pipes.
_LEAD = re.compile(rf"(?:[{re.escape(BULLET_SIGNS)}]\s+|\d+[.)]\s+|[*_|#>]+\s*)+")
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
    return word.lower() in ABBREVIATIONS or len(word) == 1


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


def heading_spans(passage: Passage, doc: ParsedDocument | None) -> list[Span]:
    """Return the spans of heading blocks inside a passage, relative to its text."""
    if doc is None:
        return []
    return [
        (max(b.start, passage.start) - passage.start, min(b.end, passage.end) - passage.start)
        for b in doc.blocks
        if b.kind == "heading" and b.start < passage.end and b.end > passage.start
    ]


def body_sentences(passage: Passage, doc: ParsedDocument | None) -> list[Span]:
    """Return the spans of the sentences of a passage that are not inside a heading."""
    headings = heading_spans(passage, doc)
    return [
        (a, b)
        for a, b in split_sentences(passage.text)
        if not any(h_start <= a and b <= h_end for h_start, h_end in headings)
    ]


@dataclass(frozen=True)
class SentenceTable:
    """The body sentences of an index version, with one unit vector each.

    Sentence i is `passages[passage[i]].text[start[i]:end[i]]`; the sentences of passage row r
    are rows `first[r]` to `first[r + 1]` (they are stored in passage order).
    """

    passage: npt.NDArray[np.int32]
    start: npt.NDArray[np.int32]
    end: npt.NDArray[np.int32]
    vectors: npt.NDArray[np.float32]  # (sentences, dim), L2-normalised
    first: npt.NDArray[np.int64]  # (passages + 1,)

    @classmethod
    def from_rows(
        cls, passages: int, rows: npt.ArrayLike, vectors: npt.NDArray[np.float32]
    ) -> SentenceTable:
        """Build a table from (passage row, start, end) in passage order and their vectors."""
        array = np.asarray(rows, dtype=np.int32).reshape(-1, 3)
        if len(array) and np.any(np.diff(array[:, 0]) < 0):
            raise ValueError("sentences are not in passage order")
        if len(array) and (array[:, 0].min() < 0 or array[:, 0].max() >= passages):
            raise ValueError("a sentence points at a passage that does not exist")
        first = np.searchsorted(array[:, 0], np.arange(passages + 1), side="left")
        return cls(
            passage=array[:, 0].copy(),
            start=array[:, 1].copy(),
            end=array[:, 2].copy(),
            vectors=np.ascontiguousarray(vectors, dtype=np.float32),
            first=first.astype(np.int64),
        )

    def __len__(self) -> int:
        return len(self.passage)

    def of_passage(self, row: int) -> range:
        """Return the sentence rows of passage row `row`."""
        return range(int(self.first[row]), int(self.first[row + 1]))
