"""Data passed between the build stages: parsed documents and their passages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list", "table"]


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """Descriptive metadata of one source document."""

    doc_id: str  # path relative to the documents folder, posix style ("rapport.pdf")
    title: str
    date: str | None = None  # ISO "YYYY-MM-DD"
    kind: str | None = None  # "kamerbrief", "rapportage", "factsheet", ...
    kamerstuk: str | None = None  # "32 637, nr. 379"
    source_url: str | None = None
    format: str = "txt"  # "pdf" | "html" | "md" | "txt"


@dataclass(frozen=True, slots=True)
class Block:
    """A structural unit of a document's cleaned text: text[start:end]."""

    kind: BlockKind
    start: int
    end: int
    level: int = 0  # heading level (1 = top); 0 for non-headings
    # > 0: inside the n-th box of the document (a shaded or framed area or a callout <aside>,
    # with a heading of its own; or a report's title page): a closed unit, whose headings
    # govern the box only, not the text after it
    box: int = 0
    # the text of a note gathered at the end of the document: it may be referred to from any
    # section, so no heading governs it
    endnote: bool = False


@dataclass(frozen=True, slots=True)
class NoteLink:
    """A footnote marker at offset `ref` of a document's text (where the marker stood before it
    was taken out: "toegezonden1." -> "toegezonden|.") and the note it points to,
    text[start:end] ("«MKB-actieplan», Kamerstuk 32 637, nr. 316")."""

    ref: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """A document reduced to clean text plus its structure and page boundaries."""

    meta: DocumentMeta
    text: str  # the cleaned text; every offset in this module points into it
    blocks: tuple[Block, ...]  # in text order, non-overlapping
    page_starts: tuple[int, ...] = (0,)  # page_starts[i] = offset where page i+1 starts
    content_hash: str = ""  # sha256 of the source file's bytes
    notes: tuple[NoteLink, ...] = ()  # footnote markers and their notes, by `ref`

    def notes_in(self, start: int, end: int) -> tuple[NoteLink, ...]:
        """Return the links whose marker stands in text[start:end] or right after it (a marker
        after a sentence's full stop: "... mkb.3 Dat")."""
        return tuple(n for n in self.notes if start <= n.ref <= end)

    def page_at(self, offset: int) -> int:
        """Return the 1-based page number containing `offset`."""
        page = 1
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i + 1
            else:
                break
        return page


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrievable, citable piece of a document: doc.text[start:end] == text."""

    id: str  # "<doc_id>/p<n>", n counted from 1; stable while the document is unchanged
    doc_id: str
    text: str
    start: int
    end: int
    page_start: int
    page_end: int
    section: tuple[str, ...] = field(default_factory=tuple)  # heading path, outermost first

    @property
    def section_path(self) -> str:
        """Return the section path for display, e.g. "2 Financiering › Coronamaatregelen"."""
        return " › ".join(self.section)


class DocumentError(Exception):
    """A document that cannot be indexed; `reason` is a short Dutch explanation for users."""

    def __init__(self, doc_id: str, reason: str) -> None:
        super().__init__(f"{doc_id}: {reason}")
        self.doc_id = doc_id
        self.reason = reason
