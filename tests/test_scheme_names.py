"""Finding names as Dutch policy prose introduces them: acronym definitions, variants, headings,
the phrases before "aanvragen" (index.scheme_names and index.scheme_structure)."""

from __future__ import annotations

import pytest

from index.scheme_names import (
    abbreviation_pairs,
    list_parts,
    long_form,
    name_and_word,
    number_forms,
    sentence_candidates,
    split_variant,
)
from index.scheme_structure import applied_for_phrases, structural_name


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        (
            "De Tegemoetkoming Vaste Lasten (TVL) is een subsidie.",
            ("Tegemoetkoming Vaste Lasten", "TVL"),
        ),
        (
            "Bij de Borgstelling MKB-kredieten (BMKB) staat de overheid borg.",
            ("Borgstelling MKB-kredieten", "BMKB"),
        ),
        (
            "de Tijdelijke overbruggingsregeling zelfstandig ondernemers (Tozo) aanvragen",
            ("Tijdelijke overbruggingsregeling zelfstandig ondernemers", "Tozo"),
        ),
        (
            "De Tijdelijke noodmaatregel overbrugging voor behoud van werkgelegenheid (NOW) is er.",
            ("Tijdelijke noodmaatregel overbrugging voor behoud van werkgelegenheid", "NOW"),
        ),
        (
            "De WBSO (Wet Bevordering Speur- en Ontwikkelingswerk) is een fiscale regeling.",
            ("Wet Bevordering Speur- en Ontwikkelingswerk", "WBSO"),
        ),
    ],
)
def test_an_acronym_definition_gives_its_long_form(text: str, pair: tuple[str, str]) -> None:
    assert abbreviation_pairs(text) == [pair]


def test_brackets_that_define_nothing_give_no_pair() -> None:
    assert abbreviation_pairs("Een praktijkvoorbeeld (fictief) van een bakker (zie bijlage).") == []
    assert long_form("de regeling voor ondernemers", "XYZ") is None


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("NOW 2", ("NOW", "NOW 2")),
        ("NOW 3.1", ("NOW", "NOW 3.1")),
        ("BMKB-C", ("BMKB", "BMKB-C")),
        (
            "Borgstelling MKB-kredieten corona",
            ("Borgstelling MKB-kredieten", "Borgstelling MKB-kredieten corona"),
        ),
        ("TVL", ("TVL", "")),
        ("COVID-19", ("COVID-19", "")),
    ],
)
def test_variants_are_split_from_their_base(name: str, parts: tuple[str, str]) -> None:
    assert split_variant(name) == parts


def test_a_number_after_a_name_is_no_variant_when_it_is_an_amount() -> None:
    assert split_variant("BMKB 2.751") == ("BMKB 2.751", "")


def test_capitalised_names_inside_a_sentence_are_candidates() -> None:
    found = [
        c.text
        for c in sentence_candidates(
            "U kunt via de Subsidieregeling praktijkleren en het Klein Krediet Corona geld krijgen."
        )
    ]
    assert found == ["Subsidieregeling praktijkleren", "Klein Krediet Corona"]


@pytest.mark.parametrize(
    ("spelling", "parts"),
    [
        ("TVL-periode", ("TVL", "periode")),
        ("Tozo-bedrijfskapitaal", ("Tozo", "bedrijfskapitaal")),
        ("MKB-actieplan", ("MKB", "actieplan")),  # the form; whether it is a part is decided
        ("BMKB-C", None),
        ("Speur-", None),
        ("MKB-kredieten corona", None),
        ("Innovatiekrediet", None),
    ],
)
def test_a_compound_of_a_name_and_a_lowercase_word_is_split(
    spelling: str, parts: tuple[str, str] | None
) -> None:
    assert name_and_word(spelling) == parts


def test_an_acronym_with_a_word_of_use_is_a_mention_of_the_acronym() -> None:
    text = "De TVL-periode loopt af; het MKB-actieplan blijft."
    assert [c.text for c in sentence_candidates(text)] == ["TVL", "MKB-actieplan"]


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("GO-C en Klein Krediet Corona", ["GO-C", "Klein Krediet Corona"]),
        ("BMKB-C, de GO-C of het KKC", ["BMKB-C", "GO-C", "KKC"]),
        ("Dutch Trade and Investment Fund", ["Dutch Trade", "Investment Fund"]),
        # one name: a part is a common word, lowercase or cut short by a hyphen
        ("Economische Zaken en Klimaat", ["Economische Zaken en Klimaat"]),
        ("Leverancierskrediet en export", ["Leverancierskrediet en export"]),
        (
            "Wet Bevordering Speur- en Ontwikkelingswerk",
            ["Wet Bevordering Speur- en Ontwikkelingswerk"],
        ),
    ],
)
def test_a_list_of_names_is_split_into_its_names(name: str, parts: list[str]) -> None:
    assert list_parts(name) == parts


def test_the_long_form_of_a_defined_acronym_is_one_name_whatever_joins_it() -> None:
    defined = ["MKB-innovatiestimulering Regio en Topsectoren", "Dutch Trade and Investment Fund"]
    assert list_parts("MKB-innovatiestimulering Regio en Topsectoren", defined) == [
        "MKB-innovatiestimulering Regio en Topsectoren"
    ]
    assert list_parts("Dutch Trade and Investment Fund en Qredits", defined) == [
        "Dutch Trade and Investment Fund",
        "Qredits",
    ]


def test_a_heading_gives_its_name_and_a_description_after_a_colon() -> None:
    numbered = structural_name("2.2.1 Borgstelling MKB-kredieten (BMKB)")
    described = structural_name("WBSO: fiscale regeling voor speur- en ontwikkelingswerk")
    assert numbered is not None and numbered.text == "Borgstelling MKB-kredieten"
    assert described is not None and (described.text, described.description) == (
        "WBSO",
        "fiscale regeling voor speur- en ontwikkelingswerk",
    )
    assert structural_name("B1. Welke hulp is er voor mij?") is None


def test_the_phrase_before_aanvragen_is_a_candidate() -> None:
    text = "Ondernemers kunnen bij de Belastingdienst bijzonder uitstel van betaling aanvragen."
    assert applied_for_phrases(text) == ["bijzonder uitstel van betaling"]


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("regionale ontwikkelingsmaatschappij", "regionale ontwikkelingsmaatschappijen"),
        ("kamer van koophandel", "kamers van koophandel"),
        ("gemeente", "gemeenten"),
        ("gemeente", "gemeentes"),
        ("bank", "banken"),
        ("fonds", "fondsen"),
        ("kas", "kassen"),  # a consonant doubled before "-en"
        ("bedrijf", "bedrijven"),  # "f" becomes "v"
        ("ministerie van economische zaak", "ministerie van economische zaken"),  # "aa" -> "a"
    ],
)
def test_a_name_and_its_plural_share_a_form(singular: str, plural: str) -> None:
    assert number_forms(singular) & number_forms(plural)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("regionale ontwikkelingsmaatschappij", "regionale ontwikkelingsbank"),
        ("kamer van koophandel", "kamer van koophandel en fabrieken"),
        ("bank", "banken en fondsen"),
        ("rijksdienst voor ondernemend nederland", "rijksdienst voor ondernemend vlaanderen"),
    ],
)
def test_names_that_differ_in_more_than_number_share_no_form(one: str, other: str) -> None:
    assert not number_forms(one) & number_forms(other)
