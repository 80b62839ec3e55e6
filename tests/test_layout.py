"""Page lines to blocks: page furniture, gaps, headings, footnotes, lists and page offsets."""

from __future__ import annotations

from dataclasses import replace

from index.furniture import drop_contents, drop_page_furniture
from index.lines import (
    Line,
    mark_font_headings,
    mark_gaps,
    mark_text_headings,
)
from index.paragraphs import layout_pages, removed_markers, split_footnotes
from index.textbuild import NOTE_MARK, TextBuilder, take_note_marks


def _page(number: int, *texts: str) -> list[Line]:
    return [Line(text, page=number) for text in texts]


def _texts(pages: list[list[Line]]) -> list[list[str]]:
    return [[line.text for line in page] for page in pages]


def test_running_headers_and_page_numbers_are_dropped() -> None:
    pages = [
        _page(0, "Voortgangsrapportage 2020", "Eerste alinea.", "1"),
        _page(1, "Voortgangsrapportage 2020", "Tweede alinea.", "- 2 -"),
        _page(2, "Voortgangsrapportage 2020", "Derde alinea.", "Pagina 3 van 3"),
    ]
    assert _texts(drop_page_furniture(pages)) == [
        ["Eerste alinea."],
        ["Tweede alinea."],
        ["Derde alinea."],
    ]


def test_header_with_a_changing_page_number_is_dropped() -> None:
    bodies = ["Eerste alinea.", "Tweede alinea.", "Derde alinea.", "Vierde alinea."]
    pages = [_page(n, f"MKB-actieplan 2020 | {n + 3}", body) for n, body in enumerate(bodies)]
    assert _texts(drop_page_furniture(pages)) == [[body] for body in bodies]


def test_similar_footnotes_on_several_pages_are_kept() -> None:
    pages = [
        _page(0, "Tekst.", "1 Kamerstuk 32 637, nr. 316"),
        _page(1, "Meer tekst.", "2 Kamerstuk 32 637, nr. 379"),
        _page(2, "Nog meer tekst.", "3 Kamerstuk 35 420, nr. 1"),
    ]
    assert drop_page_furniture(pages) == pages


def test_a_single_page_keeps_its_repeated_looking_lines() -> None:
    pages = [_page(0, "Voortgangsrapportage", "Een alinea.")]
    assert drop_page_furniture(pages) == pages


def test_large_title_matching_the_running_header_is_kept() -> None:
    title = Line("Voortgangsrapportage 2020", page=0, size=20)
    pages = [
        [title, Line("Inhoud.", page=0, size=11)],
        [Line("Voortgangsrapportage 2020", page=1, size=8), Line("Tekst.", page=1, size=11)],
        [Line("Voortgangsrapportage 2020", page=2, size=8), Line("Tekst.", page=2, size=11)],
    ]
    assert _texts(drop_page_furniture(pages)) == [
        ["Voortgangsrapportage 2020", "Inhoud."],
        ["Tekst."],
        ["Tekst."],
    ]


def test_repeated_body_line_at_another_height_is_kept() -> None:
    pages = [
        [Line("Kop", page=0, y=800, size=8), Line("Dezelfde zin.", page=0, y=100, size=10)],
        [Line("Kop", page=1, y=800, size=8), Line("Dezelfde zin.", page=1, y=700, size=10)],
    ]
    assert _texts(drop_page_furniture(pages)) == [["Dezelfde zin."], ["Dezelfde zin."]]


def test_headers_that_alternate_and_change_are_dropped_by_their_place() -> None:
    def page(number: int, header: str | None, body: str) -> list[Line]:
        lines = [Line(header, page=number, y=800, size=8)] if header else []
        lines += [
            Line(body, page=number, y=760, size=10),
            Line(f"{body} En meer.", page=number, y=746, size=10),
            Line(f"Pagina {number + 1} van 6", page=number, y=34, size=8),
        ]
        return lines

    pages = [
        page(0, None, "Hoofdstuk een begint hier."),
        page(1, "Monitor 2021", "Tekst op een even pagina."),
        page(2, "1 Inleiding", "Tekst op een oneven pagina."),
        page(3, "Monitor 2021", "Weer een even pagina."),
        page(4, None, "Hoofdstuk twee begint hier."),
        page(5, "Monitor 2021", "De laatste pagina."),
    ]
    assert [page[0].text for page in drop_page_furniture(pages)] == [
        "Hoofdstuk een begint hier.",
        "Tekst op een even pagina.",
        "Tekst op een oneven pagina.",
        "Weer een even pagina.",
        "Hoofdstuk twee begint hier.",
        "De laatste pagina.",
    ]
    assert all(len(page) == 2 for page in drop_page_furniture(pages))


def test_a_footnote_at_the_foot_of_pages_is_not_a_footer() -> None:
    def page(n: int, word: str) -> list[Line]:
        marked = Line(f"{word} tekst met een noot1.", page=n, y=700, size=10)
        marked = replace(marked, superscripts=((len(marked.text) - 2, len(marked.text) - 1),))
        body = [
            Line(f"{word} tekst, regel {k}.", page=n, y=686 - 14 * i, size=10)
            for i, k in enumerate("abc")
        ]
        return [marked, *body, Line("1 Kamerstuk 32 637, nr. 316.", page=n, y=80, size=8)]

    pages = [page(n, word) for n, word in enumerate(["Eerste", "Tweede", "Derde"])]
    assert drop_page_furniture(pages) == pages


def test_contents_lines_with_dot_leaders_are_dropped() -> None:
    pages = [
        _page(
            0,
            "Inhoudsopgave",
            "1 Inleiding .......... 3",
            "1.1 Een lange titel die over twee regels",
            "doorloopt . . . . . . . . . . 3",
            "2 Financiering ……… iv",
            "Deze pagina telt ook gewone tekst...",
        ),
        _page(1, "1 Inleiding", "Zie de tabel op pagina 5."),
    ]
    assert _texts(drop_contents(pages)) == [
        ["Deze pagina telt ook gewone tekst..."],
        ["1 Inleiding", "Zie de tabel op pagina 5."],
    ]


def test_a_single_dotted_line_is_not_a_table_of_contents() -> None:
    pages = [_page(0, "Inhoud", "Het bedrag is ........ 5")]
    assert drop_contents(pages) == pages


def test_wrapped_heading_joins_but_separate_headings_do_not() -> None:
    lines = [
        Line("Voortgangsrapportage 2020", y=746, size=18),
        Line("1 Samenvatting", y=718, size=18),
        Line("Tekst van de samenvatting die lang genoeg is voor een regel.", y=698, size=10),
        Line("2 Een hoofdstuktitel die over twee", y=660, size=18),
        Line("regels doorloopt", y=639, size=18),
        Line("Tekst van het hoofdstuk die ook lang genoeg is voor een regel.", y=618, size=10),
    ]
    content = layout_pages([lines], typeset=True)
    assert content.first_heading() == "Voortgangsrapportage 2020"
    assert [content.text[b.start : b.end] for b in content.blocks if b.kind == "heading"] == [
        "Voortgangsrapportage 2020",
        "1 Samenvatting",
        "2 Een hoofdstuktitel die over twee regels doorloopt",
    ]


def test_vertical_gaps_and_short_sentence_ends_start_paragraphs() -> None:
    lines = [
        Line("Een lange regel tekst die doorloopt naar de", y=700, size=10),
        Line("volgende regel en eindigt.", y=688, size=10),
        Line("Een nieuwe alinea na een korte regel met punt.", y=676, size=10),
        Line("Na een witregel begint nog een alinea die lang is", y=650, size=10),
        Line("en hier verder loopt zonder witregel ertussen", y=638, size=10),
    ]
    gaps = [line.gap_before for line in mark_gaps([lines])[0]]
    assert gaps == [False, False, True, True, False]


def test_font_size_and_bold_give_heading_levels() -> None:
    lines = [
        Line("1 Financiering", size=16),
        Line("1.1 Borgstelling", size=13, gap_before=True),
        Line("Tussenkop in vet", size=11, bold=True, gap_before=True),
        Line("Gewone tekst van de alinea die langer is.", size=11, gap_before=True),
        Line("En nog meer gewone tekst in dezelfde alinea.", size=11),
        Line("Een vette zin in de tekst.", size=11, bold=True, gap_before=True),
    ]
    assert [line.level for line in mark_font_headings(lines)] == [1, 2, 3, 0, 0, 0]


def test_plain_text_headings_are_short_lone_lines() -> None:
    lines = [
        Line("2.1 Financiering van het mkb"),
        Line("Een alinea met tekst.", gap_before=True),
        Line("Den Haag, 30 oktober 2020", gap_before=True),
        Line("Tekst na een plaats en datum.", gap_before=True),
        Line("M.C.G. Keijzer", gap_before=True),
    ]
    assert [line.level for line in mark_text_headings(lines)] == [2, 0, 0, 0, 0]


def test_a_heading_line_of_text_without_blank_lines_is_a_heading() -> None:
    """Text copied from a web page: one paragraph per line, no blank lines. A heading-like line
    after a finished sentence is a heading when the next line shows the break was made by hand:
    its first word would have fitted on the heading's line."""
    lines = [
        Line("Praktische informatie"),
        Line("De aanvraag geldt steeds voor een periode van drie maanden, in drie tijdvakken."),
        Line("Voorschot en vaststelling"),
        Line("Op basis van de aanvraag verstrekt UWV een voorschot van 80 procent."),
    ]
    assert [line.level for line in mark_text_headings(lines)] == [1, 0, 1, 0]


def test_a_wrapped_line_is_no_heading() -> None:
    """A wrapped paragraph: each line is full, so the next line's first word would not have
    fitted on it, also where a line looks like a heading and the next opens with a capital."""
    lines = [
        Line("Met de bijgevoegde rapportage laat ik zien wat er is gedaan door de"),
        Line("Rijksdienst voor Ondernemend Nederland en de Kamer van Koophandel."),
        Line("Het kabinet steunt ondernemers met een breed en samenhangend pakket van"),
        Line("Maatregelen voor werkgevers en zelfstandigen."),
    ]
    assert [line.level for line in mark_text_headings(lines)] == [0, 0, 0, 0]


def test_a_wrapped_list_item_of_plain_text_runs_on() -> None:
    """A list item wrapped onto the next line goes on in that line, also where it opens with a
    capital: the item's line is full, so the break was made by wrapping, not by hand."""
    lines = [
        Line("Voorwaarden:"),
        Line("- u bent ingeschreven in het handelsregister van de Kamer van Koophandel of bij"),
        Line("Een vergelijkbaar register in een andere lidstaat van de Europese Unie;"),
        Line("- u woont in Nederland."),
    ]
    content = layout_pages([lines], typeset=False)
    assert [(b.kind, content.text[b.start : b.end]) for b in content.blocks] == [
        ("paragraph", "Voorwaarden:"),
        (
            "list",
            "- u bent ingeschreven in het handelsregister van de Kamer van Koophandel of bij "
            "Een vergelijkbaar register in een andere lidstaat van de Europese Unie;\n"
            "- u woont in Nederland.",
        ),
    ]


def test_footnotes_need_a_marker_before_them() -> None:
    lines = [
        Line("1 Inleiding"),
        Line("Het plan is toegezonden1.", gap_before=True),
        Line("1 Kamerstuk 32 637, nr. 316", gap_before=True),
    ]
    body, notes = split_footnotes(lines, reliable_pages=True)
    assert [line.text for line in body] == ["1 Inleiding", "Het plan is toegezonden1."]
    assert [(note.number, [n.text for n in note.lines], note.anchor) for note in notes] == [
        (1, ["1 Kamerstuk 32 637, nr. 316"], 2)
    ]


def test_superscript_markers_point_to_footnotes_and_are_removed() -> None:
    lines = [
        Line("Het aantal kwam uit op 3.225.4 De meeste", page=0, superscripts=((29, 30),)),
        Line("bedrijven groeiden met 10 m2 per jaar.", page=0, superscripts=((26, 27),)),
        Line("4 Bron: CBS.", page=0, gap_before=True),
    ]
    content = layout_pages([lines], typeset=False)
    assert [content.text[b.start : b.end] for b in content.blocks] == [
        "Het aantal kwam uit op 3.225. De meeste bedrijven groeiden met 10 m2 per jaar.",
        "Bron: CBS.",
    ]


def test_removed_markers_are_found_where_they_stood() -> None:
    assert removed_markers("toegezonden1. Hierin", "toegezonden. Hierin", {1}) == [(11, 1)]
    assert removed_markers("«2019»12 en mkb.3 Dat", "«2019» en mkb. Dat", {3, 12}) == [
        (6, 12),
        (14, 3),
    ]
    assert removed_markers("op 3.225.4 De", "op 3.225. De", {4}) == [(9, 4)]
    assert removed_markers("nr. 316", "nr. 316", {1, 3}) == []  # nothing taken out
    assert removed_markers("x7 y", "x y", {1}) == []  # not a note number


def test_markers_are_linked_to_their_notes_by_offset() -> None:
    lines = [
        Line("Op 29 juni 2018 heb ik het plan toegezonden1. In de zomer van"),
        Line("2019 volgde de rapportage2 over het mkb. Zie ook de site.3"),
        Line("1 Kamerstuk 32 637, nr. 316", gap_before=True),
        Line("2 Kamerstuk 32 637,"),
        Line("nr. 379"),
        Line("3 Raadpleegbaar via www.tweedekamer.nl", gap_before=True),
        Line("Slot.", gap_before=True),
    ]
    content = layout_pages([lines], typeset=False)
    text = content.text
    linked = [(text[: n.ref].split()[-1], text[n.start : n.end]) for n in content.notes]
    assert linked == [
        ("toegezonden", "Kamerstuk 32 637, nr. 316"),
        ("rapportage", "Kamerstuk 32 637, nr. 379"),
        ("site.", "Raadpleegbaar via www.tweedekamer.nl"),
    ]


def test_superscript_markers_are_linked_to_their_notes() -> None:
    lines = [
        Line("Het aantal kwam uit op 3.225.4 De meeste", page=0, superscripts=((29, 30),)),
        Line("4 Bron: CBS.", page=0, gap_before=True),
    ]
    content = layout_pages([lines], typeset=False)
    (link,) = content.notes
    assert content.text[link.ref - 6 : link.ref] == "3.225."
    assert content.text[link.start : link.end] == "Bron: CBS."


def test_footnote_without_known_page_end_stops_where_the_text_resumes() -> None:
    lines = [
        Line("Zie het plan1 en de rapportage2 van het"),
        Line("1 Kamerstuk 32 637, nr. 316", gap_before=True),
        Line("2 Kamerstuk 32 637,"),
        Line("nr. 379", gap_before=True),
        Line("kabinet over het mkb."),
    ]
    body, notes = split_footnotes(lines, reliable_pages=False)
    assert [line.text for line in body] == [lines[0].text, "kabinet over het mkb."]
    assert [len(note.lines) for note in notes] == [1, 2]


def test_layout_joins_lists_and_keeps_footnotes_after_their_paragraph() -> None:
    pages = [
        [
            Line("Voorwaarden", page=0),
            Line("De regeling1 kent drie", page=0, gap_before=True),
            Line("voorwaarden:", page=0),
            Line("• een omzet van ten", page=0, gap_before=True),
            Line("minste 50.000 euro;", page=0),
            Line("• inschrijving bij KVK.", page=0),
            Line("1 Staatscourant 2020, nr. 1", page=0, gap_before=True),
        ],
        [Line("Slotzin op pagina twee.", page=1)],
    ]
    content = layout_pages(pages, typeset=False)
    blocks = [(b.kind, content.text[b.start : b.end]) for b in content.blocks]
    assert blocks == [
        ("heading", "Voorwaarden"),
        ("paragraph", "De regeling kent drie voorwaarden:"),
        ("list", "• een omzet van ten minste 50.000 euro;\n• inschrijving bij KVK."),
        ("paragraph", "Staatscourant 2020, nr. 1"),
        ("paragraph", "Slotzin op pagina twee."),
    ]
    assert content.page_starts == (0, content.text.index("Slotzin"))


def test_table_rows_make_one_table_block_over_a_page_break() -> None:
    def row(text: str, page: int, y: float) -> Line:
        return Line(text, page=page, y=y, size=9, row=True)

    pages = [
        [
            Line("Tabel 1 Gebruik", page=0, y=520, size=9),
            row("Regeling 2019 2020", 0, 505),
            row("BMKB n.v.t. 2.950", 0, 490),
        ],
        [
            row("Regeling 2019 2020", 1, 760),  # the header row repeated on the next page
            row("– waarvan starters 410 12", 1, 745),
            Line("Bron: RVO.", page=1, y=730, size=9),
        ],
    ]
    content = layout_pages(pages, typeset=True)
    assert [(b.kind, content.text[b.start : b.end]) for b in content.blocks] == [
        ("paragraph", "Tabel 1 Gebruik"),
        ("table", "Regeling 2019 2020\nBMKB n.v.t. 2.950\n– waarvan starters 410 12"),
        ("paragraph", "Bron: RVO."),
    ]


def test_builder_places_page_starts_inside_a_block() -> None:
    builder = TextBuilder()
    builder.add("heading", "Titel", 1)
    builder.add("paragraph", "eerste deel tweede deel", page_marks=[(0, 0), (13, 1)])
    builder.page_break()
    builder.page_break()
    builder.add("paragraph", " laatste ")
    content = builder.build()
    assert content.text == "Titel\n\neerste deel tweede deel\n\nlaatste"
    assert content.page_starts == (0, 20, 32, 32)
    assert [(b.kind, b.level) for b in content.blocks] == [
        ("heading", 1),
        ("paragraph", 0),
        ("paragraph", 0),
    ]
    assert content.first_heading() == "Titel"


def test_builder_stops_at_the_character_limit() -> None:
    builder = TextBuilder(max_chars=30)
    builder.add("paragraph", "Twintig tekens lang.")
    builder.add("paragraph", "Deze past er niet meer bij.")
    content = builder.build()
    assert content.text == "Twintig tekens lang."
    assert content.truncated


def test_note_marks_are_taken_out_with_their_offsets() -> None:
    mark = NOTE_MARK
    assert take_note_marks(f"plan{mark}. En {mark} verder", ["1", "2"]) == (
        "plan. En verder",
        [(4, "1"), (8, "2")],
    )
    assert take_note_marks(f" {mark}Eerst", ["a"]) == ("Eerst", [(0, "a")])
    assert take_note_marks(f"plan{mark}", ["1", "2"]) == ("plan", [])  # one swallowed: unsure


def test_a_first_line_alone_is_a_title_however_long_unless_it_ends_a_sentence() -> None:
    """The document's first line, alone in its paragraph, names the document however long it
    is; a salutation, a sentence or a letter's place and date in its place does not."""
    body = Line("Het kabinet steunt ondernemers in het mkb.", gap_before=True)
    title = (
        "Voortgangsrapportage MKB-actieplan 2020: vernieuwend mkb heeft toekomst, met de "
        "steunmaatregelen voor ondernemers"
    )
    sentence = "Met deze brief informeer ik uw Kamer over de voortgang van het MKB-actieplan 2020."
    dated = "Den Haag, 30 oktober 2020"
    for first, level in [(title, 1), ("Geachte voorzitter,", 0), (sentence, 0), (dated, 0)]:
        assert [line.level for line in mark_text_headings([Line(first), body])] == [level, 0]
