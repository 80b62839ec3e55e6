"""A report's title page: a closed unit, as a box is (`index.boxes`), whose headings govern it
only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from index.lines import Line, ends_sentence


def enclose_title_page(lines: Sequence[Line]) -> list[Line]:
    """Make the first page a closed unit, box 1, when it is a title page; renumber the boxes.

    A report opens with a title page: its title, then a subtitle, the publisher or a date in
    type of their own. Taken for headings by their size, the subtitle and the rest governed the
    pages after the title page: the colophon, or the whole report when the subtitle is set
    larger than the chapters' headings; and its last line ran on into the first paragraph of
    the next page. The first page is a title page when the pages after it have headings and
    none of them is set in the style of a heading on the first page: the report's sections
    begin after it, in styles of their own. An ordinary first page (the title, sections, body
    text running on to page 2, followed by pages with subheadings only) meets that too, so the
    page must also look like a cover (`_looks_like_cover`). As a closed unit its headings
    govern it only, and its text ends with it.
    """
    first = [line for line in lines if line.page == lines[0].page] if lines else []
    rest = lines[len(first) :]
    styles = {line.level for line in first if line.level}
    later = {line.level for line in rest if line.level}
    if not styles or not later or styles & later or not _looks_like_cover(first, rest):
        return list(lines)
    return [replace(line, box=1) for line in first] + [
        replace(line, box=line.box + 1) if line.box else line for line in rest
    ]


def _looks_like_cover(page: Sequence[Line], after: Sequence[Line]) -> bool:
    """Tell whether a first page is set as a cover: in display type, and ending by itself.

    A cover is set in display type: a title and subtitle in large type, and a few lines of
    facts (the publisher, a date) in small type. A text page is set in body type, under a few
    headings. So the type that is no heading covers less of a cover than its headings do: less
    than half of the page's type area (characters times the size squared, as a glyph's width
    and height both grow with the size). And a cover's text ends on it, where a text page's
    last paragraph may run on to the next page (`_runs_on`).
    """
    area = sum(len(line.text) * line.size**2 for line in page)
    text = sum(len(line.text) * line.size**2 for line in page if not line.level)
    return text < area / 2 and not (after and _runs_on(page, page[-1], after[0]))


def _runs_on(page: Sequence[Line], last: Line, following: Line) -> bool:
    """Tell whether the last line of `page` may run on into `following`, the next page's first.

    It does not when it is a heading, ends a sentence, or is followed by a heading; nor when it
    stops short of the page's widest text line by more than the first word of the next line:
    that word would have fitted, so the line was broken by the writer, not by the page end.
    """
    if last.level or following.level or ends_sentence(last.text):
        return False
    edges = [line.end for line in page if not line.level and line.end is not None]
    if last.x is None or last.end is None or not edges or not following.text.split():
        return True
    char_width = (last.end - last.x) / max(len(last.text), 1)
    word = len(following.text.split()[0]) + 1  # with the space before it
    return last.end + word * char_width > max(edges)
