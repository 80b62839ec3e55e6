#!/usr/bin/env python3
"""Render the stand-in report (source/report.md) to a PDF in documents/.

    .venv/bin/python bench/corpora/rapport/render.py        (from /work/main)

The layout imitates a printed ministry report: A4, one column, justified body text with Dutch
hyphenation (reportlab + pyphen), a title page, a colophon, a table of contents with page
numbers, running headers (the report title on even pages, the chapter title on odd pages, none
on chapter opening pages), "Pagina n van m" in the footer, footnotes at the bottom of the page
on which they are referenced, tables with captions and sources, and shaded boxes ("Kader").

The source is a small Markdown dialect:

    # 3 Garantie- en kredietregelingen         chapter (always starts a new page)
    ## 3.1 BMKB en BMKB-C                       numbered section
    ### Kopje                                   unnumbered sub-heading
    plain lines                                 paragraph (blank line ends it)
    - item                                      bullet list
    Table: Tabel 3.1 Caption                    table caption, followed by a pipe table;
    | a | b |  /  |---|--:|                     alignment from the separator row
    Bron: ...                                   source line directly under a table
    > **Kader 2.1 Titel**  /  > text            shaded box (paragraphs and lists inside)
    text.[^3]                                   footnote reference; defined by "[^3]: text"
    **bold**, *italic*

Footnotes are numbered in order of first reference. Footnote space at the bottom of each page,
the running headers and the page numbers of the table of contents come from the previous pass
of the layout; the build is repeated until nothing changes, so every run writes the same bytes
(invariant mode, with the creation date fixed to the report's date).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

try:
    import pyphen  # noqa: F401  (reportlab uses it for hyphenationLang)
except ImportError:  # pragma: no cover
    sys.exit("render.py needs pyphen for Dutch hyphenation: .venv/bin/pip install pyphen")

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source" / "report.md"
META = HERE / "source" / "report.toml"
OUT_DIR = HERE / "documents"

PAGE_W, PAGE_H = A4
MARGIN_INNER = 25 * mm
MARGIN_OUTER = 22 * mm
MARGIN_TOP = 25 * mm
MARGIN_BOTTOM = 22 * mm
FOOTER_Y = 12 * mm
HEADER_Y = PAGE_H - 14 * mm
TEXT_W = PAGE_W - MARGIN_INNER - MARGIN_OUTER
FOOTNOTE_GAP = 5 * mm  # between the last text line and the footnote rule
MAX_PASSES = 20

INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#154273")  # the dark blue of government publications
GREY = colors.HexColor("#555555")
BOX_BG = colors.HexColor("#e8eef5")
RULE = colors.HexColor("#7f8fa6")

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
ITALIC = "Helvetica-Oblique"


def _style(name: str, **kw: object) -> ParagraphStyle:
    base = dict(
        fontName=FONT,
        fontSize=10,
        leading=14,
        textColor=INK,
        alignment=TA_JUSTIFY,
        hyphenationLang="nl_NL",
        embeddedHyphenation=1,
        hyphenationMinWordLength=6,
        spaceAfter=6,
    )
    base.update(kw)
    return ParagraphStyle(name, **base)


STYLES = {
    "body": _style("body"),
    "bullet": _style("bullet", leftIndent=14, bulletIndent=3, spaceAfter=3),
    "h1": _style(
        "h1",
        fontName=BOLD,
        fontSize=20,
        leading=25,
        textColor=ACCENT,
        alignment=TA_LEFT,
        hyphenationLang="",
        spaceBefore=30,
        spaceAfter=22,
    ),
    "h2": _style(
        "h2",
        fontName=BOLD,
        fontSize=13,
        leading=17,
        textColor=ACCENT,
        alignment=TA_LEFT,
        hyphenationLang="",
        spaceBefore=14,
        spaceAfter=6,
        keepWithNext=1,
    ),
    "h3": _style(
        "h3",
        fontName=BOLD,
        fontSize=10,
        leading=14,
        alignment=TA_LEFT,
        hyphenationLang="",
        spaceBefore=6,
        spaceAfter=2,
        keepWithNext=1,
    ),
    "caption": _style(
        "caption",
        fontName=BOLD,
        fontSize=9,
        leading=12,
        alignment=TA_LEFT,
        hyphenationLang="",
        spaceBefore=6,
        spaceAfter=4,
        textColor=ACCENT,
        keepWithNext=1,
    ),
    "source": _style(
        "source",
        fontName=ITALIC,
        fontSize=7.5,
        leading=10,
        alignment=TA_LEFT,
        spaceBefore=3,
        spaceAfter=10,
        textColor=GREY,
    ),
    "cell": _style("cell", fontSize=8.5, leading=10.5, alignment=TA_LEFT, spaceAfter=0),
    "cellhead": _style(
        "cellhead",
        fontName=BOLD,
        fontSize=8.5,
        leading=10.5,
        alignment=TA_LEFT,
        spaceAfter=0,
        hyphenationLang="",
    ),
    "boxtitle": _style(
        "boxtitle",
        fontName=BOLD,
        fontSize=9.5,
        leading=13,
        alignment=TA_LEFT,
        textColor=ACCENT,
        hyphenationLang="",
        spaceAfter=4,
    ),
    "boxbody": _style("boxbody", fontSize=9, leading=12.5, spaceAfter=4),
    "boxbullet": _style(
        "boxbullet",
        fontSize=9,
        leading=12.5,
        leftIndent=12,
        bulletIndent=2,
        spaceAfter=2,
    ),
    "footnote": _style(
        "footnote",
        fontSize=7.5,
        leading=9.5,
        leftIndent=10,
        firstLineIndent=-10,
        spaceAfter=1,
        alignment=TA_LEFT,
    ),
    "toc_title": _style(
        "toc_title",
        fontName=BOLD,
        fontSize=20,
        leading=25,
        textColor=ACCENT,
        alignment=TA_LEFT,
        hyphenationLang="",
        spaceAfter=18,
    ),
    "toc1": _style(
        "toc1", fontName=BOLD, alignment=TA_LEFT, hyphenationLang="", spaceBefore=6, spaceAfter=1
    ),
    "toc2": _style("toc2", alignment=TA_LEFT, hyphenationLang="", leftIndent=24, spaceAfter=0),
    "title": _style(
        "title",
        fontName=BOLD,
        fontSize=28,
        leading=34,
        textColor=ACCENT,
        alignment=TA_LEFT,
        hyphenationLang="",
    ),
    "subtitle": _style(
        "subtitle",
        fontSize=14,
        leading=19,
        textColor=INK,
        alignment=TA_LEFT,
        hyphenationLang="",
    ),
    "titlemeta": _style(
        "titlemeta",
        fontSize=10,
        leading=14,
        alignment=TA_LEFT,
        hyphenationLang="",
        textColor=GREY,
    ),
    "colophon": _style("colophon", fontSize=8.5, leading=12, alignment=TA_LEFT, hyphenationLang=""),
}


# --------------------------------------------------------------------------- source parsing


@dataclass
class Block:
    kind: str  # h1 h2 h3 p ul table box
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    align: list[str] = field(default_factory=list)
    caption: str = ""
    source: str = ""
    children: list[Block] = field(default_factory=list)


_FOOTDEF = re.compile(r"^\[\^(\w+)\]:\s*(.*)$")
_FOOTREF = re.compile(r"\[\^(\w+)\]")


def parse_source(text: str) -> tuple[list[Block], dict[str, str]]:
    """Return the blocks of the report and the footnote texts by source label."""
    notes: dict[str, str] = {}
    lines: list[str] = []
    for line in text.splitlines():
        match = _FOOTDEF.match(line)
        if match:
            notes[match.group(1)] = match.group(2).strip()
        elif line.startswith("<!--"):
            continue
        else:
            lines.append(line.rstrip())
    return _parse_blocks(lines), notes


def _parse_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        if heading:
            blocks.append(Block(f"h{len(heading.group(1))}", heading.group(2).strip()))
            i += 1
            continue
        if line.startswith(">"):
            inner = []
            while i < len(lines) and lines[i].startswith(">"):
                inner.append(lines[i][1:].lstrip() if lines[i] != ">" else "")
                i += 1
            blocks.append(Block("box", children=_parse_blocks(inner)))
            continue
        if line.startswith("Table:") or line.startswith("|"):
            caption = ""
            if line.startswith("Table:"):
                caption = line[len("Table:") :].strip()
                i += 1
            rows: list[list[str]] = []
            align: list[str] = []
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                    align = ["r" if c.endswith(":") else "l" for c in cells]
                else:
                    rows.append(cells)
                i += 1
            source = ""
            if i < len(lines) and lines[i].startswith("Bron:"):
                source = lines[i].strip()
                i += 1
            blocks.append(Block("table", rows=rows, align=align, caption=caption, source=source))
            continue
        if line.startswith("- "):
            items: list[str] = []
            while i < len(lines) and lines[i].strip():
                if lines[i].startswith("- "):
                    items.append(lines[i][2:].strip())
                else:
                    items[-1] += " " + lines[i].strip()
                i += 1
            blocks.append(Block("ul", items=items))
            continue
        para = []
        while (
            i < len(lines)
            and lines[i].strip()
            and not re.match(r"^(#{1,3}\s|>|\||Table:|- )", lines[i])
        ):
            para.append(lines[i].strip())
            i += 1
        blocks.append(Block("p", " ".join(para)))
    return blocks


# --------------------------------------------------------------------------- inline markup


class Notes:
    """Numbers footnotes in order of first reference and holds their texts."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        self.number: dict[str, int] = {}

    def ref(self, label: str) -> int:
        if label not in self.texts:
            raise SystemExit(f"footnote [^{label}] has no definition")
        if label not in self.number:
            self.number[label] = len(self.number) + 1
        return self.number[label]

    def text_of(self, number: int) -> str:
        label = next(k for k, v in self.number.items() if v == number)
        return self.texts[label]


def inline(text: str, notes: Notes | None = None) -> str:
    """Return reportlab paragraph markup for one line of source text."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", out)
    if notes is not None:

        def footref(match: re.Match[str]) -> str:
            n = notes.ref(match.group(1))
            return f'<super><font size="6.5">{n}</font></super><onDraw name="fn" label="{n}"/>'

        out = _FOOTREF.sub(footref, out)
    elif _FOOTREF.search(out):
        raise SystemExit(f"footnote reference where none is allowed: {text}")
    return out


# --------------------------------------------------------------------------- layout state


@dataclass
class Layout:
    """What one pass learned about the pages; the next pass uses it."""

    pages: int = 0
    reserve: dict[int, float] = field(default_factory=dict)  # footnote space per page
    toc: list[tuple[int, str, int]] = field(default_factory=list)  # (level, text, page)
    openings: dict[int, str] = field(default_factory=dict)  # chapter opening page -> title

    def chapter_on(self, page: int) -> str | None:
        current = None
        for start, title in sorted(self.openings.items()):
            if start <= page:
                current = title
        return current


class Heading(Paragraph):
    """A heading paragraph that reports itself to the table of contents and the outline."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, plain: str) -> None:
        super().__init__(text, style)
        self.toc_level = level
        self.toc_text = plain


class TocEntry(Flowable):
    """One line of the table of contents: title, dotted leader, right-aligned page number."""

    def __init__(self, text: str, page: int | None, level: int) -> None:
        super().__init__()
        self.text = text
        self.page = page
        self.level = level
        self.style = STYLES["toc1" if level == 1 else "toc2"]

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self.width = avail_w
        self.height = self.style.leading + (self.style.spaceBefore if self.level == 1 else 0)
        return avail_w, self.height

    def draw(self) -> None:
        canv = self.canv
        font, size = self.style.fontName, self.style.fontSize
        indent = self.style.leftIndent
        number = "" if self.page is None else str(self.page)
        y = 4
        canv.setFillColor(INK)
        canv.setFont(font, size)
        # one text string, as word processors write a tab with a dotted leader
        room = self.width - indent - canv.stringWidth(f"{self.text}  {number}", font, size)
        dots = "." * max(3, int(room / canv.stringWidth(".", font, size)) - 2)
        line = f"{self.text} {dots} {number}"
        canv.drawString(indent, y, line)


class ReportDoc(BaseDocTemplate):
    """Page templates, running headers, footers and footnotes for one pass."""

    def __init__(self, buffer: io.BytesIO, meta: dict, notes: Notes, plan: Layout) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            invariant=1,
            title=meta["title"],
            author=meta["organisation"],
            subject=meta["subtitle"],
            creator="render.py (reportlab)",
            keywords=meta.get("keywords", ""),
            lang="nl-NL",
        )
        self.meta = meta
        self.notes = notes
        self.plan = plan
        self.seen = Layout()
        self.page_notes: list[int] = []
        self.need: dict[int, float] = {}
        plain = Frame(
            MARGIN_INNER,
            MARGIN_BOTTOM,
            TEXT_W,
            PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate("title", [plain], onPage=self._title_page),
                PageTemplate("body", [plain], onPage=self._begin_page, onPageEnd=self._end_page),
            ]
        )

    # ---- pages
    def _frame_for(self, page: int) -> Frame:
        left = MARGIN_INNER if page % 2 else MARGIN_OUTER
        bottom = MARGIN_BOTTOM + self.plan.reserve.get(page, 0.0)
        return Frame(
            left,
            bottom,
            TEXT_W,
            PAGE_H - MARGIN_TOP - bottom,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    def _title_page(self, canv, doc) -> None:
        canv.setFillColor(ACCENT)
        canv.rect(0, PAGE_H - 95 * mm, 18 * mm, 95 * mm, stroke=0, fill=1)

    def _begin_page(self, canv, doc) -> None:
        page = doc.page
        self.pageTemplate.frames = [self._frame_for(page)]
        self.page_notes = []
        canv.setNamedCB("fn", self._footnote_drawn)
        if page in self.plan.openings or page <= 2:
            return
        if page % 2 == 0:
            text, x, align = self.meta["running_title"], MARGIN_OUTER, "left"
        else:
            text = self.plan.chapter_on(page) or self.meta["running_title"]
            x, align = PAGE_W - MARGIN_OUTER, "right"
        canv.saveState()
        canv.setFont(FONT, 8)
        canv.setFillColor(GREY)
        if align == "left":
            canv.drawString(x, HEADER_Y, text)
        else:
            canv.drawRightString(x, HEADER_Y, text)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        left = MARGIN_INNER if page % 2 else MARGIN_OUTER
        canv.line(left, HEADER_Y - 4, left + TEXT_W, HEADER_Y - 4)
        canv.restoreState()

    def _footnote_drawn(self, canv, kind, label) -> None:
        number = int(label)
        if number not in self.page_notes:
            self.page_notes.append(number)

    def _end_page(self, canv, doc) -> None:
        page = doc.page
        left = MARGIN_INNER if page % 2 else MARGIN_OUTER
        if self.page_notes:
            paras = [
                Paragraph(f"{n}&nbsp;&nbsp;{inline(self.notes.text_of(n))}", STYLES["footnote"])
                for n in self.page_notes
            ]
            heights = [p.wrap(TEXT_W, PAGE_H)[1] + STYLES["footnote"].spaceAfter for p in paras]
            total = sum(heights) + FOOTNOTE_GAP
            self.need[page] = total
            y = MARGIN_BOTTOM + total - FOOTNOTE_GAP
            canv.saveState()
            canv.setStrokeColor(INK)
            canv.setLineWidth(0.5)
            canv.line(left, y + 3, left + 45 * mm, y + 3)
            canv.restoreState()
            for para, height in zip(paras, heights, strict=False):
                y -= height
                para.drawOn(canv, left, y + STYLES["footnote"].spaceAfter)
        if page > 1:
            canv.saveState()
            canv.setFont(FONT, 8)
            canv.setFillColor(GREY)
            total_pages = self.plan.pages or 0
            label = f"Pagina {page} van {total_pages}"
            if page % 2:
                canv.drawRightString(left + TEXT_W, FOOTER_Y, label)
            else:
                canv.drawString(left, FOOTER_Y, label)
            canv.restoreState()

    # ---- flowables
    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            self.seen.toc.append((flowable.toc_level, flowable.toc_text, self.page))
            key = f"h{len(self.seen.toc)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.toc_text, key, level=flowable.toc_level - 1)
            if flowable.toc_level == 1:
                self.seen.openings[self.page] = flowable.toc_text

    def result(self) -> Layout:
        self.seen.pages = self.page
        self.seen.reserve = {
            page: max(self.plan.reserve.get(page, 0.0), need) for page, need in self.need.items()
        }
        return self.seen


# --------------------------------------------------------------------------- story


def plain_text(markup: str) -> str:
    return re.sub(r"\*+", "", _FOOTREF.sub("", markup)).strip()


def story_for(blocks: list[Block], meta: dict, notes: Notes, plan: Layout) -> list[Flowable]:
    story: list[Flowable] = [NextPageTemplate("body")]
    story += title_page(meta)
    story.append(PageBreak())
    story += colophon(meta)
    story.append(PageBreak())
    story += table_of_contents(plan, blocks)
    pending: Heading | None = None  # a section heading waiting to be kept with what follows
    for block in blocks:
        if block.kind == "h1":
            story.append(PageBreak())
            story.append(Heading(inline(block.text), STYLES["h1"], 1, plain_text(block.text)))
        elif block.kind == "h2":
            story.append(CondPageBreak(80))
            pending = Heading(inline(block.text), STYLES["h2"], 2, plain_text(block.text))
        else:
            flowables = render_block(block, notes)
            if pending is not None:  # never leave a heading alone at the foot of a page
                story.append(KeepTogether([pending, flowables[0]]))
                flowables = flowables[1:]
                pending = None
            story += flowables
    return story


def render_block(block: Block, notes: Notes, boxed: bool = False) -> list[Flowable]:
    body = STYLES["boxbody" if boxed else "body"]
    bullet = STYLES["boxbullet" if boxed else "bullet"]
    if block.kind == "h3":
        return [Paragraph(inline(block.text, notes), STYLES["h3"])]
    if block.kind == "p":
        return [Paragraph(inline(block.text, notes), body)]
    if block.kind == "ul":
        items: list[Flowable] = [
            Paragraph(inline(item, notes), bullet, bulletText="–") for item in block.items
        ]
        return items + [Spacer(1, 4)]
    if block.kind == "table":
        return render_table(block, notes)
    if block.kind == "box":
        return [render_box(block, notes)]
    raise SystemExit(f"unknown block {block.kind}")


def render_table(block: Block, notes: Notes) -> list[Flowable]:
    ncols = len(block.rows[0])
    align = block.align or ["l"] * ncols
    data = []
    for r, row in enumerate(block.rows):
        cells = []
        for c, text in enumerate(row):
            base = STYLES["cellhead" if r == 0 else "cell"]
            style = ParagraphStyle(
                f"c{r}{c}", parent=base, alignment=TA_RIGHT if align[c] == "r" else TA_LEFT
            )
            cells.append(Paragraph(inline(text, notes), style))
        data.append(cells)
    table = Table(data, colWidths=column_widths(block.rows), repeatRows=1, hAlign="LEFT")
    style = [
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, ACCENT),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for r in range(1, len(data)):
        if r % 2 == 0:
            style.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f2f4f7")))
    table.setStyle(TableStyle(style))
    out: list[Flowable] = []
    if block.caption:
        out.append(Paragraph(inline(block.caption, notes), STYLES["caption"]))
    out.append(table)
    if block.source:
        out.append(Paragraph(inline(block.source, notes), STYLES["source"]))
    else:
        out.append(Spacer(1, 8))
    return [KeepTogether(out)] if len(block.rows) <= 14 else out


def column_widths(rows: list[list[str]]) -> list[float]:
    """Size columns to their content, as a typesetter would: body cells on one line where the
    page allows it, header cells wrapped at word boundaries, spare width to the widest headers."""
    size = STYLES["cell"].fontSize
    pad = 8.0

    def width(text: str, font: str = FONT) -> float:
        marks = 12.0 * len(_FOOTREF.findall(text))  # room for a superscript footnote number
        return stringWidth(plain_text(text), font, size) + pad + marks

    ncols = len(rows[0])
    body = [max((width(r[c]) for r in rows[1:]), default=pad) for c in range(ncols)]
    head_word = [max(width(w, BOLD) for w in rows[0][c].split() or [""]) for c in range(ncols)]
    head_full = [width(rows[0][c], BOLD) for c in range(ncols)]
    base = [max(b, h) for b, h in zip(body, head_word, strict=False)]
    if sum(base) >= TEXT_W:
        return [b * TEXT_W / sum(base) for b in base]
    spare = TEXT_W - sum(base)
    want = [max(0.0, f - b) for f, b in zip(head_full, base, strict=False)]
    if sum(want) > 0:
        give = min(spare, sum(want))
        base = [b + give * w / sum(want) for b, w in zip(base, want, strict=False)]
        spare -= give
    # level the other columns (figures read best in columns of equal width), rest to the first
    others = sorted(range(1, ncols), key=lambda c: base[c])
    for k, _c in enumerate(others):
        level = base[others[k + 1]] if k + 1 < len(others) else float("inf")
        group = others[: k + 1]
        need = sum(level - base[j] for j in group)
        step = min(spare, need) / len(group)
        for j in group:
            base[j] += step
        spare -= step * len(group)
        if spare <= 0.01:
            break
    base[0] += max(spare, 0.0)
    return base


def render_box(block: Block, notes: Notes) -> Flowable:
    inner: list[Flowable] = []
    for k, child in enumerate(block.children):
        if k == 0 and child.kind == "p" and child.text.startswith("**"):
            inner.append(Paragraph(inline(child.text, notes), STYLES["boxtitle"]))
        else:
            inner += render_block(child, notes, boxed=True)
    box = Table([[inner]], colWidths=[TEXT_W], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), BOX_BG),
                ("LINEBEFORE", (0, 0), (0, -1), 2.5, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return KeepTogether([Spacer(1, 4), box, Spacer(1, 10)])


def title_page(meta: dict) -> list[Flowable]:
    return [
        Spacer(1, 70 * mm),
        Paragraph(inline(meta["title"]), STYLES["title"]),
        Spacer(1, 8 * mm),
        Paragraph(inline(meta["subtitle"]), STYLES["subtitle"]),
        Spacer(1, 60 * mm),
        Paragraph(inline(meta["organisation"]), STYLES["titlemeta"]),
        Paragraph(inline(meta["date_text"]), STYLES["titlemeta"]),
        Spacer(1, 30 * mm),
        Paragraph(inline(meta["note"]), STYLES["titlemeta"]),
    ]


def colophon(meta: dict) -> list[Flowable]:
    out: list[Flowable] = [Spacer(1, 150 * mm)]
    for line in meta["colophon"].strip().split("\n\n"):
        out.append(Paragraph(inline(" ".join(line.split())), STYLES["colophon"]))
        out.append(Spacer(1, 4))
    return out


def table_of_contents(plan: Layout, blocks: list[Block]) -> list[Flowable]:
    out: list[Flowable] = [Heading("Inhoud", STYLES["toc_title"], 1, "Inhoud")]
    entries = [(int(b.kind[1]), plain_text(b.text)) for b in blocks if b.kind in ("h1", "h2")]
    pages = {(level, text): page for level, text, page in plan.toc}
    for level, text in entries:
        out.append(TocEntry(text, pages.get((level, text)), level))
    return out


# --------------------------------------------------------------------------- build


def build(blocks: list[Block], notes_text: dict[str, str], meta: dict, plan: Layout):
    notes = Notes(notes_text)
    buffer = io.BytesIO()
    doc = ReportDoc(buffer, meta, notes, plan)
    doc.build(story_for(blocks, meta, notes, plan))
    unused = set(notes_text) - set(notes.number)
    if unused:
        raise SystemExit(f"footnotes defined but never referenced: {sorted(unused)}")
    return buffer.getvalue(), doc.result(), doc.need


def settled(plan: Layout, seen: Layout, need: dict[int, float]) -> bool:
    return (
        plan.pages == seen.pages
        and plan.toc == seen.toc
        and plan.openings == seen.openings
        and all(need_h <= plan.reserve.get(page, 0.0) + 0.01 for page, need_h in need.items())
    )


def main() -> int:
    meta = tomllib.loads(META.read_text(encoding="utf-8"))
    date = dt.date.fromisoformat(meta["date"])
    # Fix the PDF's creation date to the report's date (reportlab honours SOURCE_DATE_EPOCH).
    os.environ["SOURCE_DATE_EPOCH"] = str(
        int(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp())
    )
    blocks, notes_text = parse_source(SOURCE.read_text(encoding="utf-8"))
    plan = Layout()
    for attempt in range(1, MAX_PASSES + 1):  # noqa: B007 (reported after the loop)
        data, seen, need = build(blocks, notes_text, meta, plan)
        if settled(plan, seen, need):
            break
        plan = seen
    else:
        raise SystemExit(f"layout did not settle after {MAX_PASSES} passes")
    OUT_DIR.mkdir(exist_ok=True)
    out = OUT_DIR / meta["file"]
    out.write_bytes(data)
    sidecar = OUT_DIR / (meta["file"] + ".toml")
    sidecar.write_text(
        f'title = "{meta["title"]}"\n'
        f'date = "{meta["date"]}"\n'
        f'kind = "rapport"\n'
        f'note = "{meta["note"]}"\n',
        encoding="utf-8",
    )
    print(
        f"{out.relative_to(HERE.parent.parent.parent)}: {seen.pages} pages, "
        f"{len(data):,} bytes, {attempt} passes"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
