"""The abbreviations list: a full stop after one ends no sentence, in the passage cutter and in
the sentence splitter alike (both read the one list)."""

from __future__ import annotations

import pytest

from index.abbreviations import ABBREVIATIONS
from index.chunk import split_into_passages
from index.sentences import split_sentences
from index.types import Block, DocumentMeta, ParsedDocument

REPEATS = 6  # sentences in the paragraph the passage cutter has to cut


def sentence_with(word: str) -> str:
    """Return a sentence with `word` and a full stop in its middle, a capital after it."""
    return f"De regeling noemt {word}. Twee als voorbeeld."


def split_by_both(sentence: str) -> tuple[list[str], list[str]]:
    """Return the sentences `split_sentences` makes of `sentence`, and the passages the passage
    cutter makes of a paragraph of it repeated, when a passage has room for one but not two."""
    text = " ".join([sentence] * REPEATS)
    block = Block("paragraph", 0, len(text), 0)
    doc = ParsedDocument(DocumentMeta("test.md", "Test"), text, (block,), (0,))
    passages = split_into_passages(doc, max_chars=len(sentence) + 1)
    return [sentence[a:b] for a, b in split_sentences(sentence)], [p.text for p in passages]


@pytest.mark.parametrize("word", sorted(ABBREVIATIONS))
def test_a_listed_abbreviation_ends_no_sentence_in_either_splitter(word: str) -> None:
    sentence = sentence_with(word)
    assert split_by_both(sentence) == ([sentence], [sentence] * REPEATS)


def test_a_full_stop_after_an_unlisted_word_ends_the_sentence_in_either_splitter() -> None:
    sentence = sentence_with("regels")
    sentences, passages = split_by_both(sentence)
    assert sentences == ["De regeling noemt regels.", "Twee als voorbeeld."]
    assert passages == sentences * REPEATS
