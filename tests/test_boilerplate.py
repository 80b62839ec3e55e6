"""Web pages keep their article and lose the site around it, with or without <main>."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from index.chunk import split_into_passages
from index.html import read_html
from index.htmltags import block_tag
from index.parse import parse_document

HTML = Path(__file__).parent / "data" / "html"


def blocks(name: str) -> list[tuple[str, str]]:
    doc = parse_document(HTML / name, HTML)
    return [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks]


def leveled_blocks(name: str) -> list[tuple[str, int, str]]:
    """The page's blocks as (kind, heading level, text)."""
    doc = parse_document(HTML / name, HTML)
    return [(b.kind, b.level, doc.text[b.start : b.end]) for b in doc.blocks]


def test_page_without_main_keeps_its_article_and_the_notes_inside_it() -> None:
    assert blocks("kvk-zonder-main.html") == [
        ("heading", "Klein Krediet Corona"),
        (
            "paragraph",
            "Met het Klein Krediet Corona (KKC) kunt u bij uw bank een lening krijgen van "
            "minimaal 10.000 en maximaal 50.000 euro.",
        ),
        ("heading", "Voorwaarden"),
        (
            "list",
            "• Uw omzet was in 2019 minimaal 50.000 euro.\n"
            "• Uw bedrijf was op 1 januari 2020 niet in financiële moeilijkheden.",
        ),
        ("paragraph", "Let op: de KKC kunt u aanvragen tot 31 december 2021."),  # aside inside
        ("paragraph", "Bron: regeling KKC, Staatscourant 2020."),  # the article's own footer
    ]


def test_page_of_divs_keeps_the_text_and_its_questions_and_answers() -> None:
    assert blocks("ondernemersplein-divs.html") == [
        ("heading", "Bijzonder uitstel van betaling"),
        (
            "paragraph",
            "Heeft u door de coronacrisis betalingsproblemen? Dan kunt u bij de Belastingdienst "
            "bijzonder uitstel van betaling aanvragen.",
        ),
        ("heading", "Veelgestelde vragen"),
        ("heading", "Hoe lang krijg ik uitstel?"),  # a <details> summary
        ("paragraph", "U krijgt eerst 3 maanden uitstel. Daarna kunt u verlenging aanvragen."),
        ("heading", "Moet ik rente betalen?"),
        ("paragraph", "De invorderingsrente is tijdelijk verlaagd naar 0,01 procent."),
    ]


def test_furniture_inside_main_is_left_out() -> None:
    assert blocks("rvo-met-main.html") == [
        ("heading", "WBSO"),
        (
            "paragraph",
            "Met de WBSO krijgt u een vermindering op de loonheffing voor speur- en "
            "ontwikkelingswerk.",
        ),
        ("paragraph", "Lees ook de voorwaarden van de WBSO."),  # a link's class does not count
    ]


def test_collapsed_accordions_keep_their_questions_and_answers() -> None:
    """A page saved without scripts has every accordion answer `hidden` and each question in a
    button (the NL Design System's accordion), and tabs hide their panels likewise; all of it
    is page text. Hidden text that nothing opens, text for screen readers only, a menu, a
    cookie dialog and other buttons stay out."""
    assert blocks("accordeon-verborgen.html") == [
        ("heading", "Tegemoetkoming Vaste Lasten (TVL)"),
        (
            "paragraph",
            "Met de TVL krijgt u een subsidie voor uw vaste lasten als uw omzet door corona is "
            "gedaald.",
        ),
        ("paragraph", "Lees de voorwaarden op rvo.nl en bij de KVK."),  # no screen-reader text
        ("heading", "Wie kan de TVL aanvragen?"),
        ("paragraph", "U kunt de TVL aanvragen als u minimaal 30% omzetverlies heeft."),
        ("heading", "Waar vraag ik de TVL aan?"),
        ("paragraph", "U vraagt de TVL aan bij RVO."),
        ("heading", "Wat telt als vaste lasten?"),  # a <details> summary
        ("paragraph", "Huur, verzekeringen en abonnementen."),
        ("heading", "Moet ik de TVL terugbetalen?"),
        ("paragraph", "Alleen als uw omzetverlies kleiner was dan u opgaf."),
        ("paragraph", "Voor ondernemers Voor intermediairs"),  # tabs, then their panels
        ("paragraph", "Ondernemers vragen zelf aan."),
        ("paragraph", "Een intermediair mag namens u aanvragen."),
        ("paragraph", "De TVL liep tot en met het derde kwartaal van 2021."),
    ]


def test_inside_main_the_page_header_and_callouts_are_content() -> None:
    """<main> holds no site header or footer: a "page-header" with the title, a callout
    <aside> and the content's own footer count there; an aside of links does not."""
    assert blocks("main-met-kop-en-kader.html") == [
        ("heading", "Bijzonder uitstel van betaling"),
        (
            "paragraph",
            "Heeft u door corona betalingsproblemen? Dan kunt u bijzonder uitstel krijgen.",
        ),
        ("paragraph", "De invorderingsrente is tijdelijk 0,01 procent."),
        (
            "paragraph",
            "Let op: u kunt het uitstel aanvragen tot 1 oktober 2021. Lees de voorwaarden.",
        ),
        ("paragraph", "Laatst gewijzigd op 1 juni 2021."),
    ]


def test_an_accordion_button_outside_a_heading_heads_its_panel() -> None:
    """Bootstrap's accordion has no heading: its button names the panel and becomes a heading
    one level below the section's, so each question heads its answer's passage."""
    assert leveled_blocks("accordeon-bootstrap.html") == [
        ("heading", 1, "Veelgestelde vragen TVL"),
        ("heading", 2, "Aanvragen"),
        ("heading", 3, "Wie kan de TVL aanvragen?"),
        ("paragraph", 0, "Ondernemers met minimaal 30% omzetverlies."),
        ("heading", 3, "Waar vraag ik aan?"),
        ("paragraph", 0, "Bij RVO."),
        ("heading", 2, "Terugbetalen"),
        ("paragraph", 0, "Soms moet u terugbetalen."),
    ]


def test_a_heading_inside_a_button_heads_the_content_after_it() -> None:
    """An accordion whose button holds the question's heading (<button><h3>…</h3></button>)
    keeps the heading, at its own level, with or without aria-expanded; buttons that are
    controls only ("Menu", "Print", "Deel") stay out."""
    assert leveled_blocks("accordeon-kop-in-knop.html") == [
        ("heading", 1, "NOW: vaststelling"),
        ("paragraph", 0, "Na afloop stellen wij de subsidie vast."),
        ("heading", 2, "Vragen over de vaststelling"),
        ("heading", 3, "Wat heeft u nodig?"),
        ("list", 0, "• eHerkenning niveau 3\n• uw loonheffingennummer"),
        ("heading", 4, "Bent u het niet eens met het besluit?"),
        ("paragraph", 0, "Dan kunt u binnen 6 weken bezwaar maken."),
        ("heading", 2, "Contact"),
        ("paragraph", 0, "Bel UWV Werkgevers."),
    ]


def test_the_summary_of_a_details_element_heads_its_content() -> None:
    """<details><summary>Vraag?</summary>antwoord</details>: the summary is a heading one level
    below the heading it stands under (a nested one a level deeper again), so each question
    heads its answer's passage; a summary that holds a heading keeps that heading's level."""
    assert leveled_blocks("uitklapvragen.html") == [
        ("heading", 1, "Tozo 2 en 3: vragen"),
        ("heading", 2, "Partner en inkomen"),
        ("heading", 3, "Telt het inkomen van mijn partner mee?"),
        ("paragraph", 0, "Ja, sinds Tozo 2."),
        ("heading", 4, "Welk inkomen telt mee?"),
        ("paragraph", 0, "Loon en uitkeringen."),
        ("heading", 3, "Moet mijn partner ook ondertekenen?"),
        ("paragraph", 0, "Ja, met zijn of haar eigen DigiD."),
        ("heading", 2, "Vermogen"),
        ("heading", 3, "Wat is de vermogenstoets?"),
        ("paragraph", 0, "Wij kijken naar uw vermogen."),
        ("heading", 4, "Wat telt als vermogen?"),
        ("paragraph", 0, "Spaargeld en beleggingen."),
    ]
    passages = split_into_passages(parse_document(HTML / "uitklapvragen.html", HTML))
    answer = next(p for p in passages if "Loon en uitkeringen." in p.text)
    assert answer.section[-2:] == (
        "Telt het inkomen van mijn partner mee?",
        "Welk inkomen telt mee?",
    )


def test_nl_design_system_elements_are_headings_paragraphs_and_blocks() -> None:
    # <utrecht-heading-1>, <utrecht-heading level="3">, role="heading", <utrecht-paragraph>;
    # the list inside <utrecht-html-content> stays a list; <utrecht-link> stays inside its
    # sentence, without its text for screen readers ("screenreader--only"); the custom page
    # header and footer around <main> are left out
    assert blocks("nl-design-system.html") == [
        ("heading", "Ondernemersfonds"),
        (
            "paragraph",
            "Het ondernemersfonds betaalt mee aan projecten die het centrum van Dalvoorde "
            "aantrekkelijker maken.",
        ),
        (
            "list",
            "• Het fondsbestuur beslist elk kwartaal over de aanvragen.\n"
            "• Ondernemersverenigingen kunnen een aanvraag indienen.",
        ),
        ("heading", "Bijdrage"),
        (
            "paragraph",
            "Het fonds vergoedt maximaal 60 procent van de projectkosten, tot 15.000 euro per "
            "project.",
        ),
        ("heading", "Aanvragen"),
        ("paragraph", "U dient de aanvraag in voor 1 maart of voor 1 september."),
        ("heading", "Contact"),
        ("paragraph", "Bel het ondernemersloket op 14 0999."),
    ]
    doc = parse_document(HTML / "nl-design-system.html", HTML)
    assert [b.level for b in doc.blocks if b.kind == "heading"] == [1, 2, 3, 3]


@pytest.mark.parametrize(
    ("element", "tag"),
    [
        ("<utrecht-heading-4>Kop</utrecht-heading-4>", "h4"),
        ('<utrecht-heading level="5">Kop</utrecht-heading>', "h5"),
        ('<nl-heading level="9">Kop</nl-heading>', "h2"),  # not a level: ARIA's default
        ('<div role="heading">Kop</div>', "h2"),
        ('<span role="heading" aria-level="1">Kop</span>', "h1"),
        ("<utrecht-paragraph>Tekst.</utrecht-paragraph>", "p"),
        ('<div role="paragraph">Tekst.</div>', "p"),
        ("<utrecht-html-content><p>Tekst.</p></utrecht-html-content>", "div"),
        (
            "<x-wrapper><x-card><utrecht-paragraph>Tekst.</utrecht-paragraph></x-card></x-wrapper>",
            "div",
        ),
        (
            '<utrecht-link href="/a">link<utrecht-icon>i</utrecht-icon></utrecht-link>',
            "utrecht-link",
        ),
        ("<span>tekst</span>", "span"),
        ("<h3>Kop</h3>", "h3"),
        ('<h3 role="heading">Kop</h3>', "h3"),  # a standard element's own tag says more
        ('<ol role="list"><li>a</li></ol>', "ol"),
        ('<div role="table"><div role="row"><span role="cell">a</span></div></div>', "table"),
        ('<div role="row"><span role="cell">a</span></div>', "tr"),
        ('<span role="columnheader">a</span>', "th"),
        ('<div role="list"><div role="listitem">a</div></div>', "ul"),
        ("<utrecht-table-header-cell>a</utrecht-table-header-cell>", "th"),
        ("<utrecht-unordered-list-item>a</utrecht-unordered-list-item>", "li"),
        (
            "<utrecht-ordered-list><utrecht-ordered-list-item>a</utrecht-ordered-list-item></utrecht-ordered-list>",
            "ol",
        ),
    ],
)
def test_block_tag_reads_custom_elements_and_roles(element: str, tag: str) -> None:
    body = LexborHTMLParser(f"<html><body>{element}</body></html>").body
    assert body is not None and body.child is not None
    assert block_tag(body.child) == tag


def test_tables_and_lists_of_aria_roles_and_custom_elements_keep_their_rows_and_items() -> None:
    assert blocks("aria-tabel-en-lijst.html") == [
        ("heading", "Vaste lasten"),
        (
            "table",
            "Periode | Maximum\nvierde kwartaal 2020 | 90.000 euro\n"
            "eerste kwartaal 2021 | 330.000 euro",
        ),
        ("heading", "Voorwaarden"),
        (
            "list",
            "• U heeft ten minste 30 procent omzetverlies.\n"
            "• Uw bedrijf staat ingeschreven bij de KVK.",
        ),
        ("heading", "Aanvragen"),
        ("list", "1. Vraag eHerkenning aan.\n2. Vul het formulier in."),
        ("paragraph", "Openingstijden loket"),  # the caption: the table's title, not a row
        ("table", "Dag | Tijd\nmaandag | 9.00 tot 17.00 uur"),
    ]


def test_a_role_list_or_table_without_items_or_rows_keeps_its_text() -> None:
    # a <div role="list"> of paragraphs is read as the container it was before it had a role
    content, _ = read_html(
        '<html><body><main><h1>Titel</h1><div role="list"><p>Een zin zonder items.</p></div>'
        '<div role="table"><p>Een zin zonder rijen.</p></div></main></body></html>'
    )
    assert content.text == "Titel\n\nEen zin zonder items.\n\nEen zin zonder rijen."


def test_a_list_of_nothing_but_links_is_left_out(tmp_path: Path) -> None:
    """A list whose every item is a link names other pages and says nothing to quote; under its
    scheme names it would match questions it cannot answer. A list item with a sentence around
    its link, and a paragraph with a link, stay; a heading left with nothing under it goes
    (`test_a_heading_whose_content_was_left_out_goes_too`) and makes no passage."""
    page = """<html><body><main><article>
      <h1>Steunpakket verlengd</h1>
      <p>De TVL loopt door in het derde kwartaal. Lees <a href="/tvl">de voorwaarden</a>.</p>
      <h2>Aanvragen</h2>
      <ul>
        <li>Vraag de TVL aan bij <a href="https://www.rvo.nl/tvl">RVO</a> voor 1 oktober.</li>
        <li><a href="https://www.uwv.nl/now">NOW 4 (UWV)</a></li>
      </ul>
      <h2>Meer informatie</h2>
      <ul>
        <li><a href="https://www.rvo.nl/tvl">TVL derde kwartaal 2021 (RVO)</a></li>
        <li> <a href="https://www.uwv.nl/now">NOW 4 (UWV)</a> </li>
        <li><a href="https://www.qredits.nl/"><span>Qredits</span></a></li>
      </ul>
    </article></main></body></html>"""
    (tmp_path / "pagina.html").write_text(page, encoding="utf-8")
    doc = parse_document(tmp_path / "pagina.html", tmp_path)
    texts = [doc.text[b.start : b.end] for b in doc.blocks]
    assert texts == [
        "Steunpakket verlengd",
        "De TVL loopt door in het derde kwartaal. Lees de voorwaarden.",
        "Aanvragen",
        "• Vraag de TVL aan bij RVO voor 1 oktober.\n• NOW 4 (UWV)",
    ]
    passages = split_into_passages(doc)
    assert passages and all("Meer informatie" not in p.section for p in passages)


def test_a_heading_whose_content_was_left_out_goes_too() -> None:
    """A heading with nothing left under it before the next heading of its rank, or the end,
    is a heading of nothing: "Ook interessant" and "Meer informatie" over links, "Documenten"
    over a share bar and a subsection of links. A heading over a subsection with text, or over
    a callout box, stays."""
    assert leveled_blocks("lege-koppen.html") == [
        ("heading", 1, "TVL aanvragen"),
        ("heading", 2, "Wat heeft u nodig?"),
        ("heading", 3, "Voor de aanvraag"),
        ("paragraph", 0, "U heeft eHerkenning nodig."),
        ("heading", 2, "Contact"),
        ("heading", 3, "Let op"),
        ("paragraph", 0, "De TVL sluit op 1 oktober."),
    ]


def test_a_page_of_nothing_but_headings_keeps_them() -> None:
    content, _ = read_html("<html><body><main><h1>Titel</h1><h2>Kop</h2></main></body></html>")
    assert content.text == "Titel\n\nKop"
