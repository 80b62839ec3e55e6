"""Fragments of one printed line joined: words drawn apart and raised footnote markers."""

from __future__ import annotations

from index.lines import Line
from index.pdftext import text_width
from index.rows import join_fragments


def fragment(text: str, x: float, y: float, size: float = 10.0) -> Line:
    return Line(text, size=size, y=y, x=x, end=x + text_width(text, size))


def test_raised_marker_drawn_apart_joins_its_line_as_a_superscript() -> None:
    first = fragment("Het aantal kwam uit op 3.225.", 72, 686)
    marker = fragment("4", first.end or 0, 690, size=6.5)
    rest = fragment("De meeste", (marker.end or 0) + 2.8, 686)
    [line] = join_fragments([first, marker, rest])
    assert line.text == "Het aantal kwam uit op 3.225.4 De meeste"
    assert line.superscripts == ((29, 30),)
    assert line.superscript_numbers() == {4}


def test_lower_or_distant_fragments_stay_apart() -> None:
    first = fragment("CO", 72, 686)
    subscript = fragment("2", first.end or 0, 683, size=6.5)  # lowered: not a marker
    far = fragment("Totaal", 400, 686)
    below = fragment("Volgende regel.", 72, 672)
    assert [line.text for line in join_fragments([first, subscript, far, below])] == [
        "CO",
        "2",
        "Totaal",
        "Volgende regel.",
    ]
