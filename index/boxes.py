"""Boxes in typeset pages: text drawn in a shaded or framed area, with a heading of its own.

A report sets examples and explanations apart in boxes ("Kader 6.1 Terugbetalen ...") in the
middle of a section. A box is a closed unit: its heading governs the box, and the body text after
it belongs to the section around it again. A box is told apart from a subsection by the area
drawn behind or around it, which a subsection does not have. A report's title page is such a
unit too (`index.titlepage`).
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import replace

import numpy as np

from index.lines import Line
from index.painting import MAX_BOX_TESTS, Rect


def mark_boxes(lines: Sequence[Line], rects: Sequence[Rect]) -> list[Line]:
    """Set `box` of each line of one page that starts in a painted rectangle to the number of
    the outermost one (1-based), so that a table drawn in a box is in the box. A rectangle
    behind every line of the page is the page's background, not a box."""
    placed = [i for i, line in enumerate(lines) if line.x is not None and line.y is not None]
    if not rects or not placed or len(placed) * len(rects) > MAX_BOX_TESTS:
        return list(lines)
    points = np.array([(lines[i].x, lines[i].y) for i in placed], dtype=float)
    areas = np.array(rects, dtype=float)
    x, y = points[:, :1], points[:, 1:]
    inside = (areas[:, 0] <= x) & (x <= areas[:, 2]) & (areas[:, 1] <= y) & (y <= areas[:, 3])
    inside[:, inside.all(axis=0)] = False
    sizes = (areas[:, 2] - areas[:, 0]) * (areas[:, 3] - areas[:, 1])
    outermost = np.where(inside, sizes, -1.0).argmax(axis=1)
    marked = list(lines)
    for row, i in enumerate(placed):
        if inside[row, outermost[row]]:
            marked[i] = replace(lines[i], box=int(outermost[row]) + 1)
    return marked


def number_boxes(lines: Sequence[Line]) -> list[Line]:
    """Number the document's boxes 1, 2, ... and clear `box` of lines in other painted areas.

    A box is a run of lines drawn in one area (or in areas on either side of a page break)
    holding a heading and text below it, nested in the section it stands in. An area without
    a heading (shading behind a table row or a marked sentence), or a band behind a heading
    alone, is no box. Its headings show it is nested (`_nested`): they rank below the heading
    in force before it; or they are set in a style of their own, which no heading of the
    running text has, and rank below the outermost heading in force (a report may set its box
    headings larger than its subsections'). An area with a heading in the style of a section,
    of a rank not below it (a chapter opening on a coloured page), is no box.
    """
    running = _running_text_styles(lines)
    marked = [replace(line, box=0) if line.box else line for line in lines]
    in_force = 0  # the level of the last heading outside boxes
    outside: set[int] = set()  # the levels of the headings outside boxes so far
    count = 0
    i = 0
    while i < len(lines):
        end = _area_end(lines, i)
        levels = [line.level for line in lines[i:end] if line.level]
        if levels and len(levels) < end - i and _nested(levels, running, in_force, outside):
            count += 1
            marked[i:end] = [replace(line, box=count) for line in lines[i:end]]
        else:
            in_force = next((line.level for line in reversed(lines[i:end]) if line.level), in_force)
            outside.update(levels)
        i = end
    return marked


def _nested(levels: Sequence[int], running: Set[int], in_force: int, outside: Set[int]) -> bool:
    """Tell whether the headings of an area nest it in the section it stands in: `running`
    holds the levels of the running text's headings, `outside` those of the headings before
    the area outside boxes (the outermost in force is the highest ranked of them)."""
    if min(levels) > in_force:
        return True
    own_style = running.isdisjoint(levels)
    return own_style and min(levels) > min(outside, default=0)


def _running_text_styles(lines: Sequence[Line]) -> set[int]:
    """Return the heading levels used in the running text: outside painted areas, or on a band
    behind a heading alone."""
    styles: set[int] = set()
    i = 0
    while i < len(lines):
        end = _area_end(lines, i)
        if not lines[i].box or all(line.level for line in lines[i:end]):
            styles.update(line.level for line in lines[i:end] if line.level)
        i = end
    return styles


def _area_end(lines: Sequence[Line], start: int) -> int:
    """Return the end of the run of lines from `start` drawn in one painted area, continued
    over page breaks; a line outside any area is a run of its own."""
    end = start + 1
    if not lines[start].box:
        return end
    while end < len(lines) and lines[end].box:
        prev, line = lines[end - 1], lines[end]
        if line.page == prev.page and line.box != prev.box:
            break
        end += 1
    return end
