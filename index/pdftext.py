"""pypdf's text pieces cut into lines with position, font size and raised footnote markers."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from index.clean import normalize_line
from index.lines import Line
from index.painting import PaintedAreas

SUPERSCRIPT_SIZE = 0.8  # a footnote marker is printed at most this fraction of the text size
SUPERSCRIPT_RISE = 0.15  # ... and raised by at least this fraction of it
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_MARKER = re.compile(r"\s*\d{1,3}\s*")
_SHOW_TEXT = frozenset({b"Tj", b"TJ", b"'", b'"'})

# Advance widths in thousandths of the font size, after Helvetica (Arial has the same metrics);
# other fonts differ by about 10%, which the users of these estimates allow for.
_WIDTHS = {
    **dict.fromkeys("ijl'|", 222),
    **dict.fromkeys(" ftI.,:;!/\\[]", 278),
    **dict.fromkeys('r-()`"°', 333),
    **dict.fromkeys("ckvxyzJ*^", 500),
    **dict.fromkeys("FTZ", 611),
    **dict.fromkeys("ABEKPSVXY&", 667),
    **dict.fromkeys("CDHNRUw", 722),
    **dict.fromkeys("GOQ", 778),
    **dict.fromkeys("mM", 833),
    **dict.fromkeys("%W", 900),
}
_DEFAULT_WIDTH = 556  # the other letters, digits and most symbols


def text_width(text: str, size: float) -> float:
    """Return the estimated printed width of `text` at font size `size`, in points."""
    return sum(_WIDTHS.get(ch, _DEFAULT_WIDTH) for ch in text) * size / 1000


class PageFull(Exception):
    """Raised from the text visitor to stop pypdf once a page holds too many characters."""


class LineCollector:
    """Receives pypdf's text pieces and cuts them into lines with position and size.

    pypdf passes the font size and the text matrix with each piece, not the text rise, so the
    rise of every text-showing operator is read from the operator visitor: a piece of one to
    three digits, smaller than the text before it and raised, is a footnote marker. The
    operator visitor also keeps the rectangles painted on the page (`areas`), where boxes are.
    """

    def __init__(self, page: int, max_chars: int) -> None:
        self.page = page
        self.lines: list[Line] = []
        self._max_chars = max_chars
        self._total = 0  # characters received, to stop pypdf on an absurd page
        self._rise = 0.0  # the text rise (Ts) in force, in text space units
        self._shown: list[float] = []  # the rise of each text shown since the last piece
        self.areas = PaintedAreas()
        self._reset()

    def _reset(self) -> None:
        self._parts: list[tuple[str, bool]] = []  # (piece, is a raised marker)
        self._sizes: Counter[float] = Counter()
        self._bold = 0
        self._chars = 0
        self._x: float | None = None
        self._y: float | None = None
        self._width = 0.0
        self._last_size = 0.0

    def operator(
        self, operator: bytes, operands: Sequence[Any], cm: Sequence[float], tm: Sequence[float]
    ) -> None:
        """Follow the text rise and painted rectangles: pypdf's operator visitor
        (visitor_operand_before)."""
        self.areas.operator(operator, operands, cm)
        if operator == b"Ts":
            try:
                self._rise = float(operands[0])
            except (IndexError, TypeError, ValueError):
                self._rise = 0.0
        elif operator in _SHOW_TEXT:
            self._shown.append(self._rise)

    def visit(
        self,
        text: str,
        cm: Sequence[float],
        tm: Sequence[float],
        font_dict: Mapping[str, Any] | None,
        font_size: float,
    ) -> None:
        """Take one piece of text: pypdf's text visitor (visitor_text)."""
        self._total += len(text)
        if self._total > self._max_chars:
            raise PageFull
        rise = min(self._shown, default=0.0)
        self._shown = []
        for k, piece in enumerate(text.split("\n")):
            if k:
                self._finish()
            if piece:
                self._add(piece, cm, tm, font_dict, font_size, rise)

    def _add(
        self,
        piece: str,
        cm: Sequence[float],
        tm: Sequence[float],
        font_dict: Mapping[str, Any] | None,
        font_size: float,
        rise: float,
    ) -> None:
        chars = len(piece.strip())
        scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]) or 1.0
        size = round(font_size * scale, 1)
        self._width += text_width(piece, size)
        if not chars:
            self._parts.append((piece, False))
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if self._is_marker(piece, size, rise * scale, y):
            self._parts.append((piece, True))
            return
        self._parts.append((piece, False))
        if self._y is None:
            self._x = x + text_width(piece[: len(piece) - len(piece.lstrip())], size)
            self._y = y
            self._width = text_width(piece.lstrip(), size)
        self._sizes[size] += chars
        self._chars += chars
        self._last_size = size
        if font_dict is not None and _BOLD_FONT.search(str(font_dict.get("/BaseFont", ""))):
            self._bold += chars

    def _is_marker(self, piece: str, size: float, rise: float, y: float) -> bool:
        """Return True for digits set small and raised after text on the same line."""
        if not self._chars or self._y is None or not _MARKER.fullmatch(piece):
            return False
        if size > SUPERSCRIPT_SIZE * self._last_size:
            return False
        raised = max(rise, y - self._y)
        return raised >= SUPERSCRIPT_RISE * self._last_size

    def _finish(self) -> None:
        text = normalize_line("".join(piece for piece, _ in self._parts))
        if text:
            size = self._sizes.most_common(1)[0][0] if self._sizes else 0.0
            bold = self._chars > 0 and self._bold >= 0.8 * self._chars
            end = None if self._x is None else self._x + self._width
            self.lines.append(
                Line(
                    text,
                    page=self.page,
                    size=size,
                    bold=bold,
                    y=self._y,
                    x=self._x,
                    end=end,
                    superscripts=self._marker_spans(text),
                )
            )
        self._reset()

    def _marker_spans(self, text: str) -> tuple[tuple[int, int], ...]:
        """Return where the raised markers ended up in the normalised `text`."""
        spans: list[tuple[int, int]] = []
        prefix = ""
        for piece, marker in self._parts:
            prefix += piece
            if marker:
                digits = piece.strip()
                end = len(normalize_line(prefix))
                if text[end - len(digits) : end] == digits:
                    spans.append((end - len(digits), end))
        return tuple(spans)

    def close(self) -> list[Line]:
        """Return the page's lines, the last one finished."""
        self._finish()
        return self.lines
