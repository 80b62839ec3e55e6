"""Join what one printed line holds: fragments drawn apart, raised markers and table cells."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from index.clean import join_lines
from index.lines import Line

BASELINE = 0.25  # fragments on baselines closer than this many font sizes share a line
WORD_GAP = 0.5  # fragments this many sizes apart (plus the width estimate's error) are one run
WIDTH_ERROR = 0.1  # estimated widths may be off by this fraction
SPACE_GAP = 0.15  # a gap wider than this many sizes is a space between words
SUPERSCRIPT_SIZE = 0.8  # a footnote marker is printed at most this fraction of the text size
SUPERSCRIPT_RISE = (0.1, 0.8)  # ... and raised by this fraction of it
ROW_DEPTH = 6.0  # a wrapped cell runs at most this many sizes below its row's first baseline
CELL_PITCH = 1.6  # the lines of one wrapped cell follow at most this many sizes apart
CELL_SEPARATOR = " "  # between the cells of a row (bench/corpora/rapport quotes rows so)
_MARKER = re.compile(r"\d{1,3}")
_LABEL = re.compile(r"[•▪●◦○■□►▸‣⁃–—*-]|\(?\d{1,3}[.)]?|\(?[a-z][.)]")


def join_fragments(lines: Sequence[Line]) -> list[Line]:
    """Join consecutive fragments of one printed line: words drawn apart and raised markers.

    Some producers draw every run of text on its own (a word in another font, a footnote
    marker raised with its own text matrix), and pypdf then starts a new line for each.
    """
    joined: list[Line] = []
    for line in lines:
        if joined and _continues(joined[-1], line):
            joined[-1] = _join(joined[-1], line)
        else:
            joined.append(line)
    return joined


def _gap(prev: Line, line: Line) -> float | None:
    """Return the horizontal gap from `prev`'s end to `line`, or None when either is unplaced."""
    if prev.page != line.page or prev.end is None or line.x is None:
        return None
    if prev.y is None or line.y is None:
        return None
    return line.x - prev.end


def _slack(prev: Line) -> float:
    """Return how far the estimated end of `prev` may be off."""
    size = prev.size or 10.0
    width = (prev.end or 0.0) - (prev.x or 0.0)
    return WORD_GAP * size + WIDTH_ERROR * max(width, 0.0)


def _continues(prev: Line, line: Line) -> bool:
    gap = _gap(prev, line)
    if gap is None or abs(gap) > _slack(prev):
        return False
    return _same_baseline(prev, line) or _is_superscript(prev, line) or _is_superscript(line, prev)


def _same_baseline(prev: Line, line: Line) -> bool:
    size = max(prev.size, line.size) or 10.0
    return abs((line.y or 0.0) - (prev.y or 0.0)) <= BASELINE * size


def _is_superscript(prev: Line, line: Line) -> bool:
    """Return True when `line` is a footnote marker: small digits raised above `prev`.

    With the arguments swapped: `prev` is the raised number that starts a footnote.
    """
    if (
        not _MARKER.fullmatch(line.text)
        or not prev.size
        or line.size > SUPERSCRIPT_SIZE * prev.size
    ):
        return False
    rise = ((line.y or 0.0) - (prev.y or 0.0)) / prev.size
    return SUPERSCRIPT_RISE[0] <= rise <= SUPERSCRIPT_RISE[1]


def _join(prev: Line, line: Line) -> Line:
    if _is_superscript(prev, line):
        start = len(prev.text)
        return replace(
            prev,
            text=prev.text + line.text,
            end=max(prev.end or 0.0, line.end or 0.0),
            superscripts=(*prev.superscripts, (start, start + len(line.text))),
        )
    if _is_superscript(line, prev):  # "¹ Kamerstuk ...": the footnote's own number
        return replace(line, text=f"{prev.text} {line.text}", x=prev.x)
    gap = _gap(prev, line) or 0.0
    separator = " " if gap > SPACE_GAP * (prev.size or 10.0) else ""
    offset = len(prev.text) + len(separator)
    return replace(
        prev,
        text=prev.text + separator + line.text,
        end=max(prev.end or 0.0, line.end or 0.0),
        bold=prev.bold and line.bold,
        superscripts=prev.superscripts
        + tuple((a + offset, b + offset) for a, b in line.superscripts),
    )


def join_rows(lines: Sequence[Line]) -> list[Line]:
    """Join the cells of each table row into one line, wrapped cells included.

    Cells of a row start on one baseline, left to right; a cell that wraps puts its further
    lines below, before the next cell jumps back up (in the order the producer drew them).
    A list marker set apart from its item ("•", "3.") is joined to it as text.
    """
    joined: list[Line] = []
    i = 0
    while i < len(lines):
        line, i = _read_row(lines, i)
        joined.append(line)
    return joined


def _read_row(lines: Sequence[Line], i: int) -> tuple[Line, int]:
    """Return the row (or plain line) that starts at `lines[i]` and the index after it."""
    end = _row_end(lines, i)
    if end is None:
        return lines[i], i + 1
    cells: list[list[Line]] = []
    for line in lines[i:end]:
        if _same_baseline(lines[i], line):
            cells.append([line])
        else:
            cells[-1].append(line)
    while end < len(lines) and _continues_cell(cells, lines[end]):
        cells[-1].append(lines[end])
        end += 1
    if len(cells) == 2 and len(cells[0]) == 1 and _LABEL.fullmatch(cells[0][0].text):
        return _cell_line([cells[0], cells[1]], " ", row=False), end
    return _cell_line(cells, CELL_SEPARATOR, row=True), end


def _row_end(lines: Sequence[Line], i: int) -> int | None:
    """Return the index after the last cell that starts on the baseline of `lines[i]`.

    None when no second cell starts there: `lines[i]` is not the start of a table row.
    """
    first = lines[i]
    if first.x is None or first.y is None:
        return None
    size = first.size or 10.0
    starts = [first]
    end = None
    for k in range(i + 1, len(lines)):
        line = lines[k]
        if line.page != first.page or line.x is None or line.y is None:
            break
        drop = first.y - line.y
        if abs(drop) <= BASELINE * size:
            if line.x <= (starts[-1].x or 0.0):
                break  # not the next cell to the right
            starts.append(line)
            end = k + 1
        elif drop < 0 or drop > ROW_DEPTH * size:
            break
    return end


def _continues_cell(cells: list[list[Line]], line: Line) -> bool:
    """Return True when `line` is the next line of the row's last cell (a wrapped cell)."""
    prev = cells[-1][-1]
    if line.page != prev.page or line.x is None or line.y is None or prev.y is None:
        return False
    drop = prev.y - line.y
    if not 0 < drop <= CELL_PITCH * (prev.size or 10.0):
        return False
    return _overlaps(line, cells[-1]) and not _overlaps(line, cells[0])


def _overlaps(line: Line, cell: list[Line]) -> bool:
    """Return True when `line` shares horizontal room with the column of `cell`."""
    left = min(part.x or 0.0 for part in cell)
    right = max(part.end or 0.0 for part in cell)
    return (line.x or 0.0) < right and (line.end or 0.0) > left


def _cell_line(cells: list[list[Line]], separator: str, *, row: bool) -> Line:
    """Return one line holding the cells' texts, each cell's lines joined as running text."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for cell in cells:
        text, starts = join_lines([line.text for line in cell])
        for start, line in zip(starts, cell, strict=True):
            spans.extend((a + offset + start, b + offset + start) for a, b in line.superscripts)
        parts.append(text)
        offset += len(text) + len(separator)
    first = cells[0][0]
    return replace(
        first,
        text=separator.join(parts),
        end=max((line.end or 0.0) for cell in cells for line in cell),
        bold=all(line.bold for cell in cells for line in cell),
        superscripts=tuple(spans),
        row=row,
    )
