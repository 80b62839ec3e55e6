"""Join what one printed line holds: fragments drawn apart and raised footnote markers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from index.lines import Line

BASELINE = 0.25  # fragments on baselines closer than this many font sizes share a line
WORD_GAP = 0.5  # fragments this many sizes apart (plus the width estimate's error) are one run
WIDTH_ERROR = 0.1  # estimated widths may be off by this fraction
SPACE_GAP = 0.15  # a gap wider than this many sizes is a space between words
SUPERSCRIPT_SIZE = 0.8  # a footnote marker is printed at most this fraction of the text size
SUPERSCRIPT_RISE = (0.1, 0.8)  # ... and raised by this fraction of it
_MARKER = re.compile(r"\d{1,3}")


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
    return _same_baseline(prev, line) or _is_superscript(prev, line)


def _same_baseline(prev: Line, line: Line) -> bool:
    size = max(prev.size, line.size) or 10.0
    return abs((line.y or 0.0) - (prev.y or 0.0)) <= BASELINE * size


def _is_superscript(prev: Line, line: Line) -> bool:
    """Return True when `line` is a footnote marker: small digits raised above `prev`."""
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
