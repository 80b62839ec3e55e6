"""Plain text: decode the bytes strictly and split them into page lines for the layout step."""

from __future__ import annotations

import codecs
import logging
from collections.abc import Sequence

from index.clean import normalize_line
from index.lines import Line
from index.paragraphs import layout_pages
from index.textbuild import MAX_CHARS, Content
from index.webtext import furniture_lines, head_furniture, region_labels

logger = logging.getLogger(__name__)

PAGE_BREAK = "\f"


class TextDecodeError(ValueError):
    """The bytes are not UTF-8 text; `reason` is a short Dutch explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def decode_text(data: bytes) -> str:
    """Return UTF-8 `data` as text (a BOM is allowed); raise TextDecodeError otherwise."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise TextDecodeError("geen geldige UTF-8-tekst (UTF-16); sla het bestand op als UTF-8")
    if b"\x00" in data:
        raise TextDecodeError("geen tekstbestand: het bevat binaire gegevens")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TextDecodeError("geen geldige UTF-8-tekst") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def limit_text(text: str, name: str, max_chars: int = MAX_CHARS) -> str:
    """Cut `text` to at most `max_chars`, logging a warning when it does.

    The cut falls at the last line break, or, when that would drop more than half (a file of
    one long line), at the last space; failing both, at `max_chars` itself.
    """
    if len(text) <= max_chars:
        return text
    logger.warning("%s: tekst afgekapt na %d tekens", name, max_chars)
    for separator in ("\n", " "):
        cut = text.rfind(separator, 0, max_chars + 1)
        if cut >= max_chars // 2 and cut > 0:
            return text[:cut]
    return text[:max_chars]


def text_to_pages(text: str) -> list[list[Line]]:
    """Split plain text into pages (form feeds) of non-empty lines; blank lines mark gaps.

    The site furniture of a copied web page (breadcrumbs, share, print and feedback controls,
    footer links: `index.webtext`; the labels of the site's menus and other regions at the
    text's two ends; on the first page, the byline and kicker of its head) is left out, as the
    HTML reader leaves out the page's own, and counts as a blank line."""
    pages: list[list[str]] = []
    rows: list[set[int]] = []
    for page_text in text.split(PAGE_BREAK):
        raws = page_text.split("\n")
        rows.append(tab_table_rows(raws))
        texts = [
            _row_text(raw) if i in rows[-1] else normalize_line(raw) for i, raw in enumerate(raws)
        ]
        furniture = furniture_lines(texts)
        pages.append(["" if i in furniture else text for i, text in enumerate(texts)])
    pages = _without_region_labels(pages)
    pages[0] = head_furniture(pages[0])
    return [_page_lines(texts, number, rows[number]) for number, texts in enumerate(pages)]


def _without_region_labels(pages: Sequence[Sequence[str]]) -> list[list[str]]:
    """Return the cleaned lines of `pages` without the labels of the site's regions at the two
    ends of the whole text (`index.webtext.region_labels`), each left out as a blank line."""
    places = [(number, i) for number, texts in enumerate(pages) for i in range(len(texts))]
    found = region_labels([pages[number][i] for number, i in places])
    out = [list(texts) for texts in pages]
    for k in found:
        number, i = places[k]
        out[number][i] = ""
    return out


def _page_lines(texts: Sequence[str], number: int, rows: set[int]) -> list[Line]:
    """Return a page's non-blank lines; a blank line marks a gap before the next."""
    lines: list[Line] = []
    gap = False
    for i, cleaned in enumerate(texts):
        if not cleaned:
            gap = True  # a left-out line of site furniture parts what stood around it
            continue
        lines.append(Line(cleaned, page=number, gap_before=gap and bool(lines), row=i in rows))
        gap = False
    return lines


def tab_table_rows(raws: Sequence[str]) -> set[int]:
    """Return the indices of the lines that are rows of a table copied with tabs between its
    cells (a browser or a spreadsheet pastes a table so): two or more consecutive lines with
    the same number, at least two, of tab-separated cells. One line with a tab in it may be
    indented or aligned by hand; a run of lines cut alike into cells is a table."""
    counts = [_cell_count(raw) for raw in raws]
    rows: set[int] = set()
    start = 0
    for i in range(1, len(counts) + 1):
        if i < len(counts) and counts[i] == counts[start]:
            continue
        if counts[start] >= 2 and i - start >= 2:
            rows.update(range(start, i))
        start = i
    return rows


def _cell_count(raw: str) -> int:
    stripped = raw.strip()
    return stripped.count("\t") + 1 if "\t" in stripped else 0


def _row_text(raw: str) -> str:
    """Return a table row's cells joined by " | ", as the HTML and Markdown readers join them."""
    return " | ".join(normalize_line(cell) for cell in raw.strip().split("\t"))


def read_plain_text(text: str) -> Content:
    """Return the cleaned content of plain text (often text extracted from a PDF)."""
    return layout_pages(text_to_pages(text), typeset=False)
