"""The sentences of an index version as the scheme extractor reads them: with their block,
section path and, for table rows, the column headings."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from index.sentences import body_sentences
from index.types import Block, ParsedDocument, Passage

CELL_SEPARATOR = " | "


@dataclass(frozen=True, slots=True)
class Unit:
    """A body sentence of a passage (a table row or list item is one too): text[start:end]."""

    doc_id: str
    date: str | None
    title: str  # the document's title
    passage_row: int
    passage_id: str
    start: int  # offsets in the passage's text
    end: int
    text: str
    page: int
    block: int  # index of the document block it lies in (-1: none)
    kind: str  # the block's kind: "paragraph", "list" or "table"
    section: tuple[str, ...]  # heading path, outermost first
    line_start: int  # offset in the document of the line it lies on (a list item, a row)
    header: tuple[str, ...] = ()  # a table row: the column headings
    cells: tuple[str, ...] = ()  # a table row: its cells

    @property
    def heading(self) -> str:
        """Return the nearest heading above the sentence ("" when none)."""
        return self.section[-1] if self.section else ""


def block_index(doc: ParsedDocument, offset: int, starts: Sequence[int] | None = None) -> int:
    """Return the index of the block of `doc` holding text offset `offset`, or -1 (between
    blocks); `starts`: the blocks' starts, when the caller has them already."""
    starts = [b.start for b in doc.blocks] if starts is None else starts
    index = bisect_right(starts, offset) - 1
    return index if index >= 0 and doc.blocks[index].end > offset else -1


def header_span(doc: ParsedDocument, block: Block) -> tuple[int, int] | None:
    """Return the span in `doc.text` of the first row of a table block (its header row: the
    first line with cells, after an optional caption), or None when it has no row."""
    offset = block.start
    for line in doc.text[block.start : block.end].split("\n"):
        if CELL_SEPARATOR in line:
            return offset, offset + len(line)
        offset += len(line) + 1
    return None


def document_units(doc: ParsedDocument, passages: Sequence[tuple[int, Passage]]) -> Iterator[Unit]:
    """Yield the body sentences of one document's passages (given with their rows), in order."""
    starts = [b.start for b in doc.blocks]
    for row, passage in passages:
        for start, end in body_sentences(passage, doc):
            absolute = passage.start + start
            index = block_index(doc, absolute, starts)
            block = doc.blocks[index] if index >= 0 else None
            line_start = doc.text.rfind("\n", 0, absolute) + 1
            header, cells = _table_row(doc, block, line_start)
            yield Unit(
                doc_id=doc.meta.doc_id,
                date=doc.meta.date,
                title=doc.meta.title,
                passage_row=row,
                passage_id=passage.id,
                start=start,
                end=end,
                text=passage.text[start:end],
                page=doc.page_at(absolute),
                block=index,
                kind=block.kind if block is not None else "paragraph",
                section=passage.section,
                line_start=line_start,
                header=header,
                cells=cells,
            )


def corpus_units(
    documents: Mapping[str, ParsedDocument], passages: Sequence[Passage]
) -> list[Unit]:
    """Return the units of every document, documents in passage order."""
    by_doc: dict[str, list[tuple[int, Passage]]] = {}
    for row, passage in enumerate(passages):
        by_doc.setdefault(passage.doc_id, []).append((row, passage))
    units: list[Unit] = []
    for doc_id, rows in by_doc.items():
        doc = documents.get(doc_id)
        if doc is not None:
            units.extend(document_units(doc, rows))
    return units


def _table_row(
    doc: ParsedDocument, block: Block | None, line_start: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (column headings, cells) of the table row at `line_start`, or two empty tuples."""
    span = header_span(doc, block) if block is not None and block.kind == "table" else None
    if span is None:
        return (), ()
    header = doc.text[span[0] : span[1]]
    line_end = doc.text.find("\n", line_start)
    line = doc.text[line_start : line_end if line_end >= 0 else len(doc.text)]
    if CELL_SEPARATOR not in line or line == header:
        return (), ()
    return _cells(header), _cells(line)


def _cells(line: str) -> tuple[str, ...]:
    return tuple(cell.strip() for cell in line.split("|"))
