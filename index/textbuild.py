"""Assemble cleaned blocks into one text with block offsets and page starts."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from index.metadata import is_dateline
from index.types import Block, BlockKind, NoteLink

MAX_CHARS = 2_000_000  # a hostile or huge file must not blow up the build
BLOCK_SEPARATOR = "\n\n"
# What running text ends with; a title or a byline does not. Unlike `index.lines.ends_sentence`,
# not a colon: a head's "Stand van zaken:" introduces its dateline rather than ending the head.
_SENTENCE_ENDS = (".", "?", "!")
# Where a footnote marker stood while a reader cleans the text around it: a rare character that
# the cleaning keeps (it drops private-use ones).
NOTE_MARK = "\u2058"
NoteKey = int | str  # a footnote's number (text and PDF) or label (Markdown "[^a]", HTML id)
K = TypeVar("K", int, str)


def join_with_refs(
    lines: Sequence[tuple[str, Sequence[tuple[int, K]]]],
) -> tuple[str, list[tuple[int, K]], list[int]]:
    """Join lines with line breaks; return the text, each line's (offset, label) footnote
    references moved to the joined text, and where each line starts in it."""
    refs: list[tuple[int, K]] = []
    starts: list[int] = []
    offset = 0
    for line, line_refs in lines:
        starts.append(offset)
        refs.extend((offset + at, label) for at, label in line_refs)
        offset += len(line) + 1
    return "\n".join(line for line, _ in lines), refs, starts


def take_note_marks(text: str, labels: Sequence[str]) -> tuple[str, list[tuple[int, str]]]:
    """Return `text` without NOTE_MARKs and (offset, label) for each, the labels in order; a
    space before a mark that stood between spaces goes with it. No offsets when the marks and
    labels differ in number (cleaning swallowed one: their pairing would be unsure)."""
    out: list[str] = []
    positions: list[int] = []
    for i, ch in enumerate(text):
        if ch != NOTE_MARK:
            out.append(ch)
            continue
        if out and out[-1] == " " and (i + 1 == len(text) or text[i + 1] == " "):
            out.pop()  # "woord [^1] verder": one space stays
        positions.append(len(out))
    joined = "".join(out)
    lead = len(joined) - len(joined.lstrip())
    result = joined.strip()
    if len(positions) != len(labels):
        return result, []
    return result, [
        (min(max(at - lead, 0), len(result)), label)
        for at, label in zip(positions, labels, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class Content:
    """The cleaned text of a document, its blocks and where each page starts."""

    text: str
    blocks: tuple[Block, ...]
    page_starts: tuple[int, ...]
    truncated: bool = False  # True when MAX_CHARS cut the document short
    notes: tuple[NoteLink, ...] = ()  # footnote markers and their notes

    def first_heading(self) -> str | None:
        """Return the text of the first heading of the highest level, if any."""
        headings = [b for b in self.blocks if b.kind == "heading"]
        if not headings:
            return None
        top = min(b.level for b in headings)
        first = next(b for b in headings if b.level == top)
        return self.text[first.start : first.end]

    def head(self) -> str:
        """Return the document's head: its blocks before the first paragraph of running text
        (one that ends a sentence, and is no dateline: "Laatst gewijzigd op 3 maart 2021."
        ends like one), one a line. A title, a byline, a letterhead or a dateline ("Bijgewerkt
        op 20 november 2020") stand there; the body says other things."""
        lines: list[str] = []
        for block in self.blocks:
            text = self.text[block.start : block.end]
            running = text.rstrip().endswith(_SENTENCE_ENDS) and not is_dateline(text)
            if block.kind == "paragraph" and running:
                break
            lines.append(text)
        return "\n".join(lines)


class TextBuilder:
    """Collect blocks in reading order; pages are 0-based while building."""

    def __init__(self, max_chars: int = MAX_CHARS) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._blocks: list[Block] = []
        self._page_starts: list[int] = [0]
        self._target_page = 0
        self._max_chars = max_chars
        self.truncated = False
        self._refs: list[tuple[int, NoteKey]] = []  # (offset in the text, note number)
        self._notes: list[tuple[NoteKey, int, int]] = []  # (note number, start, end)
        self._note_blocks: dict[int, list[NoteKey]] = {}  # block index: the notes it is made of

    @property
    def page(self) -> int:
        """Return the 0-based page that the next block will start on."""
        return self._target_page

    def page_break(self) -> None:
        """Start a new page before the next block."""
        self._target_page += 1

    def to_page(self, page: int) -> None:
        """Make sure the next text starts on 0-based `page` or later (never goes back)."""
        self._target_page = max(self._target_page, page)

    def add(
        self,
        kind: BlockKind,
        text: str,
        level: int = 0,
        page_marks: Sequence[tuple[int, int]] = (),
        *,
        note_refs: Sequence[tuple[int, NoteKey]] = (),
        note: NoteKey | None = None,
        note_spans: Sequence[tuple[NoteKey, int, int]] = (),
        box: int = 0,
    ) -> None:
        """Append a block; `page_marks` are (offset in `text`, 0-based page) where pages begin,
        `note_refs` (offset in `text`, number or label) where footnote markers stood; `note`:
        the block is the text of the footnote with this number or label; `note_spans`:
        (number or label, start, end in `text`) of notes within the block (list items); `box`:
        the number of the box the block stands in (`Block.box`)."""
        body = text.strip()
        if not body or self.truncated:
            return
        start = self._length + (len(BLOCK_SEPARATOR) if self._parts else 0)
        if start + len(body) > self._max_chars:
            self.truncated = True
            return
        lead = len(text) - len(text.lstrip())
        for offset, number in note_refs:
            self._refs.append((start + min(max(offset - lead, 0), len(body)), number))
        if note is not None:
            self._notes.append((note, start, start + len(body)))
        for label, a, b in note_spans:
            self._notes.append((label, start + max(a - lead, 0), start + min(b - lead, len(body))))
        self._open_pages(start)
        for offset, page in page_marks:
            self.to_page(page)
            self._open_pages(start + min(max(offset - lead, 0), len(body)))
        if self._parts:
            self._parts.append(BLOCK_SEPARATOR)
        self._parts.append(body)
        self._length = start + len(body)
        self._blocks.append(
            Block(kind, start, self._length, level if kind == "heading" else 0, box=box)
        )
        spans = [(label, a - lead, b - lead) for label, a, b in note_spans]
        if made_of := [note] if note is not None else _notes_of_every_line(body, spans):
            self._note_blocks[len(self._blocks) - 1] = made_of

    def mark_endnotes(self) -> None:
        """Mark the footnotes that end the text, after its last other block, as endnotes
        (`Block.endnote`): notes gathered at the end may be referred to from any section. A
        block is a footnote when it is the text of a note that a marker refers to, or a list
        of such notes (<ol><li id="fn1">); a paragraph or list item that merely has an id,
        which no marker points to, is no note."""
        first, end = self._last_notes()
        if end == len(self._blocks):
            self._mark_endnotes(first, end)

    def mark_gathered_notes(self) -> None:
        """Mark the last run of footnotes as endnotes when it ends the text (`mark_endnotes`)
        or holds every note that the markers refer to, wherever it stands: then it is where
        the text gathers its notes, as a web page's notes list followed by a "Laatst gewijzigd"
        line or a "Meer informatie" section. The notes section ends where the notes end; what
        follows goes on as the text before the notes did (`index.chunk`). Only for texts
        without pages: notes within a paged text are the footnotes of a page."""
        first, end = self._last_notes()
        held = {key for i in range(first, end) for key in self._note_blocks[i]}
        referred = {key for _, key in self._refs} & {key for key, _, _ in self._notes}
        if end == len(self._blocks) or referred <= held:
            self._mark_endnotes(first, end)

    def _last_notes(self) -> tuple[int, int]:
        """Return the (first, end) block indexes of the last run of footnotes (see
        `mark_endnotes`); an empty run when there is none."""
        referred = {key for _, key in self._refs}
        end = len(self._blocks)
        while end and not referred.intersection(self._note_blocks.get(end - 1, ())):
            end -= 1
        first = end
        while first and referred.intersection(self._note_blocks.get(first - 1, ())):
            first -= 1
        return first, end

    def _mark_endnotes(self, first: int, end: int) -> None:
        self._blocks[first:end] = [replace(b, endnote=True) for b in self._blocks[first:end]]

    def build(self) -> Content:
        """Return the assembled text; pages without text start at its end."""
        self._open_pages(self._length)
        return Content(
            text="".join(self._parts),
            blocks=tuple(self._blocks),
            page_starts=tuple(self._page_starts),
            truncated=self.truncated,
            notes=self._links(),
        )

    def _links(self) -> tuple[NoteLink, ...]:
        """Pair each marker with its note: the first note of that number after the marker (a
        document may number its notes anew per chapter), else the last one before it."""
        links = []
        for ref, number in self._refs:
            spans = [(s, e) for n, s, e in self._notes if n == number]
            after = [span for span in spans if span[0] >= ref]
            span = after[0] if after else (spans[-1] if spans else None)
            if span is not None:
                links.append(NoteLink(ref, *span))
        return tuple(sorted(links, key=lambda link: link.ref))

    def _open_pages(self, position: int) -> None:
        while len(self._page_starts) <= self._target_page:
            self._page_starts.append(position)


def _notes_of_every_line(body: str, spans: Sequence[tuple[NoteKey, int, int]]) -> list[NoteKey]:
    """Return the notes of a block of lines (a list) when each of its lines holds the start of
    one of `spans` (note, start, end in `body`), as a list of notes does; else none."""
    starts = sorted(start for _, start, _ in spans)
    line_starts = [0, *(i + 1 for i, ch in enumerate(body) if ch == "\n")]
    line_ends = [*line_starts[1:], len(body) + 1]
    for line_start, line_end in zip(line_starts, line_ends, strict=True):
        at = bisect.bisect_left(starts, line_start)
        if at == len(starts) or starts[at] >= line_end:
            return []
    return [key for key, _, _ in spans]
