"""What a page paints besides its text: the rectangles where boxes are (`index.boxes`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF user space

# Bound on the point-in-rectangle tests for one page (lines times painted rectangles; a page of
# 60 lines may hold a chart of 4,000 bars), about 10 ms, so that a hostile file of many pages of
# both costs seconds, not minutes. Beyond it the page's boxes are not looked for: its text is
# read as if it had none.
MAX_BOX_TESTS = 250_000

_FILL = frozenset({b"f", b"F", b"f*"})
_STROKE = frozenset({b"S", b"s", b"B", b"B*", b"b", b"b*"})  # stroked, perhaps filled too
_END_PATH = frozenset({b"n"}) | _FILL | _STROKE


class PaintedAreas:
    """Follows a page's drawing operators and keeps its painted rectangles: those filled in a
    colour other than white (a shaded area) and those stroked (a frame). A white fill does not
    show on paper; a rectangle only used to clip (`re W n`) is not painted."""

    def __init__(self) -> None:
        self.rects: list[Rect] = []
        self._path: list[Rect] = []
        self._white = False  # the fill colour in force is white
        self._saved: list[bool] = []

    def operator(self, operator: bytes, operands: Sequence[Any], cm: Sequence[float]) -> None:
        """Take one operator with its operands and the transformation matrix in force. An
        operator whose operands are not numbers draws nothing (as in a PDF viewer, which skips
        it) and is ignored, so that it does not cost the page's text."""
        if operator == b"re" and len(operands) == 4:
            if len(self.rects) + len(self._path) < MAX_BOX_TESTS:
                try:
                    self._path.append(_transformed(operands, cm))
                except (TypeError, ValueError, OverflowError):
                    return  # a name, string or array where a number belongs
        elif operator in _END_PATH:
            if operator in _STROKE or (operator in _FILL and not self._white):
                self.rects.extend(self._path)
            self._path = []
        elif operator == b"q":
            self._saved.append(self._white)
        elif operator == b"Q":
            self._white = self._saved.pop() if self._saved else False
        elif operator in (b"g", b"rg", b"k", b"sc", b"scn", b"cs"):
            self._white = operator != b"cs" and _is_white(operands)


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
    a, b, c, d, e, f = cm
    corners = [(x, y), (x + w, y), (x, y + h), (x + w, y + h)]
    xs = [a * px + c * py + e for px, py in corners]
    ys = [b * px + d * py + f for px, py in corners]
    return min(xs), min(ys), max(xs), max(ys)
