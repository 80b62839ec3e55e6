"""Boxes in PDF reports and web pages: a shaded or framed area, or a callout <aside>, with a
heading of its own is a closed unit."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pdfs import Draw, page_number, write_pdf
from pypdf.generic import NameObject
from reportlab.pdfgen import canvas

from index.boxes import mark_boxes, number_boxes
from index.chunk import split_into_passages
from index.lines import Line
from index.painting import MAX_BOX_TESTS, MAX_FRAME_LINES, PaintedAreas
from index.paragraphs import assemble
from index.parse import parse_document
from index.records import document_from_record, document_to_record
from index.textbuild import TextBuilder
from index.titlepage import title_page_length
from index.types import ParsedDocument, Passage

BODY = "Helvetica"
BOLD = "Helvetica-Bold"
LEFT = 72.0
WIDTH = 451.0
TOP = 760.0
PAGES = 5
SHADE = (0.91, 0.93, 0.96)
CHAPTER_3 = "3 Garanties"
KKC = "3.3 Klein Krediet Corona"
FIETSENZAAK = "Kader 3.1 Praktijkvoorbeeld: een fietsenzaak met een KKC-lening (fictief)"
GARANTIE = "Kader 3.2 Zo werkt de garantie"
REKENVOORBEELD = "Een rekenvoorbeeld"
CHAPTER_4 = "4 Tegemoetkomingen"
NOW = "4.1 NOW"


def _text(
    pdf: canvas.Canvas, lines: list[str], y: float, x: float = LEFT, size: float = 10
) -> float:
    """Draw lines from `y` down; return the y below them."""
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(BODY, size)
    for line in lines:
        pdf.drawString(x, y, line)
        y -= size * 1.4
    return y - 8


def _heading(pdf: canvas.Canvas, text: str, y: float, size: float, x: float = LEFT) -> float:
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(BOLD, size)
    pdf.drawString(x, y, text)
    return y - size * 1.8


def _area(pdf: canvas.Canvas, top: float, bottom: float, *, fill: tuple[float, ...] | None) -> None:
    """Paint a rectangle over the text column: filled in `fill`, or framed when None."""
    if fill is None:
        pdf.setStrokeColorRGB(0.1, 0.25, 0.45)
        pdf.rect(LEFT - 6, bottom, WIDTH + 12, top - bottom, stroke=1, fill=0)
    else:
        pdf.setFillColorRGB(*fill)
        pdf.rect(LEFT - 6, bottom, WIDTH + 12, top - bottom, stroke=0, fill=1)


def _box(
    pdf: canvas.Canvas,
    y: float,
    title: str,
    lines: list[str],
    fill: tuple[float, ...] | None,
    size: float = 9.5,
) -> float:
    """Draw a box as reports set them: its area, a bold heading (of `size`) and smaller,
    indented text."""
    height = 20.5 + size + len(lines) * 12.6
    _area(pdf, y + 4.5 + size, y - height, fill=fill)
    below = _heading(pdf, title, y, size, LEFT + 10)
    _text(pdf, lines, below, LEFT + 10, 9)
    return y - height - 24


def _page_kkc(pdf: canvas.Canvas) -> None:
    """A chapter heading on a band, a body paragraph with a footnote marker, a shaded box,
    the paragraph after it and the footnote at the bottom of the page."""
    pdf.setFillColorRGB(0.1, 0.25, 0.45)
    pdf.rect(LEFT - 6, TOP - 8, WIDTH + 12, 30, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont(BOLD, 16)
    pdf.drawString(LEFT, TOP, CHAPTER_3)
    y = _heading(pdf, KKC, TOP - 40, 13)
    y = _text(
        pdf, ["Voor kleine ondernemers is in 2020 de garantieregeling Klein Krediet Corona"], y
    )
    text = pdf.beginText(LEFT, y + 8)
    text.setFont(BODY, 10)
    text.textOut("ingevoerd. De looptijd van een lening bedraagt ten hoogste vijf jaar.")
    text.setRise(4)
    text.setFont(BODY, 6.5)
    text.textOut("1")
    pdf.drawText(text)
    y = _text(
        pdf,
        [
            "Het gebruik van de regeling is ver achtergebleven bij de verwachtingen van het",
            "kabinet. Tot en met september 2021 zijn in totaal 6.270 leningen verstrekt.",
        ],
        y - 14,
    )
    y = _box(
        pdf,
        y - 10,
        FIETSENZAAK,
        [
            "Een fietsenzaak met vier medewerkers zag in 2020 de vraag naar nieuwe fietsen sterk",
            "toenemen. Via zijn bank sloot de eigenaar een lening van 40.000 euro af.",
        ],
        SHADE,
    )
    _text(
        pdf,
        [
            "Sinds oktober 2020 mag een ondernemer de regeling meer dan eens gebruiken, zolang",
            "het totaal van de leningen niet boven de 50.000 euro uitkomt.",
        ],
        y,
    )
    pdf.setFont(BODY, 7.5)
    pdf.drawString(
        LEFT, 70, "1  De financier mag over zo'n lening ten hoogste 4 procent rente rekenen."
    )


def _page_garantie(pdf: canvas.Canvas) -> None:
    """A framed box, the text after it, and an area painted white around a bold heading."""
    y = _text(pdf, ["Banken vonden de administratieve lasten van kleine leningen hoog."], TOP)
    y = _box(
        pdf,
        y - 10,
        GARANTIE,
        [
            "De overheid staat voor 95 procent van de lening garant. Kan de ondernemer niet",
            "terugbetalen, dan vergoedt de overheid dat deel van het verlies aan de bank.",
        ],
        None,
    )
    y = _text(pdf, ["Na afloop van de looptijd vervalt de garantie van rechtswege."], y)
    y = _box(
        pdf,
        y - 10,
        REKENVOORBEELD,
        ["Bij een lening van 40.000 euro staat de overheid garant voor 38.000 euro."],
        (1, 1, 1),
    )
    _text(pdf, ["Wie meer wil weten, kan terecht bij de eigen bank van de ondernemer."], y)


def _page_chapter_four(pdf: canvas.Canvas) -> None:
    """A chapter that opens on a shaded area with its introduction, and text below it."""
    _area(pdf, TOP + 24, TOP - 60, fill=SHADE)
    y = _heading(pdf, CHAPTER_4, TOP, 16)
    _text(pdf, ["Dit hoofdstuk beschrijft de tegemoetkomingen voor werkgevers."], y)
    _text(
        pdf,
        [
            "Werkgevers met een omzetverlies van ten minste 20 procent konden een bijdrage in de",
            "loonkosten aanvragen bij het UWV, voor drie maanden tegelijk.",
        ],
        TOP - 90,
    )


def _page_now(pdf: canvas.Canvas) -> None:
    """A page in a background colour: the page is no box."""
    _area(pdf, 842, 0, fill=(0.98, 0.96, 0.9))
    y = _heading(pdf, NOW, TOP, 13)
    _text(pdf, ["De NOW vergoedt een deel van de loonkosten van werkgevers met omzetverlies."], y)


def _page_now_end(pdf: canvas.Canvas) -> None:
    _text(pdf, ["De vaststelling van de NOW kon tot en met oktober 2021 worden aangevraagd."], TOP)


CONTENT: list[Draw] = [_page_kkc, _page_garantie, _page_chapter_four, _page_now, _page_now_end]


def write_kaders(path: Path) -> Path:
    """Write a report with boxes, and with areas that are no boxes, one situation a page."""
    write_pdf(
        path,
        CONTENT,
        title="Monitor coronasteun met kaders",
        furniture=lambda pdf, number: page_number(pdf, number, PAGES),
    )
    return path


@pytest.fixture(scope="module")
def kaders(tmp_path_factory: pytest.TempPathFactory) -> ParsedDocument:
    folder = tmp_path_factory.mktemp("kaders")
    return parse_document(write_kaders(folder / "kaders.pdf"), folder)


@pytest.fixture(scope="module")
def passages(kaders: ParsedDocument) -> list[Passage]:
    return split_into_passages(kaders)


def section_of(passages: list[Passage], fragment: str) -> tuple[str, ...]:
    return next(p.section for p in passages if fragment in p.text)


def passage_with(passages: list[Passage], fragment: str) -> str:
    return next(p.text for p in passages if fragment in p.text)


def test_a_box_heading_governs_the_box(passages: list[Passage]) -> None:
    assert section_of(passages, "Een fietsenzaak") == (CHAPTER_3, KKC, FIETSENZAAK)
    assert section_of(passages, "95 procent") == (CHAPTER_3, KKC, GARANTIE)  # a framed box


def test_text_after_a_box_belongs_to_the_section_around_it(passages: list[Passage]) -> None:
    assert section_of(passages, "Sinds oktober 2020") == (CHAPTER_3, KKC)
    assert section_of(passages, "Na afloop van de looptijd") == (CHAPTER_3, KKC)
    assert "Sinds oktober 2020" not in passage_with(passages, "Een fietsenzaak")


def test_a_footnote_below_a_box_is_no_part_of_it(
    kaders: ParsedDocument, passages: list[Passage]
) -> None:
    note = "De financier mag over zo'n lening ten hoogste 4 procent rente rekenen."
    assert note not in passage_with(passages, "Een fietsenzaak")
    assert section_of(passages, note) == (CHAPTER_3, KKC)
    (link,) = kaders.notes
    assert kaders.text[link.start : link.end] == note
    assert kaders.text[: link.ref].endswith("ten hoogste vijf jaar.")


def test_a_heading_on_a_band_of_its_own_governs_what_follows(passages: list[Passage]) -> None:
    assert section_of(passages, "Voor kleine ondernemers") == (CHAPTER_3, KKC)


def test_a_chapter_opening_on_a_shaded_area_is_no_box(passages: list[Passage]) -> None:
    assert section_of(passages, "Werkgevers met een omzetverlies") == (CHAPTER_4,)


def test_a_page_background_is_no_box(passages: list[Passage]) -> None:
    assert section_of(passages, "De vaststelling van de NOW") == (CHAPTER_4, NOW)


def test_an_area_painted_white_does_not_show_and_is_no_box(kaders: ParsedDocument) -> None:
    assert not any(b.box for b in kaders.blocks if "rekenvoorbeeld" in kaders.text[b.start : b.end])
    assert len({b.box for b in kaders.blocks if b.box}) == 2


def test_boxes_survive_the_index_records(kaders: ParsedDocument) -> None:
    record = json.loads(json.dumps(document_to_record(kaders)))
    assert document_from_record(record) == kaders
    record["blocks"] = [fields[:4] for fields in record["blocks"]]  # an index of reader 9
    assert not any(b.box for b in document_from_record(record).blocks)


def test_a_page_of_too_many_rectangles_is_read_without_boxes() -> None:
    lines = [Line("Kader 1", x=10, y=10), Line("Pagina 1", x=500, y=500)]
    assert [line.box for line in mark_boxes(lines, [(0, 0, 100, 100)])] == [1, 0]
    many = [(0.0, 0.0, 100.0, 100.0)] * (MAX_BOX_TESTS // len(lines) + 1)
    assert [line.box for line in mark_boxes(lines, many)] == [0, 0]


def test_a_box_goes_on_over_a_page_break() -> None:
    lines = [
        Line("2.1 Leningen", page=0, level=2),
        Line("Kader 2.1 Voorbeeld", page=0, level=3, box=2),
        Line("Een ondernemer leent", page=0, box=2),
        Line("40.000 euro.", page=1, box=1),
        Line("Het fonds loopt tot 2025.", page=1),
        Line("Kader 2.2 Nog een voorbeeld", page=1, level=3, box=3),
        Line("Een tweede ondernemer leent.", page=1, box=3),
    ]
    assert [line.box for line in number_boxes(lines)] == [0, 1, 1, 1, 0, 2, 2]


def test_a_paragraph_does_not_run_out_of_a_box() -> None:
    builder = TextBuilder()
    lines = [
        Line("Kader 2.1 Voorbeeld", level=3, box=1),
        Line("Een ondernemer leent 40.000 euro van", box=1),
        Line("de bank, en het fonds staat voor de rest garant.", box=1),
        Line("en loopt tot 2025, zo besloot het kabinet.", box=0),
    ]
    assemble(lines, [], builder)
    content = builder.build()
    assert [(b.kind, b.box, content.text[b.start : b.end][:10]) for b in content.blocks] == [
        ("heading", 1, "Kader 2.1 "),
        ("paragraph", 1, "Een ondern"),
        ("paragraph", 0, "en loopt t"),
    ]


def _cover_lines(last: str, end: float) -> list[Line]:
    """A first page in display type whose last text line is `last`, ending at `end`; then a
    page of subheadings."""
    return [
        Line("Monitor coronasteun mkb", page=0, size=28, level=1, x=72, end=400),
        Line("Gebruik en bereik van de regelingen", page=0, size=18, level=2, x=72, end=400),
        Line("Ministerie van Economische Zaken en Klimaat", page=0, size=10, x=72, end=300),
        Line(last, page=0, size=10, x=72, end=end),
        Line("voorwaarden van de regeling.", page=1, size=10, x=72, end=200),
        Line("Colofon", page=1, size=10, level=3, x=72, end=120),
        Line("Uitgave van het ministerie.", page=1, size=10, x=72, end=200),
    ]


def test_a_first_page_whose_last_line_runs_on_is_no_title_page() -> None:
    """A line that stops short of the widest line by more than the next page's first word was
    broken by the writer: the page may be a title page. A full line without a sentence end
    runs on into the next page: the page is no closed unit."""
    assert title_page_length(_cover_lines("28 oktober 2021", 150)) == 4
    assert title_page_length(_cover_lines("Deze monitor beschrijft het gebruik en de", 300)) == 0
    assert title_page_length(_cover_lines("Deze monitor is een testtekst, geen beleid.", 300)) == 4


def _page_section_opening_on_a_box(pdf: canvas.Canvas) -> None:
    """A chapter and a section whose first text is a box; the section's text after it."""
    y = _heading(pdf, CHAPTER_4, TOP, 16)
    y = _heading(pdf, NOW, y, 13)
    y = _box(
        pdf,
        y - 10,
        GARANTIE,
        ["Het UWV betaalt een voorschot van 80 procent van de verwachte tegemoetkoming."],
        SHADE,
    )
    _text(
        pdf,
        [
            "Werkgevers met ten minste 20 procent omzetverlies kregen een tegemoetkoming in de",
            "loonkosten. Zij vroegen die aan bij het UWV, in aanvraagperiodes van drie maanden.",
        ],
        y,
    )


def test_headings_right_before_a_box_make_no_passage_of_their_own(tmp_path: Path) -> None:
    """A section that opens with a box gave a passage of its headings alone: no content, yet
    retrieved and cited. The headings open the box's passage; they govern the text after the
    box, and the box is nested in their section."""
    path = tmp_path / "now.pdf"
    # the title is set so that the chapter heading is no title
    write_pdf(path, [_page_section_opening_on_a_box], title="Monitor coronasteun")
    doc = parse_document(path, tmp_path)
    passages = assert_no_headings_alone(doc, split_into_passages(doc))
    assert section_of(passages, "voorschot van 80 procent") == (CHAPTER_4, NOW, GARANTIE)
    assert passage_with(passages, "voorschot van 80 procent").startswith(CHAPTER_4)
    assert section_of(passages, "Werkgevers met ten minste") == (CHAPTER_4, NOW)


def assert_no_headings_alone(doc: ParsedDocument, passages: list[Passage]) -> list[Passage]:
    """Check that every passage holds more than headings; return the passages."""
    headings = {doc.text[b.start : b.end].strip() for b in doc.blocks if b.kind == "heading"}
    for passage in passages:
        lines = {line.strip() for line in passage.text.split("\n") if line.strip()}
        assert not lines <= headings, passage.text
    return passages


LARGE_BOX = "Voorbeeld: een bakkerij vraagt de NOW aan"


def _page_box_with_a_large_heading(pdf: canvas.Canvas) -> None:
    """A section, and in it a shaded box whose heading is set larger than the section's."""
    y = _heading(pdf, CHAPTER_4, TOP, 16)
    y = _heading(pdf, NOW, y, 13)
    y = _text(
        pdf,
        [
            "Werkgevers met ten minste 20 procent omzetverlies kregen een tegemoetkoming in de",
            "loonkosten. Zij vroegen die aan bij het UWV, in aanvraagperiodes van drie maanden.",
        ],
        y,
    )
    y = _box(
        pdf,
        y - 10,
        LARGE_BOX,
        ["Een bakkerij met tien medewerkers verloor in 2020 de helft van haar omzet."],
        SHADE,
        size=14,
    )
    _text(pdf, ["Het UWV betaalde een voorschot van 80 procent van de tegemoetkoming."], y)


def _page_next_section(pdf: canvas.Canvas) -> None:
    y = _heading(pdf, "4.2 TVL", TOP, 13)
    _text(pdf, ["De TVL vergoedt een deel van de vaste lasten van getroffen ondernemers."], y)


def test_a_box_with_a_heading_larger_than_its_section_s_is_a_box(tmp_path: Path) -> None:
    """A box's heading may be set larger than the heading of the section it stands in. Set in
    a style that no heading of the running text has, it is still a box's heading: it governs
    the box only, nested in the section, and the section goes on after it."""
    path = tmp_path / "now.pdf"
    write_pdf(path, [_page_box_with_a_large_heading, _page_next_section], title="Monitor")
    passages = split_into_passages(parse_document(path, tmp_path))
    assert section_of(passages, "Een bakkerij") == (CHAPTER_4, NOW, LARGE_BOX)
    assert section_of(passages, "voorschot van 80 procent") == (CHAPTER_4, NOW)
    assert "voorschot van 80 procent" not in passage_with(passages, "Een bakkerij")
    assert section_of(passages, "De TVL vergoedt") == (CHAPTER_4, "4.2 TVL")


def test_an_area_opening_a_chapter_in_a_style_of_its_own_is_no_box() -> None:
    """A chapter that opens on a coloured page, in type that no heading of the running text
    has (the report's only chapter in it), ranks above every heading before it: it is no box
    nested in their section. A box heading of such a style ranks below the outermost."""
    lines = [
        Line("1.1 Aanleiding", page=0, level=3),
        Line("De monitor verschijnt elk jaar.", page=0),
        Line("2 Financiering", page=1, level=1, box=1),
        Line("Dit hoofdstuk gaat over leningen.", page=1, box=1),
        Line("2.1 Leningen", page=1, level=3),
        Line("Kader 2.1 Voorbeeld", page=1, level=2, box=2),
        Line("Een ondernemer leent.", page=1, box=2),
    ]
    assert [line.box for line in number_boxes(lines)] == [0, 0, 0, 0, 0, 1, 1]


def _four_lines(pdf: canvas.Canvas, x0: float, y0: float, x1: float, y1: float) -> None:
    """Frame a rectangle by four separate lines, one path each."""
    for start, end in [((x0, y1), (x1, y1)), ((x1, y1), (x1, y0)), ((x1, y0), (x0, y0))]:
        pdf.line(*start, *end)
    pdf.line(x0, y0, x0, y1)


def _rectangle_path(
    pdf: canvas.Canvas, x0: float, y0: float, x1: float, y1: float, *, fill: bool
) -> None:
    """Draw a rectangle as one path of three lines, closed by the fourth: stroked, or filled."""
    path = pdf.beginPath()
    path.moveTo(x0, y0)
    for x, y in [(x1, y0), (x1, y1), (x0, y1)]:
        path.lineTo(x, y)
    path.close()
    pdf.drawPath(path, stroke=0 if fill else 1, fill=1 if fill else 0)


def _closed_path(pdf: canvas.Canvas, x0: float, y0: float, x1: float, y1: float) -> None:
    """Frame a rectangle by one path of three lines, closed by the fourth."""
    _rectangle_path(pdf, x0, y0, x1, y1, fill=False)


def _thick_overshooting_lines(
    pdf: canvas.Canvas, x0: float, y0: float, x1: float, y1: float
) -> None:
    """Frame a rectangle by four thick lines, the top and bottom ones reaching half their
    width beyond the sides, as drawing programs join them."""
    pdf.setLineWidth(3)
    half = 1.5
    pdf.line(x0 - half, y1, x1 + half, y1)
    pdf.line(x0 - half, y0, x1 + half, y0)
    pdf.line(x0, y0, x0, y1)
    pdf.line(x1, y0, x1, y1)
    pdf.setLineWidth(1)


def _page_with_a_frame_of_lines(frame: Callable[..., None]) -> Draw:
    def draw(pdf: canvas.Canvas) -> None:
        """A section, a box framed by lines around its heading and text, the text after it."""
        y = _heading(pdf, CHAPTER_3, TOP, 16)
        y = _heading(pdf, KKC, y, 13)
        y = _text(pdf, ["Voor kleine ondernemers is in 2020 de regeling ingevoerd."], y)
        pdf.setStrokeColorRGB(0.1, 0.25, 0.45)
        frame(pdf, LEFT - 6, y - 50, LEFT + WIDTH + 6, y + 14)
        below = _heading(pdf, FIETSENZAAK, y, 9.5, LEFT + 10)
        _text(pdf, ["Een fietsenzaak sloot via zijn bank een lening af."], below, LEFT + 10, 9)
        _text(pdf, ["Sinds oktober 2020 mag een ondernemer de regeling vaker gebruiken."], y - 70)

    return draw


@pytest.mark.parametrize("frame", [_four_lines, _closed_path, _thick_overshooting_lines])
def test_a_box_framed_by_four_lines_is_a_box(tmp_path: Path, frame: Callable[..., None]) -> None:
    """A frame drawn as four lines, in one path or in four, is a frame as a stroked rectangle
    is: where the lines' ends meet, to within their width."""
    path = tmp_path / "kkc.pdf"
    write_pdf(path, [_page_with_a_frame_of_lines(frame)], title="Monitor")
    passages = split_into_passages(parse_document(path, tmp_path))
    assert section_of(passages, "Een fietsenzaak") == (CHAPTER_3, KKC, FIETSENZAAK)
    assert section_of(passages, "Sinds oktober 2020") == (CHAPTER_3, KKC)


def _filled_polygon(pdf: canvas.Canvas, x0: float, y0: float, x1: float, y1: float) -> None:
    """Shade a rectangle filled as a path of four lines, as drawing programs export areas."""
    pdf.setFillColorRGB(*SHADE)
    _rectangle_path(pdf, x0, y0, x1, y1, fill=True)


def _shaded_rounded(pdf: canvas.Canvas, x0: float, y0: float, x1: float, y1: float) -> None:
    """Shade a rectangle with rounded corners (Bézier curves)."""
    pdf.setFillColorRGB(*SHADE)
    pdf.roundRect(x0, y0, x1 - x0, y1 - y0, 8, stroke=0, fill=1)


def _framed_rounded(pdf: canvas.Canvas, x0: float, y0: float, x1: float, y1: float) -> None:
    """Frame a rectangle with rounded corners (Bézier curves)."""
    pdf.roundRect(x0, y0, x1 - x0, y1 - y0, 8, stroke=1, fill=0)


@pytest.mark.parametrize("area", [_filled_polygon, _shaded_rounded, _framed_rounded])
def test_a_box_painted_as_a_path_around_it_is_a_box(
    tmp_path: Path, area: Callable[..., None]
) -> None:
    """A shaded area filled as a path of lines, and a frame or shading with rounded corners,
    mark a box as a painted rectangle does: a path that runs along the sides of its bounding
    box, rounding its corners or not, covers that box."""
    path = tmp_path / "kkc.pdf"
    write_pdf(path, [_page_with_a_frame_of_lines(area)], title="Monitor")
    passages = split_into_passages(parse_document(path, tmp_path))
    assert section_of(passages, "Een fietsenzaak") == (CHAPTER_3, KKC, FIETSENZAAK)
    assert section_of(passages, "Sinds oktober 2020") == (CHAPTER_3, KKC)


def _fill_path(areas: PaintedAreas, start: tuple[float, float], *pieces: list[float]) -> None:
    """Fill a path in grey from `start` through `pieces`: a line (2 numbers) or a curve (6)."""
    areas.operator(b"g", [0.9], IDENTITY)
    areas.operator(b"m", list(start), IDENTITY)
    for piece in pieces:
        areas.operator(b"l" if len(piece) == 2 else b"c", piece, IDENTITY)
    areas.operator(b"h", [], IDENTITY)
    areas.operator(b"f", [], IDENTITY)


def test_a_path_that_does_not_run_along_its_bounding_box_is_no_box() -> None:
    """A triangle, a slanted four-sided path, a circle of curves only and a bar with round
    ends (a pill) do not cover their bounding boxes: they are no boxes. A rectangle is."""
    k = 0.5523 * 50  # control point offset of a quarter circle of radius 50
    shapes: list[tuple[tuple[float, float], list[list[float]]]] = [
        ((0, 0), [[100, 0], [0, 100]]),
        ((0, 0), [[100, 10], [100, 100], [0, 90]]),
        (
            (50, 0),
            [
                [50 + k, 0, 100, 50 - k, 100, 50],
                [100, 50 + k, 50 + k, 100, 50, 100],
                [50 - k, 100, 0, 50 + k, 0, 50],
                [0, 50 - k, 50 - k, 0, 50, 0],
            ],
        ),
        (
            (50, 0),
            [
                [150, 0],
                [150 + k, 0, 200, 50 - k, 200, 50],
                [200, 50 + k, 150 + k, 100, 150, 100],
                [50, 100],
                [50 - k, 100, 0, 50 + k, 0, 50],
                [0, 50 - k, 50 - k, 0, 50, 0],
            ],
        ),
    ]
    for start, pieces in shapes:
        areas = PaintedAreas()
        _fill_path(areas, start, *pieces)
        assert areas.rects() == [], pieces
    rectangle = PaintedAreas()
    _fill_path(rectangle, (0, 0), [100, 0], [100, 50], [0, 50])
    assert rectangle.rects() == [(0.0, 0.0, 100.0, 50.0)]


def _page_with_rules(pdf: canvas.Canvas) -> None:
    """A section and a table between a rule above and below it, with a grid of lines that
    meet: only lines whose ends meet in four corners frame anything."""
    y = _heading(pdf, CHAPTER_3, TOP, 16)
    y = _heading(pdf, KKC, y, 13)
    pdf.line(LEFT, y, LEFT + WIDTH, y)
    below = _heading(pdf, "Leningen per jaar", y - 14, 9.5)
    _text(pdf, ["In 2020 zijn 3.860 leningen verstrekt."], below, size=9)
    pdf.line(LEFT, y - 50, LEFT + WIDTH, y - 50)
    pdf.line(LEFT, y - 50, LEFT, y - 30)  # an L of two lines meeting at one corner
    _text(pdf, ["Sinds oktober 2020 mag een ondernemer de regeling vaker gebruiken."], y - 70)


def test_lines_that_frame_nothing_make_no_box(tmp_path: Path) -> None:
    path = tmp_path / "kkc.pdf"
    write_pdf(path, [_page_with_rules], title="Monitor")
    doc = parse_document(path, tmp_path)
    assert not any(b.box for b in doc.blocks)


IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _stroke_lines(areas: PaintedAreas, lines: list[tuple[float, float, float, float]]) -> None:
    for x0, y0, x1, y1 in lines:
        areas.operator(b"m", [x0, y0], IDENTITY)
        areas.operator(b"l", [x1, y1], IDENTITY)
        areas.operator(b"S", [], IDENTITY)


def test_path_operators_with_malformed_operands_are_ignored() -> None:
    """A line width, a move or a line with a name where a number belongs, or too few numbers,
    draws nothing; the lines after it are still read."""
    areas = PaintedAreas()
    malformed: list[tuple[bytes, list[object]]] = [
        (b"w", [NameObject("/W")]),
        (b"m", [NameObject("/X"), 10]),
        (b"m", [10]),
        (b"l", [10, 20]),
        (b"S", []),
    ]
    for operator, operands in malformed:
        areas.operator(operator, operands, IDENTITY)
    _stroke_lines(
        areas, [(10, 60, 110, 60), (110, 60, 110, 10), (110, 10, 10, 10), (10, 10, 10, 60)]
    )
    assert areas.rects() == [(10.0, 10.0, 110.0, 60.0)]


def test_a_page_of_too_many_lines_is_read_without_frames() -> None:
    """The lines of a page of more than MAX_FRAME_LINES (a chart's grid) are not paired, at a
    cost like that of MAX_BOX_TESTS: the page has no frames, not even its grid's outline."""
    side = MAX_FRAME_LINES // 2 + 1
    areas = PaintedAreas()
    _stroke_lines(areas, [(0, 10 * k, 10 * side, 10 * k) for k in range(side)])
    _stroke_lines(areas, [(10 * k, 0, 10 * k, 10 * side) for k in range(side)])
    assert areas.rects() == []
    small = PaintedAreas()
    _stroke_lines(small, [(0, 0, 20, 0), (0, 10, 20, 10), (0, 20, 20, 20)])
    _stroke_lines(small, [(0, 0, 0, 20), (10, 0, 10, 20), (20, 0, 20, 20)])
    assert small.rects() == [(0.0, 0.0, 20.0, 20.0)]  # the grid's outline: its lines cross


# --- web pages -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_passages() -> list[Passage]:
    html = Path(__file__).parent / "data" / "html"
    return split_into_passages(parse_document(html / "kaders-in-main.html", html))


def test_a_callout_aside_with_a_heading_is_a_closed_unit(page_passages: list[Passage]) -> None:
    """An <aside> kept inside <main> that has a heading of its own is a box: its heading
    governs the callout, nested in the section around it, whatever its rank (an <h2> callout
    in an <h2> section; a role="complementary" element with an NL Design System heading)."""
    assert section_of(page_passages, "tot 1 oktober 2021") == ("Aanvragen", "Let op")
    assert section_of(page_passages, "Binnen acht weken") == ("Aanvragen",)
    assert "Binnen acht weken" not in passage_with(page_passages, "tot 1 oktober 2021")
    assert section_of(page_passages, "Een bakker") == ("Terugbetalen", "Voorbeeld")
    assert section_of(page_passages, "Wie niet op tijd betaalt") == ("Terugbetalen",)


def test_a_callout_without_a_heading_stays_in_the_running_text(
    page_passages: list[Passage],
) -> None:
    text = passage_with(page_passages, "Bewaar de brief")
    assert text.startswith("Binnen acht weken")  # one passage with the paragraph before it
    assert section_of(page_passages, "De invorderingsrente") == ("Terugbetalen",)  # links: out
    assert not any("Zie ook" in p.text for p in page_passages)


ASIDE_AFTER_HEADINGS = """<!DOCTYPE html><html lang="nl"><head><title>Pagina</title></head><body>
<main><h1>Pagina</h1><h2>Regeling X</h2>
<aside><h3>Let op</h3><p>U kunt de regeling X aanvragen tot 1 oktober 2021.</p></aside>
<p>De regeling X helpt ondernemers met een lening van ten hoogste 50.000 euro.</p>
</main></body></html>"""


def test_headings_right_before_an_aside_make_no_passage_of_their_own(tmp_path: Path) -> None:
    path = tmp_path / "pagina.html"
    path.write_text(ASIDE_AFTER_HEADINGS, encoding="utf-8")
    doc = parse_document(path, tmp_path)
    passages = assert_no_headings_alone(doc, split_into_passages(doc))
    assert section_of(passages, "aanvragen tot 1 oktober") == ("Regeling X", "Let op")
    assert passage_with(passages, "aanvragen tot 1 oktober").startswith("Pagina\n\nRegeling X")
    assert section_of(passages, "De regeling X helpt") == ("Regeling X",)


NESTED_ASIDES = """<!DOCTYPE html><html lang="nl"><head><title>Termijnen</title></head><body>
<main><h1>Termijnen</h1><h2>Bezwaar maken</h2><p>U maakt bezwaar bij de gemeente.</p>
<aside><p>Lees ook</p>
<aside><h3>Voorbeeld</h3><p>Een bakker maakt op 1 maart bezwaar.</p></aside>
<p>De termijn is acht weken.</p></aside>
</main></body></html>"""


def test_an_aside_is_no_box_by_the_heading_of_an_aside_in_it(tmp_path: Path) -> None:
    """An aside whose only heading stands in an aside nested in it has no heading of its own:
    it is no box, and its text after the nested box keeps the section around it."""
    path = tmp_path / "termijnen.html"
    path.write_text(NESTED_ASIDES, encoding="utf-8")
    passages = split_into_passages(parse_document(path, tmp_path))
    assert section_of(passages, "Een bakker") == ("Bezwaar maken", "Voorbeeld")
    assert section_of(passages, "De termijn is acht weken") == ("Bezwaar maken",)
    assert "Een bakker" not in passage_with(passages, "De termijn is acht weken")


def test_a_notice_with_a_heading_is_a_closed_unit() -> None:
    """A notice of ARIA's role note, status or alert (the NL Design System's <div
    class="utrecht-alert" role="status">) that has a heading of its own is a box, as a callout
    <aside> is: its heading governs the notice only, and the section goes on after it."""
    html = Path(__file__).parent / "data" / "html"
    passages = split_into_passages(parse_document(html / "meldingen-in-main.html", html))
    assert section_of(passages, "uiterlijk op de laatste dag") == ("Aangifte doen", "Let op")
    assert section_of(passages, "Na de aangifte") == ("Aangifte doen",)
    assert "Na de aangifte" not in passage_with(passages, "uiterlijk op de laatste dag")
    assert section_of(passages, "Een kapper") == ("Betalen", "Voorbeeld")
    assert section_of(passages, "Te laat betalen") == ("Betalen",)
    assert section_of(passages, "niet bereikbaar") == ("Betalen", "Storing")
    assert section_of(passages, "BelastingTelefoon") == ("Betalen",)
    assert section_of(passages, "Bewaar de bevestiging") == ("Betalen",)  # no heading: no box
