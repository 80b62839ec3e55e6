"""Scheme cards and finder results as the JSON of `GET /api/regelingen` and
`mkb-assistent regelingen --json`."""

from __future__ import annotations

from typing import Any

from assistant.finder import Fit
from index.scheme_types import FIELD_LABELS, Quote, SchemeCard


def quote_to_dict(quote: Quote) -> dict[str, Any]:
    """Return one cited statement: its field, verbatim text and where it stands."""
    return {
        "field": quote.field,
        "label": FIELD_LABELS.get(quote.field, ""),
        "text": quote.text,
        "document": quote.doc_id,
        "passage_id": quote.passage_id,
        "page": quote.page,
        "date": quote.date,
        "variant": quote.variant or None,
    }


def card_to_dict(card: SchemeCard) -> dict[str, Any]:
    """Return a card: its names, theme, date of the newest document and its cited fields."""
    return {
        "slug": card.slug,
        "name": card.name,
        "acronym": card.acronym,
        "theme": card.theme,
        "updated": card.updated,
        "variants": list(card.variants),
        "agencies": list(card.agencies),
        "fields": [quote_to_dict(q) for q in card.fields],
    }


def fit_to_dict(fit: Fit) -> dict[str, Any]:
    """Return a ranked card: the card, its score (0..1) and the sentence that fits best."""
    return {**card_to_dict(fit.card), "score": fit.score, "why": quote_to_dict(fit.why)}
