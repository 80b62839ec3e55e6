"""The `mkb-assistent regelingen` subcommand: the scheme cards, or those fitting a situation."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.assistant import Assistant
from assistant.finder import (
    MAX_TEXT_CHARS,
    NOT_COVERED,
    Finder,
    Fit,
    Situation,
    documents_cover,
)
from assistant.scheme_serialize import card_to_dict, fit_to_dict
from assistant.settings import Settings
from index import store
from index.embed import EmbedderError, load_embedder
from index.scheme_types import FIELD_LABELS, SchemeCard
from web.cli_answer import dutch_date
from web.regelingen import by_theme


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `regelingen` subcommand."""
    parser = subparsers.add_parser(
        "regelingen",
        help="toon de regelingen uit de documenten, of die bij een situatie passen",
        description=(
            "Toont de steun- en financieringsregelingen die de geïndexeerde documenten "
            "beschrijven, per thema, met bij elk gegeven de bron. Met een SITUATIE in eigen "
            "woorden komen de best passende regelingen eerst, elk met de zin die het best past."
        ),
    )
    parser.add_argument(
        "situation",
        nargs="?",
        metavar="SITUATIE",
        help="uw situatie in eigen woorden (tussen aanhalingstekens)",
    )
    parser.add_argument(
        "--index-dir",
        type=Path,
        metavar="MAP",
        help="map van de index (standaard: ASSISTANT_INDEX_DIR of var/index)",
    )
    parser.add_argument("--json", action="store_true", help="schrijf de regelingen als JSON")
    parser.set_defaults(handler=run_schemes)


def _fail(message: str) -> int:
    sys.stderr.write(f"mkb-assistent regelingen: {message}\n")
    return 2


def run_schemes(args: argparse.Namespace, settings: Settings) -> int:
    """List the cards, or rank them for a situation; return the exit status."""
    index_dir = args.index_dir or settings.index_dir
    text = " ".join((args.situation or "").split())
    if len(text) > MAX_TEXT_CHARS:
        return _fail(f"de situatie is te lang (hoogstens {MAX_TEXT_CHARS} tekens).")
    if not text:
        try:
            cards = store.load(index_dir).schemes
        except store.IndexStoreError as exc:
            return _fail(str(exc))
        if args.json:
            sys.stdout.write(_json([card_to_dict(c) for c in cards]))
        else:
            sys.stdout.write(format_cards(cards))
        return 0
    try:
        embedder = load_embedder(settings.embedder, settings.threads)
        index = store.load(index_dir, embedder.model_id)
    except (EmbedderError, store.IndexStoreError) as exc:
        return _fail(str(exc))
    situation = Situation(text=text)
    if args.json:  # a list of fits, no coverage flag (as the API's): no assistant needed
        fits = Finder.of_index(index, embedder.embed_query).rank(situation)
        sys.stdout.write(_json([fit_to_dict(f) for f in fits]))
        return 0
    assistant = Assistant(index, embedder)  # its query vectors are cached: embedded once
    fits = Finder.of_index(index, assistant.searcher.query_vector).rank(situation)
    covered = not fits or documents_cover(situation, assistant.answers)
    sys.stdout.write(format_fits(fits, covered=covered))
    return 0


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def format_cards(cards: tuple[SchemeCard, ...]) -> str:
    """Return the cards per theme as text: name, date, where to apply and what it is."""
    if not cards:
        return "De documenten beschrijven geen regelingen.\n"
    lines = []
    for group in by_theme(cards):
        lines += [group.label, "=" * len(group.label)]
        for card in group.cards:
            lines.append(f"- {card.label} (stand {dutch_date(card.updated)})")
            for field in ("wat", "waar"):
                quotes = card.field_quotes(field)
                if quotes:
                    lines.append(f"    {FIELD_LABELS[field]}: {quotes[0].text}")
                    lines.append(f"      bron: {quotes[0].doc_id}, pagina {quotes[0].page}")
        lines.append("")
    return "\n".join(lines)


def format_fits(fits: list[Fit], *, covered: bool = True) -> str:
    """Return the cards ranked for a situation, each with the sentence that fits best; when
    the documents do not clearly speak of the situation (`covered` false), say so first."""
    if not fits:
        return "De documenten beschrijven geen regelingen.\n"
    heading = (
        "Regelingen die het best bij uw situatie passen:"
        if covered
        else f"{NOT_COVERED} Deze regelingen komen er het dichtst bij, maar passen waarschijnlijk "
        "niet:"
    )
    lines = [heading, ""]
    for rank, fit in enumerate(fits, start=1):
        lines.append(f"{rank}. {fit.card.label} (score {fit.score:.2f})")
        lines.append(f"   Waarom: {fit.why.text}")
        lines.append(f"   bron: {fit.why.doc_id}, pagina {fit.why.page}")
    return "\n".join(lines) + "\n"
