"""Scheme cards as JSON (schemes.json in an index version), and their check against the
passages they cite."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from index.scheme_types import FIELDS, THEMES, Quote, SchemeCard
from index.types import Passage

_QUOTE_KEYS = ("text", "doc_id", "passage_id", "start", "end", "page", "date", "field", "variant")


def quote_to_record(quote: Quote) -> dict[str, Any]:
    """Return a JSON-ready dict of a quote."""
    return {key: getattr(quote, key) for key in _QUOTE_KEYS}


def quote_from_record(record: Mapping[str, Any]) -> Quote:
    """Rebuild a quote from `quote_to_record` output; raise KeyError/TypeError when malformed."""
    return Quote(**{key: record[key] for key in _QUOTE_KEYS})


def card_to_record(card: SchemeCard) -> dict[str, Any]:
    """Return a JSON-ready dict holding everything of a card."""
    return {
        "slug": card.slug,
        "name": card.name,
        "acronym": card.acronym,
        "theme": card.theme,
        "updated": card.updated,
        "variants": list(card.variants),
        "aliases": list(card.aliases),
        "agencies": list(card.agencies),
        "fields": [quote_to_record(q) for q in card.fields],
        "sentences": [quote_to_record(q) for q in card.sentences],
    }


def card_from_record(record: Mapping[str, Any]) -> SchemeCard:
    """Rebuild a card from `card_to_record` output; raise KeyError/TypeError when malformed."""
    return SchemeCard(
        slug=str(record["slug"]),
        name=str(record["name"]),
        acronym=record["acronym"],
        theme=str(record["theme"]),
        updated=record["updated"],
        variants=tuple(record["variants"]),
        aliases=tuple(record["aliases"]),
        agencies=tuple(record["agencies"]),
        fields=tuple(quote_from_record(q) for q in record["fields"]),
        sentences=tuple(quote_from_record(q) for q in record["sentences"]),
    )


def check_cards(cards: Sequence[SchemeCard], passages: Mapping[str, Passage]) -> None:
    """Raise ValueError unless every card is well formed and every quote is verbatim text of
    the passage it cites."""
    slugs = [c.slug for c in cards]
    if len(set(slugs)) != len(slugs):
        raise ValueError("two scheme cards share a slug")
    for card in cards:
        if not card.slug or not card.name or card.theme not in THEMES:
            raise ValueError(f"scheme card {card.slug!r} is incomplete")
        for quote in (*card.fields, *card.sentences):
            _check_quote(quote, passages)
        if any(q.field not in FIELDS for q in card.fields):
            raise ValueError(f"scheme card {card.slug!r} has an unknown field")


def _check_quote(quote: Quote, passages: Mapping[str, Passage]) -> None:
    passage = passages.get(quote.passage_id)
    if passage is None or passage.doc_id != quote.doc_id:
        raise ValueError(f"a quote cites passage {quote.passage_id!r}, which is not in the index")
    if not 0 <= quote.start < quote.end <= len(passage.text):
        raise ValueError(f"a quote lies outside passage {quote.passage_id!r}")
    if passage.text[quote.start : quote.end] != quote.text:
        raise ValueError(f"a quote is not the text of passage {quote.passage_id!r}")
    if quote.field and quote.field not in FIELDS:
        raise ValueError(f"a quote has the unknown field {quote.field!r}")
