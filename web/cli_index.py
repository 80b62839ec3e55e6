"""The `mkb-assistent index` subcommand: build or update the search index over the documents."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from assistant.settings import Settings
from index import oserrors
from index.build import BuildError, BuildReport, build_index
from index.embed import EmbedderError, load_embedder
from index.store import IndexStoreError
from web.audit import COMMAND_LINE, AuditLog, build_entry


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `index` subcommand."""
    parser = subparsers.add_parser(
        "index",
        help="bouw de zoekindex of werk die bij",
        description=(
            "Leest de documenten in, deelt ze op in passages, berekent hun vectoren en zet een "
            "nieuwe indexversie klaar. Alleen nieuwe of gewijzigde documenten worden opnieuw "
            "verwerkt. Afsluitcode: 0 = gelukt, 1 = gelukt maar er zijn bestanden overgeslagen, "
            "2 = mislukt (de vorige index blijft in gebruik). Is het beheer in gebruik (de map "
            "van het logboek, ASSISTANT_STAFF_DIR of var/beheer, bestaat), dan komt een build "
            "die een nieuwe indexversie klaarzet of mislukt in het logboek, zoals bij add en "
            "remove; anders schrijft dit commando niets in die map."
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


@dataclass(frozen=True, slots=True)
class BuildSummary:
    """How a build from the command line ended: its exit status and what it reported."""

    status: int  # 0 = ok, 1 = ok but files were skipped, 2 = failed
    lines: tuple[str, ...]  # the summary, or the error followed by the files skipped
    published: bool = False  # a new index version is in use

    @property
    def outcome(self) -> str:
        """Return "gelukt" or "mislukt", the words the staff page's builds are logged with."""
        return "mislukt" if self.status == 2 else "gelukt"


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Build the index; print a summary; return 0 (ok), 1 (files skipped) or 2 (failed).

    A build that publishes a new version or fails is audit-logged as `add` and `remove` log
    theirs, once the staff part is in use (its folder exists): the log then shows every
    change to what the site answers from, while a first `make run` creates no staff folder,
    and a build that changes nothing adds no line to the log staff read.
    """
    documents_dir: Path = args.documents or settings.documents_dir
    index_dir: Path = args.index_dir or settings.index_dir
    summary = build_and_report(documents_dir, index_dir, settings, full=args.full, quiet=args.quiet)
    if settings.staff_dir.is_dir() and (summary.published or summary.status == 2):
        entry = build_entry(_command(args), summary.outcome, summary.lines)
        AuditLog(settings.staff_dir).record(*entry, COMMAND_LINE)
    return summary.status


def _command(args: argparse.Namespace) -> str:
    """Return the command as the audit log names a build's reason, with the options that
    change what was built: "mkb-assistent index --full"."""
    options = [
        *(["--full"] if args.full else []),
        *(["--documents", str(args.documents)] if args.documents else []),
        *(["--index-dir", str(args.index_dir)] if args.index_dir else []),
    ]
    return " ".join(["mkb-assistent index", *options])


def build_and_report(
    documents_dir: Path, index_dir: Path, settings: Settings, *, full: bool, quiet: bool
) -> BuildSummary:
    """Build the index and print its summary, or why it failed (on standard error)."""
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
        return _failed(str(exc), tuple(_skipped_lines(exc.skipped)))
    except (EmbedderError, IndexStoreError) as exc:
        return _failed(str(exc))
    except OSError as exc:
        where = exc.filename or index_dir
        return _failed(f"Lezen of schrijven van {where} mislukt: {oserrors.describe(exc)}.")
    except KeyboardInterrupt:
        return _failed("Afgebroken; de vorige index blijft in gebruik.")
    lines = tuple(format_report(report))
    _print_lines(lines)
    return BuildSummary(1 if report.skipped else 0, lines, report.published)


def _failed(message: str, skipped: tuple[str, ...] = ()) -> BuildSummary:
    """Print the files skipped and the error; return them, the error first (as /beheer logs)."""
    _print_lines(skipped)
    sys.stderr.write(f"mkb-assistent index: {message}\n")
    return BuildSummary(2, (message, *skipped))


def _skipped_lines(skipped: tuple[tuple[str, str], ...]) -> list[str]:
    return [f"Overgeslagen: {doc_id} — {reason}" for doc_id, reason in skipped]


def format_report(report: BuildReport) -> list[str]:
    """Return the Dutch summary lines for `report`."""
    lines = [
        f"Documenten: {len(report.added)} nieuw, {len(report.changed)} gewijzigd, "
        f"{len(report.removed)} verwijderd, {len(report.unchanged)} ongewijzigd, "
        f"{len(report.skipped)} overgeslagen",
        *_skipped_lines(report.skipped),
        f"Passages: {report.passages}, zinnen: {report.sentences} "
        f"({report.embedded} teksten berekend, {report.reused} hergebruikt)",
        f"Tijd: {report.seconds:.1f} s".replace(".", ","),
    ]
    if report.published:
        lines.append(f"Index-versie: {report.version}")
    else:
        lines.append(f"Geen wijzigingen; index-versie {report.version} blijft in gebruik.")
    return lines


def _print_lines(lines: tuple[str, ...]) -> None:
    for line in lines:
        print(line)  # noqa: T201
