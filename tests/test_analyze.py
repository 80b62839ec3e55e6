"""Dutch text analysis: folding, words, compounds, synonyms, typos and sentence splitting."""

from __future__ import annotations

import sys
import unicodedata
from itertools import combinations

import pytest

from assistant.analyze import _APOSTROPHE, _DIGIT_SEPARATOR, Analyzer, Synonyms, fold, words
from assistant.typos import TypoCorrector, _deletes, edit_distance
from index.sentences import split_sentences

TEXTS = [
    "Werkgevers kunnen een tegemoetkoming in de loonkosten aanvragen bij UWV (NOW).",
    "De loonkostensubsidie geldt voor mkb-bedrijven met personeel.",
    "Zelfstandigen kunnen een lening voor bedrijfskapitaal krijgen via de gemeente.",
    "De Tegemoetkoming Vaste Lasten (TVL) vergoedt een deel van de vaste lasten.",
    "Het inkomen van de partner telt mee. De subsidie bedraagt 4.000 euro.",
    "Het krediet is bedoeld voor innovatieve ondernemers; een subsidie is er niet.",
]


# A small synonym table of the kind `Synonyms` takes (none is used by default).
SYNONYMS = Synonyms(
    dutch={
        "zzper": ("zelfstandige", "zelfstandigen"),
        "salaris": ("loonkosten", "loonsom"),
        "huur": ("vaste lasten",),
        "beveiliging": ("cyberveiligheid", "cyberweerbaarheid"),
    },
    english={
        "employer": ("werkgever",),
        "loan": ("lening", "krediet"),
        "wages": ("loonkosten", "loonsom"),
        "rent": ("huur", "vaste lasten"),
        "pay": ("betalen", "betaling"),
    },
)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer.from_texts(TEXTS, SYNONYMS)


def test_no_synonyms_by_default() -> None:
    weights = Analyzer.from_texts(TEXTS).query_terms("salaris voor een zzp'er").weights
    assert set(weights) == {"salaris", "zzper"}


def test_fold_drops_exactly_the_combining_marks_of_every_character() -> None:
    """`fold` skips the decomposition of ASCII text and drops marks with one pattern; the result
    is the plain definition's (NFKD, then no character with a combining class)."""

    def plain(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.lower())
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return _DIGIT_SEPARATOR.sub("", _APOSTROPHE.sub("", text))

    characters = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(characters), 4096):
        text = " ".join(f"a{ch}b" for ch in characters[start : start + 4096])
        assert fold(text) == plain(text)


def test_fold_strips_accents_apostrophes_and_digit_separators() -> None:
    assert fold("Geïndexeerd café") == "geindexeerd cafe"
    assert fold("zzp'ers en ZZP’er") == "zzpers en zzper"
    assert fold("4.000 euro, 67,5 procent, 1.000.000") == "4000 euro, 675 procent, 1000000"


def test_words_keep_hyphen_parts_and_the_joined_form() -> None:
    assert words("MKB-bedrijven en BMKB-C!") == [
        "mkb",
        "bedrijven",
        "mkbbedrijven",
        "en",
        "bmkb",
        "c",
        "bmkbc",
    ]


def test_document_terms_drop_stop_words_and_add_compound_parts(analyzer: Analyzer) -> None:
    terms = analyzer.document_terms("De loonkostensubsidie voor het personeel")
    assert "de" not in terms and "het" not in terms
    assert {"loonkostensubsidie", "loonkost", "subsidie", "personeel"} <= set(terms)


def test_query_keeps_typed_words_at_full_weight(analyzer: Analyzer) -> None:
    weights = analyzer.query_terms("Hoeveel bedraagt de subsidie van de NOW?").weights
    assert weights["subsidie"] == 1.0
    assert weights["now"] == 1.0  # the scheme, not the English stop word
    assert "hoeveel" not in weights and "de" not in weights


def test_everyday_words_map_to_document_words(analyzer: Analyzer) -> None:
    weights = analyzer.query_terms("hulp bij de salarissen voor een zzp'er met huur").weights
    assert 0 < weights["loonkost"] < 1.0
    assert 0 < weights["zelfstand"] < 1.0
    assert {"vast", "last"} <= set(weights)


def test_english_words_map_to_dutch(analyzer: Analyzer) -> None:
    weights = analyzer.query_terms("Can I get a loan for wages?").weights
    assert "leen" in weights and "loonkost" in weights  # lening -> leen (Snowball)


def test_english_inflections_find_their_key(analyzer: Analyzer) -> None:
    # "employers" and "paying" are not keys, "employer" and "pay" are
    terms = analyzer.query_terms("employers paying wages")
    assert "werkver" in terms.weights  # werkgever (Snowball), in the corpus
    assert "betaal" in terms.weights  # betalen (Snowball), not in this corpus
    assert terms.unknown == ("paying",)


def test_a_participle_finds_the_synonyms_of_its_verb_family(analyzer: Analyzer) -> None:
    # "beveiligd" is no key, "beveiliging" is: both get the same synonyms
    participle = set(analyzer.query_terms("beveiligd").weights) - {"beveiligd"}
    noun = set(analyzer.query_terms("beveiliging").weights) - {"beveil"}
    assert participle == noun and participle


def test_english_key_does_not_hijack_a_dutch_word(analyzer: Analyzer) -> None:
    # "rent" is English for huur, but the Dutch "rente" (interest) has the same stem
    weights = analyzer.query_terms("hoeveel rente betaal ik").weights
    assert "huur" not in weights


def test_typos_are_corrected_against_the_corpus(analyzer: Analyzer) -> None:
    terms = analyzer.query_terms("telt het inkomen van mijn parnter mee voor de lenig")
    weights = terms.weights
    assert 0 < weights["partner"] < 1.0
    assert "leen" in weights
    assert terms.unknown == ()


def test_a_common_dutch_word_is_no_typo_of_a_corpus_word(analyzer: Analyzer) -> None:
    # "gasten" is a word of its own, one letter from the corpus's "lasten"; "lastne" is a typo
    terms = analyzer.query_terms("betalen mijn gasten mee")
    assert "gasten" in terms.unknown
    assert "last" not in terms.weights
    assert "last" in analyzer.query_terms("betalen mijn lastne mee").weights


def test_everyday_fillers_are_not_asked_about(analyzer: Analyzer) -> None:
    terms = analyzer.query_terms("ik durf niks te vragen over de lening")
    assert {g.word for g in terms.groups} == {"vragen", "lening"}


def test_unknown_words_are_reported(analyzer: Analyzer) -> None:
    terms = analyzer.query_terms("hypotheek voor een woonhuis")
    assert terms.unknown == ("hypotheek", "woonhuis")


def test_compound_query_word_is_split_into_corpus_words(analyzer: Analyzer) -> None:
    weights = analyzer.query_terms("partnerinkomen").weights
    assert weights["partnerinkoom"] == 1.0  # the Snowball stem of the whole word
    assert weights["partner"] == weights["inkoom"] == 0.5  # partner + inkomen


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("lening", "lening", 0),
        ("lenig", "lening", 1),
        ("parnter", "partner", 1),
        ("budjet", "budget", 1),
        ("abc", "xyz", 3),
    ],
)
def test_edit_distance_counts_adjacent_swaps_as_one(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance


def test_typo_corrector_prefers_the_closest_then_most_frequent_word() -> None:
    from collections import Counter

    corrector = TypoCorrector(Counter({"procent": 9, "procedure": 1, "krediet": 3}))
    assert corrector.correct("procnt") == "procent"
    assert corrector.correct("kredit") == "krediet"
    assert corrector.correct("kred") is None  # too short to correct
    assert corrector.correct("fietsreparatie") is None


def test_sentences_are_verbatim_spans_without_markup() -> None:
    text = (
        "## 2. Wat regelt de wet?\n\n"
        "De wet geldt sinds 1 juli 2017 (Kamerstuk 32 637, nr. 316). Grote bedrijven betalen o.a. "
        "binnen 60 dagen.[^1] Daarna geldt 30 dagen.\n"
        "- **Niet gedaald.** De termijn bleef ca. 41,5 dagen.\n"
        "| Periode | Termijn |\n|---|---|\n| 2018 | 41,5 |"
    )
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == [
        "Wat regelt de wet?",
        "De wet geldt sinds 1 juli 2017 (Kamerstuk 32 637, nr. 316).",
        "Grote bedrijven betalen o.a. binnen 60 dagen.",
        "Daarna geldt 30 dagen.",
        "Niet gedaald.",
        "De termijn bleef ca. 41,5 dagen.",
        "Periode | Termijn",
        "2018 | 41,5",
    ]


@pytest.mark.parametrize(
    "word", ["", "ab", "abc", "tozo", "loonkosten", "aanvraag", "ondernemersklankbord"]
)
@pytest.mark.parametrize("distance", [0, 1, 2])
def test_deletes_are_every_word_with_up_to_distance_letters_left_out(
    word: str, distance: int
) -> None:
    expected = {word}
    for n in range(1, distance + 1):
        if len(word) - n >= 2:
            expected |= {
                "".join(ch for i, ch in enumerate(word) if i not in gone)
                for gone in combinations(range(len(word)), n)
            }
    assert _deletes(word, distance) == expected


def test_a_name_and_its_edition_match_glued_spaced_or_hyphenated() -> None:
    """Pages write "NOW3", "NOW 3" and "NOW-3" alike: each finds the others' text."""
    assert words("NOW3") == ["now", "3", "now3"]
    assert words("Tozo-5") == ["tozo", "5", "tozo5"]
    assert words("Q1 covid19 horeca2020") == ["q1", "covid", "19", "covid19", "horeca2020"]
    for written in ("De NOW3 vergoedt loonkosten.", "De NOW 3 vergoedt loonkosten."):
        analyzer = Analyzer.from_texts([written])
        stems = set(analyzer.document_terms(written))
        for asked in ("Wat vergoedt de NOW 3?", "Wat vergoedt de NOW3?", "Wat vergoedt NOW-3?"):
            groups = analyzer.query_terms(asked).groups
            words_asked = {g.word for g in groups}
            assert {"now", "3"} <= words_asked, asked
            assert all(set(g.stems) & stems for g in groups if g.word in {"now", "3"}), asked
