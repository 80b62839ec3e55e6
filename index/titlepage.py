"""A report's front matter: its title page, or the title block that opens its first page.

Set in display type, the title, a subtitle, the publisher and a date are taken for headings by
their size, and would govern the report after them. The front matter is a closed unit, as a box
is (`index.boxes`): its headings govern it only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from index.lines import Line, ends_sentence, section_number
from index.metadata import same_title


def enclose_front_matter(lines: Sequence[Line], title: str | None = None) -> list[Line]:
    """Make the report's front matter a closed unit, box 1: its title page when it has one
    (`title_page_length`), else the title block opening its first page (`title_block_length`);
    renumber the boxes. `title` is the title the file declares, if any."""
    count = title_page_length(lines) or title_block_length(lines, title)
    if not count:
        return list(lines)
    return [replace(line, box=1) for line in lines[:count]] + [
        replace(line, box=line.box + 1) if line.box else line for line in lines[count:]
    ]


def title_page_length(lines: Sequence[Line]) -> int:
    """Return the number of lines of the first page when it is a title page, else 0.

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
        return 0
    return len(first)


def title_block_length(lines: Sequence[Line], title: str | None = None) -> int:
    """Return the number of lines of the title block that opens the document, or 0.

    A report without a title page opens with its title and a subtitle right under it, often
    set larger than the chapters' headings; taken for a heading of high rank, the subtitle
    governed every section after it. The title block is the longest run of headings opening
    the first page, before any body text, none of whose styles a heading after it has: as on a
    title page, the sections begin after it in styles of their own. It counts when it holds
    more than the title (a subtitle) and sections follow it (headings outside boxes: a box is
    no section of the report, `index.boxes`). A title right above a chapter or a section makes
    no title block with it: its style recurs in the next ones. And it must name the document
    (`_names_the_document`): an excerpt that opens with its chapter and section, the only
    ones of their rank, is no title block.
    """
    opening = 0  # the headings opening the first page, outside boxes
    while opening < len(lines) and _opens(lines[opening], lines[0].page):
        opening += 1
    length = _styles_of_its_own(lines, opening)
    block = lines[:length]
    if len(_heading_starts(block)) < 2 or not _names_the_document(block, title):
        return 0
    return length


def _names_the_document(block: Sequence[Line], title: str | None) -> bool:
    """Tell whether a run of headings opening the document names it, rather than its first
    chapter and section: its first heading is the title the file declares (`title`); or,
    as a file may declare none or another (its file name, its template's title, the whole
    report's for an excerpt), none of its headings has a section number ("3 Garanties",
    "3.3 Klein Krediet Corona"): a title and a subtitle name no part of the document."""
    starts = _heading_starts(block)
    first = block[: starts[1] if len(starts) > 1 else len(block)]
    if title is not None and same_title(" ".join(line.text for line in first), title):
        return True
    return not any(section_number(line.text) for line in block if line.level)


def _styles_of_its_own(lines: Sequence[Line], opening: int) -> int:
    """Return the length of the longest start of `lines[:opening]` none of whose heading
    styles a heading after it has, outside boxes, with such headings after it; else 0."""
    after = Counter(line.level for line in lines if line.level and not line.box)
    styles: set[int] = set()
    length = 0
    for i, line in enumerate(lines[:opening]):
        styles.add(line.level)
        after[line.level] -= 1
        if any(after[style] > 0 for style in styles):
            continue
        if any(count > 0 for count in after.values()):
            length = i + 1
    return length


def _opens(line: Line, page: int) -> bool:
    return bool(line.level) and not line.box and line.page == page


def _heading_starts(lines: Sequence[Line]) -> list[int]:
    """Return where the headings of a run of heading lines start: after a gap or in another
    style (`index.lines.mark_font_headings`)."""
    return [
        i
        for i, line in enumerate(lines)
        if not i or line.gap_before or line.level != lines[i - 1].level
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
