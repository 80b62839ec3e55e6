"""Questions that compare over time, and sentences that lean on their neighbours."""

from __future__ import annotations

import pytest

from assistant.compare import is_comparison, one_per_source
from assistant.sentences import leans_on_text


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


def test_leaning_on_the_sentence_before() -> None:
    assert leans_on_text("Daarmee kunt u lenen.")
    assert leans_on_text("Deze regeling helpt.")
    assert not leans_on_text("Ondernemers kunnen lenen.")
