"""Tell what a file is by its content, not its name: PDF, HTML, Markdown or plain text.

A name only says what a file claims to be. The content decides; a supported extension that
disagrees with it (an HTML page saved as "rapport.pdf") is refused rather than trusted, and a
missing or foreign extension ("rapport.aspx") gets the one that fits the content.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from index.plaintext import TextDecodeError, decode_text

# Readers read at most the first 1,024 bytes for the header (PDF 1.7, 7.5.2); Acrobat allows
# junk before "%PDF-" in that window, so do we.
PDF_HEADER_WINDOW = 1024
HTML_START = re.compile(
    r"^(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body|meta|title)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
MARKDOWN_HINT = re.compile(r"^(?:#{1,6} \S|---\s*$)", re.MULTILINE)
# What the content must be for each supported extension.
CLAIMS = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".md": "text",
    ".markdown": "text",
    ".txt": "text",
}
NAMES = {"pdf": "een PDF", "html": "een HTML-pagina", "text": "tekst"}
UNREADABLE = (
    "Dit is geen PDF, HTML, Markdown of tekstbestand (gekeken naar de inhoud, niet naar de naam)."
)


class NotADocument(ValueError):
    """Content that is no supported document, or not what its name says; `reason` is Dutch."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the content is, and the extension the stored file gets."""

    kind: str  # "pdf" | "html" | "text"
    suffix: str  # ".pdf", ".html", ".md" or ".txt"


def sniff(data: bytes, name: str, content_type: str = "") -> Sniffed:
    """Return what `data` is and its extension; raise NotADocument.

    `name` is the file name it came with (an upload's, or the end of a URL); `content_type`
    the server's media type, which only decides between Markdown and plain text.
    """
    kind = content_kind(data)
    suffix = PurePosixPath(name).suffix.lower()
    claimed = CLAIMS.get(suffix)
    if claimed is not None and claimed != kind:
        raise NotADocument(
            f"Het bestand heet {suffix} maar is {NAMES[kind]}; het wordt niet toegevoegd."
        )
    if claimed is not None:
        return Sniffed(kind, ".html" if suffix == ".htm" else suffix)
    if kind == "text":
        markdown = content_type == "text/markdown" or MARKDOWN_HINT.search(_text(data)[:4096])
        return Sniffed(kind, ".md" if markdown else ".txt")
    return Sniffed(kind, "." + kind)


def content_kind(data: bytes) -> str:
    """Return "pdf", "html" or "text" for `data`; raise NotADocument for anything else."""
    if b"%PDF-" in data[:PDF_HEADER_WINDOW]:
        return "pdf"
    # HTML may be in any charset its <meta> declares: look at the bytes as Latin-1.
    head = data[:4096].removeprefix(codecs.BOM_UTF8).decode("latin-1")
    if HTML_START.match(head) and b"\x00" not in data[:8192]:
        return "html"
    text = _text(data)
    if not text.strip():
        raise NotADocument("Het bestand is leeg.")
    return "text"


def _text(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise NotADocument(UNREADABLE + " Sla tekst op als UTF-8.")
    try:
        text = decode_text(data)
    except TextDecodeError:
        raise NotADocument(UNREADABLE) from None
    if any(ord(char) < 32 and char not in "\t\n\f" for char in text[:65536]):
        raise NotADocument(UNREADABLE)
    return text
