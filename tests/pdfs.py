"""Test PDFs drawn page by page with reportlab: each page is a function that draws on a canvas."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

Draw = Callable[[canvas.Canvas], None]
Furniture = Callable[[canvas.Canvas, int], None]  # what page n carries besides its text


def write_pdf(
    target: Path | BinaryIO,
    pages: Sequence[Draw],
    *,
    title: str | None = None,
    furniture: Furniture | None = None,
) -> None:
    """Write an A4 PDF of `pages`, each followed by its furniture (running header, page number)."""
    pdf = canvas.Canvas(str(target) if isinstance(target, Path) else target, pagesize=A4)
    if title:
        pdf.setTitle(title)
    for number, draw in enumerate(pages, start=1):
        draw(pdf)
        if furniture is not None:
            furniture(pdf, number)
        pdf.showPage()
    pdf.save()


def page_number(pdf: canvas.Canvas, number: int, pages: int) -> None:
    """Draw "Pagina n van N" centred at the foot of the page, in black."""
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont("Helvetica", 8)
    pdf.drawCentredString(297, 34, f"Pagina {number} van {pages}")
