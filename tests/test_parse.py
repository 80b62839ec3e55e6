"""Reading real files of every format into ParsedDocuments, and the Dutch reasons for refusals."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest
import reportlab
from pdfs import Draw, write_pdf
from pypdf import PdfReader, PdfWriter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from assistant.sentences import is_list_item
from index.chunk import split_into_passages
from index.parse import SUPPORTED_SUFFIXES, list_documents, parse_document
from index.records import document_from_record, document_to_record
from index.sentences import body_sentences
from index.types import DocumentError, ParsedDocument

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
PARSE = DATA / "parse"
CORPUS = DATA / "corpus"
DOCUMENTS = ROOT / "documents"
SHIPPED = "aanbiedingsbrief-voortgangsrapportage-mkb-actieplan-2020.txt"
HEADER = "Voortgangsrapportage MKB-actieplan 2020"

# One report of three pages: (kind, content) per page; "fn" is a footnote at the page bottom.
REPORT_PAGES: list[list[tuple[str, str | list[str]]]] = [
    [
        ("h1", "1 Inleiding"),
        (
            "p",
            [
                "Het kabinet wil ondernemers in het mkb beter ondersteu-",
                "nen bij de digitalisering van hun bedrijf. Daarom is in 2018",
                "het MKB-",
                "actieplan gepresenteerd met ruim honderd acties.1",
            ],
        ),
        (
            "p",
            [
                "Veel mkb-",
                "ondernemers vragen om een eenvoudige \ufb01nanciering van",
                "hun investeringen en om minder regels.",
            ],
        ),
        ("h2", "1.1 Financiering"),
        (
            "p",
            [
                "De Borgstelling MKB-kredieten helpt ondernemers die te weinig",
                "zekerheden hebben om een lening te krijgen. Deze alinea loopt",
            ],
        ),
        ("fn", "1 Kamerstuk 32 637, nr. 316"),
    ],
    [
        ("p", ["door op de volgende pagina en eindigt hier."]),
        ("h2", "1.2 Digitalisering"),
        ("p", ["In de MKB Werkplaatsen helpen studenten ondernemers met", "hun webwinkel."]),
    ],
    [
        ("h1", "2 Vervolg"),
        ("p", ["Het kabinet rapporteert jaarlijks over de voortgang van het", "actieplan."]),
    ],
]


def _register_fonts() -> None:
    """Use the TrueType fonts shipped inside reportlab: they carry the ligature glyphs."""
    fonts = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont("Vera", str(fonts / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("VeraBd", str(fonts / "VeraBd.ttf")))


def _report_page(blocks: list[tuple[str, str | list[str]]]) -> Draw:
    def draw(pdf: canvas.Canvas) -> None:
        y = 760.0
        for kind, content in blocks:
            if kind == "h1" or kind == "h2":
                pdf.setFont("VeraBd", 16 if kind == "h1" else 13)
                pdf.drawString(72, y, str(content))
                y -= 28 if kind == "h1" else 22
            elif kind == "fn":
                pdf.setFont("Vera", 8)
                pdf.drawString(72, 90, str(content))
            else:
                pdf.setFont("Vera", 11)
                for line in content:
                    pdf.drawString(72, y, line)
                    y -= 14
                y -= 10

    return draw


def _report_furniture(pdf: canvas.Canvas, number: int) -> None:
    pdf.setFont("Vera", 8)
    pdf.drawString(72, 800, HEADER)
    pdf.drawCentredString(297, 40, f"Pagina {number} van {len(REPORT_PAGES)}")


def write_report_pdf(path: Path, title: str = HEADER) -> Path:
    """Write a typeset report with a running header, page numbers and footnotes."""
    _register_fonts()
    pages = [_report_page(blocks) for blocks in REPORT_PAGES]
    write_pdf(path, pages, title=title, furniture=_report_furniture)
    return path


def parse_text(folder: Path, name: str, text: str) -> ParsedDocument:
    """Write `text` to `folder/name` and parse it as the index does."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return parse_document(path, folder)


def block_texts(doc: ParsedDocument, kind: str | None = None) -> list[str]:
    return [doc.text[b.start : b.end] for b in doc.blocks if kind is None or b.kind == kind]


def headings_of(doc: ParsedDocument) -> list[tuple[str, int]]:
    return [(doc.text[b.start : b.end], b.level) for b in doc.blocks if b.kind == "heading"]


def assert_well_formed(doc: ParsedDocument) -> None:
    """Blocks cover the text in order, separated by one blank line; pages start in order."""
    assert doc.blocks, "a parsed document has blocks"
    assert doc.blocks[0].start == 0 and doc.blocks[-1].end == len(doc.text)
    for block in doc.blocks:
        content = doc.text[block.start : block.end]
        assert content and content == content.strip(), block
        assert (block.level > 0) == (block.kind == "heading"), block
    for before, after in zip(doc.blocks, doc.blocks[1:], strict=False):
        assert doc.text[before.end : after.start] == "\n\n"
    assert doc.page_starts[0] == 0
    assert list(doc.page_starts) == sorted(doc.page_starts)
    assert doc.page_starts[-1] <= len(doc.text)


def assert_refused(path: Path, reason: str) -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(path, path.parent)
    assert caught.value.reason == reason
    assert caught.value.doc_id == path.name


@pytest.fixture
def report_pdf(tmp_path: Path) -> ParsedDocument:
    return parse_document(write_report_pdf(tmp_path / "rapport.pdf"), tmp_path)


# --- listing -------------------------------------------------------------------------------


def test_supported_suffixes_are_the_four_formats() -> None:
    assert SUPPORTED_SUFFIXES == {".pdf", ".html", ".htm", ".md", ".markdown", ".txt"}


def test_list_documents_is_sorted_and_skips_hidden_files_and_sidecars(tmp_path: Path) -> None:
    for name in ["b.md", "a.pdf", "a.pdf.toml", "sub/c.txt", "notitie.docx", ".verborgen.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("tekst", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.md").write_text("tekst", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in list_documents(tmp_path)]
    assert found == ["a.pdf", "b.md", "notitie.docx", "sub/c.txt"]


def test_doc_id_is_the_posix_path_below_the_documents_folder(tmp_path: Path) -> None:
    path = tmp_path / "rapporten" / "2020" / "brief.txt"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"Een korte brief.\n")
    doc = parse_document(path, tmp_path)
    assert doc.meta.doc_id == "rapporten/2020/brief.txt"
    assert doc.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_text_copied_from_a_web_page_keeps_its_headings(tmp_path: Path) -> None:
    """One paragraph per line and no blank lines: the headings still head their sections, and
    are not glued to the sentence after them."""
    path = tmp_path / "now3.txt"
    path.write_text(
        "Informatie over de aanvraag van de NOW\n"
        "Op deze pagina vindt u informatie die u helpt bij de voorbereiding van uw aanvraag.\n"
        "Praktische informatie voor bij de aanvraag\n"
        "De aanvraag geldt steeds voor een periode van drie maanden. Met de online rekenhulp "
        "berekent u het percentage omzetverlies.\n",
        encoding="utf-8",
    )
    passages = split_into_passages(parse_document(path, tmp_path))
    assert [(p.section, p.text.splitlines()[-1][:27]) for p in passages] == [
        ((), "Op deze pagina vindt u info"),
        (("Praktische informatie voor bij de aanvraag",), "De aanvraag geldt steeds vo"),
    ]


def test_a_paragraph_after_a_list_in_text_without_blank_lines_is_no_list_item(
    tmp_path: Path,
) -> None:
    """Text copied from a web page has one block per line and no blank line after a list: the
    paragraph after the last item starts on a line of its own (broken by hand, as its first word
    would have fitted after the item) and is not glued to that item."""
    doc = parse_text(
        tmp_path,
        "kor.txt",
        "Voor de omzetgrens telt ook de omzet mee uit:\n"
        "- verhuur van gebouwen\n"
        "- verzekeringsdiensten\n"
        "De omzet uit andere vrijgestelde diensten telt niet mee voor de omzetgrens.\n",
    )
    assert block_texts(doc, "list") == ["- verhuur van gebouwen\n- verzekeringsdiensten"]
    assert "De omzet uit andere vrijgestelde diensten telt niet mee voor de omzetgrens." in (
        block_texts(doc, "paragraph")
    )


def test_a_question_heading_after_a_line_without_final_punctuation_heads_its_section(
    tmp_path: Path,
) -> None:
    """A web page's question heading often follows a list item or a link line without a full
    stop: its capital and question mark make it a sentence of its own, and the break after it
    was made by hand, so it is a heading, not glued to the lines around it."""
    doc = parse_text(
        tmp_path,
        "tozo.txt",
        "Tozo aanvragen\n"
        "Voor de aanvraag heeft u nodig:\n"
        "- uw DigiD\n"
        "- uw KVK-nummer\n"
        "Wie kan de Tozo aanvragen?\n"
        "U kunt de Tozo aanvragen als u zelfstandig ondernemer bent en in Nederland woont.\n"
        "Meer weten? Bel de gemeente of kijk op de website\n"
        "Hoe lang duurt de aanvraag?\n"
        "De gemeente beslist binnen vier weken op uw aanvraag.\n",
    )
    assert headings_of(doc) == [
        ("Tozo aanvragen", 1),
        ("Wie kan de Tozo aanvragen?", 1),
        ("Hoe lang duurt de aanvraag?", 1),
    ]
    assert block_texts(doc, "paragraph")[-1] == (
        "De gemeente beslist binnen vier weken op uw aanvraag."
    )


def test_a_question_standing_alone_before_a_list_heads_its_section(tmp_path: Path) -> None:
    """A question line directly above a list is the heading of the list's section, as it is
    above a paragraph: the list item opens a line of its own, and the question mark ends the
    question's. A line ending in a colon introduces the list and stays a paragraph."""
    doc = parse_text(
        tmp_path,
        "qredits.txt",
        "Lenen bij Qredits\n"
        "Qredits leent geld aan starters die niet bij de bank terechtkunnen.\n"
        "Welke leningen zijn er?\n"
        "• Microkrediet: tot € 50.000\n"
        "• MKB-krediet: van € 50.000 tot € 250.000\n"
        "\n"
        "Bij elke lening krijgt u de volgende begeleiding:\n"
        "• een coach\n",
    )
    assert headings_of(doc) == [("Lenen bij Qredits", 1), ("Welke leningen zijn er?", 1)]
    assert block_texts(doc, "list")[0] == (
        "• Microkrediet: tot € 50.000\n• MKB-krediet: van € 50.000 tot € 250.000"
    )
    assert "Bij elke lening krijgt u de volgende begeleiding:" in block_texts(doc, "paragraph")


def test_numbered_steps_with_text_under_them_are_headings_all(tmp_path: Path) -> None:
    """Steps numbered with a label word ("Stap 1", "Stap 2", ...) are siblings: when one heads
    text of its own, all are headings, also a step right above the next one and a step after
    a finished sentence that the next line's length does not show to be broken by hand."""
    doc = parse_text(
        tmp_path,
        "stappen.txt",
        "Hoe vraagt u een lening aan?\n"
        "Stap 1 Meld u online aan\n"
        "Vul het aanmeldformulier in op onze website en geef aan hoeveel u wilt lenen.\n"
        "Stap 2 Maak uw plan\n"
        "Maak een ondernemingsplan met een begroting voor 3 jaar.\n"
        "Stap 3 Stuur de stukken mee\n"
        "Stap 4 Gesprek met een adviseur\n"
        "Binnen 5 werkdagen belt een kredietadviseur u.\n",
    )
    assert [text for text, _ in headings_of(doc)] == [
        "Hoe vraagt u een lening aan?",
        "Stap 1 Meld u online aan",
        "Stap 2 Maak uw plan",
        "Stap 3 Stuur de stukken mee",
        "Stap 4 Gesprek met een adviseur",
    ]
    assert block_texts(doc, "paragraph")[-1] == "Binnen 5 werkdagen belt een kredietadviseur u."


def test_numbered_steps_without_text_under_them_are_list_items(tmp_path: Path) -> None:
    """Steps that follow one another without text between them are the items of a list, one
    step each, not one paragraph; a line opening with a word, a number and a lower-case word
    (a date) is no step."""
    doc = parse_text(
        tmp_path,
        "stap.txt",
        "Hoe vraagt u het STAP-budget aan?\n"
        "Stap 1 Kies een opleiding uit het scholingsregister en meld u aan bij de opleider\n"
        "Stap 2 U krijgt van de opleider een bewijs van inschrijving\n"
        "Stap 3 Log met DigiD in op het portaal van UWV en vraag het budget aan\n"
        "\n"
        "U vraagt aan in een aanvraagtijdvak. Het eerste tijdvak begon\n"
        "Op 1 maart 2022 en het tweede\n"
        "Op 2 mei 2022.\n",
    )
    assert block_texts(doc, "list") == [
        "Stap 1 Kies een opleiding uit het scholingsregister en meld u aan bij de opleider\n"
        "Stap 2 U krijgt van de opleider een bewijs van inschrijving\n"
        "Stap 3 Log met DigiD in op het portaal van UWV en vraag het budget aan"
    ]
    assert block_texts(doc, "paragraph") == [
        "U vraagt aan in een aanvraagtijdvak. Het eerste tijdvak begon Op 1 maart 2022 en het "
        "tweede Op 2 mei 2022."
    ]


def test_a_breadcrumb_line_is_left_out_and_parts_the_title_from_the_text(
    tmp_path: Path,
) -> None:
    """A copied web page's breadcrumb is left out, as the HTML reader leaves out the page's
    breadcrumb, and stands for a blank line: the title above it stands alone, a heading."""
    doc = parse_text(
        tmp_path,
        "qredits.txt",
        "Een lening aanvragen bij Qredits\n"
        "Home > Ondernemers > Lening aanvragen\n"
        "Heeft u geld nodig voor uw bedrijf? Dan kunt u misschien terecht bij Qredits.\n",
    )
    assert headings_of(doc) == [("Een lening aanvragen bij Qredits", 1)]
    assert block_texts(doc, "paragraph") == [
        "Heeft u geld nodig voor uw bedrijf? Dan kunt u misschien terecht bij Qredits."
    ]


def test_lines_of_tab_separated_cells_are_a_table(tmp_path: Path) -> None:
    """A table pasted with tabs between its cells is a table block of rows, cells joined by
    " | " as the HTML and Markdown readers join them, not one run-on paragraph; its header row
    is no heading. A single line with a tab in it stays text."""
    doc = parse_text(
        tmp_path,
        "aftrek.txt",
        "Zelfstandigenaftrek\n"
        "De aftrek wordt elk jaar lager.\n"
        "Jaar\tZelfstandigenaftrek\tStartersaftrek\n"
        "2020\t€ 7.030\t€ 2.123\n"
        "2021\t€ 6.670\t€ 2.123\n"
        "Heb je de AOW-leeftijd bereikt?\tDan krijg je de helft.\n",
    )
    assert block_texts(doc, "table") == [
        "Jaar | Zelfstandigenaftrek | Startersaftrek\n2020 | € 7.030 | € 2.123\n"
        "2021 | € 6.670 | € 2.123"
    ]
    assert headings_of(doc) == [("Zelfstandigenaftrek", 1)]
    assert block_texts(doc, "paragraph")[-1] == (
        "Heb je de AOW-leeftijd bereikt? Dan krijg je de helft."
    )


def test_the_controls_of_a_copied_web_page_are_left_out(tmp_path: Path) -> None:
    """Share, print and feedback controls and a footer bar of a copied web page are left out,
    as the HTML reader leaves out their markup, and no control heads the text after it."""
    doc = parse_text(
        tmp_path,
        "geldzorgen.txt",
        "Geldzorgen als ondernemer\n"
        "Print\n"
        "Deel deze pagina\n"
        "Veel ondernemers hebben minder inkomsten.\n"
        "Contact\n"
        "Bel het KVK Adviesteam op werkdagen tussen 8.30 en 17.00 uur.\n"
        "Deel deze pagina\n"
        "Facebook LinkedIn Twitter E-mail\n"
        "Vond u deze informatie nuttig? Ja Nee\n"
        "Naar boven\n"
        "Privacy | Cookies | Disclaimer | Klachten\n",
    )
    assert block_texts(doc) == [
        "Geldzorgen als ondernemer",
        "Veel ondernemers hebben minder inkomsten.",
        "Contact",
        "Bel het KVK Adviesteam op werkdagen tussen 8.30 en 17.00 uur.",
    ]
    assert headings_of(doc) == [("Geldzorgen als ondernemer", 1), ("Contact", 1)]


def test_o_sub_bullets_pasted_from_a_browser_are_list_items_of_their_own(tmp_path: Path) -> None:
    """A browser pastes a nested list with "o" for the second-level bullet: each such line is an
    item of its own, not glued to the item above it, and its sentence is quoted without the
    "o" and reads as a finished list item."""
    doc = parse_text(
        tmp_path,
        "bmkb.txt",
        "Wat houdt de regeling in?\n"
        "•    Het maximale krediet is 1,5 miljoen euro.\n"
        "•    De bank kiest hoe u aflost. De mogelijkheden zijn:\n"
        "     o    lineair, eventueel met een aflossingsvrije periode\n"
        "     o    in een keer, aan het einde van de looptijd\n"
        "•    De looptijd is hoogstens acht kwartalen.\n",
    )
    assert block_texts(doc, "list") == [
        "• Het maximale krediet is 1,5 miljoen euro.\n"
        "• De bank kiest hoe u aflost. De mogelijkheden zijn:\n"
        "o lineair, eventueel met een aflossingsvrije periode\n"
        "o in een keer, aan het einde van de looptijd\n"
        "• De looptijd is hoogstens acht kwartalen."
    ]
    (passage,) = split_into_passages(doc)
    sub_items = body_sentences(passage, doc)[3:5]  # the question heads the list
    assert [passage.text[a:b] for a, b in sub_items] == [
        "lineair, eventueel met een aflossingsvrije periode",
        "in een keer, aan het einde van de looptijd",
    ]
    assert all(is_list_item(passage.text, a, b) for a, b in sub_items)


CHECKED = "Gepubliceerd op: 12 maart 2021 | Laatst gecontroleerd op: 4 mei 2021"


@pytest.mark.parametrize(
    ("lines", "paragraphs", "date"),
    [
        ([CHECKED], [CHECKED], "2021-03-12"),
        (["Laatst gecontroleerd: 4 mei 2021"], ["Laatst gecontroleerd: 4 mei 2021"], "2021-05-04"),
        (
            ["Gepubliceerd op:", "21 april 2020", "Laatst gecontroleerd op:", "4 april 2022"],
            ["Gepubliceerd op: 21 april 2020", "Laatst gecontroleerd op: 4 april 2022"],
            "2020-04-21",
        ),
    ],
)
def test_a_dateline_of_a_web_page_is_a_paragraph_of_its_own(
    tmp_path: Path, lines: list[str], paragraphs: list[str], date: str
) -> None:
    """A web page's dateline, copied without blank lines, is the page's metadata: a paragraph of
    its own under the title, glued neither to the title nor to the text after it, and the
    document's date (the first it states). Its label may stand over its date. A line of running
    text that opens with a dating word in lower case goes on with its sentence."""
    doc = parse_text(
        tmp_path,
        "kkc.txt",
        "\n".join(
            [
                "Garantie Klein Krediet Corona",
                *lines,
                "Heeft u een klein bedrijf? Dan kunt u misschien een lening met garantie krijgen.",
                "De regeling is in 2021",
                "gewijzigd op 1 april 2021. De looptijd is langer.",
            ]
        ),
    )
    assert headings_of(doc) == [("Garantie Klein Krediet Corona", 1)]
    assert block_texts(doc, "paragraph") == [
        *paragraphs,
        "Heeft u een klein bedrijf? Dan kunt u misschien een lening met garantie krijgen. "
        "De regeling is in 2021 gewijzigd op 1 april 2021. De looptijd is langer.",
    ]
    assert doc.meta.date == date


def test_a_dateline_ending_in_a_full_stop_dates_the_document(tmp_path: Path) -> None:
    """A dateline written as a sentence ("Laatst gewijzigd op 3 maart 2021.") is still part of
    the document's head, where its date is read."""
    path = tmp_path / "wbso.txt"
    path.write_text(
        "WBSO voor ondernemers\n\nLaatst gewijzigd op 3 maart 2021.\n\n"
        "De WBSO verlaagt de loonkosten van speur- en ontwikkelingswerk.\n",
        encoding="utf-8",
    )
    assert parse_document(path, tmp_path).meta.date == "2021-03-03"


def test_an_article_byline_written_as_a_list_is_left_out_but_for_its_dateline(
    tmp_path: Path,
) -> None:
    """A copied article's byline (author, kind, dateline, reading time, topics as list items
    under the title) is page furniture: left out, its dateline kept as a paragraph that dates
    the page, and the first line standing alone above it is the title, not a question heading
    further on."""
    doc = parse_text(
        tmp_path,
        "btw-vrijstelling.txt",
        "Btw-vrijstelling voor kleine ondernemers gebruiken\n"
        "- Anne de Vries\n"
        "- Achtergrond\n"
        "- Bijgewerkt 3 maart 2024\n"
        "- 5 min\n"
        "- Ondernemen\n"
        "- Belastingen\n"
        "Met de vrijstelling betaal je geen btw zolang je omzet laag blijft.\n"
        "Zoek je een lening voor je zaak?\n"
        "Bekijk welke leningen er zijn en wat ze kosten.\n",
    )
    assert doc.meta.title == "Btw-vrijstelling voor kleine ondernemers gebruiken"
    assert doc.meta.date == "2024-03-03"
    assert headings_of(doc) == [
        ("Btw-vrijstelling voor kleine ondernemers gebruiken", 1),
        ("Zoek je een lening voor je zaak?", 1),
    ]
    assert block_texts(doc, "paragraph") == [
        "Bijgewerkt 3 maart 2024",
        "Met de vrijstelling betaal je geen btw zolang je omzet laag blijft.",
        "Bekijk welke leningen er zijn en wat ze kosten.",
    ]


LENEN = "Ondernemers kunnen makkelijker lenen."


@pytest.mark.parametrize(
    ("name", "text", "title", "date", "blocks"),
    [
        pytest.param(  # a kicker above the title and a byline under it: its dateline stays
            "uitstel.txt",
            "Belastingen\n\nUitstel van betaling: nieuwe regels\n\n"
            " • Uitleg\n • Redactie\n • Bijgewerkt 2 februari 2021\n • 4 min lezen\n\n"
            f"{LENEN}\n",
            "Uitstel van betaling: nieuwe regels",
            "2021-02-02",
            ["Uitstel van betaling: nieuwe regels", "Bijgewerkt 2 februari 2021", LENEN],
            id="kicker and byline",
        ),
        pytest.param(  # a month abbreviated, a counter of views or shares
            "borgstelling.txt",
            "Corona\n\nBorgstelling verruimd\n\n"
            f" • Redactie\n • Bijgewerkt 17 nov. 2020\n • 5 min lezen\n • 9.6K\n{LENEN}\n",
            "Borgstelling verruimd",
            "2020-11-17",
            ["Borgstelling verruimd", "Bijgewerkt 17 nov. 2020", LENEN],
            id="abbreviated month and counter",
        ),
        pytest.param(  # in HTML as in pasted text
            "borgstelling.html",
            "<html><head><title>Borgstelling | Site</title></head><body><main><article>"
            "<p>Corona</p><h1>Borgstelling verruimd</h1><ul><li>Redactie</li>"
            f"<li>Bijgewerkt 17 nov 2020</li><li>5 min lezen</li></ul><p>{LENEN}</p>"
            "</article></main></body></html>",
            "Borgstelling",
            "2020-11-17",
            ["Borgstelling verruimd", "Bijgewerkt 17 nov 2020", LENEN],
            id="HTML article",
        ),
        pytest.param(  # in Markdown: the title a heading, the byline a list
            "borgstelling.md",
            "Corona\n\n# BMKB-C: borgstelling verruimd\n\n"
            f"- Redactie KVK\n- Bijgewerkt 17 nov 2020\n- 5 min lezen\n\n{LENEN}\n",
            "BMKB-C: borgstelling verruimd",
            "2020-11-17",
            ["BMKB-C: borgstelling verruimd", "Bijgewerkt 17 nov 2020", LENEN],
            id="Markdown kicker and byline",
        ),
        pytest.param(  # a byline without a dateline goes whole
            "lenen.md",
            f"# Lenen voor je zaak\n\n* How to\n* Redactie\n* 4 min\n\n{LENEN}\n",
            "Lenen voor je zaak",
            None,
            ["Lenen voor je zaak", LENEN],
            id="Markdown byline",
        ),
        pytest.param(  # a byline on one line, its parts joined by " | "
            "lenen.md",
            "# Lenen bij de bank\n\nRedactie KVK | Bijgewerkt 17 nov 2020 | 5 min lezen\n\n"
            f"{LENEN}\n",
            "Lenen bij de bank",
            "2020-11-17",
            ["Lenen bij de bank", "Bijgewerkt 17 nov 2020", LENEN],
            id="Markdown byline on one line",
        ),
        pytest.param(  # ... in plain text as in Markdown
            "lenen.txt",
            f"Lenen bij de bank\n\nRedactie KVK | 5 min lezen | Bijgewerkt 17 nov 2020\n{LENEN}\n",
            "Lenen bij de bank",
            "2020-11-17",
            ["Lenen bij de bank", "Bijgewerkt 17 nov 2020", LENEN],
            id="byline on one line",
        ),
        pytest.param(  # ... and in HTML, one paragraph
            "lenen.html",
            "<html><body><main><h1>Lenen bij de bank</h1>"
            "<p>Redactie KVK | Bijgewerkt 17 nov 2020 | 5 min lezen</p>"
            f"<p>{LENEN}</p></main></body></html>",
            "Lenen bij de bank",
            "2020-11-17",
            ["Lenen bij de bank", "Bijgewerkt 17 nov 2020", LENEN],
            id="HTML byline on one line",
        ),
        pytest.param(  # a browser tab's title: the page's name, its site's after " | "
            "svi.txt",
            f"Subsidie voor innovatie | RVO.nl | Rijksdienst\n\n{LENEN}\n",
            "Subsidie voor innovatie",
            None,
            ["Subsidie voor innovatie", LENEN],
            id="site names",
        ),
        pytest.param(  # ... and the site's header under it, before the page's own title
            "svi.txt",
            "Subsidie voor innovatie | RVO.nl | Rijksdienst\nService menu right\n\n"
            f"Subsidie voor innovatie\n\n{LENEN}\n",
            "Subsidie voor innovatie",
            None,
            ["Subsidie voor innovatie", LENEN],
            id="tab title and site header",
        ),
        pytest.param(  # the site's header copied at the page's end goes too
            "svi.txt",
            f"Subsidie voor innovatie\n\n{LENEN}\n\nService menu right\n",
            "Subsidie voor innovatie",
            None,
            ["Subsidie voor innovatie", LENEN],
            id="site header at the end",
        ),
        pytest.param(  # ... in Markdown too, after the page's controls
            "svi.md",
            f"# Subsidie voor innovatie\n\n{LENEN}\n\n## Hoofdmenu\n\nPrint | Delen\n",
            "Subsidie voor innovatie",
            None,
            ["Subsidie voor innovatie", LENEN],
            id="Markdown site header at the end",
        ),
    ],
)
def test_the_head_of_a_copied_page_keeps_its_title_and_date_only(
    tmp_path: Path, name: str, text: str, title: str, date: str | None, blocks: list[str]
) -> None:
    """A web page's head holds furniture around its title: a kicker above it (a one-word
    category label), a byline under it (author, kind, reading time, counters; its dateline is
    the page's date and stays), a browser tab's title with the site's names and header. The
    page keeps its title once, and its date."""
    doc = parse_text(tmp_path, name, text)
    assert (doc.meta.title, doc.meta.date) == (title, date)
    assert block_texts(doc) == blocks


def test_a_first_line_opening_with_an_amount_is_the_title(tmp_path: Path) -> None:
    """The first line standing alone is the title whatever it opens with: an amount or a
    currency sign, not only a capital."""
    doc = parse_text(
        tmp_path,
        "bijdrage.txt",
        "€ 2.500,- voor ondernemers in de binnenstad\n\n"
        "Ondernemers in de binnenstad kunnen een eenmalige bijdrage krijgen.\n\n"
        "Meer sectoren vanaf 1 mei 2021\n\n"
        "Vanaf 1 mei kunnen ook kappers de bijdrage aanvragen.\n",
    )
    assert doc.meta.title == "€ 2.500,- voor ondernemers in de binnenstad"
    assert headings_of(doc) == [
        ("€ 2.500,- voor ondernemers in de binnenstad", 1),
        ("Meer sectoren vanaf 1 mei 2021", 1),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # a letterhead above its date: no reading time, no list
        "Ministerie van Economische Zaken\nDirectie Ondernemen\nDatum 12 mei 2020\n\n"
        "Geachte voorzitter, hierbij stuur ik u de rapportage.\n",
        # a list after the first sentence is the text's own
        "Subsidie voor ondernemers\n\nDe regeling kent twee rondes.\n"
        "- Ronde 1\n- Gewijzigd op 3 maart 2021\n- 5 min\n",
    ],
)
def test_lines_that_are_no_byline_keep_their_text(tmp_path: Path, text: str) -> None:
    doc = parse_text(tmp_path, "brief.txt", text)
    assert " ".join(" ".join(block_texts(doc)).split()) == " ".join(text.split())


# --- PDF -----------------------------------------------------------------------------------


def test_pdf_running_header_and_page_numbers_are_removed(report_pdf: ParsedDocument) -> None:
    assert HEADER not in report_pdf.text
    assert "Pagina" not in report_pdf.text
    assert report_pdf.meta.format == "pdf"
    assert_well_formed(report_pdf)


def test_pdf_hyphenation_ligatures_and_footnote_markers_are_cleaned(
    report_pdf: ParsedDocument,
) -> None:
    text = report_pdf.text
    assert "beter ondersteunen bij de digitalisering" in text
    assert "het MKB-actieplan gepresenteerd" in text
    assert "Veel mkb-ondernemers vragen" in text
    assert "eenvoudige financiering" in text and "\ufb01" not in text
    assert "ruim honderd acties." in text and "acties.1" not in text
    assert "Kamerstuk 32 637, nr. 316" in block_texts(report_pdf, "paragraph")


def test_pdf_footnote_marker_is_linked_to_its_note(report_pdf: ParsedDocument) -> None:
    text = report_pdf.text
    linked = [(text[: n.ref].split()[-1], text[n.start : n.end]) for n in report_pdf.notes]
    assert ("acties.", "Kamerstuk 32 637, nr. 316") in linked  # the marker stood after the stop


def test_pdf_headings_get_levels_from_font_size(report_pdf: ParsedDocument) -> None:
    assert headings_of(report_pdf) == [
        ("1 Inleiding", 1),
        ("1.1 Financiering", 2),
        ("1.2 Digitalisering", 2),
        ("2 Vervolg", 1),
    ]


def test_pdf_page_numbers_follow_the_pages(report_pdf: ParsedDocument) -> None:
    text = report_pdf.text
    assert len(report_pdf.page_starts) == 3
    assert report_pdf.page_at(text.index("1 Inleiding")) == 1
    assert report_pdf.page_at(text.index("1.1 Financiering")) == 1
    assert report_pdf.page_at(text.index("1.2 Digitalisering")) == 2
    assert report_pdf.page_at(text.index("2 Vervolg")) == 3


def test_pdf_paragraph_running_over_a_page_break_stays_whole(report_pdf: ParsedDocument) -> None:
    paragraph = next(p for p in block_texts(report_pdf, "paragraph") if "Borgstelling" in p)
    assert paragraph.endswith("Deze alinea loopt door op de volgende pagina en eindigt hier.")
    continued = report_pdf.text.index("door op de volgende pagina")
    assert report_pdf.page_starts[1] == continued
    assert report_pdf.page_at(continued - 2) == 1


def test_pdf_title_comes_from_document_properties(report_pdf: ParsedDocument) -> None:
    assert report_pdf.meta.title == HEADER


def test_pdf_sidecar_overrides_embedded_metadata(tmp_path: Path) -> None:
    path = write_report_pdf(tmp_path / "rapport.pdf")
    (tmp_path / "rapport.pdf.toml").write_text(
        'title = "Voortgangsrapportage 2020"\ndate = 2020-10-30\nkind = "rapportage"\n'
        'kamerstuk = "32 637, nr. 425"\nsource_url = "https://example.org/rapport.pdf"\n',
        encoding="utf-8",
    )
    meta = parse_document(path, tmp_path).meta
    assert (meta.title, meta.date, meta.kind) == (
        "Voortgangsrapportage 2020",
        "2020-10-30",
        "rapportage",
    )
    assert (meta.kamerstuk, meta.source_url) == (
        "32 637, nr. 425",
        "https://example.org/rapport.pdf",
    )


def test_pdf_readable_despite_an_owner_password(tmp_path: Path) -> None:
    source = write_report_pdf(tmp_path / "bron.pdf")
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password="", owner_password="eigenaar", algorithm="AES-128")
    path = tmp_path / "beveiligd.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert "het MKB-actieplan gepresenteerd" in parse_document(path, tmp_path).text


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(write_report_pdf(tmp_path / "bron.pdf")))
    writer.encrypt(user_password="geheim", owner_password="eigenaar", algorithm="AES-256")
    path = tmp_path / "versleuteld.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert_refused(path, "PDF is versleuteld")


def test_corrupt_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kapot.pdf"
    path.write_bytes(b"%PDF-1.7\n" + random.Random(7).randbytes(4000))
    assert_refused(path, "PDF is beschadigd")


def test_pdf_without_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    write_pdf(path, [lambda pdf: pdf.rect(72, 72, 400, 600, fill=1)])
    assert_refused(path, "PDF bevat geen tekst (gescand?)")


# --- Markdown ------------------------------------------------------------------------------


@pytest.fixture
def notitie() -> ParsedDocument:
    return parse_document(PARSE / "notitie-financiering.md", PARSE)


def test_a_stated_date_comes_after_the_sidecar_and_the_front_matter(tmp_path: Path) -> None:
    head = "*RVO – stand 14 september 2020*\n\nDe antwoorden zijn algemeen.\n"
    plain = tmp_path / "plain.md"
    plain.write_text(f"# Vragen\n\n{head}", encoding="utf-8")
    front = tmp_path / "front.md"
    front.write_text(f"---\ndate: 2020-10-01\n---\n# Vragen\n\n{head}", encoding="utf-8")
    sidecar = tmp_path / "sidecar.md"
    sidecar.write_text(f"# Vragen\n\n{head}", encoding="utf-8")
    (tmp_path / "sidecar.md.toml").write_text("date = 2020-11-02\n", encoding="utf-8")
    dates = [parse_document(p, tmp_path).meta.date for p in (plain, front, sidecar)]
    assert dates == ["2020-09-14", "2020-10-01", "2020-11-02"]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Garantie voor leningen\n\n08-05-2020\n\nBanken kunnen garantie krijgen.\n", "2020-05-08"),
        (
            "Aan de Voorzitter\n\nDen Haag, 7 februari 2024\n\nHierbij stuur ik u de brief.\n",
            "2024-02-07",
        ),
        # a date in running text, or a year alone, is no date of the document
        ("Garantie voor leningen\n\nOp 8 mei 2020 is de regeling gestart.\n", None),
        ("Garantie voor leningen\n\n2020\n\nBanken kunnen garantie krijgen.\n", None),
    ],
)
def test_a_head_line_of_a_date_alone_dates_the_document(
    tmp_path: Path, text: str, date: str | None
) -> None:
    assert parse_text(tmp_path, "pagina.txt", text).meta.date == date


def test_markdown_front_matter_is_metadata(notitie: ParsedDocument) -> None:
    meta = notitie.meta
    assert meta.title == "Notitie financiering voor het mkb"
    assert (meta.date, meta.kind, meta.format) == ("2020-03-15", "notitie", "md")
    assert meta.kamerstuk == "32 637, nr. 400"
    assert meta.source_url == "https://example.org/notitie"
    assert "title:" not in notitie.text and "---" not in notitie.text


def test_markdown_headings_lists_and_tables_become_blocks(notitie: ParsedDocument) -> None:
    assert_well_formed(notitie)
    assert headings_of(notitie) == [
        ("Notitie financiering", 1),
        ("1. Borgstelling", 2),
        ("1.1 Bedragen", 3),
        ("2. Vervolg", 2),
    ]
    assert block_texts(notitie, "list") == [
        "• borgstelling tot 90 procent;\n"
        "• looptijd maximaal zes jaar; met een verlenging in bijzondere gevallen;\n"
        "• aanvragen via de bank.",
        "1. Evaluatie in 2021.\n2. Besluit over verlenging.",
    ]
    assert block_texts(notitie, "table") == [
        "Instrument | Maximum\nBMKB | 1,5 miljoen euro\nQredits | 250.000 euro"
    ]


def test_markdown_inline_markup_and_footnote_markers_are_removed(notitie: ParsedDocument) -> None:
    text = notitie.text
    assert (
        "deel van de lening. Meer informatie staat op de website van RVO en in de BMKB-regeling."
        in text
    )
    for markup in ("[^", "**", "`", "](", "rvo.nl", "<!--", "> "):
        assert markup not in text
    paragraphs = block_texts(notitie, "paragraph")
    assert "Kamerstuk 32 637, nr. 316." in paragraphs
    assert "Let op. De bedragen kunnen wijzigen." in paragraphs


def test_markdown_footnotes_at_the_end_are_cited_under_voetnoten(notitie: ParsedDocument) -> None:
    passages = split_into_passages(notitie)
    notes = next(p for p in passages if "Kamerstuk 32 637, nr. 316." in p.text)
    assert notes.section == ("Voetnoten",)  # not "2. Vervolg", the last chapter
    assert notes.text == "Kamerstuk 32 637, nr. 316.\n\nZie de brief van 8 juni 2020."
    assert next(p for p in passages if "Let op." in p.text).section == ("2. Vervolg",)
    assert document_from_record(json.loads(json.dumps(document_to_record(notitie)))) == notitie


def test_markdown_page_markers_set_the_pages(notitie: ParsedDocument) -> None:
    assert len(notitie.page_starts) == 2
    assert notitie.page_at(notitie.text.index("aanvragen via de bank")) == 1
    assert notitie.page_starts[1] == notitie.text.index("1.1 Bedragen")


def test_markdown_form_feed_is_a_page_break(tmp_path: Path) -> None:
    path = tmp_path / "kort.md"
    path.write_text("# Titel\n\nEerste pagina.\n\f\nTweede pagina.\n", encoding="utf-8")
    doc = parse_document(path, tmp_path)
    assert doc.page_at(doc.text.index("Tweede")) == 2
    assert "\f" not in doc.text


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.md")), ids=lambda p: p.name)
def test_markdown_corpus_documents_are_well_formed(path: Path) -> None:
    doc = parse_document(path, CORPUS)
    assert_well_formed(doc)
    assert doc.meta.date is not None and doc.meta.title
    assert any(b.kind == "heading" and b.level == 1 for b in doc.blocks)
    assert "[^" not in doc.text and "**" not in doc.text and "<!--" not in doc.text


# --- HTML ----------------------------------------------------------------------------------


@pytest.fixture
def webpagina() -> ParsedDocument:
    return parse_document(PARSE / "pagina-steunmaatregelen.html", PARSE)


def test_html_keeps_content_and_drops_scripts_navigation_and_footer(
    webpagina: ParsedDocument,
) -> None:
    assert_well_formed(webpagina)
    for unwanted in (
        "document.write",
        "alert",
        "color: red",
        "Onderwerpen",
        "Zoeken",
        "Copyright",
        "Verborgen",
    ):
        assert unwanted not in webpagina.text
    assert "omzetverlies kunnen de TVL aanvragen." in webpagina.text
    assert "economie." in webpagina.text and "economie.1" not in webpagina.text
    assert "Losse tekst in een div, zonder alinea." in block_texts(webpagina, "paragraph")


def test_html_structure_becomes_blocks(webpagina: ParsedDocument) -> None:
    assert headings_of(webpagina) == [
        ("Steunmaatregelen voor ondernemers", 1),
        ("Tegemoetkoming vaste lasten", 2),
        ("Bedragen", 3),
    ]
    assert block_texts(webpagina, "list") == [
        "• aanvragen bij RVO;\n• maximaal 90.000 euro\n• per onderneming"
    ]
    assert block_texts(webpagina, "table") == ["Regeling | Uitvoerder\nTVL | RVO\nNOW | UWV"]
    # the <caption> is the table's title, a paragraph before its rows, not a row
    table = next(i for i, b in enumerate(webpagina.blocks) if b.kind == "table")
    caption = webpagina.blocks[table - 1]
    assert (caption.kind, webpagina.text[caption.start : caption.end]) == (
        "paragraph",
        "Tabel 1. Regelingen",
    )


def test_html_metadata_comes_from_title_and_meta_tags(webpagina: ParsedDocument) -> None:
    meta = webpagina.meta
    assert (meta.title, meta.date, meta.format) == (
        "Steunmaatregelen voor ondernemers",
        "2020-06-02",
        "html",
    )
    assert meta.source_url == "https://example.org/steunmaatregelen"


@pytest.mark.parametrize(
    ("head", "title"),
    [
        (  # the site's name from the host of its address
            '<title>Tozo aanvragen - KVK</title><link rel="canonical" href="https://www.kvk.nl/tozo/">',
            "Tozo aanvragen",
        ),
        (  # several trailing names, en dash, a subdomain
            "<title>Tozo aanvragen \u2013 Ondernemersplein - KVK</title>"
            '<meta property="og:url" content="https://ondernemersplein.kvk.nl/tozo/">',
            "Tozo aanvragen",
        ),
        (  # the declared site name, in og:title too
            '<meta property="og:site_name" content="Belastingdienst">'
            '<meta property="og:title" content="Bijzonder uitstel van betaling - Belastingdienst">',
            "Bijzonder uitstel van betaling",
        ),
        (  # a dash inside the title itself stays
            "<title>Voortgangsrapportage 2020 \u2013 Vernieuwend mkb heeft toekomst</title>"
            '<link rel="canonical" href="https://www.rijksoverheid.nl/documenten/rapport">',
            "Voortgangsrapportage 2020 \u2013 Vernieuwend mkb heeft toekomst",
        ),
        (  # nothing says which site it is: the title is kept whole
            "<title>Tozo aanvragen - KVK</title>",
            "Tozo aanvragen - KVK",
        ),
        (  # a title that is only the site's name stays
            '<title>KVK</title><link rel="canonical" href="https://www.kvk.nl/">',
            "KVK",
        ),
    ],
)
def test_html_title_loses_the_name_of_its_own_site(tmp_path: Path, head: str, title: str) -> None:
    path = tmp_path / "pagina.html"
    path.write_text(
        f'<html><head><meta charset="utf-8">{head}</head><body><p>Tekst.</p></body></html>',
        encoding="utf-8",
    )
    assert parse_document(path, tmp_path).meta.title == title


def test_html_in_a_declared_legacy_encoding_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "oud.htm"
    markup = (
        '<html><head><meta charset="windows-1252"></head>'
        "<body><p>Coöperatie – één</p></body></html>"
    )
    path.write_bytes(markup.encode("cp1252"))
    doc = parse_document(path, tmp_path)
    assert doc.text == "Coöperatie – één"
    assert doc.meta.title == "Oud"


def test_html_footnote_references_are_linked_to_the_elements_they_point_to(
    tmp_path: Path,
) -> None:
    path = tmp_path / "brief.html"
    path.write_text(
        "<html><body><main><h1>Brief</h1>"
        '<p>Het plan is <em>toegezonden</em><sup><a href="#fn1">1</a></sup>. Het kwam snel.</p>'
        '<ul><li>Een punt<sup><a href="#fn2">2</a></sup> hier</li><li>Nog een</li></ul>'
        "<p>Tien m<sup>2</sup> groot.</p>"
        '<p id="fn3">Geen noot waar iets naar wijst.</p>'
        '<ol class="footnotes"><li id="fn1">Kamerstuk 32 637, nr. 316</li>'
        '<li id="fn2">Bron: <a href="https://www.cbs.nl">CBS</a>.</li></ol>'
        "</main></body></html>",
        encoding="utf-8",
    )
    doc = parse_document(path, tmp_path)
    text = doc.text
    linked = [(text[: n.ref].split()[-1], text[n.start : n.end]) for n in doc.notes]
    assert linked == [("toegezonden", "Kamerstuk 32 637, nr. 316"), ("punt", "Bron: CBS.")]
    assert "Het plan is toegezonden. Het kwam snel." in text
    assert "• Een punt hier" in text and "Tien m2 groot." in text  # an exponent stays


# One letter as a web page and as plain text: two sections, then two notes, and what follows them
HTML_NOTES = (
    "<html><body><main><h1>Brief</h1><h2>1 Inleiding</h2>"
    '<p>Grote bedrijven betalen vaak te laat.<sup><a href="#fn1">1</a></sup> Dat raakt het mkb.</p>'
    "<h2>2 Maatregelen</h2><p>De betaaltermijn wordt 30 dagen."
    '<sup><a href="#fn2">2</a></sup> Zie de tabel.<sup><a href="#fn3">3</a></sup></p>'
    '<ol class="footnotes"><li id="fn1">Bron: Betaalmonitor 2019 van het CBS.</li>'
    '<li id="fn2">Kamerstuk 32 637, nr. 316.</li></ol>{after}</main></body></html>'
)
TEXT_NOTES = (
    "Brief\n\n1 Inleiding\n\nGrote bedrijven betalen vaak te laat.1 Dat raakt het mkb.\n\n"
    "2 Maatregelen\n\nDe betaaltermijn wordt 30 dagen.2\n\n"
    "1 Bron: Betaalmonitor 2019 van het CBS.\n2 Kamerstuk 32 637, nr. 316.\n{after}"
)


@pytest.mark.parametrize(
    ("name", "source", "section"),
    [
        # the notes end the page: referred to from any section
        ("brief.html", HTML_NOTES.format(after=""), ("Voetnoten",)),
        # a note in a paragraph of its own
        ("brief.html", HTML_NOTES.format(after='<p id="fn3">Bron: CBS.</p>'), ("Voetnoten",)),
        # an element with an id that no marker points to is no note; the notes end before it
        ("brief.html", HTML_NOTES.format(after='<p id="c">Vragen? Bel ons.</p>'), ("Voetnoten",)),
        # a note outside the list: the list does not hold all notes, and is no notes section
        (
            "brief.html",
            HTML_NOTES.format(after='<ul><li id="fn3">Bron: CBS.</li><li>Meer lezen</li></ul>'),
            ("2 Maatregelen",),
        ),
        ("brief.txt", TEXT_NOTES.format(after=""), ("Voetnoten",)),  # the notes end the text
        # a page, ended by a form feed: notes at its bottom are not the end of the text
        ("brief.txt", TEXT_NOTES.format(after="\f"), ("2 Maatregelen",)),
    ],
)
def test_notes_ending_the_text_are_cited_under_voetnoten(
    tmp_path: Path, name: str, source: str, section: tuple[str, ...]
) -> None:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    passages = split_into_passages(parse_document(path, tmp_path))
    notes = next(p for p in passages if "Betaalmonitor" in p.text)
    assert notes.section == section
    assert next(p for p in passages if "te laat" in p.text).section == ("1 Inleiding",)
    assert next(p for p in passages if "30 dagen" in p.text).section == ("2 Maatregelen",)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("De omzet<sup>2</sup> daalde.", "De omzet daalde."),  # a marker without a link
        ("voor ondernemers.<sup>3</sup> Daarna", "voor ondernemers. Daarna"),
        ("de <em>TVL</em><sup> 12 </sup>-regeling", "de TVL-regeling"),
        ("Zie noot<sup>*</sup> hieronder.", "Zie noot hieronder."),
        ("Een pand van 120 m<sup>2</sup> in 2020.", "Een pand van 120 m2 in 2020."),  # exponent
        ("Ruim 10<sup>6</sup> euro.", "Ruim 106 euro."),  # after a number: kept as it stands
        ("Artikel 2<sup>bis</sup> geldt.", "Artikel 2bis geldt."),
        ("<sup>4</sup> Kamerstuk 32 637", "4 Kamerstuk 32 637"),  # a note's own number
        ("Een \ue0f1planted\ue0f2 teken.", "Een planted teken."),
    ],
)
def test_html_bare_superscripts_after_words_are_footnote_markers(
    tmp_path: Path, html: str, expected: str
) -> None:
    path = tmp_path / "pagina.html"
    path.write_text(f"<html><body><main><h1>Titel</h1><p>{html}</p></main></body></html>")
    assert parse_document(path, tmp_path).text.splitlines()[-1] == expected


# --- plain text ----------------------------------------------------------------------------


def test_shipped_cover_letter_parses_with_its_sidecar_metadata() -> None:
    doc = parse_document(DOCUMENTS / SHIPPED, DOCUMENTS)
    assert_well_formed(doc)
    assert doc.meta.title == (
        "Aanbiedingsbrief Voortgangsrapportage MKB-actieplan 2020 – Vernieuwend mkb heeft toekomst"
    )
    assert (doc.meta.date, doc.meta.kind, doc.meta.format) == ("2020-10-30", "kamerbrief", "txt")
    assert doc.meta.kamerstuk is None and doc.meta.source_url is None
    text = doc.text
    assert "de eerste voortgangsrapportage toegestuurd." in text
    assert "het MKB-actieplan toegezonden. Hierin" in text
    assert "een goed klimaat te scheppen voor ondernemers. Hoofdstuk" not in text  # own paragraph
    assert "een goed klimaat te scheppen voor ondernemers." in text
    for glued in ("toegezonden1", "voortgangsrapportage2", "ondernemers3", "toege-"):
        assert glued not in text


def test_shipped_cover_letter_footnotes_leave_the_paragraph_whole() -> None:
    doc = parse_document(DOCUMENTS / SHIPPED, DOCUMENTS)
    paragraphs = block_texts(doc, "paragraph")
    assert any(
        p.startswith("De voortgangsrapportage MKB-actieplan laat zien")
        and "van samenwerking, wet- en regelgeving en dienstverlening" in p
        and p.endswith("een weg uit de crisis weten te vinden.")
        for p in paragraphs
    )
    assert "«MKB-actieplan», Kamerstuk 32 637, nr. 316" in paragraphs
    second = "«Voortgangsrapportage MKB-actieplan 2019 – Meer ruimte voor het mkb»"
    assert f"{second}, Kamerstuk 32 637, nr. 379" in paragraphs
    assert paragraphs[-1] == "De Staatssecretaris van Economische Zaken en Klimaat, M.C.G. Keijzer"


def test_shipped_cover_letter_markers_point_to_their_notes() -> None:
    doc = parse_document(DOCUMENTS / SHIPPED, DOCUMENTS)
    text = doc.text
    linked = [(text[: n.ref].split()[-1], text[n.start : n.end]) for n in doc.notes]
    second = "«Voortgangsrapportage MKB-actieplan 2019 – Meer ruimte voor het mkb»"
    assert linked == [
        ("toegezonden", "«MKB-actieplan», Kamerstuk 32 637, nr. 316"),
        ("voortgangsrapportage", f"{second}, Kamerstuk 32 637, nr. 379"),
        ("ondernemers", "Raadpleegbaar via www.tweedekamer.nl"),
    ]
    assert document_from_record(json.loads(json.dumps(document_to_record(doc)))) == doc


def test_text_with_form_feeds_has_pages_and_cleaned_lines() -> None:
    doc = parse_document(PARSE / "brief-met-paginas.txt", PARSE)
    assert_well_formed(doc)
    assert doc.meta.title == "Voortgang MKB-actieplan"  # the first heading: no sidecar
    assert block_texts(doc, "heading") == ["Voortgang MKB-actieplan"]
    assert "de eerste voortgangsrapportage toegezonden." in doc.text
    assert "hoe de acties voor het mkb verlopen" in doc.text
    assert "de mkb-ondernemers en het steun- en herstelpakket." in doc.text
    assert "Pagina 2" not in doc.text
    assert doc.page_at(doc.text.index("De tweede alinea")) == 2
    assert doc.page_at(doc.text.index("Kamerstuk 32 637, nr. 379")) == 1


@pytest.mark.parametrize(
    ("before", "opening", "section"),
    [
        ("betalen hun leveranciers te laat.", "2 Maatregelen", ("2 Maatregelen",)),
        # the sentence runs on over the page break: its last words are no heading
        ("betalen, zo blijkt uit de", "Betaalmonitor van het CBS", ("1 Inleiding",)),
    ],
)
def test_text_heading_opening_a_page_is_a_heading(
    tmp_path: Path, before: str, opening: str, section: tuple[str, ...]
) -> None:
    """A page break is no blank line, but after a finished sentence it starts a paragraph:
    a heading at the top of a page is recognised as it is elsewhere."""
    path = tmp_path / "brief.txt"
    path.write_text(
        f"Kamerbrief over betaaltermijnen\n\n1 Inleiding\n\nGrote bedrijven {before}\n"
        f"\f{opening}\n\nHet kabinet verkort de wettelijke betaaltermijn naar 30 dagen.\n",
        encoding="utf-8",
    )
    passages = split_into_passages(parse_document(path, tmp_path))
    assert next(p for p in passages if "30 dagen" in p.text).section == section


def test_text_title_falls_back_to_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "voortgangsrapportage-2020.txt"
    path.write_text("Dit is een alinea zonder kop. Ze eindigt met een punt.\n", encoding="utf-8")
    assert parse_document(path, tmp_path).meta.title == "Voortgangsrapportage 2020"


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfEen zin met een BOM.\r\nEn een tweede regel.\r\n")
    assert parse_document(path, tmp_path).text == "Een zin met een BOM. En een tweede regel."


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("leeg.txt", b"", "bestand is leeg"),
        ("spaties.md", b"  \n\n\t \n", "bestand is leeg"),
        ("leeg.pdf", b"", "bestand is leeg"),
        ("latin1.txt", "Coöperatie één".encode("latin-1"), "geen geldige UTF-8-tekst"),
        (
            "binair.txt",
            b"GIF89a\x00\x01\x02\x00\xff tekst",
            "geen tekstbestand: het bevat binaire gegevens",
        ),
        (
            "utf16.txt",
            "Tekst".encode("utf-16"),
            "geen geldige UTF-8-tekst (UTF-16); sla het bestand op als UTF-8",
        ),
        ("notitie.docx", b"PK\x03\x04 zip", "bestandstype .docx wordt niet ondersteund"),
        ("LEESMIJ", b"tekst", "bestandstype zonder extensie wordt niet ondersteund"),
        (
            "alleen-kop.md",
            b"---\ntitle: Leeg\n---\n\n<!-- pagina 1 -->\n",
            "bestand bevat geen tekst",
        ),
        (
            "leeg.html",
            b"<html><body><script>x()</script></body></html>",
            "HTML-pagina bevat geen tekst",
        ),
    ],
)
def test_unusable_files_are_refused_with_a_dutch_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_refused(path, reason)


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "enorm.pdf"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)  # sparse: takes no disk space
    assert_refused(path, "bestand is te groot (51 MB; maximaal 50 MB)")


def test_invalid_sidecar_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_text("Een brief.\n", encoding="utf-8")
    (tmp_path / "brief.txt.toml").write_text('kind = "x"\ntitle = "niet af\n', encoding="utf-8")
    # where the mistake is, so that staff can mend the file
    assert_refused(path, "metadatabestand brief.txt.toml is ongeldig (regel 2, kolom 17)")


def test_text_footnote_markers_after_a_closing_quote_or_bracket(tmp_path: Path) -> None:
    doc = parse_text(
        tmp_path,
        "brief.txt",
        "Hierbij stuur ik u de «Monitor betaalgedrag 2019»1. De regeling voor\n"
        "scholing in het mkb (SLIM)2 is opnieuw opengesteld.\n"
        "\n"
        "1 Kamerstuk 32 637, nr. 401\n"
        "2 Staatscourant 2019, nr. 12345\n",
    )
    paragraphs = block_texts(doc, "paragraph")
    assert paragraphs[0] == (
        "Hierbij stuur ik u de «Monitor betaalgedrag 2019». De regeling voor scholing in het mkb "
        "(SLIM) is opnieuw opengesteld."
    )
    assert paragraphs[1:] == ["Kamerstuk 32 637, nr. 401", "Staatscourant 2019, nr. 12345"]


NOTES_AND_FOOTER = """<html><body><main><h1>Brief</h1><h2>1 Aanvragen</h2>
<p>Het plan is toegezonden.<sup><a href="#fn1">1</a></sup></p>
<h2>2 Terugbetalen</h2><p>De termijn is verlengd.<sup><a href="#fn2">2</a></sup></p>
<ol><li id="fn1">Kamerstuk 32 637, nr. 316</li><li id="fn2">Staatscourant 2021, nr. 12345</li></ol>
<p>Laatst gewijzigd op 3 maart 2024.</p>
<h2>Meer informatie</h2><p>Bel het Ondernemersplein op 088 585 22 22.</p>
</main></body></html>"""


def test_html_notes_followed_by_more_content_end_where_the_notes_end(tmp_path: Path) -> None:
    """Notes that hold every note the page refers to are its notes section wherever they stand:
    they end where the notes end. Text after them without a heading goes back to the section
    the notes interrupted, as text after a box does; a heading after them opens its own."""
    path = tmp_path / "brief.html"
    path.write_text(NOTES_AND_FOOTER, encoding="utf-8")
    doc = parse_document(path, tmp_path)
    passages = split_into_passages(doc)
    sections = {p.text: p.section for p in passages}
    assert sections["1. Kamerstuk 32 637, nr. 316\n2. Staatscourant 2021, nr. 12345"] == (
        "Voetnoten",
    )
    assert next(p for p in passages if "Laatst gewijzigd" in p.text).section == ("2 Terugbetalen",)
    informatie = next(p for p in passages if "Ondernemersplein" in p.text)
    assert informatie.section == ("Meer informatie",)
    assert informatie.text.startswith("Meer informatie")
    linked = [doc.text[n.start : n.end] for n in doc.notes]
    assert linked == ["Kamerstuk 32 637, nr. 316", "Staatscourant 2021, nr. 12345"]


PANDOC_NOTES = """<html><body><main><h1>Brief</h1><h2>1 Aanvragen</h2>
<p>Het plan is toegezonden<a href="#fn1" class="footnote-ref" id="fnref1"><sup>1</sup></a>. Het
kwam snel.</p>
<h2>2 Terugbetalen</h2><p>De termijn is verlengd<sup><a href="#fn2">2</a></sup>.</p>
<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes"><hr>
<ol><li id="fn1"><p>Kamerstuk 32 637, nr. 316<a href="#fnref1" class="footnote-back"
role="doc-backlink">↩︎</a></p></li>
<li id="fn2"><p>Staatscourant 2021, nr. 12345 <a href="#fnref2" class="footnote-back">↩</a></p></li>
</ol></section></main></body></html>"""


def test_html_notes_as_pandoc_writes_them_are_linked_endnotes(tmp_path: Path) -> None:
    """Pandoc's marker is a link around a <sup> (<a href="#fn1" class="footnote-ref"><sup>1
    </sup></a>), and each note ends with a link back to it ("↩"). The marker was left out
    as a bare <sup> after a word, but not linked to its note, and the arrow stayed in the
    note's text."""
    path = tmp_path / "brief.html"
    path.write_text(PANDOC_NOTES, encoding="utf-8")
    doc = parse_document(path, tmp_path)
    text = doc.text
    linked = [(text[: n.ref].split()[-1], text[n.start : n.end]) for n in doc.notes]
    assert linked == [
        ("toegezonden", "Kamerstuk 32 637, nr. 316"),
        ("verlengd", "Staatscourant 2021, nr. 12345"),
    ]
    assert "Het plan is toegezonden. Het kwam snel." in text
    assert "↩" not in text
    notes = next(p for p in split_into_passages(doc) if "Kamerstuk" in p.text)
    assert notes.section == ("Voetnoten",)
    assert notes.text == "1. Kamerstuk 32 637, nr. 316\n2. Staatscourant 2021, nr. 12345"


def test_html_nested_lists_give_each_sub_item_a_line_of_its_own() -> None:
    """A list nested in an item, also inside a wrapper of the item, or put straight in the list
    after its item as editors do, gives one line per sub-item after that item: its text does
    not run into the item's, and none is lost."""
    doc = parse_document(PARSE.parent / "html" / "geneste-lijsten.html", PARSE.parent / "html")
    assert block_texts(doc, "list") == [
        "• Het krediet is hoogstens 1,5 miljoen euro.\n"
        "• De bank kiest hoe u aflost. De mogelijkheden zijn:\n"
        "• lineair, eventueel met een aflossingsvrije periode\n"
        "• in een keer, aan het einde van de looptijd\n"
        "• De looptijd is hoogstens acht kwartalen.",
        "• Een uittreksel uit het handelsregister.\n"
        "• Uw jaarcijfers, namelijk:\n"
        "• de balans\n"
        "• de winst-en-verliesrekening\n"
        "• Een plan voor de komende twee jaar.",
    ]


def test_html_text_after_a_nested_list_follows_its_sub_items(tmp_path: Path) -> None:
    """An item's own text after a list nested in it comes after the sub-items, in document
    order, as a line of its own that continues the item (no bullet, no number): joined to the
    item's first line it ran on from "De mogelijkheden zijn:" into what follows the choices."""
    doc = parse_text(
        tmp_path,
        "aflossen.html",
        "<html><body><main><h1>Aflossen</h1><p>Zo lost u af.</p><ol>"
        "<li>De mogelijkheden zijn: <ul><li>lineair</li><li>in een keer</li></ul>"
        "U kiest bij de aanvraag.</li><li>De looptijd is acht kwartalen.</li>"
        "</ol></main></body></html>",
    )
    assert block_texts(doc, "list") == [
        "1. De mogelijkheden zijn:\n• lineair\n• in een keer\nU kiest bij de aanvraag.\n"
        "2. De looptijd is acht kwartalen."
    ]


AANVRAGEN = "Aanvragen"


@pytest.mark.parametrize(
    ("name", "source", "opening"),
    [
        (
            "brief.md",
            "# Brief\n\n## Regelingen\n\n## Aanvragen\n\nU vraagt de NOW aan bij UWV.\n",
            AANVRAGEN,
        ),
        (  # the HTML reader drops the empty heading itself: the title opens the passage
            "brief.html",
            "<html><body><main><h1>Brief</h1><h2>Regelingen</h2><h2>Aanvragen</h2>"
            "<p>U vraagt de NOW aan bij UWV.</p></main></body></html>",
            f"Brief\n\n{AANVRAGEN}",
        ),
        (
            "brief.txt",
            "Brief\n\nRegelingen\n\nAanvragen\n\nU vraagt de NOW aan bij UWV.\n",
            AANVRAGEN,
        ),
    ],
)
def test_a_heading_right_before_one_of_its_rank_makes_no_passage(
    tmp_path: Path, name: str, source: str, opening: str
) -> None:
    """Every reader's sections go through the chunker: a heading with no text before the next
    of its rank made a passage of headings alone."""
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    passages = split_into_passages(parse_document(path, tmp_path))
    assert [p.text for p in passages] == [f"{opening}\n\nU vraagt de NOW aan bij UWV."]
    assert [p.section for p in passages] == [(AANVRAGEN,)]


@pytest.mark.parametrize(
    ("head", "body", "date"),
    [
        ('<meta name="DCTERMS.available" content="2021-07-01">', "", "2021-07-01"),  # OWMS
        (
            '<script type="application/ld+json">{"@graph": [{"dateModified": "2021-03-01"}, '
            '{"@type": "NewsArticle", "datePublished": "2020-12-15T17:23:00+01:00"}]}</script>',
            "",
            "2020-12-15",
        ),
        (
            "",
            '<p>Nieuwsbericht | <time datetime="2020-12-15">15 december 2020</time></p>',
            "2020-12-15",
        ),
        (  # a publication date before the date it was changed, wherever each stands
            '<meta name="DCTERMS.modified" content="2022-01-01">',
            '<p><time datetime="2020-05-20">20 mei 2020</time></p>',
            "2020-05-20",
        ),
        ('<meta name="DCTERMS.modified" content="2022-01-01">', "", "2022-01-01"),
        (
            '<script type="application/ld+json">' + "[" * 50_000 + "]" * 50_000 + "</script>",
            "",
            None,
        ),
        ('<script type="application/ld+json">{geen: json</script>', "", None),
    ],
)
def test_html_date_falls_back_to_structured_data_time_and_last_change(
    tmp_path: Path, head: str, body: str, date: str | None
) -> None:
    path = tmp_path / "pagina.html"
    path.write_text(
        f"<html><head>{head}</head><body><main><h1>Titel</h1><p>Tekst.</p>{body}</main></body></html>"
    )
    assert parse_document(path, tmp_path).meta.date == date


def test_a_long_first_line_standing_alone_is_the_title_of_plain_text() -> None:
    """A first line of more than 80 characters, with a comma, alone in its paragraph and not
    ending like a sentence, names the document: it is its title, not a sentence of its first
    passage."""
    doc = parse_document(PARSE / "voortgangsrapportage-lange-titel.txt", PARSE)
    title = (
        "Voortgangsrapportage MKB-actieplan 2020: vernieuwend mkb heeft toekomst, met de "
        "steunmaatregelen voor ondernemers"
    )
    assert doc.meta.title == title  # the first heading: no sidecar
    assert block_texts(doc, "heading") == [title, "1 Financiering"]
    passages = split_into_passages(doc)
    assert [p.section for p in passages] == [(), ("1 Financiering",)]
