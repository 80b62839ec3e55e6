"""Footnotes of quoted sentences: a sentence that carried a footnote marker brings its note.

In a letter to parliament the documents a sentence speaks of are named in its footnotes ("Op 29
juni 2018 heb ik uw Kamer het MKB-actieplan toegezonden¹." with "¹ «MKB-actieplan», Kamerstuk
32 637, nr. 316"). The readers take the markers out of the text and keep where they stood
(`index.types.ParsedDocument.notes`); `with_notes` puts the note's first sentence, quoted
verbatim from its own passage, right after the sentence that pointed to it. It adds no sentence
the reader did not link, so a document without footnotes is answered as before.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence

from assistant.citations import Quote
from assistant.types import Hit
from index.sentences import split_sentences
from index.types import ParsedDocument, Passage


class NoteFinder:
    """Finds the passage holding a note's text; made once per index."""

    def __init__(
        self, documents: Mapping[str, ParsedDocument], passages: Sequence[Passage]
    ) -> None:
        self._documents = documents
        self._passages: dict[str, list[Passage]] = {}
        for passage in passages:
            self._passages.setdefault(passage.doc_id, []).append(passage)
        for part in self._passages.values():
            part.sort(key=lambda p: p.start)
        self._starts = {doc: [p.start for p in part] for doc, part in self._passages.items()}

    def notes_of(self, quote: Quote) -> list[Quote]:
        """Return the notes that the quoted sentence points to, each as a quote of its first
        sentence from the passage that holds it."""
        passage = quote.hit.passage
        doc = self._documents.get(passage.doc_id)
        if quote.start is None or doc is None or not doc.notes:
            return []
        begin = passage.start + quote.start
        out = []
        for link in doc.notes_in(begin, begin + len(quote.text)):
            holder = self._holder(passage.doc_id, link.start, link.end)
            if holder is None:
                continue
            offset = link.start - holder.start
            spans = split_sentences(holder.text[offset : link.end - holder.start])
            if spans:
                first, last = spans[0]
                text = holder.text[offset + first : offset + last]
                out.append(Quote(text, Hit(holder, quote.hit.document, 0.0), offset + first))
        return out

    def _holder(self, doc_id: str, start: int, end: int) -> Passage | None:
        """Return the passage of `doc_id` whose text spans [start, end), if one does."""
        part = self._passages.get(doc_id, [])
        i = bisect.bisect_right(self._starts.get(doc_id, []), start) - 1
        while i >= 0:
            if part[i].start <= start and end <= part[i].end:
                return part[i]
            i -= 1
        return None


def with_notes(
    quotes: Sequence[Quote], finder: NoteFinder, limit: int | None = None
) -> list[Quote]:
    """Return `quotes` with, after each, the notes it points to: a note quoted later in the
    answer moves up to it, any other is added (each note once, at most `limit` added notes,
    by default as many as quotes)."""
    limit = len(quotes) if limit is None else limit
    later = {q.key: q for q in quotes}
    placed: set[tuple[str, int | None]] = set()
    out: list[Quote] = []
    added = 0
    for quote in quotes:
        if quote.key in placed:
            continue  # moved up to the sentence that points to it
        out.append(quote)
        placed.add(quote.key)
        for note in finder.notes_of(quote):
            if note.key in placed:
                continue
            if note.key in later:
                out.append(later[note.key])
            elif added < limit:
                added += 1
                out.append(note)
            else:
                continue
            placed.add(note.key)
    return out
