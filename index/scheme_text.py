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


def document_units(doc: ParsedDocument, passages: Sequence[tuple[int, Passage]]) -> Iterator[Unit]:
    """Yield the body sentences of one document's passages (given with their rows), in order."""
    starts = [b.start for b in doc.blocks]
    for row, passage in passages:
        for start, end in body_sentences(passage, doc):
            absolute = passage.start + start
            index = bisect_right(starts, absolute) - 1
            block = doc.blocks[index] if index >= 0 and doc.blocks[index].end > absolute else None
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
                block=index if block is not None else -1,
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
    if block is None or block.kind != "table":
        return (), ()
    lines = doc.text[block.start : block.end].split("\n")
    rows = [line for line in lines if CELL_SEPARATOR in line]
    line_end = doc.text.find("\n", line_start)
    line = doc.text[line_start : line_end if line_end >= 0 else len(doc.text)]
    if not rows or CELL_SEPARATOR not in line or line == rows[0]:
        return (), ()
    return _cells(rows[0]), _cells(line)


def _cells(line: str) -> tuple[str, ...]:
    return tuple(cell.strip() for cell in line.split("|"))
