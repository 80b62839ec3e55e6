"""PDF input through pypdf: lines per page with position and font size, and the metadata."""

from __future__ import annotations

import io
import logging

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError

from index.boxes import mark_boxes
from index.lines import Line
from index.metadata import MetaFields, clean_embedded_title, normalize_date
from index.paragraphs import layout_pages
from index.pdftext import LineCollector, PageFull
from index.rows import join_fragments, join_rows
from index.textbuild import Content

logger = logging.getLogger(__name__)

# Bounds on the work a single (possibly hostile) file can cause. pypdf parses a content stream
# at ~0.5 s per MB, and its text extraction slows down quadratically in the text of a page.
MAX_PAGES = 2000
MAX_PAGE_CHARS = 100_000  # a full page of small print has ~15,000
MAX_PAGE_CONTENT_BYTES = 5 * 1024 * 1024  # one page's decoded content stream
MAX_CONTENT_BYTES = 32 * 1024 * 1024  # all pages together
NO_READABLE_TEXT = "PDF bevat geen leesbare tekst (pagina's te groot of beschadigd)"


class PdfError(ValueError):
    """The PDF cannot be read; `reason` is a short Dutch explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_pdf(data: bytes, name: str) -> tuple[Content, MetaFields]:
    """Return the cleaned content and embedded metadata of a PDF; raise PdfError."""
    reader = _open(data)
    pages, skipped = _read_pages(reader, name)
    meta = _metadata(reader)
    content = layout_pages(pages, typeset=True, title=meta.title)
    if not content.blocks and skipped:  # not a scan: the text was there but could not be read
        raise PdfError(NO_READABLE_TEXT)
    return content, meta


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _decrypt_without_password(reader):
            raise PdfError("PDF is versleuteld")
        _ = len(reader.pages)
    except PdfError:
        raise
    except Exception as exc:  # pypdf raises many exception types on malformed input
        logger.debug("pypdf could not open the file", exc_info=exc)
        raise PdfError("PDF is beschadigd") from exc
    return reader


def _decrypt_without_password(reader: PdfReader) -> bool:
    """Try the empty user password (PDFs that only restrict printing or copying)."""
    try:
        result: PasswordType = reader.decrypt("")
        return result != PasswordType.NOT_DECRYPTED
    except (DependencyError, NotImplementedError):
        return False


def _read_pages(reader: PdfReader, name: str) -> tuple[list[list[Line]], int]:
    """Return the lines of each page read and how many pages were left unread (size, damage)."""
    pages: list[list[Line]] = []
    skipped = 0
    budget = MAX_CONTENT_BYTES
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES:
            logger.warning("%s: alleen de eerste %d pagina's gelezen", name, MAX_PAGES)
            break
        size = _content_size(page)
        if size is not None and size > budget:
            logger.warning(
                "%s: alleen de eerste %d pagina's gelezen; de pagina's bevatten samen meer dan "
                "%d MB aan opmaakinstructies",
                name, number, MAX_CONTENT_BYTES >> 20,
            )  # fmt: skip
            skipped += len(reader.pages) - number
            break
        budget -= size or 0
        lines = _read_page(page, number, name, size)
        if lines is None:
            skipped += 1
        pages.append(lines or [])
    return pages, skipped


def _content_size(page: PageObject) -> int | None:
    """Return the decoded size of the page's content stream, or None when it cannot be read."""
    try:
        contents = page.get_contents()
        return len(contents.get_data()) if contents is not None else 0
    except Exception as exc:  # pypdf raises many exception types on malformed input
        logger.debug("pypdf could not decode a content stream", exc_info=exc)
        return None


def _read_page(page: PageObject, number: int, name: str, size: int | None) -> list[Line] | None:
    """Return the lines of one page; None (with a warning) for an unreadable or absurd page."""
    if size is None:
        logger.warning("%s: pagina %d is onleesbaar en overgeslagen", name, number + 1)
        return None
    if size > MAX_PAGE_CONTENT_BYTES:
        logger.warning(
            "%s: pagina %d overgeslagen; die bevat meer dan %d MB aan opmaakinstructies",
            name, number + 1, MAX_PAGE_CONTENT_BYTES >> 20,
        )  # fmt: skip
        return None
    collector = LineCollector(number, MAX_PAGE_CHARS)
    try:
        page.extract_text(visitor_operand_before=collector.operator, visitor_text=collector.visit)
    except PageFull:
        logger.warning(
            "%s: tekst van pagina %d afgekapt na %d tekens", name, number + 1, MAX_PAGE_CHARS
        )
    except Exception as exc:  # one bad page must not cost the rest of the document
        logger.warning("%s: pagina %d is onleesbaar en overgeslagen", name, number + 1)
        logger.debug("pypdf failed on a page", exc_info=exc)
        return None
    return mark_boxes(join_rows(join_fragments(collector.close())), collector.areas.rects())


def _metadata(reader: PdfReader) -> MetaFields:
    """Return /Title and /CreationDate from the document information, when usable."""
    try:
        info = reader.metadata
        if info is None:
            return MetaFields()
        title = clean_embedded_title(str(info.get("/Title") or ""))
        date = normalize_date(str(info.get("/CreationDate") or ""))
    except Exception as exc:  # a broken info dictionary only costs the metadata
        logger.debug("unreadable PDF metadata", exc_info=exc)
        return MetaFields()
    return MetaFields(title=title, date=date)
