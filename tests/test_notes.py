"""Footnotes of quoted sentences (assistant/notes.py): pure, on a hand-made document."""

from __future__ import annotations

import pytest

from assistant.citations import Quote, number_citations
from assistant.notes import NoteFinder, with_notes
from assistant.types import Hit
from index.types import DocumentMeta, NoteLink, ParsedDocument, Passage

BODY = "Het plan is toegezonden. Het kwam er snel. Zie de site."
NOTES = "Kamerstuk 32 637, nr. 316. Tweede zin van de noot.\n\nRaadpleegbaar via de site."
TEXT = f"{BODY}\n\n{NOTES}"
META = DocumentMeta("brief.txt", "Brief")


def _document(notes: tuple[NoteLink, ...]) -> tuple[ParsedDocument, tuple[Passage, ...]]:
    doc = ParsedDocument(META, TEXT, (), notes=notes)
    cut = TEXT.index("Raadpleegbaar")
    passages = (
        Passage("brief.txt/p1", "brief.txt", TEXT[:cut], 0, cut, 1, 1),
        Passage("brief.txt/p2", "brief.txt", TEXT[cut:], cut, len(TEXT), 1, 1),
    )
    return doc, passages


def _finder(notes: tuple[NoteLink, ...] | None = None) -> tuple[NoteFinder, tuple[Passage, ...]]:
    """Return a finder over the document with `notes` (default: `_links()`) and its passages."""
    doc, passages = _document(_links() if notes is None else notes)
    return NoteFinder({"brief.txt": doc}, passages), passages


def _links() -> tuple[NoteLink, ...]:
    first = TEXT.index("Kamerstuk")
    second = TEXT.index("Raadpleegbaar")
    return (
        NoteLink(BODY.index("."), first, TEXT.index("\n\nRaad")),  # "toegezonden¹."
        NoteLink(len(BODY), second, len(TEXT)),  # "site.²": after the full stop
    )


def _quote(passage: Passage, sentence: str) -> Quote:
    return Quote(sentence, Hit(passage, META, 1.0), passage.text.index(sentence))


@pytest.mark.parametrize(
    "quoted",
    [
        ["Het plan is toegezonden.", "Het kwam er snel."],
        # a note quoted later in the answer moves up to the sentence that points to it
        ["Het plan is toegezonden.", "Het kwam er snel.", "Kamerstuk 32 637, nr. 316."],
    ],
)
def test_a_sentence_with_a_marker_brings_the_first_sentence_of_its_note(quoted: list[str]) -> None:
    finder, passages = _finder()
    texts = [q.text for q in with_notes([_quote(passages[0], t) for t in quoted], finder)]
    assert texts == ["Het plan is toegezonden.", "Kamerstuk 32 637, nr. 316.", "Het kwam er snel."]


def test_a_marker_after_the_full_stop_counts_and_the_note_is_cited_from_its_passage() -> None:
    finder, passages = _finder()
    out = with_notes([_quote(passages[0], "Zie de site.")], finder)
    sentences, citations = number_citations(out)
    assert [(s.text, s.n) for s in sentences] == [
        ("Zie de site.", 1),
        ("Raadpleegbaar via de site.", 2),
    ]
    assert [c.passage.id for c in citations] == ["brief.txt/p1", "brief.txt/p2"]
    note = out[1]
    assert note.start is not None
    assert note.hit.passage.text[note.start : note.start + len(note.text)] == note.text


def test_a_note_already_quoted_is_not_repeated_and_no_links_change_nothing() -> None:
    finder, passages = _finder()
    quotes = [
        _quote(passages[0], "Het plan is toegezonden."),
        _quote(passages[0], "Kamerstuk 32 637, nr. 316."),
    ]
    assert [q.text for q in with_notes(quotes, finder)] == [q.text for q in quotes]
    bare, plain_passages = _finder(())
    one = [_quote(plain_passages[0], "Het plan is toegezonden.")]
    assert with_notes(one, bare) == one
    unknown_offset = [Quote("Het plan is toegezonden.", Hit(passages[0], META, 1.0))]
    assert with_notes(unknown_offset, finder) == unknown_offset


def test_an_answer_brings_at_most_as_many_notes_as_it_quotes() -> None:
    first, second = _links()
    both = (first, NoteLink(first.ref, second.start, second.end))  # two markers in one sentence
    finder, passages = _finder(both)
    texts = [q.text for q in with_notes([_quote(passages[0], "Het plan is toegezonden.")], finder)]
    assert texts == ["Het plan is toegezonden.", "Kamerstuk 32 637, nr. 316."]
    quotes = [
        _quote(passages[0], "Het plan is toegezonden."),
        _quote(passages[0], "Het kwam er snel."),
    ]
    assert len(with_notes(quotes, finder)) == 4


def test_the_number_of_added_notes_can_be_limited() -> None:
    finder, passages = _finder()
    quotes = [_quote(passages[0], "Het plan is toegezonden."), _quote(passages[0], "Zie de site.")]
    assert len(with_notes(quotes, finder)) == 4
    assert [q.text for q in with_notes(quotes, finder, limit=1)] == [
        "Het plan is toegezonden.",
        "Kamerstuk 32 637, nr. 316.",
        "Zie de site.",
    ]
