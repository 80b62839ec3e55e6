"""Scheme cards from small real texts: which names become cards, how variants merge, which
sentence fills which field, and how statements of different dates are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.chunk import split_into_passages
from index.parse import list_documents, parse_document
from index.scheme_cards import build_cards
from index.scheme_types import SchemeCard

ROOT = Path(__file__).resolve().parents[1]


def cards_of(folder: Path, texts: dict[str, tuple[str, str]]) -> dict[str, SchemeCard]:
    """Write Markdown documents ({file: (date, body)}), read them as the index does, and return
    their cards by acronym or name."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (date, body) in texts.items():
        (folder / name).write_text(f'---\ntitle: "{name}"\ndate: {date}\n---\n\n{body}\n', "utf-8")
    return cards_in(folder)


def cards_in(folder: Path) -> dict[str, SchemeCard]:
    docs, passages = {}, []
    for path in list_documents(folder):
        doc = parse_document(path, folder)
        docs[doc.meta.doc_id] = doc
        passages.extend(split_into_passages(doc))
    return {card.acronym or card.name: card for card in build_cards(docs, passages)}


TVL = """# Kamerbrief

## Coronamaatregelen: vaste lasten

De Tegemoetkoming Vaste Lasten (TVL) is een subsidie voor ondernemers die door de
coronamaatregelen veel omzet verliezen. De TVL is bedoeld voor mkb-ondernemingen met ten minste
30 procent omzetverlies. De subsidie bedraagt maximaal 90.000 euro per onderneming. U kunt de
TVL aanvragen bij RVO van 16 november 2020 tot en met 29 januari 2021.
"""


def test_a_scheme_introduced_with_its_acronym_gets_a_cited_card(tmp_path: Path) -> None:
    cards = cards_of(tmp_path, {"tvl.md": ("2020-11-16", TVL)})

    card = cards["TVL"]
    assert card.name == "Tegemoetkoming Vaste Lasten" and card.slug == "tvl"
    assert card.theme == "corona" and card.updated == "2020-11-16"
    quote = card.field_quotes("waar")[0]
    assert "aanvragen bij RVO" in quote.text and card.agencies == ("RVO",)
    assert "90.000 euro" in card.field_quotes("hoeveel")[0].text
    assert "30 procent omzetverlies" in card.field_quotes("voorwaarden")[0].text
    assert "bedoeld voor mkb-ondernemingen" in card.field_quotes("voor_wie")[0].text
    assert "29 januari 2021" in card.field_quotes("periode")[0].text
    assert "is een subsidie" in card.field_quotes("wat")[0].text
    assert quote.doc_id == "tvl.md" and quote.passage_id.startswith("tvl.md/p")


def test_organisations_codes_and_laws_get_no_card(tmp_path: Path) -> None:
    text = """# Uitvoering

De Rijksdienst voor Ondernemend Nederland (RVO) beoordeelt de aanvragen. UWV keert de
voorschotten uit. Ondernemers moeten bij KVK ingeschreven staan met de juiste SBI-code; RVO en
KVK beoordelen meldingen over een onjuiste SBI-code samen. De Autoriteit Consument & Markt (ACM)
registreert meldingen over te late betaling. De Wet franchise is aangenomen en treedt op
1 januari 2021 in werking; de Wet franchise geldt voor nieuwe overeenkomsten. Invest-NL is op
1 januari 2020 operationeel geworden en Invest-NL investeert in snelgroeiende bedrijven.

Het Innovatiekrediet is een risicodragende lening voor ontwikkelingsprojecten. U kunt een
Innovatiekrediet aanvragen bij RVO.
"""
    cards = cards_of(tmp_path, {"uitvoering.md": ("2020-10-30", text)})

    assert list(cards) == ["Innovatiekrediet"]


def test_a_scheme_named_without_acronym_in_lowercase_is_found(tmp_path: Path) -> None:
    text = """# Belastingen

Ondernemers die door de crisis betalingsproblemen hebben, kunnen bij de Belastingdienst
bijzonder uitstel van betaling aanvragen. Het bijzonder uitstel van betaling wordt verlengd tot
1 januari 2021. Zodra een ondernemer een verzoek indient, stopt de invordering.

Een tegemoetkoming in de loonkosten is er voor werkgevers. Werkgevers kunnen een tegemoetkoming
in de loonkosten aanvragen bij UWV.
"""
    cards = cards_of(tmp_path, {"belastingen.md": ("2020-08-28", text)})

    assert list(cards) == ["Bijzonder uitstel van betaling"]  # a description is not a name
    card = cards["Bijzonder uitstel van betaling"]
    assert card.acronym is None and card.agencies == ("de Belastingdienst",)
    assert "1 januari 2021" in card.field_quotes("periode")[0].text


VARIANTS = """# Kredieten

## Borgstelling MKB-kredieten (BMKB)

Met de Borgstelling MKB-kredieten (BMKB) staat de overheid garant voor een deel van een
banklening. Ondernemers vragen de BMKB aan bij hun bank.

Sinds 16 maart 2020 is de BMKB tijdelijk verruimd tot de BMKB-C. Onder de BMKB-C mag het
borgstellingskrediet oplopen tot 75 procent van de financiering.

## Garantie Ondernemingsfinanciering (GO)

Voor grotere leningen bestaat de Garantie Ondernemingsfinanciering (GO). Met de GO staat de
overheid garant voor 50 procent. Voor leningen vanaf 1,5 miljoen euro kunnen banken de GO-C
gebruiken, met een garantie van 90 procent.

## NOW

De NOW is een tegemoetkoming in de loonkosten voor werkgevers. De NOW 1 liep van maart tot en
met mei 2020. De NOW 2 besloeg juni tot en met september 2020. De NOW 3 loopt van 1 oktober 2020
tot 1 juli 2021; werkgevers vragen de NOW aan bij UWV.
"""


def test_variants_of_a_scheme_are_parts_of_its_card(tmp_path: Path) -> None:
    cards = cards_of(tmp_path, {"kredieten.md": ("2020-10-30", VARIANTS)})

    assert sorted(cards) == ["BMKB", "GO", "NOW"]
    assert cards["BMKB"].variants == ("BMKB-C",)
    assert cards["GO"].variants == ("GO-C",)
    assert cards["NOW"].variants == ("NOW 1", "NOW 2", "NOW 3")
    assert any(q.variant == "BMKB-C" and "75 procent" in q.text for q in cards["BMKB"].fields)


def test_newer_statements_come_first_and_older_ones_only_when_they_differ(
    tmp_path: Path,
) -> None:
    older = """# Innovatie

Het Innovatiekrediet is een risicodragende lening voor ontwikkelingsprojecten. Voor het
Innovatiekrediet is in 2019 maximaal 70 miljoen euro beschikbaar. U vraagt het Innovatiekrediet
aan bij RVO.
"""
    same = """# Innovatie

Het Innovatiekrediet is een risicodragende lening voor ontwikkelingsprojecten. Voor het
Innovatiekrediet is in 2019 maximaal 70 miljoen euro beschikbaar.
"""
    newer = """# Innovatie

Het Innovatiekrediet is een risicodragende lening voor ontwikkelingsprojecten. Voor het
Innovatiekrediet is in 2020 maximaal 60 miljoen euro beschikbaar.
"""
    cards = cards_of(
        tmp_path,
        {
            "rapport-2019.md": ("2019-07-11", older),
            "factsheet-2019.md": ("2019-03-01", same),
            "rapport-2020.md": ("2020-10-30", newer),
        },
    )

    card = cards["Innovatiekrediet"]
    amounts = card.field_quotes("hoeveel")
    assert [q.date for q in amounts] == ["2020-10-30", "2019-07-11"]
    assert "60 miljoen" in amounts[0].text and "70 miljoen" in amounts[1].text
    assert [q.doc_id for q in card.field_quotes("wat")] == ["rapport-2020.md"]  # nothing new
    assert card.updated == "2020-10-30"
    assert card.field_quotes("waar")[0].doc_id == "rapport-2019.md"


def test_the_card_names_the_whole_agency_by_the_acronym_it_is_given() -> None:
    card = cards_in(ROOT / "tests" / "data" / "schemes")["Kwartiermakersregeling"]

    assert "Rijksdienst voor Ondernemend Nederland (RVO)" in card.field_quotes("waar")[0].text
    assert card.agencies == ("RVO",)


def test_an_agency_written_out_with_its_acronym_is_the_agency_of_the_acronym(
    tmp_path: Path,
) -> None:
    """An older statement is shown only when it names another place; the Rijksdienst voor
    Ondernemend Nederland (RVO) is the RVO of the newer one."""
    older = TVL.replace("bij RVO", "bij de Rijksdienst voor Ondernemend Nederland (RVO)")
    cards = cards_of(
        tmp_path, {"tvl-2020.md": ("2020-11-16", TVL), "tvl.md": ("2020-10-01", older)}
    )

    card = cards["TVL"]
    assert [q.doc_id for q in card.field_quotes("waar")] == ["tvl-2020.md"]
    assert card.agencies == ("RVO",)


def test_fields_the_documents_do_not_give_stay_empty(tmp_path: Path) -> None:
    text = """# Export

Het kabinet heeft een tijdelijke subsidieregeling opengesteld waarmee mkb-ondernemers advies
kunnen inwinnen over de gevolgen van de brexit, de zogeheten brexitvoucher.
"""
    cards = cards_of(tmp_path, {"brexit.md": ("2019-07-11", text)})

    card = cards["Brexitvoucher"]
    assert [q.field for q in card.fields] == ["wat", "voor_wie"]
    assert not card.field_quotes("waar") and not card.agencies


def test_sentences_after_a_field_label_fill_that_field(tmp_path: Path) -> None:
    text = """# Financieringsinstrumenten

## 1. Vroegefasefinanciering (VFF)

**Voor wie?** Innovatieve starters en mkb-bedrijven die hun idee willen toetsen.

**Hoe werkt het?** Met deze lening zet een ondernemer de stap van idee naar plan. Voorwaarde is
een intentieverklaring van een investeerder.

**Waar?** Bij RVO.
"""
    cards = cards_of(tmp_path, {"factsheet.md": ("2019-10-01", text)})

    card = cards["VFF"]
    assert card.name == "Vroegefasefinanciering"
    assert card.field_quotes("voor_wie")[0].text.startswith("Innovatieve starters")
    assert card.field_quotes("voorwaarden")[0].text.startswith("Voorwaarde is")
    assert card.field_quotes("waar")[0].text == "Bij RVO."


def test_a_scheme_is_not_carried_into_the_next_document(tmp_path: Path) -> None:
    # Two documents laid out alike: the first paragraph of b.md sits in the same block at the
    # same offset as the last paragraph of a.md, which ends on the TVL.
    first = """# Kamerbrief

De Tegemoetkoming Vaste Lasten (TVL) is een subsidie voor ondernemers die door de
coronamaatregelen veel omzet verliezen. U kunt de TVL aanvragen bij RVO.
"""
    second = """# Kamerbrief

Het Rijk geeft gemeenten extra geld voor de ondersteuning van lokale winkelstraten. De bijdrage
bedraagt maximaal 5.000 euro per straat."""
    cards = cards_of(tmp_path, {"a.md": ("2020-11-16", first), "b.md": ("2020-11-16", second)})

    card = cards["TVL"]
    assert card.field_quotes("waar")[0].doc_id == "a.md"
    assert all(q.doc_id == "a.md" for q in card.fields)


@pytest.mark.parametrize("folder", ["documents", "bench/corpora/brief/documents"])
def test_the_shipped_cover_letter_has_no_cards(folder: str) -> None:
    assert cards_in(ROOT / folder) == {}


def test_an_agency_named_in_full_is_the_acronym_another_document_defines(tmp_path: Path) -> None:
    older = """# Uitvoering

De Rijksdienst voor Ondernemend Nederland (RVO) beoordeelt de aanvragen. Het Innovatiekrediet
is een risicodragende lening voor ontwikkelingsprojecten. U kunt een Innovatiekrediet aanvragen
bij RVO.
"""
    newer = """# Innovatie

Het Innovatiekrediet is een lening voor ontwikkelingsprojecten van mkb-ondernemers. U kunt een
Innovatiekrediet aanvragen bij de Rijksdienst voor Ondernemend Nederland.
"""
    cards = cards_of(
        tmp_path, {"uitvoering.md": ("2019-06-01", older), "innovatie.md": ("2020-06-01", newer)}
    )

    card = cards["Innovatiekrediet"]
    assert card.agencies == ("RVO",)
    # one agency: the older statement adds no other place, so the newest alone is shown
    assert [q.doc_id for q in card.field_quotes("waar")] == ["innovatie.md"]


def test_a_scheme_a_sentence_sends_one_to_is_no_agency(tmp_path: Path) -> None:
    """ "Kijk dan bij de Tozo" sends a self-employed reader to another scheme, and "via de
    SLIM-regeling" names the scheme itself: neither is where one applies."""
    older = """# Steun

De Tegemoetkoming Vaste Lasten (TVL) is een subsidie voor de vaste lasten van ondernemers. U
vraagt de TVL aan bij RVO. De Tozo is een uitkering voor zelfstandig ondernemers. U vraagt de
Tozo aan bij uw gemeente.
"""
    newer = """# Zelfstandigen

Als zelfstandige zonder personeel kunt u de TVL niet aanvragen; kijk dan bij de Tozo.

De Stimuleringsregeling leren en ontwikkelen in mkb-ondernemingen (SLIM) is een subsidie voor
scholing in het mkb. Ondernemers kunnen vanaf 1 maart subsidie aanvragen via de SLIM-regeling.
"""
    cards = cards_of(
        tmp_path, {"steun.md": ("2020-06-01", older), "zelfstandigen.md": ("2021-03-01", newer)}
    )
    assert cards["TVL"].agencies == ("RVO",)
    assert [q.text for q in cards["TVL"].field_quotes("waar")] == ["U vraagt de TVL aan bij RVO."]
    assert cards["Tozo"].agencies == ("uw gemeente",)
    assert all("SLIM" not in agency for card in cards.values() for agency in card.agencies)


def test_sentences_under_a_heading_naming_an_edition_are_about_that_edition(
    tmp_path: Path,
) -> None:
    text = """# Loonkosten

De Tijdelijke Noodmaatregel Overbrugging voor Werkgelegenheid (NOW) is een tegemoetkoming in de
loonkosten. U vraagt de NOW aan bij UWV.

## NOW 4

Werkgevers kunnen voor juli, augustus en september 2021 opnieuw een tegemoetkoming in de
loonkosten aanvragen.
"""
    card = cards_of(tmp_path, {"now.md": ("2021-05-28", text)})["NOW"]
    assert card.variants == ("NOW 4",)
    edition = [q for q in card.fields if q.text.startswith("Werkgevers kunnen voor juli")]
    assert edition and all(q.variant == "NOW 4" for q in edition)


def test_a_sentence_sending_the_reader_on_to_another_scheme_is_about_its_own(
    tmp_path: Path,
) -> None:
    """On the TVL's page, "Loonkosten vallen er niet onder; daarvoor is de NOW bedoeld" says
    what the TVL does not cover: it names the NOW only as where to go instead, so it is no
    statement of what the NOW is, though it stands under "Wat is het?" in a newer document."""
    now = """# Loonkosten

De NOW is een tegemoetkoming in de loonkosten voor werkgevers. U vraagt de NOW aan bij UWV.
"""
    tvl = """# Tegemoetkoming Vaste Lasten (TVL)

## Wat is het?

De Tegemoetkoming Vaste Lasten (TVL) is een subsidie voor ondernemers die veel omzet verliezen.
Met de TVL betaalt u een deel van uw vaste lasten. Loonkosten vallen er niet onder; daarvoor is
de NOW bedoeld.
"""
    cards = cards_of(tmp_path, {"now.md": ("2021-03-15", now), "tvl.md": ("2021-07-01", tvl)})

    referral = "Loonkosten vallen er niet onder; daarvoor is de NOW bedoeld."
    assert [q.text for q in cards["NOW"].field_quotes("wat")] == [
        "De NOW is een tegemoetkoming in de loonkosten voor werkgevers."
    ]
    assert all(q.text != referral for q in cards["NOW"].fields)
    assert referral in [q.text for q in cards["TVL"].sentences]


def test_an_agency_in_the_singular_is_the_acronym_defined_for_its_plural(tmp_path: Path) -> None:
    older = """# Financiering

De Corona-OverbruggingsLening (COL) wordt uitgevoerd door de regionale
ontwikkelingsmaatschappijen (ROM's).
"""
    newer = """# Startups

De Corona-OverbruggingsLening (COL) is een lening voor startups en scale-ups. U vraagt de COL
aan bij de regionale ontwikkelingsmaatschappij in uw provincie.
"""
    cards = cards_of(
        tmp_path, {"monitor.md": ("2020-06-01", older), "startups.md": ("2020-09-01", newer)}
    )

    card = cards["COL"]
    assert "regionale ontwikkelingsmaatschappij in" in card.field_quotes("waar")[0].text
    assert card.agencies == ("ROM",)


def test_organisations_listed_without_an_organisation_noun_are_not_one_agency(
    tmp_path: Path,
) -> None:
    text = """# Export

De Douane controleert bij de grens of de papieren in orde zijn. Voor werk aan een dijk geeft
Rijkswaterstaat een vergunning af.

De Exportvoucher is een subsidie voor advies over export. U vraagt de Exportvoucher aan bij de
Kamer van Koophandel, Douane en Rijkswaterstaat.
"""
    card = cards_of(tmp_path, {"export.md": ("2021-03-01", text)})["Exportvoucher"]

    assert "Douane en Rijkswaterstaat" in card.field_quotes("waar")[0].text
    assert card.agencies == ("de Kamer van Koophandel", "Douane", "Rijkswaterstaat")


def test_a_scheme_named_only_in_lists_of_names_is_found(tmp_path: Path) -> None:
    """ "GO-C en Klein Krediet Corona" runs together as one candidate; split at its joiners, the
    scheme named only in such lists gets its card, and the list none."""
    text = """# Kredieten

De kredietregelingen BMKB-C, GO-C en Klein Krediet Corona blijven beschikbaar tot en met
31 december 2021. Ondernemers met een omzet vanaf 50.000 euro vragen de BMKB-C of de GO-C aan
bij hun bank. Voor kleine leningen zijn TVL en Klein Krediet Corona bedoeld.
"""
    cards = cards_of(tmp_path, {"kredieten.md": ("2021-05-28", text)})

    assert "Klein Krediet Corona" in cards
    assert not any(" en " in name for name in cards)
    assert len(cards["Klein Krediet Corona"].sentences) == 2


def test_a_compound_of_a_schemes_name_is_a_part_of_that_scheme(tmp_path: Path) -> None:
    """ "Tozo-bedrijfskapitaal", listed twice in a table of schemes, is the Tozo's loan: its rows
    are on the Tozo's card, not on a card of their own."""
    text = """# Zelfstandigen

De Tijdelijke overbruggingsregeling zelfstandig ondernemers (Tozo) is een uitkering voor
zelfstandigen. U vraagt de Tozo aan bij uw gemeente.

| Regeling | Leenbedrag |
|---|---|
| Tozo-bedrijfskapitaal | maximaal 10.157 euro |
| Klein Krediet Corona | 10.000 tot 50.000 euro |

| Maatregel | Vorm |
|---|---|
| Klein Krediet Corona en Tozo-bedrijfskapitaal | lening |
"""
    cards = cards_of(tmp_path, {"zelfstandigen.md": ("2020-10-30", text)})

    assert sorted(cards) == ["Klein Krediet Corona", "Tozo"]
    assert "10.157 euro" in cards["Tozo"].field_quotes("hoeveel")[0].text


def test_a_place_written_with_another_determiner_is_no_other_place(tmp_path: Path) -> None:
    """ "bij hun gemeente" and "bij de gemeente" send one to the same place: the card names it
    once, as first quoted, and the older statement adds no place, so it is not kept."""
    older = """# Zelfstandigen

De Tijdelijke overbruggingsregeling zelfstandig ondernemers (Tozo) is een uitkering voor
zelfstandigen. Zelfstandigen kunnen voor de Tozo terecht bij hun gemeente.
"""
    newer = """# Tozo

De Tozo is een uitkering voor zelfstandigen. U vraagt de Tozo aan bij de gemeente waar u woont.
"""
    cards = cards_of(tmp_path, {"oud.md": ("2020-04-01", older), "nieuw.md": ("2020-11-02", newer)})

    card = cards["Tozo"]
    assert [q.doc_id for q in card.field_quotes("waar")] == ["nieuw.md"]
    assert card.agencies == ("de gemeente",)


def test_every_place_of_a_list_of_kinds_of_organisation_is_an_agency(tmp_path: Path) -> None:
    text = """# Kredieten

Klein Krediet Corona (KKC) is een garantieregeling voor kleine ondernemers. Ondernemers kunnen
via hun bank of een andere geaccrediteerde financier een lening aanvragen van maximaal 50.000 euro.
"""
    card = cards_of(tmp_path, {"kkc.md": ("2020-10-30", text)})["KKC"]

    assert "geaccrediteerde financier" in card.field_quotes("waar")[0].text
    assert card.agencies == ("hun bank", "een andere geaccrediteerde financier")


def test_a_meeting_a_sentence_sends_one_to_is_no_agency(tmp_path: Path) -> None:
    """ "bij het regionale overleg" names a meeting, not an organisation one applies to: the
    card's place is where the next sentence sends one."""
    text = """# Regionale investeringen

De Regionale Investeringsregeling (RIR) is een subsidie voor ondernemers in de regio.
Ondernemers melden hun plannen voor de RIR aan bij het regionale overleg. U vraagt de RIR aan
bij de provincie.
"""
    card = cards_of(tmp_path, {"rir.md": ("2021-03-01", text)})["RIR"]

    assert card.agencies == ("de provincie",)
    assert "overleg" not in card.field_quotes("waar")[0].text


def test_where_not_to_apply_is_no_place_and_where_to_go_is(tmp_path: Path) -> None:
    """ "niet zelf aan bij RVO" says where not to go; the place is the bank one goes to."""
    text = """# Borgstelling

De Borgstelling MKB-kredieten (BMKB) is een garantieregeling voor ondernemers met te weinig
zekerheden.

## Hoe vraagt u het aan?

U vraagt de BMKB niet zelf aan bij RVO. U gaat naar uw bank of een andere geaccrediteerde
financier.
"""
    card = cards_of(tmp_path, {"bmkb.md": ("2020-10-05", text)})["BMKB"]

    assert card.agencies == ("uw bank", "een andere geaccrediteerde financier")
    assert card.field_quotes("waar")[0].text.startswith("U gaat naar uw bank")
