"""Table headers for quoted table rows: "NOW 1 | maart t/m mei 2020 | 90% | 20%" says little
without "Tijdvak | Periode | Maximale vergoeding loonsom | Minimaal omzetverlies".

The readers write a table as one block of rows, cells separated by " | ", after an optional
caption line (`index.html`, `index.markdown`, `index.rows`). `with_table_headers` puts the
first row of a quoted row's table (its header) before it, quoted verbatim from the same passage;
a table whose header lies in another passage, or a quoted header itself, brings nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant.citations import Quote
from index.scheme_text import CELL_SEPARATOR, block_index, header_span
from index.types import ParsedDocument


def header_of(quote: Quote, documents: Mapping[str, ParsedDocument]) -> Quote | None:
    """Return the header row of the table the quoted row belongs to, if it is another row of
    the same passage."""
    passage = quote.hit.passage
    doc = documents.get(passage.doc_id)
    if quote.start is None or doc is None or CELL_SEPARATOR not in quote.text:
        return None
    at = passage.start + quote.start
    index = block_index(doc, at)
    block = doc.blocks[index] if index >= 0 else None
    span = header_span(doc, block) if block is not None and block.kind == "table" else None
    if span is None or span[0] == at or not (passage.start <= span[0] and span[1] <= passage.end):
        return None
    return Quote(doc.text[span[0] : span[1]], quote.hit, span[0] - passage.start)


def with_table_headers(
    quotes: Sequence[Quote], documents: Mapping[str, ParsedDocument]
) -> list[Quote]:
    """Return `quotes` with the header of each quoted table row's table before the first of its
    rows (once; a header quoted for its content stays where it is)."""
    quoted = {q.key for q in quotes}
    out: list[Quote] = []
    for quote in quotes:
        header = header_of(quote, documents)
        if header is not None and header.key not in quoted:
            quoted.add(header.key)
            out.append(header)
        out.append(quote)
    return out
