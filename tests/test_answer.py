"""Answer composition: verbatim sentences, citation numbering, context, abstention evidence."""

from __future__ import annotations

import pytest

from assistant.abstain import (
    AbstentionPolicy,
    Evidence,
    future_year,
    numbered_names,
    unknown_acronyms,
    unknown_edition,
    unknown_share,
)
from assistant.answer import ExtractiveComposer
from assistant.asked import answers_type, asked_types, question_part, what_is_asked
from assistant.citations import Quote, number_citations, suggest_topics
from assistant.search import Searcher
from assistant.types import Hit
from index.embed import Embedder
from index.store import build_faiss_index
from index.types import DocumentMeta, Passage

DOCS = {
    "brief.md": DocumentMeta("brief.md", "Steunmaatregelen", "2020-06-02"),
    "rapport.md": DocumentMeta("rapport.md", "Voortgangsrapportage", "2020-10-30"),
}
TEXTS = {
    "brief.md": [
        (
            ("Tozo",),
            "Zelfstandigen kunnen de Tozo aanvragen bij hun gemeente. Deze regeling biedt een "
            "aanvulling tot het sociaal minimum. Ook is er een lening voor bedrijfskapitaal van "
            "maximaal 10.157 euro tegen 2 procent rente.",
        ),
        (
            ("Belasting",),
            "Ondernemers kunnen uitstel van betaling aanvragen bij de Belastingdienst.",
        ),
    ],
    "rapport.md": [
        (
            ("Financiering", "KKC"),
            "De KKC is bedoeld voor kleine kredieten. De looptijd is maximaal vijf jaar, de rente "
            "bedraagt ten hoogste 4 procent. Het kabinet evalueert de regeling in 2021.",
        ),
        (
            ("Tozo",),
            "Zelfstandigen kunnen de Tozo aanvragen bij hun gemeente. Voor de Tozo 2 telt ook het "
            "inkomen van de partner mee.",
        ),
    ],
}


def make_passages() -> list[Passage]:
    passages = []
    for doc_id, items in TEXTS.items():
        for n, (section, text) in enumerate(items, 1):
            passages.append(Passage(f"{doc_id}/p{n}", doc_id, text, 0, len(text), n, n, section))
    return passages


@pytest.fixture
def searcher(fake_embedder: Embedder) -> Searcher:
    passages = make_passages()
    vectors = fake_embedder.embed_passages([p.text for p in passages])
    return Searcher(passages, DOCS, build_faiss_index(vectors), fake_embedder)


def compose(searcher: Searcher, question: str) -> list[Quote]:
    composer = ExtractiveComposer(searcher.analyzer, searcher.lexical.idf, searcher.passages)
    retrieval = searcher.retrieve(question)
    return composer.compose(question, retrieval.terms, searcher.hits(retrieval, 10))


def test_quotes_are_verbatim_sentences_of_their_passage(searcher: Searcher) -> None:
    quotes = compose(
        searcher, "hoelang is de looptijd van een kkc lening en hoeveel rente betaal je"
    )
    texts = [q.text for q in quotes]
    assert "De looptijd is maximaal vijf jaar, de rente bedraagt ten hoogste 4 procent." in texts
    assert all(q.text in q.hit.passage.text for q in quotes)
    assert 1 <= len(quotes) <= 4


def test_sentence_that_refers_back_brings_its_antecedent(searcher: Searcher) -> None:
    quotes = compose(searcher, "Tot welk minimum vult de regeling aan?")
    texts = [q.text for q in quotes]
    antecedent = "Zelfstandigen kunnen de Tozo aanvragen bij hun gemeente."
    follower = "Deze regeling biedt een aanvulling tot het sociaal minimum."
    assert follower in texts and antecedent in texts
    assert texts.index(antecedent) == texts.index(follower) - 1


def test_repeated_sentences_are_dropped_and_sources_numbered_by_first_use() -> None:
    passages = make_passages()
    hits = [Hit(p, DOCS[p.doc_id], 1.0) for p in passages]
    same = "Zelfstandigen kunnen de Tozo aanvragen bij hun gemeente."
    quotes = [
        Quote(same, hits[3]),
        Quote(same, hits[0]),
        Quote("De KKC is bedoeld voor kleine kredieten.", hits[2]),
        Quote("Ondernemers kunnen uitstel van betaling aanvragen bij de Belastingdienst.", hits[1]),
        Quote("Voor de Tozo 2 telt ook het inkomen van de partner mee.", hits[3]),
    ]
    sentences, citations = number_citations(quotes)
    assert [s.n for s in sentences] == [1, 2, 3, 1]
    assert [c.passage.id for c in citations] == ["rapport.md/p2", "rapport.md/p1", "brief.md/p2"]
    assert [c.n for c in citations] == [1, 2, 3]


def test_suggestions_name_title_and_section_once() -> None:
    passages = make_passages()
    hits = [Hit(p, DOCS[p.doc_id], 1.0) for p in (passages[0], passages[0], passages[2])]
    assert suggest_topics(hits) == (
        "Steunmaatregelen › Tozo",
        "Voortgangsrapportage › Financiering › KKC",
    )


def test_unknown_share_counts_words_the_corpus_does_not_know(searcher: Searcher) -> None:
    known = searcher.analyzer.query_terms("lening voor een zzp'er in 2020")
    assert unknown_share(known) == (0.0, 2)  # numbers are not counted
    unknown = searcher.analyzer.query_terms("hypotheek voor een zzp'er")
    assert unknown_share(unknown) == (0.5, 2)
    # a compound that opens with a corpus word is half known
    modified = searcher.analyzer.query_terms("leningplafond voor een zzp'er")
    assert unknown_share(modified) == (0.25, 2)


def test_future_years_and_unknown_acronyms_are_found(searcher: Searcher) -> None:
    terms = searcher.analyzer.query_terms("Hoe vraag ik de XYZ-subsidie aan die in 2030 start?")
    assert future_year(terms, 2020, [frozenset({"2021"})]) == "2030"
    assert future_year(terms, 2029, []) is None  # 2030 is within the documents' period
    assert future_year(terms, 2020, [frozenset({"2030"})]) is None  # a passage mentions it
    assert unknown_acronyms("Hoe vraag ik de XYZ-subsidie aan die in 2030 start?", terms) == (
        "XYZ",
    )
    kkc = searcher.analyzer.query_terms("Wat is de KKC?")
    assert unknown_acronyms("Wat is de KKC?", kkc) == ()


def test_policy_abstains_on_weak_evidence_only() -> None:
    policy = AbstentionPolicy(threshold=0.83, unknown_penalty=0.1, english_offset=0.03)
    assert not policy.abstains(Evidence(dense_top=0.88, unknown_share=0.2, words=5))
    assert policy.abstains(Evidence(dense_top=0.84, unknown_share=0.5, words=5))
    assert not policy.abstains(Evidence(dense_top=0.81, unknown_share=0.0, words=5, english=True))
    assert policy.abstains(Evidence(dense_top=0.95, unknown_share=0.0, words=5, future_year="2027"))
    assert policy.abstains(Evidence(0.95, 0.0, 5, unknown_acronyms=("XYZ",)))
    assert policy.abstains(Evidence(dense_top=0.99, unknown_share=0.0, words=0))


def test_numbered_scheme_editions_the_texts_never_name_are_found() -> None:
    texts = [
        "De NOW 1 liep tot juni. Daarna kwam de NOW-2, en de NOW 3 volgt.",
        "Op 1 juni start de Tozo 2. Op 8 juli volgt meer. Op die dag is de Tozo 1 voorbij.",
        "Op Prinsjesdag 15 september is dat bekend; de TOGS 4.000 euro. Boek 6 regelt het.",
        "Daar staat het op. Een vergoeding op 2 punten. Op 5 punten ook.",
    ]
    editions = numbered_names(texts)
    assert editions == {"now": {"1", "2", "3"}, "tozo": {"1", "2"}}
    assert unknown_edition("Wat geldt voor de NOW 4 in 2021?", editions) == "NOW 4"
    assert unknown_edition("Kan ik de Tozo 05 krijgen?", editions) == "Tozo 5"
    assert unknown_edition("Wat geldt voor de NOW 3?", editions) is None
    assert unknown_edition("Ik heb now 4 mensen in dienst.", editions) is None  # no name
    assert unknown_edition("Is de NOW 4 juli open?", editions) is None  # a date
    assert unknown_edition("Krijg ik Op 3 dagen?", editions) is None  # not a numbered name


def test_unknown_edition_lowers_the_bar_but_strong_support_still_answers() -> None:
    policy = AbstentionPolicy(threshold=0.83, edition_band=0.92)
    assert policy.abstains(Evidence(0.88, 0.0, 5, unknown_edition="NOW 4"))
    assert not policy.abstains(Evidence(0.88, 0.0, 5))
    assert not policy.abstains(Evidence(0.95, 0.0, 5, unknown_edition="NOW 4"))
    assert AbstentionPolicy(threshold=None).abstains(Evidence(0.0, 0.0, 5, unknown_edition="NOW 4"))


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("Hoeveel rente betaal ik?", ["percent"]),
        ("Tot wanneer kan ik de TVL aanvragen?", ["date", "place"]),
        ("Waar kan ik aankloppen voor hulp?", ["place"]),
        ("How much is the TOGS?", ["number"]),
        ("Wat is de TVL?", []),
        ("Hoe lang duurt het uitstel?", ["duration"]),
        ("Hoeveel geld is er in totaal beschikbaar?", ["amount"]),
        ("Hoeveel voorstellen kwamen er binnen?", ["count"]),
        ("Welke regeling past bij mij?", ["name"]),
        ("Wat moet ik regelen voor de export?", ["duty"]),
        # only the question itself counts, not the situation sketched before it
        ("Het bedrag is voor de bank te klein. Welke opties heb ik?", ["name"]),
    ],
)
def test_question_types(question: str, kinds: list[str]) -> None:
    assert asked_types(question) == kinds


def test_question_part_is_the_interrogative_sentence_unless_it_points_back() -> None:
    assert question_part("Ik heb een bakkerij. Welke steun is er?") == "Welke steun is er?"
    pointing_back = "Ik wil een webwinkel. Is daar subsidie voor?"
    assert question_part(pointing_back) == pointing_back
    assert question_part("bmkb voorwaarden") == "bmkb voorwaarden"
    assert question_part("Het gaat om 4.000 euro. Krijg ik 4.000 euro?") == "Krijg ik 4.000 euro?"


def test_counted_things_need_a_number_and_the_thing() -> None:
    asked = what_is_asked("Hoeveel voorstellen kwamen er binnen?")
    assert asked.answered_by("Er zijn 34 voorstellen ontvangen.") == ("count",)
    assert asked.answered_by("Eind 2019 zijn negen deals geselecteerd.") == ()
    assert asked.answered_by("De voorstellen konden tot 20 november 2019 worden ingediend.") == ()


def test_numbers_the_question_names_are_no_answer() -> None:
    asked = what_is_asked("Hoeveel geld ging er naar die eenmalige 4000 euro?")
    assert asked.answered_by("Het ging om een eenmalige tegemoetkoming van 4.000 euro.") == ()
    assert asked.answered_by("In totaal is circa 800 miljoen euro uitgekeerd.") == ("amount",)


def test_units_decide_amounts_durations_and_percentages() -> None:
    assert what_is_asked("Hoe snel moet een groot bedrijf betalen?").answered_by(
        "De termijn is 60 dagen."
    ) == ("duration",)
    assert not what_is_asked("Hoe lang loopt de lening?").answered_by("De rente is 60 procent.")
    assert what_is_asked("Welk percentage garandeert de overheid?").answered_by(
        "De overheid staat voor 95% garant."
    ) == ("percent",)


def test_scheme_names_answer_which_scheme_questions() -> None:
    asked = what_is_asked("Welke regeling is er voor vaste lasten?")
    assert asked.answered_by("Vraag de TVL aan bij RVO.") == ("name",)
    assert asked.answered_by("Mkb-bedrijven en MKB-ondernemers krijgen steun.") == ()


def test_sentence_types() -> None:
    assert answers_type("U vraagt de NOW aan bij UWV.", ["place"])
    assert answers_type("Aanvragen kan via de gemeente.", ["place"])
    assert answers_type("De rente is 4 procent.", ["number"])
    assert answers_type("Het loket opent in het najaar.", ["date"])
    assert not answers_type("De regeling is eenvoudig.", ["number", "date", "place"])


def test_policy_sentence_beats_an_example_box(fake_embedder: Embedder) -> None:
    text = (
        "De TVL vergoedt een deel van de vaste lasten van ondernemers.\n\n"
        "Praktijkvoorbeeld (fictief). Een bakker kreeg via de TVL een deel van zijn vaste "
        "lasten en huur vergoed."
    )
    passage = Passage("rapport.md/p9", "rapport.md", text, 0, len(text), 1, 1, ("TVL",))
    vectors = fake_embedder.embed_passages([text])
    searcher = Searcher([passage], DOCS, build_faiss_index(vectors), fake_embedder)
    quotes = compose(searcher, "Vergoedt de TVL vaste lasten zoals huur?")
    assert quotes[0].text == "De TVL vergoedt een deel van de vaste lasten van ondernemers."
