"""Read source documents (PDF, HTML, Markdown, plain text) into ParsedDocuments."""

from __future__ import annotations

import hashlib
import logging
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.html import decode_html, read_html
from index.markdown import read_markdown
from index.metadata import (
    SIDECAR_SUFFIX,
    MetaFields,
    load_sidecar,
    resolve_meta,
    sidecar_path,
    stated_date,
)
from index.pdf import PdfError, read_pdf
from index.plaintext import TextDecodeError, decode_text, limit_text, read_plain_text
from index.textbuild import MAX_CHARS, Content
from index.types import DocumentError, ParsedDocument

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Inspection",
    "document_id",
    "inspect_document",
    "list_documents",
    "parse_document",
    "sidecar_path",
]

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
# Raise when a reader changes what text it produces: the build then parses every document again
# instead of reusing the passages of unchanged files (it is part of the manifest's settings).
# 2: running headers by position, footnote markers by size, table rows, HTML boilerplate.
# 3: footnote markers linked to their notes (`ParsedDocument.notes`); 4: in HTML too;
# 5: an HTML <sup> without a link after a word is a footnote marker, left out;
# 6: collapsed accordions and tabs (hidden panels, their buttons) are HTML text; text for
# screen readers only is not; inside <main>, a page header, a callout and a content footer are;
# an accordion button outside a heading is a heading; a date from JSON-LD or <time> when
# <meta> has none. 7: a web page's title loses its site's name after a dash ("... - KVK").
# 8: custom elements and ARIA roles of headings and paragraphs (`index.htmltags`: NL Design
# System pages), and "screenreader--only" text left out. 9: tables and lists of ARIA roles
# and custom elements (<div role="row">, <utrecht-table-cell>, <utrecht-unordered-list-item>).
# 10: PDF boxes (a shaded or framed area with a heading of its own) are closed units
# (`Block.box`); notes ending a Markdown or plain text document are endnotes (`Block.endnote`).
# 11: an HTML callout <aside> with a heading of its own is a box; notes ending an HTML page
# are endnotes; in plain text, a heading opening a page after a finished sentence is one; a
# PDF's title page is a closed unit (`index.titlepage.enclose_title_page`).
# 12: an HTML notice (ARIA role note, status or alert) with a heading of its own is a box;
# an HTML page's notes are endnotes also when content follows them (`mark_gathered_notes`).
# Pandoc's note markers (<a href="#fn1"><sup>1</sup></a>) are linked; links back from a note
# ("↩") are left out.
# 13: a list of nothing but links ("Meer informatie", "Zie ook") is left out (`is_link_list`).
# 14: a PDF's title block (a subtitle right under the title, without a title page) is a closed
# unit (`index.titlepage`); a PDF box may have a heading larger than its section's, and a frame
# of four stroked lines is a box's frame (`index.painting`).
# 15: plain text without blank lines (copied from a web page): a heading-like line followed by a
# break made by hand is a heading (`index.lines.broken_by_hand`).
# 16: plain text's first line alone is its title however long; a PDF's title block under
# another declared title counts unless numbered like a section; a path around a rectangle,
# with or without rounded corners, marks a PDF box (`index.painting._outlined`).
# 17: plain text: a line after a list item, broken off it by hand, starts a paragraph rather
# than running on in the item (`index.paragraphs._step`).
# 18: a date the document's head states ("stand 14 september 2020") is its date when neither
# a sidecar nor the file's own metadata gives one (`index.metadata.stated_date`).
# 19: a plain-text first line ending in a whole date ("Den Haag, 30 oktober 2020") is no title.
# 20: plain text: a question line is a heading also after a line without final punctuation;
# "o" sub-bullets are list items; a dateline ("Gepubliceerd op: ... | Laatst gecontroleerd op:
# ...", `index.metadata.is_dateline`) is a paragraph of its own and dates the document. HTML: a
# list nested in a wrapper of its item, or straight in its list, gives items of its own.
# 21: HTML: a heading inside a button heads what follows; a <details> summary is a heading; a
# heading with nothing left under it is dropped; a table's <caption> is a paragraph before it.
# 22: plain text and Markdown of copied web pages: a question before a list heads it; numbered
# steps ("Stap 1", "Stap 2") start units of their own; tab-separated rows are a table;
# breadcrumbs and page controls (share, print, feedback, footer links) are left out.
# 23: Markdown: a feedback question with its "Ja" and "Nee" buttons on lines of their own is left
# out too, as in plain text.
# 24: plain text of copied web pages: an article's byline is left out but for its dateline, and
# a one-word kicker above the title too (`index.webtext.head_furniture`); the first line is the
# title whatever it opens with, and without the site names of a browser tab's title; a tab's
# title and the site's header under it are left out when the page's title follows.
# 25: in HTML too, an article's kicker and byline go (its dateline stays); a byline may hold a
# counter of views ("9.6K"); a date's month may be abbreviated ("17 nov 2020"); a line of the
# head that is a date alone, or a letter's place and date, dates the document.
# 26: Markdown too leaves out an article's kicker and byline (its dateline stays, a paragraph);
# HTML: an item's text after a list nested in it follows the sub-items, a line of its own.
# 27: a byline written on one line, its items joined by " | ", goes as one of lines or list items
# does (its dateline stays); plain text and Markdown leave out the labels of the site's menus
# ("Service menu right") at the text's two ends.
READER_VERSION = 27
_FORMATS = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_FORMATS)

Reader = Callable[[bytes, str], tuple[Content, MetaFields]]


SYMLINK = "is een symbolische koppeling; alleen gewone bestanden in de documentenmap worden gelezen"
OUTSIDE = "ligt buiten de documentenmap"


def list_documents(documents_dir: Path) -> list[Path]:
    """Return every file under `documents_dir`, sorted; hidden files and sidecars left out.

    Unsupported files and symbolic links (to files or folders, which are not followed) are
    included so that the build can report them as skipped.
    """
    found: list[tuple[str, Path]] = []
    for path in documents_dir.rglob("*"):
        relative = path.relative_to(documents_dir)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix.lower() == SIDECAR_SUFFIX:
            continue  # read with its document, and refused there when it is a link
        if not path.is_file() and not path.is_symlink():
            continue
        found.append((relative.as_posix(), path))
    return [path for _, path in sorted(found)]


def check_inside(path: Path, documents_dir: Path, doc_id: str) -> None:
    """Raise DocumentError for a symbolic link or a file that resolves outside the folder.

    A link in documents/ to /etc/passwd would otherwise be indexed and shown to anyone.
    """
    if path.is_symlink():
        raise DocumentError(doc_id, SYMLINK)
    if not path.resolve().is_relative_to(documents_dir.resolve()):
        raise DocumentError(doc_id, OUTSIDE)


def document_id(path: Path, documents_dir: Path) -> str:
    """Return the id of a document: its path relative to the documents folder, posix style."""
    for candidate, base in ((path, documents_dir), (path.absolute(), documents_dir.absolute())):
        try:
            return candidate.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.name


@dataclass(frozen=True, slots=True)
class Inspection:
    """A parsed document and where its metadata could come from besides a sidecar."""

    document: ParsedDocument
    embedded: MetaFields  # from the file itself: PDF or HTML metadata, Markdown front matter
    first_heading: str | None
    stated: MetaFields = MetaFields()  # what the text says of itself: its date (`stated_date`)


def parse_document(path: Path, documents_dir: Path) -> ParsedDocument:
    """Read one document into clean text with blocks, pages and metadata.

    Raises DocumentError (with a short Dutch reason) for anything that cannot be indexed.
    """
    return inspect_document(path, documents_dir).document


def inspect_document(path: Path, documents_dir: Path) -> Inspection:
    """Parse one document as `parse_document` does, keeping its own metadata apart."""
    doc_id = document_id(path, documents_dir)
    check_inside(path, documents_dir, doc_id)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        suffix = path.suffix.lower() or "zonder extensie"
        raise DocumentError(doc_id, f"bestandstype {suffix} wordt niet ondersteund")
    data = _read_bytes(path, doc_id)
    sidecar = load_sidecar(path, doc_id)
    content, embedded = _READERS[fmt](data, doc_id)
    if not content.blocks:
        raise DocumentError(doc_id, _NO_TEXT[fmt])
    if content.truncated:
        logger.warning("%s: tekst afgekapt na %d tekens", doc_id, MAX_CHARS)
    heading = content.first_heading()
    stated = MetaFields(date=stated_date(content.head()))
    meta = resolve_meta(doc_id, fmt, [sidecar, embedded, stated], heading)
    document = ParsedDocument(
        meta=meta,
        text=content.text,
        blocks=content.blocks,
        page_starts=content.page_starts,
        content_hash=hashlib.sha256(data).hexdigest(),
        notes=content.notes,
    )
    return Inspection(document, embedded, heading, stated)


def _read_bytes(path: Path, doc_id: str) -> bytes:
    try:
        # O_NOFOLLOW: a file swapped for a link after `check_inside` is not read either.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW), "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                megabytes = math.ceil(size / (1024 * 1024))
                raise DocumentError(
                    doc_id,
                    f"bestand is te groot ({megabytes} MB; maximaal {MAX_FILE_BYTES >> 20} MB)",
                )
            data = handle.read()
    except OSError as exc:
        logger.debug("cannot read %s", path, exc_info=exc)
        raise DocumentError(doc_id, "bestand kan niet worden gelezen") from exc
    if not data.strip():
        raise DocumentError(doc_id, "bestand is leeg")
    return data


def _text(data: bytes, doc_id: str) -> str:
    try:
        text = decode_text(data)
    except TextDecodeError as exc:
        raise DocumentError(doc_id, exc.reason) from exc
    if not text.strip():
        raise DocumentError(doc_id, "bestand is leeg")
    return limit_text(text, doc_id)


def _read_txt(data: bytes, doc_id: str) -> tuple[Content, MetaFields]:
    return read_plain_text(_text(data, doc_id)), MetaFields()


def _read_md(data: bytes, doc_id: str) -> tuple[Content, MetaFields]:
    return read_markdown(_text(data, doc_id))


def _read_html(data: bytes, doc_id: str) -> tuple[Content, MetaFields]:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(doc_id, "geen HTML: het bestand bevat binaire gegevens")
    try:
        return read_html(limit_text(decode_html(data), doc_id))
    except RecursionError as exc:
        raise DocumentError(doc_id, "HTML is te diep genest") from exc


def _read_pdf(data: bytes, doc_id: str) -> tuple[Content, MetaFields]:
    try:
        return read_pdf(data, doc_id)
    except PdfError as exc:
        raise DocumentError(doc_id, exc.reason) from exc


_READERS: dict[str, Reader] = {
    "pdf": _read_pdf,
    "html": _read_html,
    "md": _read_md,
    "txt": _read_txt,
}
_NO_TEXT = {
    "pdf": "PDF bevat geen tekst (gescand?)",
    "html": "HTML-pagina bevat geen tekst",
    "md": "bestand bevat geen tekst",
    "txt": "bestand bevat geen tekst",
}
