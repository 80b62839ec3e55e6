"""Citations: quotes from passages become numbered answer sentences and sources.

Whatever writes the answer (the extractive composer, or later a language model rewriting from
the same passages) returns `Quote`s; `number_citations` turns them into the answer's sentences
and its numbered sources, so every sentence points to the passage it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.types import AnswerSentence, Citation, Hit


@dataclass(frozen=True, slots=True)
class Quote:
    """A sentence quoted verbatim from `hit.passage.text`, at offset `start` when known."""

    text: str
    hit: Hit
    start: int | None = None

    @property
    def key(self) -> tuple[str, int | None]:
        """Where it stands: its passage and offset (the same sentence quoted twice has one)."""
        return self.hit.passage.id, self.start


def number_citations(
    quotes: Sequence[Quote],
) -> tuple[tuple[AnswerSentence, ...], tuple[Citation, ...]]:
    """Number the quoted passages in order of first use; drop repeated sentences."""
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    seen: set[str] = set()
    for quote in quotes:
        key = " ".join(quote.text.split()).casefold()
        if key in seen:
            continue
        seen.add(key)
        passage = quote.hit.passage
        if passage.id not in numbers:
            numbers[passage.id] = len(numbers) + 1
            citations.append(Citation(numbers[passage.id], passage, quote.hit.document))
        sentences.append(AnswerSentence(quote.text, numbers[passage.id]))
    return tuple(sentences), tuple(citations)


MARKER_CHARS = len(" [99] ")  # what a sentence of an answer takes beyond its text, at most


def within_chars(quotes: Sequence[Quote], max_chars: int) -> list[Quote]:
    """Return the first `quotes` whose sentences, each with its " [n]" marker and a space, fit
    in `max_chars` characters; the first one always."""
    kept: list[Quote] = []
    used = 0
    for quote in quotes:
        used += len(quote.text) + MARKER_CHARS
        if kept and used > max_chars:
            break
        kept.append(quote)
    return kept


def suggest_topics(hits: Sequence[Hit], limit: int = 3) -> tuple[str, ...]:
    """Return distinct "title › section" labels of the closest passages (for abstentions)."""
    labels: list[str] = []
    for hit in hits:
        label = " › ".join(x for x in (hit.document.title, hit.passage.section_path) if x)
        if label and label not in labels:
            labels.append(label)
        if len(labels) >= limit:
            break
    return tuple(labels)
