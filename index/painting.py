"""What a page paints besides its text: the rectangles where boxes are (`index.boxes`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF user space
Point = tuple[float, float]
Stroke = tuple[Point, Point, float]  # a straight line stroked from one point to another, its width
# A piece of a path, from the point before it: (start, end) for a line, (start, control,
# control, end) for a curve; a subpath opens with (start,), the point it moves to.
Segment = tuple[Point, ...]

# Bound on the point-in-rectangle tests for one page (lines times painted rectangles; a page of
# 60 lines may hold a chart of 4,000 bars), about 10 ms, so that a hostile file of many pages of
# both costs seconds, not minutes. Beyond it the page's boxes are not looked for: its text is
# read as if it had none.
MAX_BOX_TESTS = 250_000
# Lines are paired end to end to find frames (`_frames`): a page of more horizontal and
# vertical lines than this (a chart's grid) is read without the frames they might make, at a
# cost like that of MAX_BOX_TESTS.
MAX_FRAME_LINES = math.isqrt(MAX_BOX_TESTS)
# The width taken for a line of width 0, the thinnest the device can draw (PDF 32000-1,
# 8.4.3.2): one pixel at 72 dpi, a point.
HAIRLINE = 1.0

_FILL = frozenset({b"f", b"F", b"f*"})
_STROKE = frozenset({b"S", b"s", b"B", b"B*", b"b", b"b*"})  # stroked, perhaps filled too
_CLOSE_AND_STROKE = frozenset({b"s", b"b", b"b*"})
_END_PATH = frozenset({b"n"}) | _FILL | _STROKE
_CURVES = frozenset({b"c", b"v", b"y"})
_PIECES = frozenset({b"l"}) | _CURVES  # operators that add a piece to the current subpath
_PATH_BUILDING = frozenset({b"re", b"m"}) | _PIECES


class PaintedAreas:
    """Follows a page's drawing operators and keeps its painted rectangles: those filled in a
    colour other than white (a shaded area), those stroked (a frame), drawn as a rectangle or
    as a path around one, perhaps with rounded corners (`_outlined`), and frames stroked as
    four lines (`_frames`). A white fill does not show on paper; a rectangle only used to clip
    (`re W n`) is not painted."""

    def __init__(self) -> None:
        self._rects: list[Rect] = []
        self._strokes: list[Stroke] = []  # horizontal and vertical lines stroked
        self._path: list[Rect] = []
        self._subpaths: list[list[Segment] | None] = []  # None: a rectangle (`re`), in _path
        self._white = False  # the fill colour in force is white
        self._width = 1.0  # the line width in force (the default of PDF)
        self._saved: list[tuple[bool, float]] = []
        self._kept = 0  # rectangles, lines and path points kept, to bound the page's cost

    def rects(self) -> list[Rect]:
        """Return the page's painted rectangles, with the frames its lines make."""
        return self._rects + _frames(self._strokes)

    def operator(self, operator: bytes, operands: Sequence[Any], cm: Sequence[float]) -> None:
        """Take one operator with its operands and the transformation matrix in force. An
        operator whose operands are not numbers draws nothing (as in a PDF viewer, which skips
        it) and is ignored, so that it does not cost the page's text."""
        try:
            self._take(operator, operands, cm)
        except (TypeError, ValueError, OverflowError, IndexError):
            return  # a name, string or array where a number belongs, or numbers missing

    def _take(self, operator: bytes, operands: Sequence[Any], cm: Sequence[float]) -> None:
        if operator in _PATH_BUILDING and self._kept >= MAX_BOX_TESTS:
            return
        if operator == b"re" and len(operands) == 4:
            self._path.append(_transformed(operands, cm))
            self._subpaths.append(None)  # a subpath of its own: a line after it is not framed
            self._kept += 1
        elif operator == b"m":
            self._subpaths.append([(_point(operands, cm),)])
            self._kept += 1
        elif operator in _PIECES and self._subpaths and self._subpaths[-1] is not None:
            subpath = self._subpaths[-1]
            subpath.append(_piece(operator, operands, cm, subpath[-1][-1]))
            self._kept += 1
        elif operator == b"h":
            self._close()
        elif operator in _END_PATH:
            self._paint(operator, cm)
        elif operator == b"w":
            self._width = float(operands[0])
        elif operator == b"q":
            self._saved.append((self._white, self._width))
        elif operator == b"Q":
            self._white, self._width = self._saved.pop() if self._saved else (False, 1.0)
        elif operator in (b"g", b"rg", b"k", b"sc", b"scn", b"cs"):
            self._white = operator != b"cs" and _is_white(operands)

    def _close(self) -> None:
        """Close the current subpath with a line back to its start."""
        subpath = self._subpaths[-1] if self._subpaths else None
        if subpath:
            subpath.append((subpath[-1][-1], subpath[0][0]))

    def _paint(self, operator: bytes, cm: Sequence[float]) -> None:
        stroked = operator in _STROKE
        if operator in _CLOSE_AND_STROKE:
            self._close()
        if stroked or (operator in _FILL and not self._white):
            self._rects.extend(self._path)
            # a stroke shows its width; a fill, the thinnest line the device can draw
            width = self._stroke_width(cm) if stroked else HAIRLINE
            for subpath in filter(None, self._subpaths):
                self._paint_subpath(subpath, width, stroked=stroked)
        self._path = []
        self._subpaths = []
        self._kept = len(self._rects) + len(self._strokes)

    def _paint_subpath(self, subpath: list[Segment], width: float, *, stroked: bool) -> None:
        """Keep the rectangle a subpath outlines; else, when stroked, its straight lines. A
        fill closes every subpath."""
        closed = subpath if stroked else [*subpath, (subpath[-1][-1], subpath[0][0])]
        outlined = _outlined(closed, width)
        if outlined is not None:
            self._rects.append(outlined)
        elif stroked and all(len(piece) <= 2 for piece in subpath):  # a curve: no frame of lines
            self._strokes.extend(_straight_strokes([piece[-1] for piece in subpath], width))

    def _stroke_width(self, cm: Sequence[float]) -> float:
        """Return the width of the lines stroked under matrix `cm`, in user space."""
        return max(self._width * math.sqrt(abs(cm[0] * cm[3] - cm[1] * cm[2])), HAIRLINE)


def _is_white(operands: Sequence[Any]) -> bool:
    """Tell whether gray (1 value), RGB (3) or CMYK (4) colour components make white."""
    try:
        values = [float(value) for value in operands]
    except (TypeError, ValueError, OverflowError):
        return False  # a pattern or a named colour
    if len(values) == 4:
        return all(value == 0 for value in values)
    return len(values) in (1, 3) and all(value == 1 for value in values)


def _transformed(operands: Sequence[Any], cm: Sequence[float]) -> Rect:
    """Return the bounds in user space of rectangle x, y, w, h drawn under matrix `cm`."""
    x, y, w, h = (float(value) for value in operands)
    corners = [_point((px, py), cm) for px, py in [(x, y), (x + w, y), (x, y + h), (x + w, y + h)]]
    xs = [px for px, _ in corners]
    ys = [py for _, py in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _point(operands: Sequence[Any], cm: Sequence[float]) -> Point:
    """Return point x, y drawn under matrix `cm`, in user space."""
    x, y = float(operands[0]), float(operands[1])
    a, b, c, d, e, f = cm
    return a * x + c * y + e, b * x + d * y + f


def _piece(operator: bytes, operands: Sequence[Any], cm: Sequence[float], start: Point) -> Segment:
    """Return the line or curve an operator draws from `start`, in user space. A curve `v`
    has its first control point at its start, `y` its second at its end."""
    points = [_point(operands[i : i + 2], cm) for i in range(0, len(operands), 2)]
    if operator == b"l" and len(points) == 1:
        return (start, points[0])
    if operator == b"c" and len(points) == 3:
        return (start, *points)
    if operator == b"v" and len(points) == 2:
        return (start, start, *points)
    if operator == b"y" and len(points) == 2:
        return (start, points[0], points[1], points[1])
    raise ValueError(f"{len(operands)} operands for {operator!r}")


def _outlined(subpath: Sequence[Segment], slack: float) -> Rect | None:
    """Return the bounding box of a closed subpath that runs around it, else None.

    Such a path is a rectangle, perhaps with rounded corners: each of its lines runs along a
    side of the box, and every side has one; each of its curves rounds a corner, leaving one
    side along it and reaching the next along that (as a quarter circle's control points lie
    on the tangents at its ends). Painted, it covers the box but for the rounded corners. A
    triangle, a slanted or a chart's path, a circle (curves only) and a bar with round ends
    (two sides without a line) do not. A point lies on a side when it is within `slack` of
    it, the width of the line that draws it: on paper it touches the side.
    """
    points = [point for piece in subpath for point in piece]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    box = (min(xs), min(ys), max(xs), max(ys))
    covered: set[int] = set()
    for piece in subpath[1:]:
        sides = [_sides(point, box, slack) for point in piece]
        if len(piece) == 2 and sides[0] & sides[1]:
            if math.dist(*piece) > slack:
                covered |= sides[0] & sides[1]
        elif len(piece) != 4 or not _rounds_a_corner(sides[0] & sides[1], sides[2] & sides[3]):
            return None
    closed = math.dist(subpath[0][0], subpath[-1][-1]) <= slack
    return box if closed and len(covered) == 4 else None


def _sides(point: Point, box: Rect, slack: float) -> set[int]:
    """Return the sides of `box` that `point` lies on: 0 left, 1 bottom, 2 right, 3 top."""
    x, y = point
    distances = (x - box[0], y - box[1], box[2] - x, box[3] - y)
    return {side for side, distance in enumerate(distances) if distance <= slack}


def _rounds_a_corner(leaves: set[int], reaches: set[int]) -> bool:
    """Tell whether a curve leaving along one of the sides `leaves` and reaching along one of
    `reaches` stays on the box's edge: the sides are one side, or two that meet in a corner
    (opposite sides are two apart)."""
    return any((a - b) % 4 != 2 for a in leaves for b in reaches)


def _straight_strokes(points: Sequence[Point], width: float) -> list[Stroke]:
    """Return the horizontal and vertical lines among those joining `points` in turn."""
    return [
        (start, end, width)
        for start, end in zip(points, points[1:], strict=False)
        if math.dist(start, end) > width
        and (abs(start[0] - end[0]) <= width or abs(start[1] - end[1]) <= width)
    ]


def _frames(strokes: Sequence[Stroke]) -> list[Rect]:
    """Return the rectangles that four stroked lines frame, drawn in one path or in four.

    Two lines meet where their ends are no further apart than the wider of the two is thick:
    on paper they touch (a drawing program may run a line on by half its width, to fill the
    corner). A frame is two horizontal lines and two vertical ones meeting in its four
    corners; lines that cross or meet elsewhere (a table's grid) frame nothing.
    """
    flat = [_as_horizontal(stroke) for stroke in strokes if _is_horizontal(stroke)]
    upright = [_as_vertical(stroke) for stroke in strokes if not _is_horizontal(stroke)]
    if not flat or not upright or len(flat) + len(upright) > MAX_FRAME_LINES:
        return []
    h = np.array(flat, dtype=float)  # x0, x1, y, width: x0 <= x1
    v = np.array(upright, dtype=float)  # x, y0, y1, width: y0 <= y1
    slack = np.maximum.outer(h[:, 3], v[:, 3])

    def meet(hx: np.ndarray, vy: np.ndarray) -> np.ndarray:
        """Where a horizontal line's end at x `hx` meets a vertical line's end at y `vy`."""
        near_x = np.abs(hx[:, None] - v[None, :, 0]) <= slack
        near_y = np.abs(h[:, 2:3] - vy[None, :]) <= slack
        met: np.ndarray = (near_x & near_y).astype(float)
        return met

    left_top, right_top = meet(h[:, 0], v[:, 2]), meet(h[:, 1], v[:, 2])
    left_bottom, right_bottom = meet(h[:, 0], v[:, 1]), meet(h[:, 1], v[:, 1])
    above = h[:, 2:3] > h[None, :, 2]  # [top, bottom]
    framed = above & ((left_top @ left_bottom.T) > 0) & ((right_top @ right_bottom.T) > 0)
    return [
        (min(h[t, 0], h[b, 0]), h[b, 2], max(h[t, 1], h[b, 1]), h[t, 2])
        for t, b in zip(*np.nonzero(framed), strict=True)
    ]


def _is_horizontal(stroke: Stroke) -> bool:
    (x0, y0), (x1, y1), _ = stroke
    return abs(x1 - x0) > abs(y1 - y0)


def _as_horizontal(stroke: Stroke) -> tuple[float, float, float, float]:
    (x0, y0), (x1, y1), width = stroke
    return min(x0, x1), max(x0, x1), (y0 + y1) / 2, width


def _as_vertical(stroke: Stroke) -> tuple[float, float, float, float]:
    (x0, y0), (x1, y1), width = stroke
    return (x0 + x1) / 2, min(y0, y1), max(y0, y1), width
