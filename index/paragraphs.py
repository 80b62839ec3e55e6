"""Turn lines of page text into blocks: footnotes set apart, paragraphs and lists joined."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence, Set
from dataclasses import dataclass, field, replace
from typing import Literal

from index.boxes import number_boxes
from index.clean import footnote_marker_numbers, join_lines, strip_footnote_markers, word_vocabulary
from index.furniture import drop_contents, drop_page_furniture
from index.lines import (
    Line,
    body_size,
    broken_by_hand,
    ends_sentence,
    mark_font_headings,
    mark_gaps,
    mark_text_headings,
    opens_list_item,
)
from index.metadata import dates_the_page, is_dateline
from index.textbuild import MAX_CHARS, Content, TextBuilder
from index.titlepage import enclose_front_matter
from index.types import BlockKind

_DEFINITION = re.compile(r"^(\d{1,3})\s+(?=\S)")
_INCOMPLETE = (",", ";", ":", "-", "(")
NOTE_LOOKAHEAD = 4  # lines to look ahead for the next footnote when page ends are unknown
NOTE_SIZE_SLACK = 1.1  # a footnote goes on in type up to this much larger than its first line

Step = Literal["continue", "item", "row", "new"]
_KIND_OF_STEP: dict[Step, BlockKind] = {"item": "list", "row": "table"}


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote definition taken out of the running text."""

    number: int
    lines: tuple[Line, ...]
    anchor: int  # index of the body line that followed it


@dataclass(slots=True)
class _OpenBlock:
    kind: BlockKind
    level: int
    box: int  # the box the block stands in (`index.boxes`); 0 outside boxes
    groups: list[list[Line]] = field(default_factory=list)  # one per list item
    # per group, per line: (offset in the line's text, number) of the footnote markers taken out
    refs: list[list[list[tuple[int, int]]]] = field(default_factory=list)

    def add_line(self, line: Line, refs: list[tuple[int, int]], *, new_group: bool) -> None:
        if new_group or not self.groups:
            self.groups.append([])
            self.refs.append([])
        self.groups[-1].append(line)
        self.refs[-1].append(refs)


def layout_pages(
    pages: Sequence[Sequence[Line]],
    *,
    typeset: bool,
    title: str | None = None,
    max_chars: int = MAX_CHARS,
) -> Content:
    """Clean page lines and build the document text; `typeset` means PDF positions and fonts,
    `title` the title the file declares, if any."""
    cleaned = drop_contents(drop_page_furniture(pages))
    if typeset:
        cleaned = mark_gaps(cleaned)
    lines = [line for page in cleaned for line in page]
    paged = typeset or len(pages) > 1
    body, notes = split_footnotes(lines, reliable_pages=paged)
    if typeset:
        body = enclose_front_matter(number_boxes(mark_font_headings(body)), title)
    else:
        body = number_boxes(mark_text_headings(body))
    builder = TextBuilder(max_chars)
    assemble(body, notes, builder)
    if not paged:  # the notes after the last line stand at the end of the text, not of a page
        builder.mark_endnotes()
    builder.to_page(len(pages) - 1)
    return builder.build()


def split_footnotes(
    lines: Sequence[Line], *, reliable_pages: bool
) -> tuple[list[Line], list[Footnote]]:
    """Separate footnote definitions ("1 Kamerstuk 32 637, nr. 316") from the running text.

    A definition counts only after a marker with its number was glued to a word before it or
    printed as a superscript, and (when font sizes are known) only in type no larger than the
    body text.
    """
    largest = body_size(lines) * 1.05
    seen: set[int] = set()
    body: list[Line] = []
    notes: list[Footnote] = []
    last, i = 0, 0
    while i < len(lines):
        line = lines[i]
        number = None if line.row else _definition_number(line.text)
        fresh = i == 0 or line.gap_before or line.page != lines[i - 1].page
        small = not largest or line.size <= largest
        if number is not None and number in seen and number > last and fresh and small:
            run, i = _read_notes(lines, i, number, reliable_pages)
            notes.extend(Footnote(n, group, len(body)) for n, group in run)
            last = run[-1][0]
            continue
        seen.update(footnote_marker_numbers(line.text))
        seen.update(line.superscript_numbers())
        body.append(line)
        i += 1
    return body, notes


def _definition_number(text: str) -> int | None:
    match = _DEFINITION.match(text)
    return int(match.group(1)) if match else None


def _read_notes(
    lines: Sequence[Line], i: int, number: int, reliable_pages: bool
) -> tuple[list[tuple[int, tuple[Line, ...]]], int]:
    """Read consecutive definitions from line `i`; return them and the index after them."""
    run: list[tuple[int, tuple[Line, ...]]] = []
    current = [lines[i]]
    j = i + 1
    while j < len(lines) and lines[j].page == lines[i].page:
        if lines[i].size and lines[j].size > lines[i].size * NOTE_SIZE_SLACK:
            break  # text in a larger size: the body goes on below the note
        if _definition_number(lines[j].text) == number + 1:
            run.append((number, tuple(current)))
            number, current = number + 1, [lines[j]]
        elif reliable_pages or _continues_note(lines, j, current[-1], number):
            current.append(lines[j])
        else:
            break
        j += 1
    run.append((number, tuple(current)))
    return run, j


def _continues_note(lines: Sequence[Line], j: int, previous: Line, number: int) -> bool:
    """Without a known page end, a note goes on if unfinished or if the next note follows."""
    if previous.text.endswith(_INCOMPLETE):
        return True
    ahead = lines[j : j + NOTE_LOOKAHEAD]
    return any(_definition_number(line.text) == number + 1 for line in ahead)


def assemble(body: Sequence[Line], notes: Sequence[Footnote], builder: TextBuilder) -> None:
    """Add headings, paragraphs, lists and footnotes to `builder` in reading order."""
    numbers = {note.number for note in notes}
    lines = [replace(line, text=_without_markers(line, numbers)) for line in body]
    refs = [removed_markers(b.text, a.text, numbers) for b, a in zip(body, lines, strict=True)]
    vocabulary = word_vocabulary(
        [line.text for line in lines] + [line.text for note in notes for line in note.lines]
    )
    pending = deque(notes)  # in text order, so their anchors never decrease
    current: _OpenBlock | None = None
    for k, line in enumerate(lines):
        step = _step(current, lines[k - 1] if k else None, line)
        if current is not None and _extend(current, step, line, refs[k]):
            continue
        _emit(current, builder, vocabulary)
        _emit_notes(pending, k, builder, vocabulary)
        kind = "heading" if line.level else _KIND_OF_STEP.get(step, "paragraph")
        current = _OpenBlock(kind, line.level, line.box)
        current.add_line(line, refs[k], new_group=True)
    _emit(current, builder, vocabulary)
    _emit_notes(pending, len(lines), builder, vocabulary)


def _extend(current: _OpenBlock, step: Step, line: Line, refs: list[tuple[int, int]]) -> bool:
    """Add `line` to the open block when it goes on in it; return whether it did. A block does
    not run into or out of a box."""
    if line.box != current.box:
        return False
    if step == "continue":
        current.add_line(line, refs, new_group=False)
    elif step == "item" and current.kind == "list":
        current.add_line(line, refs, new_group=True)
    elif step == "row" and current.kind == "table":
        if not _repeated_header(current, line):
            current.add_line(line, refs, new_group=True)
    else:
        return False
    return True


def _without_markers(line: Line, numbers: Set[int]) -> str:
    """Return the line's text without the markers of the given footnotes."""
    text = line.text
    for start, end in sorted(line.superscripts, reverse=True):
        if text[start:end].isdigit() and int(text[start:end]) in numbers:
            spaced = text[start - 1 : start] == " " and text[end : end + 1] in (" ", "")
            text = text[: start - 1 if spaced else start] + text[end:]
    return strip_footnote_markers(text, numbers)


def removed_markers(original: str, stripped: str, numbers: Set[int]) -> list[tuple[int, int]]:
    """Return (offset in `stripped`, number) of each footnote marker of `numbers` that was
    taken out of `original` to give `stripped` (which only lost characters)."""
    found: list[tuple[int, int]] = []
    i = j = 0
    run, run_at = "", 0

    def flush() -> None:
        nonlocal run
        if run and int(run) in numbers:
            found.append((run_at, int(run)))
        run = ""

    while i < len(original):
        if j < len(stripped) and original[i] == stripped[j]:
            flush()
            j += 1
        elif original[i].isdigit():
            run, run_at = run + original[i], j if not run else run_at
        else:
            flush()  # a space taken out with a spaced superscript
        i += 1
    flush()
    return found


def _step(current: _OpenBlock | None, prev: Line | None, line: Line) -> Step:
    """Decide whether `line` continues the open block, adds a list item or row, or starts one."""
    if line.row:
        return "row"
    bullet = opens_list_item(line) and not line.level
    if current is None or prev is None:
        return "item" if bullet else "new"
    if line.level:
        same = current.kind == "heading" and current.level == line.level
        joined = same and prev.page == line.page and not line.gap_before
        return "continue" if joined else "new"
    if bullet:
        return "item"
    if current.kind in ("heading", "table") or _dates_apart(current, line):
        return "new"
    if prev.page != line.page:
        return "new" if ends_sentence(prev.text) else "continue"
    if current.kind == "list" and prev.x is None and broken_by_hand(prev, line):
        # Plain text (no positions): a wrapped item fills its line, so a line whose first word
        # would have fitted after the item was broken off by hand and starts a paragraph. Text
        # copied from a web page has one block per line and no blank line after a list.
        return "new"
    return "new" if line.gap_before else "continue"


def _dates_apart(current: _OpenBlock, line: Line) -> bool:
    """Tell whether a dateline ("Gepubliceerd op: 12 maart 2021 | Laatst gecontroleerd op: 4 mei
    2021", `is_dateline`) stands between the open block and `line`: it is the page's metadata,
    a paragraph of its own, never glued to the text before or after it. Its label may stand on
    a line above its date ("Gepubliceerd op:" over "21 april 2020"), which the date goes on."""
    return dates_the_page(line.text) or is_dateline(
        " ".join(line.text for line in current.groups[-1])
    )


def _repeated_header(table: _OpenBlock, row: Line) -> bool:
    """Return True for a table's first row repeated at the top of a following page."""
    return row.page != table.groups[-1][-1].page and row.text == table.groups[0][0].text


def _emit(current: _OpenBlock | None, builder: TextBuilder, vocabulary: frozenset[str]) -> None:
    if current is None:
        return
    parts: list[str] = []
    marks: list[tuple[int, int]] = []
    note_refs: list[tuple[int, int]] = []
    offset = 0
    for group, group_refs in zip(current.groups, current.refs, strict=True):
        text, starts = join_lines([line.text for line in group], vocabulary)
        marks.extend((offset + start, line.page) for start, line in zip(starts, group, strict=True))
        for start, line_refs in zip(starts, group_refs, strict=True):
            note_refs.extend((offset + start + at, number) for at, number in line_refs)
        parts.append(text)
        offset += len(text) + 1
    builder.add(
        current.kind, "\n".join(parts), current.level, marks, note_refs=note_refs, box=current.box
    )


def _emit_notes(
    pending: deque[Footnote], upto: int, builder: TextBuilder, vocabulary: frozenset[str]
) -> None:
    """Add the footnotes that stood before body line `upto`; return the rest."""
    while pending and pending[0].anchor <= upto:
        note = pending.popleft()
        first, *rest = note.lines
        texts = [_DEFINITION.sub("", first.text, count=1), *(line.text for line in rest)]
        text, starts = join_lines(texts, vocabulary)
        marks = [(start, line.page) for start, line in zip(starts, note.lines, strict=True)]
        builder.add("paragraph", text, 0, marks, note=note.number)
