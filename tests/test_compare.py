"""Answers that compare over time, and sentences that lean on their neighbours."""

from __future__ import annotations

import pytest

from assistant.answer import ExtractiveComposer
from assistant.compare import is_comparison, one_per_source
from assistant.search import Searcher
from assistant.sentences import leans_on
from index.embed import Embedder
from index.store import build_faiss_index
from index.types import DocumentMeta, Passage

DOCS = {
    "brief.md": DocumentMeta("brief.md", "Steunmaatregelen", "2020-06-02"),
    "rapport.md": DocumentMeta("rapport.md", "Voortgangsrapportage", "2020-10-30"),
    "factsheet.md": DocumentMeta("factsheet.md", "Factsheet", "2019-10-01"),
}
TEXTS = {
    "rapport.md/p1": (
        "Qredits verstrekt overbruggingskredieten aan kleine ondernemers. Het Rijk heeft "
        "daarvoor inmiddels 25 miljoen euro beschikbaar gesteld."
    ),
    "brief.md/p1": (
        "Qredits verstrekt overbruggingskredieten aan ondernemers die bij de bank niet slagen. "
        "Hiervoor is 6 miljoen euro beschikbaar gesteld."
    ),
    "factsheet.md/p1": (
        "Vraag uw bank naar een lening met de garantie Klein Krediet Corona. Daarmee kunt u "
        "10.000 tot 50.000 euro lenen, waarbij de overheid voor 95 procent garant staat.\n\n"
        "Voor grote bedrijven is er de GO-C."
    ),
}


@pytest.fixture
def searcher(fake_embedder: Embedder) -> Searcher:
    passages = [
        Passage(pid, pid.split("/")[0], text, 0, len(text), 1, 1, ("Financiering",))
        for pid, text in TEXTS.items()
    ]
    vectors = fake_embedder.embed_passages([p.text for p in passages])
    return Searcher(passages, DOCS, build_faiss_index(vectors), fake_embedder)


def answer(searcher: Searcher, question: str) -> list[tuple[str, str]]:
    composer = ExtractiveComposer(searcher.analyzer, searcher.lexical.idf, searcher.passages)
    retrieval = searcher.retrieve(question)
    quotes = composer.compose(question, retrieval.terms, searcher.hits(retrieval, 10))
    return [(q.hit.passage.doc_id, q.text) for q in quotes]


@pytest.mark.parametrize(
    ("question", "compares"),
    [
        ("Hoeveel borgstellingen waren er in 2018 en hoeveel in 2019?", True),
        ("Klopt dat nog?", True),
        ("Hoeveel MKB Werkplaatsen waren er in 2019 en hoeveel zijn het er nu?", True),
        ("Is het budget later nog veranderd?", True),
        ("Was er meer of minder budget dan vorig jaar?", True),
        ("Hoeveel geld ging er in 2020 via de NOW naar het mkb?", False),  # NOW is a scheme
        ("Wat is de TVL?", False),
    ],
)
def test_comparisons_over_time_are_recognised(question: str, compares: bool) -> None:
    assert is_comparison(question) is compares


def test_one_per_source_keeps_the_best_of_each_source() -> None:
    ranked = [("a", 9), ("a", 8), ("b", 7), ("c", 1), ("d", 6)]
    best = one_per_source(ranked, lambda x: x[0], 3, lambda x: x[1] > 2)
    assert best == [("a", 9), ("b", 7), ("d", 6)]


def test_a_comparison_quotes_each_date_oldest_first(searcher: Searcher) -> None:
    quotes = answer(
        searcher,
        "Hoeveel geld had het Rijk eerst beschikbaar voor de overbruggingskredieten van "
        "Qredits, en hoeveel later?",
    )
    documents = [doc for doc, _ in quotes]
    assert "brief.md" in documents and "rapport.md" in documents
    assert documents.index("brief.md") < documents.index("rapport.md")  # June before October
    text = " ".join(t for _, t in quotes)
    assert "6 miljoen" in text and "25 miljoen" in text


def test_a_plain_question_is_not_split_over_dates(searcher: Searcher) -> None:
    quotes = answer(searcher, "Hoeveel geld heeft het Rijk voor Qredits beschikbaar gesteld?")
    assert len({doc for doc, _ in quotes}) >= 1
    assert quotes[0][0] in {"brief.md", "rapport.md"}


def test_the_sentence_continuing_the_best_one_comes_along(searcher: Searcher) -> None:
    quotes = [t for _, t in answer(searcher, "Welke garantie kan ik bij mijn bank vragen?")]
    first = "Vraag uw bank naar een lening met de garantie Klein Krediet Corona."
    assert first in quotes
    follow = quotes.index(first) + 1
    assert follow < len(quotes) and quotes[follow].startswith("Daarmee kunt u")


def test_leaning_on_the_sentence_before() -> None:
    def stems(word: str) -> list[str]:
        return [word.rstrip("s")]

    assert leans_on("Daarmee kunt u lenen.", frozenset(), stems)
    assert leans_on("Deze regeling helpt.", frozenset(), stems)
    assert leans_on("De hubs zijn het aanspreekpunt.", frozenset({"hub", "smart"}), stems)
    assert not leans_on("De hubs zijn het aanspreekpunt.", frozenset({"fieldlab"}), stems)
    assert not leans_on("Ondernemers kunnen lenen.", frozenset({"ondernemer"}), stems)
