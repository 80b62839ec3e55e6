"""Scheme cards: the support schemes the documents describe, each fact a cited sentence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# The fields of a card, in display order, with their Dutch labels.
FIELDS: Final = ("wat", "voor_wie", "voorwaarden", "hoeveel", "periode", "waar")
FIELD_LABELS: Final = {
    "wat": "Wat het is",
    "voor_wie": "Voor wie",
    "voorwaarden": "Voorwaarden",
    "hoeveel": "Hoeveel",
    "periode": "Periode",
    "waar": "Waar aanvragen",
}
# Themes, in display order; "overig" holds schemes that fit none of the five.
THEMES: Final = ("corona", "financiering", "innovatie", "personeel", "fiscaal", "overig")
THEME_LABELS: Final = {
    "corona": "Coronasteun",
    "financiering": "Financiering",
    "innovatie": "Innovatie",
    "personeel": "Personeel",
    "fiscaal": "Fiscaal",
    "overig": "Overige regelingen",
}


@dataclass(frozen=True, slots=True)
class Quote:
    """One sentence of a document about a scheme: passage.text[start:end] == text."""

    text: str
    doc_id: str
    passage_id: str
    start: int  # offsets in the passage's text
    end: int
    page: int
    date: str | None  # the document's date (ISO), None when unknown
    field: str = ""  # one of FIELDS, or "" for a sentence that fills no field
    variant: str = ""  # the variant the sentence is about ("BMKB-C", "NOW 3"), if it names one


@dataclass(frozen=True, slots=True)
class SchemeCard:
    """A scheme with its cited facts. `fields` holds the chosen quotes per field, newest first;
    `sentences` every sentence attributed to the scheme (the finder matches situations on
    them)."""

    slug: str
    name: str
    acronym: str | None
    theme: str  # one of THEMES
    updated: str | None  # date of the newest document that mentions the scheme
    variants: tuple[str, ...]  # parts such as "BMKB-C" or "NOW 1", "NOW 2"
    aliases: tuple[str, ...]  # every name the documents use for it, longest first
    fields: tuple[Quote, ...]
    sentences: tuple[Quote, ...]
    agencies: tuple[str, ...] = ()  # where to apply, as named in the "waar" quotes

    def field_quotes(self, field: str) -> tuple[Quote, ...]:
        """Return the quotes chosen for `field`, newest first."""
        return tuple(q for q in self.fields if q.field == field)

    @property
    def label(self) -> str:
        """Return the display name: "Tegemoetkoming Vaste Lasten (TVL)" or just the name."""
        if self.acronym and self.acronym != self.name:
            return f"{self.name} ({self.acronym})"
        return self.name
