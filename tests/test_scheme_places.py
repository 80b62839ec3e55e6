"""Where a "waar" sentence says to apply (index.scheme_places.agencies): whole organisation
names, and the acronym a name is given in brackets."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.scheme_places import (
    Naming,
    agencies,
    by_acronym,
    defined_acronyms,
    distinct,
    own_names,
)

SCHEMES = Path(__file__).parent / "data" / "schemes"


def _waar_sentence(name: str) -> str:
    """Return the sentence of a fixture that says where to apply."""
    text = (SCHEMES / name).read_text(encoding="utf-8")
    return next(line for line in text.splitlines() if " aan bij " in line)


def test_the_agency_of_the_kwartiermaker_factsheet_is_the_whole_rijksdienst() -> None:
    sentence = _waar_sentence("kwartiermaker.md")
    assert "Rijksdienst voor Ondernemend Nederland (RVO)" in sentence
    assert agencies(sentence) == ["RVO"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name goes on after a linking word with capitalised words
        ("U schrijft zich in bij de Kamer van Koophandel.", ["de Kamer van Koophandel"]),
        (
            "U vraagt de subsidie aan bij de Rijksdienst voor Ondernemend Nederland.",
            ["de Rijksdienst voor Ondernemend Nederland"],
        ),
        (
            "Aanvragen kan bij het Ministerie van Economische Zaken en Klimaat.",
            ["Ministerie van Economische Zaken en Klimaat"],
        ),
        (
            "Aanvragen bij de Nederlandse Voedsel- en Warenautoriteit.",
            ["de Nederlandse Voedsel- en Warenautoriteit"],
        ),
        # ... and over an enumeration after the linking word, commas and all
        (
            "U vraagt het aan bij het Ministerie van Onderwijs, Cultuur en Wetenschap.",
            ["Ministerie van Onderwijs, Cultuur en Wetenschap"],
        ),
        (
            "Aanvragen bij het Ministerie van Landbouw, Natuur en Voedselkwaliteit, de provincie "
            "of de gemeente.",
            ["Ministerie van Landbouw, Natuur en Voedselkwaliteit", "de provincie", "de gemeente"],
        ),
        # a comma after a name, or before an acronym, a lowercase word or a clause, ends it;
        # the places of a list that ends in "en" or "of" are all given, in order
        ("Aanvragen bij UWV, RVO en de gemeente.", ["UWV", "RVO", "de gemeente"]),
        (
            "Aanvragen bij de Belastingdienst, Douane en Rijkswaterstaat.",
            ["de Belastingdienst", "Douane", "Rijkswaterstaat"],
        ),
        (
            "Aanvragen bij de Kamer van Koophandel, UWV en RVO.",
            ["de Kamer van Koophandel", "UWV", "RVO"],
        ),
        (
            "Aanvragen bij de Kamer van Koophandel, de Belastingdienst en UWV.",
            ["de Kamer van Koophandel", "de Belastingdienst", "UWV"],
        ),
        (
            "Aanvragen bij RVO of de Kamer van Koophandel (KVK).",
            ["RVO", "KVK"],
        ),
        ("Aanvragen bij de Kamer van Koophandel (KVK) of UWV.", ["KVK", "UWV"]),
        # commas that no "en" or "of" ends list nothing
        ("Aanvragen bij RVO, Qredits verstrekt de lening.", ["RVO"]),
        (
            "Aanvragen bij de Rijksdienst voor Ondernemend Nederland, die de regeling uitvoert.",
            ["de Rijksdienst voor Ondernemend Nederland"],
        ),
        # ... and stops at a lowercase word, a number or an acronym
        ("U kunt de TVL aanvragen bij RVO van 16 november 2020 tot 29 januari 2021.", ["RVO"]),
        ("U laat dat bij de Kamer van Koophandel aanpassen.", ["de Kamer van Koophandel"]),
        ("Aanvragen kan bij UWV en RVO.", ["UWV", "RVO"]),
        ("Aanvragen kan bij UWV in Amsterdam.", ["UWV"]),
        ("Aanvragen kan bij Qredits en Invest-NL.", ["Qredits", "Invest-NL"]),
        ("U vraagt de lening aan bij uw bank en de provincie.", ["uw bank", "de provincie"]),
        # "en" and "&" go on inside a name only after its "van" or "voor": before it they join
        # another agency
        ("U leent bij Qredits en Triodos Bank.", ["Qredits", "Triodos Bank"]),
        ("U leent via Qredits & Triodos.", ["Qredits", "Triodos"]),
        ("U vraagt het aan bij de gemeente en Qredits.", ["de gemeente", "Qredits"]),
        # ... and never to an organisation of its own (an organisation noun its head)
        (
            "Aanvragen bij de Kamer van Koophandel en Belastingdienst.",
            ["de Kamer van Koophandel", "Belastingdienst"],
        ),
        (
            "U meldt het bij de Kamer van Koophandel, Belastingdienst en Douane.",
            ["de Kamer van Koophandel", "Belastingdienst", "Douane"],
        ),
        # "in" and "op" place an agency, in space or time: never part of its name
        ("U belt bij Qredits op Werkdagen.", ["Qredits"]),
        ("U meldt dat bij de Belastingdienst in Heerlen.", ["de Belastingdienst"]),
        ("Inschrijven bij de Kamer van Koophandel in Utrecht.", ["de Kamer van Koophandel"]),
        (
            "Aanvragen bij het Ministerie van Economische Zaken en Klimaat in Den Haag.",
            ["Ministerie van Economische Zaken en Klimaat"],
        ),
        # an acronym in brackets that abbreviates the name is the name used
        ("Inschrijven bij de Kamer van Koophandel (KvK) in Utrecht.", ["KvK"]),
        ("Aanvragen bij het Ministerie van Economische Zaken en Klimaat (EZK).", ["EZK"]),
        ("Aanvragen bij de Nederlandse Voedsel- en Warenautoriteit (NVWA).", ["NVWA"]),
        # ... and proves the words before it one name, over "in", "op", "en" or "&"
        ("Terecht bij het Steunpunt Ondernemers in Nood (SOIN).", ["SOIN"]),
        ("Aanvragen bij het Ministerie van Onderwijs, Cultuur en Wetenschap (OCW).", ["OCW"]),
        # a bracket that does not abbreviate the name is no acronym of it
        ("Aanvragen bij de gemeente (zie de bijlage).", ["de gemeente"]),
        ("Aanvragen bij de Rijksdienst (2021).", ["de Rijksdienst"]),
        ("Aanvragen bij de Belastingdienst (UWV keert uit).", ["de Belastingdienst"]),
        (
            "U kunt aanvragen via uw bank of bij de provincie Fryslân.",
            ["uw bank", "de provincie Fryslân"],
        ),
    ],
)
def test_agencies_are_whole_names(text: str, expected: list[str]) -> None:
    assert agencies(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a noun phrase naming a kind of organisation, its adjectives and all, is a place ...
        (
            "Ondernemers kunnen via hun bank of een andere geaccrediteerde financier een lening "
            "aanvragen.",
            ["hun bank", "een andere geaccrediteerde financier"],
        ),
        (
            "Bij uw bank of een andere door RVO geaccrediteerde financier.",
            ["uw bank", "een andere door RVO geaccrediteerde financier"],
        ),
        ("U vraagt het aan via je eigen bank.", ["je eigen bank"]),
        (
            "Aanvragen bij de regionale ontwikkelingsmaatschappijen en banken.",
            ["de regionale ontwikkelingsmaatschappijen", "banken"],
        ),
        # ... with the organisation it belongs to after "van"
        (
            "Bij RVO of bij het regionale loket van de provincie.",
            ["RVO", "het regionale loket van de provincie"],
        ),
        # ... also after "aan", where a name is whom something is sent or lent to
        ("U geeft de wijziging door aan de gemeente of UWV.", ["de gemeente", "UWV"]),
        ("De rapportage is aan uw Kamer gezonden; de lening aan Qredits is verlengd.", []),
        # ... and after "naar", where a name is mostly where goods, trips or letters go
        ("U gaat naar uw bank of een andere financier.", ["uw bank", "een andere financier"]),
        ("Wij wijzen u de weg naar de juiste loketten.", ["de juiste loketten"]),
        ("U exporteert naar India; de wet gaat naar de Tweede Kamer.", []),
        ("Vraag uw bank naar het Klein Krediet Corona (KKC).", []),
        # a noun phrase whose noun is no organisation is no place
        ("Aanvragen kan bij de website van RVO.", []),
        ("U vraagt het aan bij de gemeente of een adviseur.", ["de gemeente"]),
        # a group or setting one meets or works in, or the government as a whole, is no place
        ("U bespreekt de aanvraag bij het regionale overleg en daarna aan tafel.", []),
        ("Meld het via het team of uw netwerk bij de gemeente.", ["de gemeente"]),
        ("De kosten liggen bij het kabinet en het rijk.", []),
        # ... but a group with its name is a unit one can write to
        (
            "Vragen stelt u aan het team Subsidies van de provincie Westmaren.",
            ["het team Subsidies van de provincie Westmaren"],
        ),
    ],
)
def test_a_noun_phrase_naming_a_kind_of_organisation_is_a_place(
    text: str, expected: list[str]
) -> None:
    assert agencies(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "niet", "geen" or "nooit" in the place's clause, before or after it: no place ...
        ("U vraagt de BMKB-C en de GO-C niet zelf aan bij RVO.", []),
        ("U kunt niet bij RVO terecht, maar wel bij de gemeente.", ["de gemeente"]),
        ("Dien geen aanvraag in bij UWV of de gemeente; wij nemen contact op.", []),
        (
            "Ondernemers die bij de bank niet terechtkunnen, vragen de lening aan bij Qredits.",
            ["Qredits"],
        ),
        # ... nor its conjuncts; a negation in another clause leaves it a place
        ("U vraagt het aan bij RVO als u geen personeel heeft.", ["RVO"]),
        ("Bij de gemeente kunt u terecht, ook als de bank nooit antwoordt.", ["de gemeente"]),
        # "niet alleen" adds, "niet meer dan" bounds: no negation of the place
        ("Via de bank krijgt u niet alleen een lening maar ook advies.", ["de bank"]),
        ("Bij uw bank leent u niet meer dan 50.000 euro.", ["uw bank"]),
        ("Aanvragen bij een niet-bancaire financier.", ["een niet-bancaire financier"]),
    ],
)
def test_a_place_in_the_scope_of_a_negation_is_no_place(text: str, expected: list[str]) -> None:
    assert agencies(text) == expected


def test_a_place_written_with_another_determiner_is_the_same_place() -> None:
    places = ["de gemeente", "RVO", "hun gemeente", "uw gemeente", "je gemeente", "Gemeente"]
    assert distinct(places) == ["de gemeente", "RVO"]  # the one written first
    assert Naming().places("Bij de gemeente, en anders bij jouw gemeente.") == ["de gemeente"]
    plural = defined_acronyms(
        ["De COL wordt uitgevoerd door de regionale ontwikkelingsmaatschappijen (ROM's)."]
    )
    assert by_acronym("uw regionale ontwikkelingsmaatschappij", plural) == "ROM"


def test_a_full_name_is_known_by_the_acronym_the_documents_define_for_it() -> None:
    acronyms = defined_acronyms(
        [
            "De Rijksdienst voor Ondernemend Nederland (RVO) beoordeelt de aanvragen.",
            "Inschrijven doet u bij de Kamer van Koophandel (KvK).",
            "De Kamer van Koophandel (KVK) is het loket; de Kamer van Koophandel (KVK) helpt.",
        ]
    )
    assert by_acronym("de Rijksdienst voor Ondernemend Nederland", acronyms) == "RVO"
    assert by_acronym("Rijksdienst voor Ondernemend Nederland", acronyms) == "RVO"
    assert by_acronym("de Kamer van Koophandel", acronyms) == "KVK"  # the one written most
    # a name no document defines an acronym for is left as written
    assert by_acronym("de Belastingdienst", acronyms) == "de Belastingdienst"
    assert by_acronym("RVO", acronyms) == "RVO"


def test_a_name_in_the_singular_is_known_by_the_acronym_defined_for_its_plural() -> None:
    plural = defined_acronyms(
        ["De COL wordt uitgevoerd door de regionale ontwikkelingsmaatschappijen (ROM's)."]
    )
    assert by_acronym("de regionale ontwikkelingsmaatschappij", plural) == "ROM"
    singular = defined_acronyms(["Inschrijven doet u bij de Kamer van Koophandel (KVK)."])
    assert by_acronym("de Kamers van Koophandel", singular) == "KVK"
    # the name as written decides before its number
    both = {"fonds": "F", "fondsen": "FS"}
    assert by_acronym("de fondsen", both) == "FS" and by_acronym("het fonds", both) == "F"


def test_a_list_of_organisations_without_an_organisation_noun_is_not_one_name() -> None:
    """Douane and Rijkswaterstaat have no organisation noun, but the documents write them on
    their own, so after "en" or a comma they start names of their own; the words of a
    ministry's portfolio are written capitalised only inside its name."""
    names = own_names(
        [
            "De Douane controleert de aangifte bij invoer.",
            "Voor werk aan een dijk vraagt u een vergunning aan bij Rijkswaterstaat.",
            "Het Ministerie van Onderwijs, Cultuur en Wetenschap betaalt mee.",
        ]
    )
    assert {"douane", "rijkswaterstaat"} <= names and not {"cultuur", "wetenschap"} & names

    listed = "Aanvragen bij de Kamer van Koophandel, Douane en Rijkswaterstaat."
    assert agencies(listed, names=names) == ["de Kamer van Koophandel", "Douane", "Rijkswaterstaat"]
    joined = "Aanvragen bij de Rijksdienst voor Ondernemend Nederland en Rijkswaterstaat."
    assert agencies(joined, names=names) == [
        "de Rijksdienst voor Ondernemend Nederland",
        "Rijkswaterstaat",
    ]
    ministry = "U vraagt het aan bij het Ministerie van Onderwijs, Cultuur en Wetenschap."
    assert agencies(ministry, names=names) == ["Ministerie van Onderwijs, Cultuur en Wetenschap"]
    # a name written on its own is still the words after a "van" of a longer name
    economy = own_names(["Het ministerie van Economische Zaken betaalt mee."])
    assert "economische zaken" in economy
    assert agencies("Aanvragen bij het Ministerie van Economische Zaken.", names=economy) == [
        "Ministerie van Economische Zaken"
    ]


def test_a_sentence_gives_each_place_once_by_the_name_the_documents_use() -> None:
    naming = Naming(
        acronyms=defined_acronyms(["Bij de Rijksdienst voor Ondernemend Nederland (RVO)."])
    )
    assert naming.places("Aanvragen bij UWV of RVO, en anders bij UWV.") == ["UWV", "RVO"]
    twice = "Aanvragen bij de Rijksdienst voor Ondernemend Nederland, en anders bij RVO of UWV."
    assert naming.places(twice) == ["RVO", "UWV"]
