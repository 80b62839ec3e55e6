"""The scheme cards: the overview with the situation finder, a page per card, and the JSON API.

Everything here only reads, so the finder and the text filter are plain GET forms: they work
without JavaScript and their results can be bookmarked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from assistant.finder import (
    CONCERNS,
    MAX_TEXT_CHARS,
    NOT_COVERED,
    WHO,
    Fit,
    Situation,
    documents_cover,
)
from assistant.scheme_serialize import card_to_dict, fit_to_dict
from index.scheme_types import FIELD_LABELS, FIELDS, THEME_LABELS, THEMES, SchemeCard
from web.deps import SnapshotDep
from web.docs import described
from web.live_index import Snapshot
from web.templating import passage_url, render

router = APIRouter()
pages = APIRouter(include_in_schema=False)

UNKNOWN_SCHEME = (
    "Deze regeling staat niet (meer) in de index. Misschien is de index intussen bijgewerkt; "
    "bekijk het overzicht van de regelingen."
)
FINDER_RESULTS = 5  # cards shown as fitting on the page: the best few, the overview has all
MAX_FILTER_CHARS = 200
_TEXT_QUERY = Query(max_length=MAX_TEXT_CHARS, description="Uw situatie in eigen woorden.")


@dataclass(frozen=True, slots=True)
class ThemeGroup:
    """The cards of one theme on the overview page."""

    theme: str
    label: str
    cards: tuple[SchemeCard, ...]


def search_text(card: SchemeCard) -> str:
    """Return the words the text filter looks in: names, theme and the cited statements."""
    parts = [card.name, card.acronym or "", THEME_LABELS[card.theme], *card.aliases]
    parts += [q.text for q in card.fields]
    return " ".join(parts).casefold()


def filter_cards(cards: Sequence[SchemeCard], text: str) -> list[SchemeCard]:
    """Return the cards holding every word of `text` (all cards for an empty filter)."""
    words = text.casefold().split()
    if not words:
        return list(cards)
    searched = [(card, search_text(card)) for card in cards]
    return [card for card, found in searched if all(w in found for w in words)]


def by_theme(cards: Sequence[SchemeCard]) -> list[ThemeGroup]:
    """Return the cards grouped by theme, themes in their fixed order, names alphabetical."""
    groups = []
    for theme in THEMES:
        members = sorted((c for c in cards if c.theme == theme), key=lambda c: c.label.lower())
        if members:
            groups.append(ThemeGroup(theme, THEME_LABELS[theme], tuple(members)))
    return groups


def situation_from(who: Sequence[str], concerns: Sequence[str], text: str) -> Situation:
    """Return the situation of the form, keeping only the choices it offers."""
    return Situation(
        who=tuple(w for w in who if w in WHO),
        concerns=tuple(c for c in concerns if c in CONCERNS),
        text=" ".join(text.split()),
    )


def _with_urls(data: dict[str, Any]) -> dict[str, Any]:
    for quote in (*data["fields"], *([data["why"]] if "why" in data else [])):
        quote["url"] = passage_url(quote["passage_id"]) + "#passage"
    data["url"] = f"/regelingen/{data['slug']}"
    return data


@pages.get("/regelingen")
def overview(
    request: Request,
    snapshot: SnapshotDep,
    ik: Annotated[list[str] | None, Query()] = None,
    speelt: Annotated[list[str] | None, Query()] = None,
    situatie: Annotated[str, _TEXT_QUERY] = "",
    words: Annotated[str, Query(alias="filter", max_length=MAX_FILTER_CHARS)] = "",
) -> Response:
    """Show the finder, its results for the situation given, and every card by theme."""
    situation = situation_from(ik or (), speelt or (), situatie)
    fits = [] if situation.empty else snapshot.finder.rank(situation)[:FINDER_RESULTS]
    covered = not fits or documents_cover(situation, snapshot.assistant.answers)
    cards = filter_cards(snapshot.index.schemes, words)
    return render(
        request,
        "regelingen.html",
        {
            "nav": "regelingen",
            "who": WHO,
            "concerns": CONCERNS,
            "situation": situation,
            # the form was sent: a browser sends `situatie=` even with nothing chosen or typed
            "asked": any(k in request.query_params for k in ("ik", "speelt", "situatie")),
            "fits": fits,
            "covered": covered,
            "not_covered": NOT_COVERED,
            "groups": by_theme(cards),
            "shown": len(cards),
            "total": len(snapshot.index.schemes),
            "filter": words,
            "search_text": search_text,
            "max_chars": MAX_TEXT_CHARS,
        },
    )


@pages.get("/regelingen/{slug}")
def scheme_page(request: Request, slug: str, snapshot: SnapshotDep) -> Response:
    """Show one card with every field, newest statement first, each with its source."""
    card = _card(snapshot, slug)
    return render(
        request,
        "regeling.html",
        {
            "nav": "regelingen",
            "card": card,
            "fields": FIELDS,
            "field_labels": FIELD_LABELS,
            "theme_label": THEME_LABELS[card.theme],
            "documents": {d: doc.meta for d, doc in snapshot.index.documents.items()},
        },
    )


def _card(snapshot: Snapshot, slug: str) -> SchemeCard:
    for card in snapshot.index.schemes:
        if card.slug == slug:
            return card
    raise HTTPException(status_code=404, detail=UNKNOWN_SCHEME)


class SchemeField(BaseModel):
    """A statement about a scheme, quoted verbatim from a document."""

    model_config = described(
        "Een gegeven over een regeling, letterlijk geciteerd uit een document."
    )

    field: str = Field(description="wat, voor_wie, voorwaarden, hoeveel, periode of waar")
    label: str
    text: str
    document: str
    passage_id: str
    page: int
    date: str | None
    variant: str | None = Field(description="Het onderdeel waar de zin over gaat (BMKB-C).")
    url: str = Field(description="De passage gemarkeerd in de bronweergave.")


class SchemeCardModel(BaseModel):
    """A scheme the documents describe."""

    model_config = described("Een regeling die de documenten beschrijven.")

    slug: str
    name: str
    acronym: str | None
    theme: str = Field(description="corona, financiering, innovatie, personeel, fiscaal, overig")
    updated: str | None = Field(description="Datum van het nieuwste document dat haar noemt.")
    variants: list[str]
    agencies: list[str]
    fields: list[SchemeField]
    url: str


class RankedSchemeCard(SchemeCardModel):
    """A scheme ranked for a situation: how well it fits and the sentence that fits best."""

    model_config = described(
        "Een regeling gerangschikt naar een situatie: hoe goed ze past en de zin die het best past."
    )

    score: float = Field(description="0 tot 1, hoger past beter.")
    why: SchemeField


@router.get(
    "/api/regelingen",
    response_model=list[RankedSchemeCard] | list[SchemeCardModel],
    summary="Regelingen, eventueel gerangschikt naar een situatie",
    description="Geeft elke regeling met haar gegevens (letterlijke zinnen met document, passage, "
    "pagina en datum); met `situatie` gerangschikt, beste eerst, elk met een `score` en de zin "
    "die het best past (`why`).",
    response_description="De regelingen",
    tags=["API"],
    responses={422: {"description": "Foutmelding"}},
)
def api_schemes(
    snapshot: SnapshotDep, situatie: Annotated[str, _TEXT_QUERY] = ""
) -> list[dict[str, Any]]:
    """Return every scheme card, each with its cited fields (verbatim sentences with document,
    passage, page and date); with `situatie`, ranked best first, each with a `score` and the
    sentence that fits best (`why`)."""
    situation = situation_from((), (), situatie)
    if situation.empty:
        return [_with_urls(card_to_dict(c)) for c in snapshot.index.schemes]
    return [_with_urls(fit_to_dict(f)) for f in snapshot.finder.rank(situation)]


def chat_cards(fits: Sequence[Fit]) -> list[dict[str, Any]]:
    """Return the compact cards under a chat answer, as the API sends them."""
    return [_with_urls(fit_to_dict(f)) for f in fits]
