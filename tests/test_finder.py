"""The situation finder over a real index of the test corpus (FakeEmbedder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FakeEmbedder

from assistant.assistant import Assistant
from assistant.finder import Finder, Situation, documents_cover
from assistant.types import Turn
from index import store
from index.scheme_text import CELL_SEPARATOR
from index.scheme_types import SchemeCard


@pytest.fixture(scope="module")
def loaded(answers_index_dir: Path) -> store.LoadedIndex:
    return store.load(answers_index_dir)


@pytest.fixture(scope="module")
def finder(loaded: store.LoadedIndex) -> Finder:
    return Finder(loaded.schemes, loaded.passages, loaded.sentences, FakeEmbedder().embed_query)


def _slugs(finder: Finder, situation: Situation, n: int = 3) -> list[str]:
    return [fit.card.slug for fit in finder.rank(situation)[:n]]


@pytest.mark.parametrize(
    ("situation", "expected"),
    [
        (Situation(who=("zzp",), concerns=("omzet",), text="zelfstandige"), "tozo"),
        (Situation(who=("personeel",), concerns=("loonkosten",)), "now"),
        (
            Situation(concerns=("belasting",), text="btw en loonheffingen"),
            "bijzonder-uitstel-van-betaling",
        ),
        (Situation(text="mijn restaurant is dicht maar de huur en vaste lasten lopen door"), "tvl"),
    ],
)
def test_the_fitting_scheme_comes_first_three(
    finder: Finder, situation: Situation, expected: str
) -> None:
    assert expected in _slugs(finder, situation)


def test_every_card_is_ranked_with_a_reason_from_that_card(finder: Finder) -> None:
    fits = finder.rank(Situation(text="ik wil een lening bij de bank voor mijn bedrijf"))

    assert len(fits) == len(finder.cards)
    assert [f.score for f in fits] == sorted((f.score for f in fits), reverse=True)
    assert all(0.0 <= f.score <= 1.0 for f in fits)
    for fit in fits:
        assert fit.why in fit.card.sentences


def test_the_reason_is_the_best_sentence_a_table_row_only_without_one(finder: Finder) -> None:
    situation = Situation(text="hoeveel rente en welke looptijd heeft de lening")
    scores = finder._sentence_scores(situation.query())
    for fit in finder.rank(situation):
        quotes = [
            (q, float(scores[row]))
            for row, q in enumerate(finder._quotes)
            if finder.cards[int(finder._owner[row])] is fit.card
        ]
        prose = [(q, s) for q, s in quotes if CELL_SEPARATOR not in q.text]
        best = max(prose or quotes, key=lambda pair: pair[1])  # the first of equals
        assert fit.why == best[0]
        assert fit.score == round(max(s for _, s in quotes), 4)


def test_an_empty_situation_keeps_the_documents_order(finder: Finder) -> None:
    fits = finder.rank(Situation())
    assert [f.card for f in fits] == [c for c in finder.cards if c.sentences]
    assert all(f.score == 0.0 for f in fits)


def test_without_sentence_vectors_the_finder_ranks_by_words(loaded: store.LoadedIndex) -> None:
    words_only = Finder(loaded.schemes, loaded.passages, loaded.sentences, None)
    assert _slugs(words_only, Situation(text="zelfstandige zzp'er bijstand Tozo"), 1) == ["tozo"]


def test_chat_cards_are_the_schemes_the_answer_cites(
    finder: Finder, loaded: store.LoadedIndex
) -> None:
    assistant = Assistant(loaded, FakeEmbedder())
    answer = assistant.ask(
        "Ik ben zzp'er en verdien door corona bijna niets meer. Welke hulp is er?"
    )
    fits = finder.for_answer(answer)

    assert not answer.abstained and 1 <= len(fits) <= 3
    cited = {c.passage.id for c in answer.citations}
    assert all({q.passage_id for q in f.card.sentences} & cited for f in fits)
    assert "tozo" in [f.card.slug for f in fits]


def test_a_follow_up_s_cards_are_ranked_on_what_was_searched(
    finder: Finder, loaded: store.LoadedIndex
) -> None:
    assistant = Assistant(loaded, FakeEmbedder())
    history = (Turn("Wat is de Tegemoetkoming Vaste Lasten voor ondernemers?"),)
    answer = assistant.ask("en hoeveel is dat?", history)
    cited = {c.passage.id for c in answer.citations}
    quoted = [c.slug for c in finder.cards if {q.passage_id for q in c.sentences} & cited]
    assert "tvl" in quoted and len(quoted) > 1  # ranking decides which card comes first
    assert finder.for_answer(answer, answer.query)[0].card.slug == "tvl"
    assert finder.for_answer(answer)[0].card.slug != "tvl"  # "en hoeveel is dat?" alone


def test_an_abstention_gets_no_cards(finder: Finder, loaded: store.LoadedIndex) -> None:
    answer = Assistant(loaded, FakeEmbedder()).ask(
        "Wat is het recept voor boerenkool met rookworst?"
    )
    assert answer.abstained and finder.for_answer(answer) == []


def test_cards_without_sentences_are_left_out(loaded: store.LoadedIndex) -> None:
    card = loaded.schemes[0]
    bare = SchemeCard(card.slug, card.name, card.acronym, card.theme, card.updated, (), (), (), ())
    finder = Finder((bare, *loaded.schemes[1:]), loaded.passages, loaded.sentences, None)
    assert card.slug not in [f.card.slug for f in finder.rank(Situation(text="lening"))]


@pytest.mark.parametrize(
    ("situation", "only_words"),
    [
        (Situation(text="ik wil een hond kopen"), True),
        (Situation(who=("anders",), text="ik wil een hond kopen"), True),  # "anders" means nothing
        (Situation(who=("zzp",), text="ik wil een hond kopen"), False),
        (Situation(concerns=("omzet",)), False),
        (Situation(text="   "), False),
    ],
)
def test_only_words_is_free_text_without_a_box_that_means_something(
    situation: Situation, only_words: bool
) -> None:
    assert situation.only_words is only_words


def test_the_assistant_decides_only_for_situations_in_words_alone() -> None:
    asked: list[str] = []

    def declines(text: str) -> bool:
        asked.append(text)
        return False

    assert not documents_cover(Situation(text="ik wil een hond kopen"), declines)
    assert documents_cover(Situation(who=("zzp",), text="ik wil een hond kopen"), declines)
    assert documents_cover(Situation(concerns=("lenen",)), declines)
    assert asked == ["ik wil een hond kopen"]
