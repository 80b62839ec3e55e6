"""Lines of extracted page text: find paragraph gaps and headings.

Used for PDF pages (with positions and font sizes) and plain text (without them).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from index.metadata import dates_the_page, is_dateline, read_whole_date, without_site_names
from index.steps import numbered_steps

HEADING_LEADING = 1.4  # heading lines further apart than this many sizes are separate headings
HEADING_SIZE_RATIO = 1.15  # a line this much larger than body text is a heading
GAP_RATIO = 1.35  # a line pitch this much larger than usual starts a paragraph

_SENTENCE_END = re.compile(r"[.!?:]['\"’”»)]*$")
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+\S")
# The signs that open a list item. A lone "o" is the bullet of a nested item whose bullet font
# was lost: browsers and word processors paste a second-level list as "o" lines (no Dutch word
# is a lone lower-case "o").
BULLET_SIGNS = "•▪●◦○■□►▸‣⁃–—*o-"
# What opens a list item: a bullet sign, or a number or letter with a full stop or bracket.
LIST_BULLET = re.compile(
    rf"^(?:[{re.escape(BULLET_SIGNS)}]|\(?\d{{1,2}}[.)]|\(?[a-z][.)])(?:\s+|$)"
)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of extracted text; size, bold and y are known for PDF pages only."""

    text: str
    page: int = 0  # 0-based
    gap_before: bool = False  # a blank line or a large vertical gap precedes it
    size: float = 0.0  # font size in points; 0 when unknown
    bold: bool = False
    y: float | None = None  # baseline in PDF user space (grows upwards)
    level: int = 0  # heading level once recognised; 0 for body text
    x: float | None = None  # left edge of the text in PDF user space
    end: float | None = None  # estimated right edge (from typical glyph widths)
    superscripts: tuple[tuple[int, int], ...] = ()  # text[a:b] printed small and raised
    row: bool = False  # a table row: its cells in reading order, one line
    box: int = 0  # > 0: drawn inside a shaded or framed area (`index.boxes`)
    item: bool = False  # opens a list item without a bullet: a numbered step (`index.steps`)

    def superscript_numbers(self) -> set[int]:
        """Return the numbers printed as superscripts in this line (footnote markers)."""
        return {int(self.text[a:b]) for a, b in self.superscripts if self.text[a:b].isdigit()}


def ends_sentence(text: str) -> bool:
    """Return True when `text` ends like the end of a sentence or an introduction."""
    return bool(_SENTENCE_END.search(text))


def body_size(lines: Sequence[Line]) -> float:
    """Return the font size that carries the most characters (0 when sizes are unknown)."""
    weights: Counter[float] = Counter()
    for line in lines:
        if line.size > 0:
            weights[round(line.size * 2) / 2] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def mark_gaps(pages: Sequence[Sequence[Line]]) -> list[list[Line]]:
    """Set `gap_before` from vertical positions: a large gap or a jump up starts a paragraph."""
    pitch = _typical_pitch([line for page in pages for line in page])
    marked: list[list[Line]] = []
    for lines in pages:
        longest = max((len(line.text) for line in lines), default=0)
        page: list[Line] = []
        for prev, line in zip([None, *lines], lines, strict=False):
            gap = line.gap_before or (prev is not None and _is_gap(prev, line, pitch, longest))
            page.append(replace(line, gap_before=gap))
        marked.append(page)
    return marked


def _typical_pitch(lines: Sequence[Line]) -> float:
    """Return the usual distance between baselines, in font sizes."""
    ratios = [
        (a.y - b.y) / b.size
        for a, b in zip(lines, lines[1:], strict=False)
        if a.y is not None
        and b.y is not None
        and b.size > 0
        and a.size == b.size
        and 0 < (a.y - b.y) / b.size < 3
    ]
    return statistics.median(ratios) if ratios else 1.2


def _is_gap(prev: Line, line: Line, pitch: float, longest: int) -> bool:
    if prev.y is not None and line.y is not None and line.size > 0:
        drop = (prev.y - line.y) / line.size
        if drop < -0.5 or drop > pitch * GAP_RATIO:
            return True
    short = len(prev.text) < 0.6 * longest
    return short and ends_sentence(prev.text)


def mark_font_headings(lines: Sequence[Line]) -> list[Line]:
    """Mark lines set larger than body text, or bold short lines, as headings with levels."""
    body = body_size(lines)
    if not body:
        return list(lines)
    runs = _style_runs(lines, body)
    accepted = [(run, style) for run, style in runs if _is_heading_run(lines, run, style)]
    sizes = sorted({style for _, style in accepted if style > 0}, reverse=True)
    marked = list(lines)
    for run, style in accepted:
        level = sizes.index(style) + 1 if style > 0 else len(sizes) + 1
        for i in run:  # a gap before the run keeps the next heading from joining this one
            marked[i] = replace(
                marked[i], level=min(level, 6), gap_before=marked[i].gap_before or i == run[0]
            )
    return marked


def _line_style(line: Line, body: float) -> float | None:
    """Return the rounded size of a large line, -1.0 for a bold body line, else None."""
    if line.row:
        return None  # a table row, even a header row in larger or bold type
    if line.size >= body * HEADING_SIZE_RATIO:
        return round(line.size * 2) / 2
    if line.bold and line.size >= body * 0.95:
        return -1.0
    return None


def _style_runs(lines: Sequence[Line], body: float) -> list[tuple[range, float]]:
    """Group consecutive lines of one heading style on one page without a gap between."""
    runs: list[tuple[range, float]] = []
    start, current = 0, None
    for i, line in enumerate([*lines, None]):
        style = _line_style(line, body) if line is not None else None
        same = (
            line is not None
            and current is not None
            and style == current
            and line.page == lines[i - 1].page
            and not line.gap_before
            and _close_below(lines[i - 1], line)
        )
        if same:
            continue
        if current is not None:
            runs.append((range(start, i), current))
        start, current = i, style
    return runs


def _close_below(prev: Line, line: Line) -> bool:
    """Return True when `line` follows `prev` at normal leading (a wrapped heading)."""
    if prev.y is None or line.y is None or line.size <= 0:
        return True
    return 0 <= (prev.y - line.y) / line.size <= HEADING_LEADING


def _is_heading_run(lines: Sequence[Line], run: range, style: float) -> bool:
    text = " ".join(lines[i].text for i in run)
    if not any(ch.isalpha() for ch in text):
        return False
    if style > 0:
        return len(text) <= 200
    return len(text) <= 120 and len(run) <= 3 and not text.rstrip().endswith((".", ",", ";", ":"))


def mark_text_headings(lines: Sequence[Line]) -> list[Line]:
    """Conservatively mark short one-line paragraphs of plain text as headings: a line that
    opens a paragraph and is followed by a blank line. The first line of a page opens one when
    the text before the page break ends a sentence (a page break is no blank line: a paragraph
    may run on over it, and is joined then).

    Text copied from a web page often has no blank lines, one paragraph per line: there a line
    that opens a sentence and is followed by a line break made by hand (`broken_by_hand`) is a
    heading too, when it looks like one. A line that opens with a capital and ends in a question
    mark (`_asks`) opens a sentence whatever the line before ends with: a web page's question
    heading ("Wie kan de Tozo aanvragen?") often follows a list item or a link without final
    punctuation, and its own capital and question mark show where it starts and ends.

    The document's first line, alone in its paragraph, is its title when it is shaped as one
    (`is_title_shaped`), however long and with commas: its place, where a document names
    itself, and the blank line after it are evidence enough, where a lone line further on must
    also be short (`_looks_like_heading`); and a report's title often runs on into a subtitle
    ("MKB-actieplan 2020: ..., met ..."). A title copied from a browser's tab keeps the page's
    name without the site names after it, as the HTML reader reads a page's <title>
    (`index.metadata.without_site_names`).

    A dateline ("Gepubliceerd op: 12 maart 2021", `index.metadata.is_dateline`) names nothing;
    it is a paragraph of its own (`index.paragraphs`), and a web page puts it right under its
    title, so the first line stands alone before it as before a blank line. A lone line before
    a dateline further on is no heading for that: there it is a site's tagline as often."""
    steps = numbered_steps([line.text for line in lines])
    lines = _mark_steps(lines, steps)
    marked = list(lines)
    for i, line in enumerate(lines):
        if line.row:
            continue  # a table row, even its header row (`mark_font_headings` likewise)
        prev = lines[i - 1] if i else None
        following = lines[i + 1] if i + 1 < len(lines) else None
        opens = (
            prev is None or line.gap_before or (line.page != prev.page and ends_sentence(prev.text))
        )
        alone = opens and following is not None and following.gap_before
        starts = prev is None or line.gap_before or ends_sentence(prev.text) or _asks(line.text)
        broken = starts and following is not None and _broken_before(line, following)
        apart = alone or (following is not None and dates_the_page(following.text))
        named = without_site_names(line.text)
        if prev is None and apart and is_title_shaped(named):
            marked[i] = replace(line, text=named, level=_text_heading_level(named))
        elif (alone or broken) and _looks_like_heading(line.text):
            marked[i] = replace(line, level=_text_heading_level(line.text))
    return _head_steps(marked, steps)


def _mark_steps(lines: Sequence[Line], steps: Sequence[Sequence[int]]) -> list[Line]:
    """Mark the lines of numbered steps (`index.steps.numbered_steps`) as opening list items:
    each step starts a unit of its own, never glued to the line before it, whether or not that
    line ends a sentence (a step's title often does not: "Stap 3 Stuur de stukken mee")."""
    marked = list(lines)
    for run in steps:
        for i in run:
            marked[i] = replace(marked[i], item=True)
    return marked


def _head_steps(lines: Sequence[Line], steps: Sequence[Sequence[int]]) -> list[Line]:
    """Give all steps of a run one role: when one is a heading (a step with text of its own
    under it), all are, at its level; otherwise all stay list items. Steps are siblings, and a
    step without text under it ("Stap 3" right above "Stap 4") still names its part of the
    procedure. A gap before each keeps it from joining the heading above it as a wrapped
    heading's line (`index.paragraphs`)."""
    marked = list(lines)
    for run in steps:
        level = next((lines[i].level for i in run if lines[i].level), 0)
        if level:
            for i in run:
                marked[i] = replace(marked[i], level=level, item=False, gap_before=True)
    return marked


def _broken_before(line: Line, following: Line) -> bool:
    """Tell whether the break between `line` and `following` was made by hand, as a heading's is:
    `broken_by_hand`, or a question (`_asks`) before a list item. A list item always opens a line
    of its own, so the break before it says nothing of the line above; but a question mark ends
    that line as a sentence of its own, and a question standing alone before a list ("Welke
    leningen zijn er?" above "• Microkrediet: tot € 50.000") names what the list answers, as the
    question before a paragraph does."""
    if broken_by_hand(line, following):
        return True
    return _asks(line.text) and opens_list_item(following)


def opens_list_item(line: Line) -> bool:
    """Return whether a line opens a list item: with a bullet (`LIST_BULLET`) or as a step."""
    return line.item or LIST_BULLET.match(line.text) is not None


def broken_by_hand(line: Line, following: Line) -> bool:
    """Return whether the break after `line` was made by hand rather than by wrapping: the next
    line, on the same page without a gap, opens with a capital and is long enough that its first
    word would have fitted on `line` (a wrapped line is full; the next line shows how full a
    line of this text can be). The test `index.titlepage._runs_on` makes with a PDF page's
    positions, made here with characters, as plain text has no positions."""
    if following.gap_before or following.page != line.page:
        return False
    word = following.text.split()[0]
    return word[:1].isupper() and len(line.text) + 1 + len(word) <= len(following.text)


def _looks_like_heading(text: str) -> bool:
    """Tell whether a lone line in the running text is a heading: short and without a comma, as
    a line that names something but is no heading often has one (a place and a date, a name
    and a function), and naming something (`_names_something`)."""
    words = text.split()
    if not 1 <= len(words) <= 12 or len(text) > 80 or "," in text:
        return False
    return _names_something(text)


def is_title_shaped(text: str) -> bool:
    """Tell whether a document's first line is shaped as its title: it reads as a name
    (`_reads_as_name`) and does not end in a date (`_dated`), whatever it opens with but a
    lower-case letter, which marks a sentence's continuation. A title may open with an amount
    or a sign ("€ 4.000,- voor getroffen ondernemers"), where a heading further on opens with a
    capital after its number (`_names_something`): there such a line is as often a sentence's
    figure broken off; a number or a date alone reads as no name."""
    return bool(text) and not text[0].islower() and _reads_as_name(text) and not _dated(text)


def _names_something(text: str) -> bool:
    """Tell whether `text` reads as a name (`_reads_as_name`) that opens with a capital (after
    its number, if any)."""
    first = text.lstrip("0123456789. ")
    return _reads_as_name(text) and bool(first) and first[0].isupper()


def _reads_as_name(text: str) -> bool:
    """Tell whether `text` reads as a name rather than a sentence: it does not end like a
    sentence, a clause ("Geachte voorzitter,") or a quotation, holds three letters or more, is
    not set in capitals alone, and is no dateline ("Bijgewerkt op 20 november 2020", which
    dates the document)."""
    if text[-1] in ".,;:!»\"'”’" or sum(ch.isalpha() for ch in text) < 3 or is_dateline(text):
        return False
    return any(ch.islower() for ch in text)


def _asks(text: str) -> bool:
    """Tell whether a line ends in a question mark; whether it also opens with a capital, the
    other half of a question of its own, `_looks_like_heading` tells."""
    return text.endswith("?")


def _dated(text: str) -> bool:
    """Tell whether a line ends in a whole date, as a letter's opening line of place and date
    does ("Den Haag, 30 oktober 2020"): it dates the document, it does not name it."""
    return read_whole_date(text.rsplit(",", 1)[-1]) is not None


def section_number(text: str) -> str | None:
    """Return the number a heading gives its section ("3.3" of "3.3 Klein Krediet Corona")."""
    numbered = _NUMBERED_HEADING.match(text)
    return numbered.group(1) if numbered else None


def _text_heading_level(text: str) -> int:
    number = section_number(text)
    return min(number.count(".") + 1, 6) if number else 1
