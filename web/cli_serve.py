"""`mkb-assistent serve` (the web app) and `mkb-assistent feedback` (export for staff)."""

from __future__ import annotations

import argparse
import dataclasses
import sqlite3
import sys
from pathlib import Path

from assistant.settings import Settings
from index import store
from index.embed import EmbedderError
from web.cli_types import port, positive_int
from web.feedback import EXPORT_FORMATS, FeedbackStore, export_feedback


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `serve` and `feedback` subcommands."""
    serve = commands.add_parser(
        "serve",
        help="start de webapp (chat, bronweergave, JSON-API)",
        description="Start de webapp op http://ADRES:POORT. Bouw eerst de index met "
        "`mkb-assistent index`.",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", metavar="ADRES", help="adres (standaard 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=port, default=8000, metavar="POORT", help="poort (standaard 8000)"
    )
    serve.add_argument(
        "--index-dir",
        type=Path,
        metavar="MAP",
        help="map van de index (standaard: ASSISTANT_INDEX_DIR of var/index)",
    )
    serve.add_argument(
        "--documents",
        type=Path,
        metavar="MAP",
        help="map met de brondocumenten (standaard: ASSISTANT_DOCUMENTS_DIR of documents)",
    )
    serve.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        metavar="AANTAL",
        help="aantal werkprocessen (standaard 1); elk laadt een eigen model en index en krijgt "
        "een evenredig deel van ASSISTANT_THREADS",
    )
    serve.set_defaults(handler=run_serve)

    feedback = commands.add_parser(
        "feedback",
        help="exporteer de feedback van gebruikers",
        description="Schrijf alle opgeslagen feedback (👍/👎, reden, vraag, antwoord, bronnen, "
        "indexversie) als CSV of JSON Lines.",
    )
    feedback.add_argument(
        "--export", choices=EXPORT_FORMATS, required=True, help="formaat: csv of jsonl"
    )
    feedback.add_argument(
        "--uitvoer", type=Path, metavar="BESTAND", help="bestand (standaard: standaarduitvoer)"
    )
    feedback.add_argument(
        "--database",
        type=Path,
        metavar="BESTAND",
        help="feedbackdatabase (standaard: ASSISTANT_FEEDBACK_DB of var/feedback.sqlite3)",
    )
    feedback.set_defaults(handler=run_feedback)


def _fail(message: str) -> int:
    sys.stderr.write(f"mkb-assistent: {message}\n")
    return 2


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Check the index and the model, then serve the app with uvicorn until stopped."""
    import uvicorn

    from web.app import create_app, load_serving_embedder
    from web.server import address_problem, uvicorn_options
    from web.sources import originals_dir

    if args.index_dir is not None:
        settings = dataclasses.replace(settings, index_dir=args.index_dir)
    if args.documents is not None:
        settings = dataclasses.replace(settings, documents_dir=args.documents)
    if store.current_version(settings.index_dir) is None:
        return _fail(
            f"Geen index in {settings.index_dir}. Bouw die eerst met `mkb-assistent index"
            + (f" --index-dir {settings.index_dir}" if args.index_dir is not None else "")
            + "`."
        )
    try:
        embedder = load_serving_embedder(settings)
        index = store.load(settings.index_dir, embedder.model_id)  # fail here, not in uvicorn
    except (EmbedderError, store.IndexStoreError) as exc:
        return _fail(str(exc))
    originals = originals_dir(index.manifest, settings.documents_dir)
    if not originals.is_dir():
        return _fail(
            f"De documentenmap {originals} bestaat niet, dus de originele bestanden kunnen niet "
            "worden getoond. Geef de map op met --documents, of bouw de index opnieuw met "
            "`mkb-assistent index --documents MAP`, dan wordt de map in de index vastgelegd."
        )
    problem = address_problem(args.host, args.port)
    if problem is not None:
        return _fail(problem)
    sys.stdout.write(f"MKB-assistent draait op http://{args.host}:{args.port} (stop: Ctrl+C)\n")
    sys.stdout.flush()
    if args.workers == 1:  # the app serves the index loaded above: it is read once
        app = create_app(settings, embedder=embedder, index=index)
        uvicorn.run(app, host=args.host, port=args.port, **uvicorn_options())
        return 0
    # Each worker process builds its own app from the environment and loads its own model
    # (one thread per call); share the cores among them: threads // workers calls each.
    del embedder, index
    threads = max(1, settings.threads // args.workers)
    dataclasses.replace(settings, threads=threads).export()
    uvicorn.run(
        "web.app:app_from_env",
        factory=True,
        workers=args.workers,
        host=args.host,
        port=args.port,
        **uvicorn_options(),
    )
    return 0


def run_feedback(args: argparse.Namespace, settings: Settings) -> int:
    """Export the feedback database as CSV or JSON Lines."""
    database = args.database or settings.feedback_db
    if not database.exists():  # reading must not create an empty database at a mistyped path
        return _fail(
            f"Er is geen feedbackdatabase in {database}: er is nog geen feedback gegeven, of het "
            "pad klopt niet (--database, of ASSISTANT_FEEDBACK_DB)."
        )
    # A mistyped folder in the output path is refused rather than created, as a shell's `>`
    # does and as this command treats a mistyped --database.
    if args.uitvoer is not None and not args.uitvoer.parent.is_dir():
        return _fail(
            f"De map {args.uitvoer.parent} voor --uitvoer bestaat niet. Maak die eerst aan, of "
            "kies een bestand in een bestaande map."
        )
    feedback_store = FeedbackStore(database)
    try:
        if args.uitvoer is None:
            count = export_feedback(feedback_store.all(), args.export, sys.stdout)
        else:
            with args.uitvoer.open("w", encoding="utf-8", newline="") as out:
                count = export_feedback(feedback_store.all(), args.export, out)
    except (sqlite3.Error, OSError) as exc:
        return _fail(f"De feedback in {database} kan niet worden gelezen of geschreven: {exc}")
    target = args.uitvoer or "standaarduitvoer"
    sys.stderr.write(f"{count} feedbackregel(s) geëxporteerd naar {target}.\n")
    return 0
