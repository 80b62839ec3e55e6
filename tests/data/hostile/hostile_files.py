"""Generate hostile documents at run time (nothing big is committed): bombs, binaries, tricks.

Used by tests/test_hostile_documents.py (small sizes) and bench/faults.py (the big ones).
Every generator writes one file into `folder` and returns its path.
"""

from __future__ import annotations

import io
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject
from reportlab.pdfgen import canvas

# Words that only ever occur inside <script>, <style>, event handlers or frames of script.html.
SCRIPT_MARKERS = ("SCRIPTGEHEIM", "SCRIPTSCHRIJFT", "STIJLGEHEIM", "KLIKGEHEIM", "FOUTGEHEIM")
SCRIPT_HTML_TEXT = "Ondernemers kunnen de garantieregeling aanvragen bij RVO."


def _text_pdf(pages: list[str]) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for text in pages:
        pdf.setFont("Helvetica", 11)
        pdf.drawString(72, 720, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def empty_pdf(folder: Path, name: str = "leeg.pdf") -> Path:
    """A zero-byte PDF."""
    return _write(folder, name, b"")


def encrypted_pdf(
    folder: Path, name: str = "versleuteld.pdf", *, user_password: str = "geheim"
) -> Path:
    """A PDF that needs a password to open (AES-256); with "" only the owner password is set."""
    writer = PdfWriter()
    writer.append(
        PdfReader(io.BytesIO(_text_pdf(["De eigenaar beschermt dit rapport over innovatie."])))
    )
    writer.encrypt(user_password=user_password, owner_password="eigenaar", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return _write(folder, name, buffer.getvalue())


def blank_page_bomb(folder: Path, name: str = "bom-blanco.pdf", pages: int = 5000) -> Path:
    """A PDF of thousands of empty pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return _write(folder, name, buffer.getvalue())


def text_page_bomb(folder: Path, name: str = "bom-paginas.pdf", pages: int = 3000) -> Path:
    """A PDF of thousands of pages, each with a different sentence (so none is a running header)."""
    texts = [
        f"Onderwerp {n}: regeling {n * 7919 % 10007} helpt ondernemers in sector {n % 97}."
        for n in range(1, pages + 1)
    ]
    return _write(folder, name, _text_pdf(texts))


def _stream_pdf(content: bytes, pages: int = 1) -> bytes:
    """A PDF whose pages all draw `content` (one Flate stream shared by every page)."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(_text_pdf(["Steun voor ondernemers."]))))
    first = writer.pages[0]
    stream = StreamObject()
    stream._data = content  # already compressed below; pypdf writes it as it is
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    ref = writer._add_object(stream)
    first[NameObject("/Contents")] = ref
    for _ in range(pages - 1):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = first["/Resources"]
        page[NameObject("/Contents")] = ref
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _text_operations(count: int) -> bytes:
    return b"".join(
        b"BT /F1 11 Tf 72 %d Td (Regel %d over de steun voor ondernemers) Tj ET\n"
        % (700 - (n % 50) * 12, n)
        for n in range(count)
    )


def deflate_bomb_pdf(folder: Path, name: str = "bom-stroom.pdf", megabytes: int = 200) -> Path:
    """One page whose content stream inflates from ~0.5 MB to `megabytes` MB."""
    block = _text_operations(1000)
    packer = zlib.compressobj(9)
    repeats = megabytes * 1024 * 1024 // len(block) + 1
    packed = b"".join(packer.compress(block) for _ in range(repeats)) + packer.flush()
    return _write(folder, name, _stream_pdf(packed))


def dense_stream_pdf(
    folder: Path, name: str = "dichte-stroom.pdf", operations: int = 20000, pages: int = 1
) -> Path:
    """Pages sharing one content stream of `operations` text operations (a few MB of text)."""
    return _write(folder, name, _stream_pdf(zlib.compress(_text_operations(operations), 9), pages))


def script_html(folder: Path, name: str = "script.html") -> Path:
    """An HTML page whose scripts, styles and event handlers carry marker words."""
    markup = f"""<!doctype html><html><head><title>Garantieregeling</title>
<script>var geheim = "SCRIPTGEHEIM";</script><style>.x::after {{content: "STIJLGEHEIM"}}</style>
</head><body><h1>Garantieregeling voor ondernemers</h1>
<p>{SCRIPT_HTML_TEXT}</p>
<script>document.write("SCRIPTSCHRIJFT")</script>
<p onclick="alert('KLIKGEHEIM')">Meer informatie over de regeling staat op de website.</p>
<img src="x" onerror="alert('FOUTGEHEIM')" alt="">
<iframe srcdoc="<script>alert('SCRIPTGEHEIM')</script>"></iframe>
<script type="text/template"><p>SCRIPTGEHEIM</p></script>
</body></html>"""
    return _write(folder, name, markup.encode())


def binary_txt(folder: Path, name: str = "binair.txt", size: int = 200_000) -> Path:
    """Random bytes (with NUL bytes) named .txt."""
    return _write(folder, name, os.urandom(size))


def binary_txt_without_nul(folder: Path, name: str = "binair-zonder-nul.txt") -> Path:
    """Random bytes without NUL bytes (not valid UTF-8) named .txt."""
    return _write(folder, name, bytes(b for b in os.urandom(400_000) if b)[:200_000])


def sparse_text(folder: Path, name: str = "groot.txt", megabytes: int = 51) -> Path:
    """A text file of `megabytes` MB, made sparse (instant, takes no disk space)."""
    path = _write(folder, name, b"Dit is een heel groot tekstbestand.\n")
    with path.open("r+b") as out:
        out.truncate(megabytes * 1024 * 1024)
    return path


def long_text(folder: Path, name: str = "bijna-groot.txt", megabytes: int = 49) -> Path:
    """Real Dutch-ish paragraphs up to `megabytes` MB (just under the size limit at 49)."""
    line = "Ondernemers in het mkb krijgen steun bij de financiering van hun bedrijf."
    block = "".join(f"{line} Alinea {n}.\n\n" for n in range(2000)).encode()
    path = folder / name
    target = megabytes * 1024 * 1024
    with path.open("wb") as out:
        written = 0
        while written + len(block) <= target:
            written += out.write(block)
    return path


def nested_html(folder: Path, name: str = "diep.html", depth: int = 20000) -> Path:
    """Text inside `depth` nested <div> elements."""
    markup = "<html><body>" + "<div>" * depth + "<p>Diep verstopte tekst.</p>" + "</div>" * depth
    return _write(folder, name, (markup + "</body></html>").encode())


def one_long_line(folder: Path, name: str = "lange-regel.md", words: int = 1_000_000) -> Path:
    """A Markdown file whose body is one line of a million words."""
    return _write(folder, name, ("# Eén regel\n\n" + "ondernemer " * words).encode())


def truncated_pdf(folder: Path, name: str = "afgebroken.pdf") -> Path:
    """The first half of a valid PDF."""
    data = _text_pdf(["Een rapport dat halverwege is afgebroken."])
    return _write(folder, name, data[: len(data) // 2])


MALFORMED_OPERAND_TEXT = "Hallo wereld, dit is tekst."


def malformed_operand_pdf(folder: Path, name: str = "vreemde-operand.pdf") -> Path:
    """A page that draws a rectangle with a name where a number belongs, then a line of text."""
    content = b"/X 0 10 10 re f BT /F1 12 Tf 72 700 Td (%s) Tj ET" % MALFORMED_OPERAND_TEXT.encode()
    return _write(folder, name, _stream_pdf(zlib.compress(content)))


@dataclass(frozen=True)
class Hostile:
    """A hostile file and what the build must do with it."""

    make: Callable[[Path], Path]
    outcome: str  # "skipped" (with a reason containing `words`) or "bounded" (indexed, capped)
    words: tuple[str, ...] = ()


# The in-suite set: each case is quick to make and to read (sizes chosen for seconds, not minutes).
SUITE: dict[str, Hostile] = {
    "leeg.pdf": Hostile(empty_pdf, "skipped", ("leeg",)),
    "versleuteld.pdf": Hostile(encrypted_pdf, "skipped", ("versleuteld",)),
    "alleen-eigenaar.pdf": Hostile(
        lambda f: encrypted_pdf(f, "alleen-eigenaar.pdf", user_password=""), "bounded"
    ),
    "bom-blanco.pdf": Hostile(blank_page_bomb, "skipped", ("geen tekst",)),
    "bom-paginas.pdf": Hostile(text_page_bomb, "bounded"),
    "bom-stroom.pdf": Hostile(deflate_bomb_pdf, "skipped", ("geen leesbare tekst", "te groot")),
    "afgebroken.pdf": Hostile(truncated_pdf, "skipped", ("beschadigd",)),
    "script.html": Hostile(script_html, "bounded"),
    "binair.txt": Hostile(binary_txt, "skipped", ("binaire gegevens",)),
    "binair-zonder-nul.txt": Hostile(binary_txt_without_nul, "skipped", ("UTF-8",)),
    "groot.txt": Hostile(sparse_text, "skipped", ("te groot",)),
    "bijna-groot.txt": Hostile(long_text, "bounded"),
    "diep.html": Hostile(nested_html, "skipped", ("te diep genest",)),
    "lange-regel.md": Hostile(one_long_line, "bounded"),
}
