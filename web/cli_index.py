"""The `mkb-assistent index` subcommand: build or update the search index over the documents."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.settings import Settings
from index import oserrors
from index.build import BuildError, BuildReport, build_index
from index.embed import EmbedderError, load_embedder
from index.store import IndexStoreError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `index` subcommand."""
    parser = subparsers.add_parser(
        "index",
        help="bouw de zoekindex of werk die bij",
        description=(
            "Leest de documenten in, deelt ze op in passages, berekent hun vectoren en zet een "
            "nieuwe indexversie klaar. Alleen nieuwe of gewijzigde documenten worden opnieuw "
            "verwerkt. Afsluitcode: 0 = gelukt, 1 = gelukt maar er zijn bestanden overgeslagen, "
            "2 = mislukt (de vorige index blijft in gebruik)."
        ),
    )
    parser.add_argument(
        "--documents",
        type=Path,
        metavar="MAP",
        help="map met de brondocumenten (standaard: ASSISTANT_DOCUMENTS_DIR of documents)",
    )
    parser.add_argument(
        "--index-dir",
        type=Path,
        metavar="MAP",
        help="map voor de index (standaard: ASSISTANT_INDEX_DIR of var/index)",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="alles opnieuw inlezen en berekenen, ook wat niet gewijzigd is",
    )
    parser.add_argument(
        "--geen-voortgang",
        "--quiet",
        dest="quiet",
        action="store_true",
        help="toon geen voortgangsbalken",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Build the index; print a summary; return 0 (ok), 1 (files skipped) or 2 (failed)."""
    documents_dir: Path = args.documents or settings.documents_dir
    index_dir: Path = args.index_dir or settings.index_dir
    return build_and_report(documents_dir, index_dir, settings, full=args.full, quiet=args.quiet)


def build_and_report(
    documents_dir: Path, index_dir: Path, settings: Settings, *, full: bool, quiet: bool
) -> int:
    """Build the index and print its summary; return 0 (ok), 1 (files skipped) or 2 (failed)."""
    try:
        embedder = load_embedder(settings.embedder, settings.threads)
        report = build_index(
            documents_dir,
            index_dir,
            embedder,
            full=full,
            keep_versions=settings.keep_versions,
            progress=not quiet,
        )
    except BuildError as exc:
        _print_skipped(exc.skipped)
        return _fail(str(exc))
    except (EmbedderError, IndexStoreError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        where = exc.filename or index_dir
        return _fail(f"Lezen of schrijven van {where} mislukt: {oserrors.describe(exc)}.")
    except KeyboardInterrupt:
        return _fail("Afgebroken; de vorige index blijft in gebruik.")
    _print_report(report)
    return 1 if report.skipped else 0


def _fail(message: str) -> int:
    sys.stderr.write(f"mkb-assistent index: {message}\n")
    return 2


def _print_skipped(skipped: tuple[tuple[str, str], ...]) -> None:
    for doc_id, reason in skipped:
        print(f"Overgeslagen: {doc_id} — {reason}")  # noqa: T201


def format_report(report: BuildReport) -> list[str]:
    """Return the Dutch summary lines for `report`."""
    lines = [
        f"Documenten: {len(report.added)} nieuw, {len(report.changed)} gewijzigd, "
        f"{len(report.removed)} verwijderd, {len(report.unchanged)} ongewijzigd, "
        f"{len(report.skipped)} overgeslagen",
        *(f"Overgeslagen: {doc_id} — {reason}" for doc_id, reason in report.skipped),
        f"Passages: {report.passages}, zinnen: {report.sentences} "
        f"({report.embedded} teksten berekend, {report.reused} hergebruikt)",
        f"Tijd: {report.seconds:.1f} s".replace(".", ","),
    ]
    if report.published:
        lines.append(f"Index-versie: {report.version}")
    else:
        lines.append(f"Geen wijzigingen; index-versie {report.version} blijft in gebruik.")
    return lines


def _print_report(report: BuildReport) -> None:
    for line in format_report(report):
        print(line)  # noqa: T201
