"""The text around a passage for the source viewer: its section and its pages, clipped if long."""

from __future__ import annotations

from dataclasses import dataclass

from index.types import ParsedDocument, Passage

MAX_CONTEXT_CHARS = 3000  # on each side of the passage


@dataclass(frozen=True, slots=True)
class PassageContext:
    """doc.text[..passage.start] and doc.text[passage.end..], cut to the surrounding section."""

    before: str
    after: str
    clipped_before: bool
    clipped_after: bool


def passage_context(
    doc: ParsedDocument, passage: Passage, max_chars: int = MAX_CONTEXT_CHARS
) -> PassageContext:
    """Return the text of the passage's section and pages on either side of the passage."""
    section_start, section_end = _section_bounds(doc, passage)
    page_start, page_end = _page_bounds(doc, passage)
    start, end = min(section_start, page_start), max(section_end, page_end)
    clipped_before = passage.start - start > max_chars
    if clipped_before:
        start = _line_start_after(doc.text, passage.start - max_chars, passage.start)
    clipped_after = end - passage.end > max_chars
    if clipped_after:
        end = _line_end_before(doc.text, passage.end + max_chars, passage.end)
    return PassageContext(
        before=doc.text[start : passage.start],
        after=doc.text[passage.end : end],
        clipped_before=clipped_before,
        clipped_after=clipped_after,
    )


def _section_bounds(doc: ParsedDocument, passage: Passage) -> tuple[int, int]:
    headings = [b.start for b in doc.blocks if b.kind == "heading"]
    start = max((h for h in headings if h <= passage.start), default=0)
    end = min((h for h in headings if h >= passage.end), default=len(doc.text))
    return start, end


def _page_bounds(doc: ParsedDocument, passage: Passage) -> tuple[int, int]:
    pages = doc.page_starts
    start = pages[passage.page_start - 1] if 0 < passage.page_start <= len(pages) else 0
    end = pages[passage.page_end] if passage.page_end < len(pages) else len(doc.text)
    return min(start, passage.start), max(end, passage.end)


def _line_start_after(text: str, offset: int, limit: int) -> int:
    """Return the start of the first line beginning at or after `offset` (at most `limit`)."""
    newline = text.find("\n", offset, limit)
    return newline + 1 if newline != -1 else offset


def _line_end_before(text: str, offset: int, limit: int) -> int:
    """Return the end of the last line ending at or before `offset` (at least `limit`)."""
    newline = text.rfind("\n", limit, offset)
    return newline if newline != -1 else offset
