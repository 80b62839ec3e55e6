"""The PDF reader on a typeset report: running headers, footnotes, tables, contents, bullets."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfs import Draw, page_number, write_pdf
from reportlab.pdfgen import canvas

from index.chunk import split_into_passages
from index.parse import parse_document
from index.types import ParsedDocument, Passage

TITLE = "Jaarverslag ondernemersfonds 2021"
PAGES = 7
BODY = "Helvetica"
BOLD = "Helvetica-Bold"
LEFT = 72.0
TOP = 760.0


def _text(pdf: canvas.Canvas, lines: list[str], y: float = TOP, size: float = 10) -> float:
    """Draw body lines from `y` down; return the y below the last one."""
    pdf.setFont(BODY, size)
    for line in lines:
        pdf.drawString(LEFT, y, line)
        y -= size * 1.4
    return y - 6


def _heading(pdf: canvas.Canvas, text: str, y: float, size: float = 16) -> float:
    pdf.setFont(BOLD, size)
    pdf.drawString(LEFT, y, text)
    return y - size * 1.8


def _with_superscript(pdf: canvas.Canvas, y: float, before: str, marker: str, after: str) -> None:
    """Draw one line with a raised footnote marker, as reportlab's <super> does (text rise)."""
    text = pdf.beginText(LEFT, y)
    text.setFont(BODY, 10)
    text.textOut(before)
    text.setRise(4)
    text.setFont(BODY, 6.5)
    text.textOut(marker)
    text.setRise(0)
    text.setFont(BODY, 10)
    text.textOut(after)
    pdf.drawText(text)


def _footnote(pdf: canvas.Canvas, number: int, text: str, y: float = 70) -> None:
    pdf.setFont(BODY, 7.5)
    pdf.drawString(LEFT, y, f"{number}  {text}")


def _title_page(pdf: canvas.Canvas) -> None:
    pdf.setFont(BOLD, 24)
    pdf.drawString(LEFT, 600, TITLE)
    pdf.setFont(BODY, 11)
    pdf.drawString(LEFT, 570, "Ministerie van Economische Zaken en Klimaat")


def _contents(pdf: canvas.Canvas) -> None:
    y = _heading(pdf, "Inhoud", TOP, 18)
    entries = [
        ("1 Inleiding", "3", BOLD, 0),
        ("1.1 Aanleiding", "3", BODY, 20),
        ("2 Financiering", "5", BOLD, 0),
        ("2.1 Leningen aan ondernemers", "6", BODY, 20),
        ("2.2 Werkplaatsen", "6", BODY, 20),
    ]
    for title, page, font, indent in entries:
        pdf.setFont(font, 10)
        width = 440 - indent - pdf.stringWidth(f"{title}  {page}", font, 10)
        dots = "." * int(width / pdf.stringWidth(".", font, 10))
        pdf.drawString(LEFT + indent, y, f"{title} {dots} {page}")
        y -= 16


def _chapter_one(pdf: canvas.Canvas) -> None:
    y = _heading(pdf, "1 Inleiding", TOP)
    y = _heading(pdf, "1.1 Aanleiding", y, 13)
    y = _text(pdf, ["Het fonds ondersteunt ondernemers in het mkb met leningen en advies.", ""])
    _with_superscript(pdf, y + 20, "In 2019 kwam het aantal faillissementen uit op 3.225.", "1", "")
    y = _text(
        pdf,
        [
            "De meeste bedrijven hadden toen een gezonde financiële positie en weinig schulden.",
            "Voor kleine ondernemers worden de kosten van begeleiding vaak als een drempel erva-",
        ],
        y + 6,
    )
    _footnote(pdf, 1, "Het gaat om uitgesproken faillissementen, exclusief eenmanszaken.")


def _chapter_one_end(pdf: canvas.Canvas) -> None:
    _text(pdf, ["ren. Daarom biedt het fonds sinds 2020 een gratis adviesgesprek aan."])


def _chapter_two(pdf: canvas.Canvas) -> None:
    y = _heading(pdf, "2 Financiering", TOP)
    y = _text(
        pdf, ["Ondernemers die geen lening aanvroegen, gaven daarvoor vooral twee redenen:"], y
    )
    y = _text(pdf, ["\u2022 de aanvraag was te ingewikkeld;", "\u2022 het bedrag was te laag."], y)
    pdf.setFont(BODY, 10)
    before = "Het fonds voert daarmee een actie uit het MKB-actieplan"
    pdf.drawString(LEFT, y, before)
    x = LEFT + pdf.stringWidth(before, BODY, 10)
    pdf.setFont(BODY, 6.5)  # a raised marker drawn on its own, as some word processors do
    pdf.drawString(x, y + 4, "2")
    pdf.setFont(BODY, 10)
    pdf.drawString(x + pdf.stringWidth("2", BODY, 6.5), y, " uit.")
    _footnote(pdf, 2, "Kamerstuk 32 637, nr. 316.")


def _table(pdf: canvas.Canvas, y: float) -> float:
    """Draw a table: wrapped, right-aligned header cells, "n.v.t." and a "–" sub-row."""
    pdf.setFont(BOLD, 9)
    pdf.drawString(LEFT, y, "Tabel 2.1 Leningen per regeling")
    y -= 18
    columns = [(LEFT + 3, "left"), (330.0, "right"), (450.0, "right")]
    header = [["Regeling"], ["Aantal", "leningen"], ["Bedrag", "(mln euro)"]]
    for (x, align), cell in zip(columns, header, strict=True):
        for k, part in enumerate(cell):
            pdf.setFont(BOLD, 8.5)
            draw = pdf.drawString if align == "left" else pdf.drawRightString
            draw(x, y - k * 10.5, part)
    y -= 26
    rows = [
        ["BMKB-C", "n.v.t.", "2.950"],
        ["Klein Krediet Corona", "3.860", "128"],
        ["\u2013 waarvan starters", "410", "12"],
    ]
    for row in rows:
        pdf.setFont(BODY, 8.5)
        for (x, align), value in zip(columns, row, strict=True):
            (pdf.drawString if align == "left" else pdf.drawRightString)(x, y, value)
        y -= 15.5
    pdf.setFont("Helvetica-Oblique", 7.5)
    pdf.drawString(LEFT, y, "Bron: RVO; bewerking EZK.")
    return y - 24


def _chapter_two_table(pdf: canvas.Canvas) -> None:
    y = _heading(pdf, "2.1 Leningen aan ondernemers", TOP, 13)
    y = _text(pdf, ["Tabel 2.1 laat zien hoeveel leningen het fonds per regeling verstrekte."], y)
    y = _table(pdf, y)
    _heading(pdf, "2.2 Werkplaatsen", y, 13)
    _text(
        pdf,
        [
            "Eind 2020 waren er 33 werkplaatsen. Voor het industriële mkb zijn er de regionale",
            "hubs, die ondernemers helpen bij",
        ],
        y - 24,
    )


def _chapter_two_end(pdf: canvas.Canvas) -> None:
    _text(pdf, ["robotisering en het gebruik van data.", "", "Het fonds loopt tot 2025."])


CONTENT: list[Draw] = [
    _title_page,
    _contents,
    _chapter_one,
    _chapter_one_end,
    _chapter_two,
    _chapter_two_table,
    _chapter_two_end,
]
CHAPTER_OF_PAGE = {4: "1 Inleiding", 6: "2 Financiering", 7: "2 Financiering"}


def write_jaarverslag(path: Path) -> Path:
    """Write a report with alternating running headers, as printed reports have them.

    Even pages carry the report title at the top left, odd pages the chapter title at the top
    right, chapter opening pages none; every page but the first has "Pagina n van 7".
    """

    def furniture(pdf: canvas.Canvas, number: int) -> None:
        pdf.setFont(BODY, 8)
        if number in CHAPTER_OF_PAGE and number % 2 == 0:
            pdf.drawString(LEFT, 800, TITLE)
        elif number in CHAPTER_OF_PAGE:
            pdf.drawRightString(523, 800, CHAPTER_OF_PAGE[number])
        if number > 1:
            page_number(pdf, number, PAGES)

    write_pdf(path, CONTENT, title=TITLE, furniture=furniture)
    return path


@pytest.fixture(scope="module")
def jaarverslag(tmp_path_factory: pytest.TempPathFactory) -> ParsedDocument:
    folder = tmp_path_factory.mktemp("pdf")
    return parse_document(write_jaarverslag(folder / "jaarverslag.pdf"), folder)


def blocks(doc: ParsedDocument, kind: str | None = None) -> list[str]:
    return [doc.text[b.start : b.end] for b in doc.blocks if kind is None or b.kind == kind]


def block_with(doc: ParsedDocument, fragment: str) -> str:
    return next(text for text in blocks(doc) if fragment in text)


# --- running headers and footers ------------------------------------------------------------


def test_alternating_running_headers_are_removed(jaarverslag: ParsedDocument) -> None:
    assert blocks(jaarverslag).count(TITLE) == 1  # the title page; not the headers of pp. 4, 6
    assert jaarverslag.blocks[0].kind == "heading"
    assert blocks(jaarverslag).count("2 Financiering") == 1  # the chapter; not the header of p. 7
    assert "Pagina" not in jaarverslag.text


def test_paragraph_runs_on_below_a_running_header(jaarverslag: ParsedDocument) -> None:
    paragraph = block_with(jaarverslag, "Eind 2020 waren er 33 werkplaatsen.")
    assert paragraph.endswith(
        "hubs, die ondernemers helpen bij robotisering en het gebruik van data."
    )
    assert jaarverslag.page_at(jaarverslag.text.index("robotisering")) == 7


# --- footnotes ------------------------------------------------------------------------------


def test_raised_footnote_markers_are_removed_also_after_a_number(
    jaarverslag: ParsedDocument,
) -> None:
    text = jaarverslag.text
    assert "faillissementen uit op 3.225. De meeste bedrijven" in text
    assert "het MKB-actieplan uit." in text  # a marker drawn on its own, raised
    for marked in ("3.225.1", "actieplan2"):
        assert marked not in text
    paragraphs = blocks(jaarverslag, "paragraph")
    assert "Het gaat om uitgesproken faillissementen, exclusief eenmanszaken." in paragraphs
    assert "Kamerstuk 32 637, nr. 316." in paragraphs


def test_word_hyphenated_over_a_page_break_is_joined(jaarverslag: ParsedDocument) -> None:
    paragraph = block_with(jaarverslag, "Voor kleine ondernemers")
    assert "vaak als een drempel ervaren. Daarom biedt het fonds" in paragraph
    assert jaarverslag.page_at(jaarverslag.text.index("ren. Daarom")) == 4


# --- tables ---------------------------------------------------------------------------------


def test_table_rows_come_out_whole_one_line_each(jaarverslag: ParsedDocument) -> None:
    assert blocks(jaarverslag, "table") == [
        "Regeling Aantal leningen Bedrag (mln euro)\n"
        "BMKB-C n.v.t. 2.950\n"
        "Klein Krediet Corona 3.860 128\n"
        "\u2013 waarvan starters 410 12"
    ]
    assert "Tabel 2.1 Leningen per regeling" in blocks(jaarverslag, "heading") + blocks(
        jaarverslag, "paragraph"
    )
    assert "Bron: RVO; bewerking EZK." in blocks(jaarverslag, "paragraph")
    assert not any("waarvan" in item for item in blocks(jaarverslag, "list"))


# --- table of contents ----------------------------------------------------------------------


def test_table_of_contents_is_left_out(jaarverslag: ParsedDocument) -> None:
    assert "...." not in jaarverslag.text
    assert "Inhoud" not in blocks(jaarverslag)
    assert blocks(jaarverslag, "heading")[1:3] == ["1 Inleiding", "1.1 Aanleiding"]
    assert blocks(jaarverslag).count("2.2 Werkplaatsen") == 1


# --- lists ----------------------------------------------------------------------------------


def test_bullets_of_the_standard_fonts_make_list_items(jaarverslag: ParsedDocument) -> None:
    assert "\u2022 de aanvraag was te ingewikkeld;\n\u2022 het bedrag was te laag." in blocks(
        jaarverslag, "list"
    )
    assert block_with(jaarverslag, "twee redenen").endswith("vooral twee redenen:")


# --- title page -----------------------------------------------------------------------------

SUBTITLE = "Gebruik en bereik van de steunregelingen, 2019-2021"


def _report_opening(path: Path, first_page: Draw, title: str | None = None) -> ParsedDocument:
    """Write a report of `first_page`, a colophon, and two chapters, declaring `title`; parse
    it."""

    def colophon(pdf: canvas.Canvas) -> None:
        _text(
            pdf,
            ["Colofon", "Uitgave van het ministerie van EZK, Den Haag, oktober 2021."],
            300,
            8.5,
        )

    def chapter_one(pdf: canvas.Canvas) -> None:
        y = _heading(pdf, "1 Inleiding", TOP, 16)
        _text(pdf, ["Het mkb vormt de ruggengraat van de Nederlandse economie."], y)

    def chapter_two(pdf: canvas.Canvas) -> None:
        y = _heading(pdf, "2 Financiering", TOP, 16)
        _text(pdf, ["Banken bleven krediet verlenen aan het mkb."], y)

    write_pdf(path, [first_page, colophon, chapter_one, chapter_two], title=title)
    return parse_document(path, path.parent)


def _cover(pdf: canvas.Canvas) -> None:
    """A title page: the title, a subtitle set larger than the chapters' headings, a date."""
    _heading(pdf, "Monitor coronasteun mkb", 600, 28)
    _heading(pdf, SUBTITLE, 550, 18)
    _text(pdf, ["Ministerie van Economische Zaken en Klimaat", "28 oktober 2021"], 250)


def _first_chapter_opening(pdf: canvas.Canvas) -> None:
    """No title page: the title, then a chapter in the style of the later chapters."""
    y = _heading(pdf, "Monitor coronasteun mkb", TOP, 28)
    y = _heading(pdf, "Samenvatting", y, 16)
    _text(pdf, ["De steun kwam terecht waar de schade het grootst was."], y)


def section_of(passages: list[Passage], fragment: str) -> tuple[str, ...]:
    return next(p.section for p in passages if fragment in p.text)


def test_a_title_page_is_a_closed_unit(tmp_path: Path) -> None:
    """The subtitle, set larger than the chapters' headings, would have governed the colophon
    and every chapter, and the title page's last line ran on into the colophon. The title page
    is a closed unit: its headings govern it only, and its text ends with it."""
    doc = _report_opening(tmp_path / "monitor.pdf", _cover)
    passages = split_into_passages(doc)
    assert doc.meta.title == "Monitor coronasteun mkb"  # the title is still its first heading
    assert section_of(passages, "28 oktober 2021") == (SUBTITLE,)
    assert "Colofon" not in next(p.text for p in passages if "28 oktober 2021" in p.text)
    assert section_of(passages, "Colofon") == ()
    assert section_of(passages, "ruggengraat") == ("1 Inleiding",)
    assert section_of(passages, "Banken bleven") == ("2 Financiering",)


def test_a_first_page_with_a_chapter_is_no_title_page(tmp_path: Path) -> None:
    """A first page that opens a chapter in the style of the later ones is no title page: its
    chapter goes on over the page break."""
    passages = split_into_passages(
        _report_opening(tmp_path / "monitor.pdf", _first_chapter_opening)
    )
    assert section_of(passages, "Colofon") == ("Samenvatting",)
    assert section_of(passages, "ruggengraat") == ("1 Inleiding",)


def _first_text_page(pdf: canvas.Canvas) -> None:
    """An ordinary first page: a title, two sections in body text, the last paragraph cut by
    the page end in the middle of a sentence."""
    y = _heading(pdf, "Handreiking personeel in dienst", TOP, 20)
    y = _heading(pdf, "Loon doorbetalen bij ziekte", y, 14)
    y = _text(
        pdf,
        [
            "Wordt een werknemer ziek, dan betaalt u als werkgever het loon door gedurende",
            "ten hoogste twee jaar. In het eerste jaar is dat ten minste 70 procent van het",
            "laatstverdiende loon, en nooit minder dan het wettelijk minimumloon.",
        ],
        y,
    )
    y = _heading(pdf, "Re-integratie van de zieke werknemer", y, 14)
    _text(
        pdf,
        [
            "Samen met de bedrijfsarts maakt u binnen acht weken een plan van aanpak voor de",
            "terugkeer van de werknemer. U legt de afspraken vast in het re-integratiedossier",
            "en u bespreekt de voortgang ten minste eens in de zes weken met de werknemer, die",
        ],
        y,
    )


def _subheadings_page(pdf: canvas.Canvas) -> None:
    """A second page that goes on with the paragraph of page 1, then has bold subheadings in
    body size only."""
    y = _text(pdf, ["zelf ook verplicht is om mee te werken aan zijn herstel."], TOP)
    y = _heading(pdf, "Eerstejaarsevaluatie", y, 10)
    _text(pdf, ["Na een jaar ziekte evalueert u met de werknemer de voortgang."], y)


def test_an_ordinary_first_page_is_no_title_page(tmp_path: Path) -> None:
    """An ordinary first page has no heading style that recurs on a page that only has bold
    subheadings, as a title page has not; but it is set in body type and its last paragraph
    runs on. It is no closed unit: the paragraph goes on over the page break, under its
    section."""
    path = tmp_path / "handreiking.pdf"
    write_pdf(path, [_first_text_page, _subheadings_page])
    passages = split_into_passages(parse_document(path, tmp_path))
    section = ("Re-integratie van de zieke werknemer",)  # the title is the document's title
    assert section_of(passages, "zelf ook verplicht") == section
    assert "met de werknemer, die zelf ook verplicht" in passage_text(passages, "zelf ook")
    assert section_of(passages, "Na een jaar") == (*section, "Eerstejaarsevaluatie")


def passage_text(passages: list[Passage], fragment: str) -> str:
    return next(p.text for p in passages if fragment in p.text)


def _title_and_subtitle_over_a_summary(pdf: canvas.Canvas) -> None:
    """No title page: the title, a subtitle set larger than the chapters' headings right under
    it, then a summary in the style of the later chapters."""
    y = _heading(pdf, "Monitor coronasteun mkb", TOP, 28)
    y = _heading(pdf, SUBTITLE, y, 18)
    y = _heading(pdf, "Samenvatting", y, 16)
    _text(pdf, ["De steun kwam terecht waar de schade het grootst was."], y)


def _title_and_subtitle_over_text(pdf: canvas.Canvas) -> None:
    """No title page: the title, a subtitle right under it, then an introduction in body text
    that runs on to the next page."""
    y = _heading(pdf, "Monitor coronasteun mkb", TOP, 28)
    y = _heading(pdf, SUBTITLE, y, 18)
    _text(pdf, ["Deze monitor beschrijft het gebruik en het bereik van de steun aan het mkb in"], y)


@pytest.mark.parametrize(
    ("first_page", "opening"),
    [
        (_title_and_subtitle_over_a_summary, ("Samenvatting",)),
        (_title_and_subtitle_over_text, ()),
    ],
)
def test_a_subtitle_right_under_the_title_governs_no_section(
    tmp_path: Path, first_page: Draw, opening: tuple[str, ...]
) -> None:
    """A report without a title page opens with its title and, right under it, a subtitle set
    larger than the chapters' headings. Taken for a heading of higher rank, the subtitle
    governed every passage of the report. It belongs with the title: it names the document,
    not a part of it."""
    doc = _report_opening(tmp_path / "monitor.pdf", first_page)
    passages = split_into_passages(doc)
    assert doc.meta.title == "Monitor coronasteun mkb"
    assert SUBTITLE in passages[0].text  # still found, in the opening passage
    assert section_of(passages, "Colofon") == opening
    assert section_of(passages, "ruggengraat") == ("1 Inleiding",)
    assert section_of(passages, "Banken bleven") == ("2 Financiering",)


@pytest.mark.parametrize(
    "declared", ["Microsoft Word - rapport_def.docx", "Sjabloon rapportage EZK", "Rapport def"]
)
@pytest.mark.parametrize(
    ("first_page", "opening"),
    [
        (_title_and_subtitle_over_a_summary, ("Samenvatting",)),
        (_title_and_subtitle_over_text, ()),
    ],
)
def test_a_title_block_under_another_declared_title_governs_no_section(
    tmp_path: Path, first_page: Draw, opening: tuple[str, ...], declared: str
) -> None:
    """A file may declare a title that is not the one printed on it: a file name, or the title
    of the template it was made from. The title and subtitle opening its first page, without
    section numbers, are its title block still, and govern no section."""
    passages = split_into_passages(_report_opening(tmp_path / "monitor.pdf", first_page, declared))
    assert section_of(passages, "Colofon") == opening
    assert section_of(passages, "ruggengraat") == ("1 Inleiding",)
    assert section_of(passages, "Banken bleven") == ("2 Financiering",)


def _excerpt_opening(pdf: canvas.Canvas) -> None:
    """A chapter and a section opening an excerpt of a report, the only ones of their rank."""
    y = _heading(pdf, "3 Garanties", TOP, 16)
    y = _heading(pdf, "3.3 Klein Krediet Corona", y, 13)
    _text(
        pdf, ["Voor kleine ondernemers is in 2020 de regeling Klein Krediet Corona ingevoerd."], y
    )


def _excerpt_minor_heading(pdf: canvas.Canvas) -> None:
    y = _heading(pdf, "Voorwaarden", TOP, 10)
    _text(pdf, ["Een lening bedraagt ten hoogste 50.000 euro."], y)


@pytest.mark.parametrize(
    ("declared", "section"),
    [
        ("Monitor coronasteun mkb", ("3 Garanties", "3.3 Klein Krediet Corona")),
        (None, ("3.3 Klein Krediet Corona",)),  # the chapter is the title the file lacks
    ],
)
def test_a_chapter_opening_an_excerpt_is_no_title_block(
    tmp_path: Path, declared: str | None, section: tuple[str, ...]
) -> None:
    """A chapter and its section, opening an excerpt of a report, are no title and subtitle:
    their section numbers show it, whether the file declares the report's title or none. They
    govern the excerpt."""
    path = tmp_path / "kkc.pdf"
    write_pdf(path, [_excerpt_opening, _excerpt_minor_heading], title=declared)
    passages = split_into_passages(parse_document(path, tmp_path))
    assert section_of(passages, "Voor kleine ondernemers") == section
    assert section_of(passages, "ten hoogste 50.000 euro") == (*section, "Voorwaarden")
