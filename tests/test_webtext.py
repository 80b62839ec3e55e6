"""Site furniture in web pages copied to plain text or Markdown, told by a line's text."""

from __future__ import annotations

import pytest

from index.webtext import (
    byline,
    furniture_lines,
    is_breadcrumb,
    is_page_control,
    is_region_label,
    kicker,
    region_labels,
    tab_title,
)


@pytest.mark.parametrize(
    ("line", "breadcrumb"),
    [
        ("Home > Ondernemers > Lening aanvragen", True),
        ("Naar de inhoud | Zakelijk > Btw > Kleineondernemersregeling", True),
        ("Home › Subsidies en financiering › WBSO", True),
        ("Omzet > Kosten", False),  # two segments: a comparison as well
        ("Is de omzet > € 20.000 > de grens, dan betaalt u btw.", False),
        ("Als x > 3 > y", False),
        ("»Home« zei hij", False),
    ],
)
def test_a_breadcrumb_is_three_or_more_link_labels_joined_by_arrows(
    line: str, breadcrumb: bool
) -> None:
    assert is_breadcrumb(line) is breadcrumb


@pytest.mark.parametrize(
    ("line", "control"),
    [
        ("Print", True),
        ("Deel deze pagina", True),
        ("Print deze pagina", True),
        ("Naar boven", True),
        ("Deel deze pagina: LinkedIn | Facebook | Twitter | E-mail", True),
        ("Privacy | Cookies | Disclaimer | Klachten", True),
        ("Vond u deze informatie nuttig? Ja Nee", True),
        ("Was dit artikel nuttig? Ja / Nee", True),
        ("Contact", False),  # a section's heading
        ("Deze pagina", False),  # words of a label are no label
        ("Print het formulier en stuur het op.", False),
        ("Heeft u een bv? Ja, dan tekent u zelf mee.", False),
        ("Gepubliceerd op 8 maart 2022 | Laatst gecontroleerd op 20 april 2022", False),
    ],
)
def test_a_line_of_nothing_but_page_controls_is_furniture(line: str, control: bool) -> None:
    assert is_page_control(line) is control


def test_a_feedback_question_with_its_buttons_on_lines_of_their_own_is_furniture() -> None:
    texts = ["Meer weten? Bel ons.", "Was dit artikel nuttig?", "Ja", "Nee", "Wat kost het?", "Ja"]
    assert furniture_lines(texts) == {1, 2, 3}


def test_a_byline_of_list_items_keeps_its_dateline_alone() -> None:
    texts = [
        "Titel van het artikel",
        "- Redactie",
        "- Bijgewerkt 3 maart 2024",
        "- 4 min",
        "Tekst.",
    ]
    assert byline(texts, 0) == {1: "", 2: "Bijgewerkt 3 maart 2024", 3: ""}


def test_a_byline_of_bare_lines_needs_a_reading_time_and_ends_with_the_last_mark() -> None:
    texts = ["Titel", "Redactie KVK", "Bijgewerkt 18 oktober 2021", "6 min lezen", "Inleiding"]
    assert byline(texts, 0) == {1: "", 2: "Bijgewerkt 18 oktober 2021", 3: ""}
    assert byline(["Titel", "Directie Ondernemen", "Datum 12 mei 2020", "", "Tekst."], 0) == {}


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("Redactie KVK | Bijgewerkt 17 nov 2020 | 5 min lezen", "Bijgewerkt 17 nov 2020"),
        ("Redactie | 4 min | 9.6K", ""),
        ("- Achtergrond | Bijgewerkt 3 maart 2024", "Bijgewerkt 3 maart 2024"),
        ("Lening | Rente | Looptijd", None),  # a table's row: no date or reading time
        ("Redactie | Leestijd is 5 min, lees eerst dit", None),  # a sentence part
        ("Redactie | € 5.000 lenen | 5 min", None),  # a part no label
    ],
)
def test_a_byline_on_one_line_is_judged_by_its_parts_joined_by_bars(
    line: str, found: str | None
) -> None:
    texts = ["Titel", "", line, "Tekst."]  # the text may follow without a blank line
    assert byline(texts, 0) == ({} if found is None else {2: found})


def test_lines_of_bars_under_one_another_are_a_table_not_a_byline() -> None:
    texts = ["Titel", "Redactie | 4 min", "Anne de Vries | 5 min", "", "Tekst."]
    assert byline(texts, 0) == {}


def test_no_byline_after_the_running_text_has_begun() -> None:
    texts = ["Titel", "", "Dit is de tekst.", "- Redactie", "- Bijgewerkt 3 maart 2024"]
    assert byline(texts, 0) == {}


KICKED = ["Corona", "", "BMKB-C: borgstelling verruimd"]


@pytest.mark.parametrize(
    ("texts", "found"),
    [
        ([*KICKED, "", "• Redactie", "• 5 min lezen", "", "Tekst."], 0),
        ([*KICKED, "Gepubliceerd op 2 mei 2020", "Tekst."], 0),
        ([*KICKED, "", "Tekst."], None),  # nothing says it is a web article's head
        (["Brief", "", "1 Inleiding", "", "Tekst."], None),
        (["Corona", "BMKB-C: borgstelling verruimd", "Bijgewerkt 2 mei 2020"], None),  # no gap
        (["Tozo", "", "Aanvragen", "Bijgewerkt 2 mei 2020"], None),  # no more words
        (["Corona", "", "De borgstelling is verruimd.", "Bijgewerkt 2 mei 2020"], None),
        (["2020", "", "Jaarverslag van de regeling", "Bijgewerkt 2 mei 2020"], None),  # no word
    ],
)
def test_a_kicker_is_a_lone_word_above_a_dated_title(texts: list[str], found: int | None) -> None:
    assert kicker(texts) == found


@pytest.mark.parametrize(
    ("texts", "found"),
    [
        (["Subsidie X | RVO.nl", "Menu rechts", "", "Subsidie X", "Tekst."], {0, 1, 2}),
        (["Subsidie X", "Service menu", "", "subsidie  x", "Tekst."], {0, 1, 2}),
        (["Subsidie X", "", "Tekst.", "", "Subsidie X"], set()),  # repeated in the text itself
        (["Subsidie X", "", "Subsidie Y", "Tekst."], set()),  # no repetition
        ([], set()),
    ],
)
def test_a_tab_title_and_the_site_header_under_it_go_when_the_title_repeats(
    texts: list[str], found: set[int]
) -> None:
    assert tab_title(texts) == found


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("Service menu right", True),
        ("Menu rechts", True),
        ("Hoofdmenu", True),
        ("Footer links", True),
        ("Service", False),  # no region of the layout named
        ("Menukaart", False),
        ("Menu van de week", False),
        ("Service en contact", False),
    ],
)
def test_a_label_of_a_region_of_the_site_names_the_region_and_where_it_is(
    line: str, label: bool
) -> None:
    assert is_region_label(line) is label


@pytest.mark.parametrize(
    ("texts", "found"),
    [
        (["Titel", "", "Tekst.", "", "Service menu right", ""], {4}),
        (["Menu rechts", "", "Titel", "Tekst.", "Footer", "", "Menu links"], {0, 4, 6}),
        (["Titel", "Hoofdmenu", "Tekst."], set()),  # in the middle: the text's own
        (["Hoofdmenu"], {0}),
        ([], set()),
    ],
)
def test_region_labels_go_at_the_two_ends_of_a_page(texts: list[str], found: set[int]) -> None:
    assert region_labels(texts) == found
