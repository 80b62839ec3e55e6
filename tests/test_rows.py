"""Fragments of one printed line joined: words drawn apart and raised footnote markers."""

from __future__ import annotations

from index.lines import Line
from index.pdftext import text_width
from index.rows import join_fragments, join_rows


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


def right(text: str, edge: float, y: float, size: float = 8.5) -> Line:
    return fragment(text, edge - text_width(text, size), y, size)


def test_cells_on_one_baseline_and_wrapped_cells_make_one_row() -> None:
    lines = [
        fragment("Tranche", 74, 455, 8.5),
        right("Minimaal", 300, 455),  # a right-aligned header cell over three lines
        right("omzetverlies", 300, 444.5),
        right("(procent)", 300, 434),
        right("Voorschotten", 530, 455),
        right("(mld euro)", 530, 444.5),  # the last cell wraps after the others
        fragment("NOW 1", 74, 418.5, 8.5),
        right("20", 300, 418.5),
        right("11,1", 530, 418.5),
        fragment("Bron: UWV.", 72, 400, 7.5),
    ]
    rows = join_rows(lines)
    assert [(line.text, line.row) for line in rows] == [
        ("Tranche Minimaal omzetverlies (procent) Voorschotten (mld euro)", True),
        ("NOW 1 20 11,1", True),
        ("Bron: UWV.", False),
    ]


def test_a_list_marker_set_apart_from_its_item_is_not_a_cell() -> None:
    lines = [fragment("\u2022", 72, 700), fragment("de aanvraag was te ingewikkeld;", 90, 700)]
    assert [(line.text, line.row) for line in join_rows(lines)] == [
        ("\u2022 de aanvraag was te ingewikkeld;", False)
    ]


def test_raised_number_that_starts_a_footnote_joins_its_text() -> None:
    number = fragment("1", 72, 73, size=5)
    note = fragment("Kamerstuk 32 637, nr. 316.", (number.end or 0) + 2, 70, size=8)
    [line] = join_fragments([number, note])
    assert (line.text, line.y, line.size, line.superscripts) == (
        "1 Kamerstuk 32 637, nr. 316.",
        70,
        8,
        (),
    )
