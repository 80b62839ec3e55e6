"""Page furniture: running headers, footers, page numbers and table-of-contents lines."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from index.lines import HEADING_SIZE_RATIO, Line, body_size, ends_sentence

EDGE_LINES = 5  # without positions, headers and footers are the first/last lines of a page
PAGE_NUMBER_LINES = 2  # a lone page number is only looked for in the outermost lines
FURNITURE_Y_TOLERANCE = 4.0  # points: a running header sits at the same height on every page
BAND_SHARE = 0.15  # headers and footers lie in the top or bottom 15% of the printed area
CLUSTER_GAP = 1.8  # ... set apart from the body by a gap of at least this many font sizes
CLUSTER_ROWS = 3  # ... in at most this many lines

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?$"
    r"|^(?:pagina|page|blz\.?|p\.)\s*\d{1,4}(?:\s*(?:van|of|/)\s*\d{1,4})?$"
    r"|^\d{1,4}\s*(?:/|van|of)\s*\d{1,4}$",
    re.IGNORECASE,
)
_LONE_NUMBER = re.compile(r"^(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?$")
_DIGITS = re.compile(r"\d+")
_NOTE_NUMBER = re.compile(r"^(\d{1,3})\s")
# "1.1 Aanleiding ........ 5": a title, a leader of dots (or …, ·, _) and a page number.
_CONTENTS_ENTRY = re.compile(
    r"^\S.*?(?:(?:[.·_]\s?){4,}|(?:…\s?){2,})\s*(?:\d{1,4}|[ivxlcdm]{1,7})$", re.IGNORECASE
)
_CONTENTS_TITLE = re.compile(
    r"^(?:inhoud|inhoudsopgave|inhoudstafel|(?:table of )?contents)$", re.IGNORECASE
)
MIN_CONTENTS_ENTRIES = 2

FurnitureKey = tuple[str, int | None]
Slot = tuple[str, int, float]  # "top"/"bottom", height bucket, font size


def drop_page_furniture(pages: Sequence[Sequence[Line]]) -> list[list[Line]]:
    """Remove page numbers, running headers and footers.

    With positions (PDF), a line set apart at the top or bottom of a page is furniture when it
    is a page number, or when a line sits at the same height in the same size on other pages
    and the text of that place repeats (so alternating headers and changing chapter titles
    count, and each may appear on only a few pages). Without positions, a line among the
    first or last lines of a page must repeat on most pages.
    """
    body = body_size([line for page in pages for line in page])
    recurring = _recurring_edge_lines(pages) if len(pages) >= 2 else set()
    placed = _placed_furniture(pages, body)
    cleaned: list[list[Line]] = []
    for number, lines in enumerate(pages):
        edges = _edge_indices(len(lines), EDGE_LINES)
        outer = _edge_indices(len(lines), PAGE_NUMBER_LINES)
        notes = _note_numbers(lines)
        cleaned.append(
            [
                line
                for i, line in enumerate(lines)
                if _is_note(line, notes)
                or (
                    (number, i) not in placed
                    and (
                        i not in edges
                        or not _is_furniture(line, number, recurring, body, i in outer)
                    )
                )
            ]
        )
    return cleaned


def _edge_indices(count: int, width: int) -> set[int]:
    return set(range(min(width, count))) | set(range(max(0, count - width), count))


def _masked(text: str) -> str:
    return " ".join(_DIGITS.sub("#", text.lower()).split())


def _furniture_key(line: Line) -> FurnitureKey:
    """Return the line's text with digits masked, and where on the page it sits (if known)."""
    place = None if line.y is None else round(line.y / FURNITURE_Y_TOLERANCE)
    return _masked(line.text), place


def _recurring_edge_lines(pages: Sequence[Sequence[Line]]) -> set[tuple[FurnitureKey, int]]:
    """Return (key, page) pairs of edge lines that repeat, at one height, on most pages.

    A line repeats when its exact text does, or when only a page number in it changes.
    """
    by_key: dict[FurnitureKey, dict[int, str]] = {}
    for number, lines in enumerate(pages):
        for i in _edge_indices(len(lines), EDGE_LINES):
            text = " ".join(lines[i].text.lower().split())
            by_key.setdefault(_furniture_key(lines[i]), {}).setdefault(number, text)
    needed = max(2, len(pages) // 2 + 1)
    found: set[tuple[FurnitureKey, int]] = set()
    for key, texts in by_key.items():
        if len(texts) < needed or not key[0].strip("# "):
            continue
        if _repeats(texts):
            found.update((key, page) for page in texts)
    return found


def _repeats(texts: dict[int, str]) -> bool:
    """Return True when the texts (by page) are one text, or one text with the page number."""
    return len(set(texts.values())) == 1 or _numbers_follow_pages(texts)


def _numbers_follow_pages(texts: dict[int, str]) -> bool:
    """Return True when one number in the line is the page index plus a constant, others fixed.

    "Rapport 2020 | 3" on page 3 and "Rapport 2020 | 4" on page 4 qualify; footnotes such as
    "1 Kamerstuk 32 637, nr. 316" and "2 Kamerstuk 32 637, nr. 379" do not.
    """
    numbers = [(page, [int(n) for n in _DIGITS.findall(text)]) for page, text in texts.items()]
    if len({len(values) for _, values in numbers}) != 1:
        return False
    columns = list(zip(*(values for _, values in numbers), strict=True))
    for j, column in enumerate(columns):
        follows = len({value - page for value, (page, _) in zip(column, numbers, strict=True)}) == 1
        fixed = all(len(set(other)) == 1 for k, other in enumerate(columns) if k != j)
        if follows and fixed:
            return True
    return False


def _is_furniture(
    line: Line,
    page: int,
    recurring: set[tuple[FurnitureKey, int]],
    body: float,
    outermost: bool,
) -> bool:
    if body and line.size >= body * HEADING_SIZE_RATIO:
        return False
    if outermost and _PAGE_NUMBER.match(line.text):
        return True
    return (_furniture_key(line), page) in recurring


def _placed_furniture(pages: Sequence[Sequence[Line]], body: float) -> set[tuple[int, int]]:
    """Return (page, index) of header and footer lines found by their place on the page."""
    heights = [line.y for page in pages for line in page if line.y is not None]
    if not heights:
        return set()
    band = BAND_SHARE * (max(heights) - min(heights))
    slots: dict[Slot, list[tuple[int, int, str]]] = defaultdict(list)
    found: set[tuple[int, int]] = set()
    for number, lines in enumerate(pages):
        for side, indices in _edge_clusters(lines):
            edge = max(heights) - band if side == "top" else min(heights) + band
            for i in indices:
                line = lines[i]
                y = line.y or 0.0  # clusters hold placed lines only
                outside = y >= edge if side == "top" else y <= edge
                if not outside or (body and line.size >= body * HEADING_SIZE_RATIO):
                    continue
                if _PAGE_NUMBER.match(line.text) and not _LONE_NUMBER.match(line.text):
                    found.add((number, i))  # "Pagina 3 van 24" in a header or footer
                slot = (side, round(y / FURNITURE_Y_TOLERANCE), round(line.size * 2) / 2)
                slots[slot].append((number, i, " ".join(line.text.lower().split())))
    for entries in slots.values():
        if _slot_repeats(entries):
            found.update((number, i) for number, i, _ in entries)
    return found


def _slot_repeats(entries: list[tuple[int, int, str]]) -> bool:
    """Return True when one text (or one text with the page number) fills the slot twice."""
    by_text: dict[str, dict[int, str]] = defaultdict(dict)
    for number, _, text in entries:
        by_text[_masked(text)][number] = text
    return any(
        len(texts) >= 2
        and (_numbers_follow_pages(texts) or (bool(key.strip("# ")) and _repeats(texts)))
        for key, texts in by_text.items()
    )


def _edge_clusters(lines: Sequence[Line]) -> list[tuple[str, list[int]]]:
    """Return the lines at the top and at the bottom of a page that a wide gap sets apart.

    Footnote definitions (a number that is a superscript marker on the page) are body text
    and keep their cluster from counting.
    """
    placed = [i for i, line in enumerate(lines) if line.y is not None]
    notes = _note_numbers(lines)
    clusters: list[tuple[str, list[int]]] = []
    for side, descending in (("top", True), ("bottom", False)):
        order = sorted(placed, key=lambda i: lines[i].y or 0.0, reverse=descending)
        cluster = _leading_cluster(lines, order)
        if cluster and not any(_is_note(lines[i], notes) for i in cluster):
            clusters.append((side, cluster))
    return clusters


def _leading_cluster(lines: Sequence[Line], order: list[int]) -> list[int]:
    """Return the first lines of `order` up to a wide vertical gap (none if there is none)."""
    rows: list[list[int]] = []
    for i in order:
        if rows and abs((lines[rows[-1][0]].y or 0.0) - (lines[i].y or 0.0)) < 1.0:
            rows[-1].append(i)
            continue
        if rows:
            above = lines[rows[-1][0]]
            size = max(lines[j].size for j in rows[-1]) or 10.0
            if abs((above.y or 0.0) - (lines[i].y or 0.0)) >= CLUSTER_GAP * size:
                return [j for row in rows for j in row]
            if len(rows) == CLUSTER_ROWS:
                return []
        rows.append([i])
    return [j for row in rows for j in row] if len(rows) <= CLUSTER_ROWS else []


def _note_numbers(lines: Sequence[Line]) -> set[int]:
    """Return the footnote markers printed as superscripts on a page."""
    return {n for line in lines for n in line.superscript_numbers()}


def _is_note(line: Line, notes: set[int]) -> bool:
    """Return True for a footnote definition: it starts with a marker of the page."""
    match = _NOTE_NUMBER.match(line.text)
    return match is not None and int(match.group(1)) in notes


def drop_contents(pages: Sequence[Sequence[Line]]) -> list[list[Line]]:
    """Remove a table of contents: lines with a dot leader and a page number, and its title.

    Such lines are no text of their own, and as passages they would match every question
    about the sections they list. A title wrapped over two lines loses its first line too.
    """
    entries = [
        {i for i, line in enumerate(page) if _CONTENTS_ENTRY.match(line.text)} for page in pages
    ]
    if sum(len(found) for found in entries) < MIN_CONTENTS_ENTRIES:
        return [list(page) for page in pages]
    cleaned: list[list[Line]] = []
    for lines, found in zip(pages, entries, strict=True):
        dropped = set(found)
        for i in sorted(found):
            if i >= 1 and _wraps_into_entry(lines, i - 1, dropped):
                dropped.add(i - 1)
        for i in sorted(dropped):
            if i >= 1 and _CONTENTS_TITLE.match(lines[i - 1].text):
                dropped.add(i - 1)
        cleaned.append([line for i, line in enumerate(lines) if i not in dropped])
    return cleaned


def _wraps_into_entry(lines: Sequence[Line], i: int, dropped: set[int]) -> bool:
    """Return True when line `i` is the first line of a contents title that goes on below."""
    if i in dropped or ends_sentence(lines[i].text) or lines[i].row:
        return False
    return i == 0 or i - 1 in dropped or bool(_CONTENTS_TITLE.match(lines[i - 1].text))
