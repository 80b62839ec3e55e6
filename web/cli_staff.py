"""Staff commands: `add`, `remove`, `documents`, and `beheer wachtwoord` for the staff page."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import sys
from pathlib import Path

from assistant.settings import MAX_DOCUMENT_MB, Settings
from index import store
from index.catalog import CatalogEntry, read_catalog
from index.intake import (
    AddResult,
    GivenMeta,
    IntakeError,
    add_document,
    document_name,
    remove_document,
    staging,
)
from web.audit import COMMAND_LINE, AuditLog, added_entry, build_entry
from web.cli_index import build_and_report
from web.cli_types import positive_int
from web.intake_io import Fetcher, copy_local, is_url
from web.staff_auth import PasswordError, PasswordStore, StaffSessions
from web.templating import dutch_date


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `add`, `remove`, `documents` and `beheer` subcommands."""
    add = commands.add_parser(
        "add",
        help="voeg een document toe (bestand of URL) en werk de index bij",
        description=(
            "Kopieert een bestand of downloadt een URL naar de documentenmap, schrijft het "
            "metadatabestand (.toml) en werkt de index bij. Wat u niet opgeeft, wordt uit het "
            "document gehaald (PDF- of HTML-metadata, de eerste kop). Alleen PDF, HTML, Markdown "
            "en tekst, beoordeeld op de inhoud. Hetzelfde document nog eens geeft 'al aanwezig'; "
            "een nieuwe versie van dezelfde URL vervangt de oude. Afsluitcode: 0 = gelukt, "
            "1 = gelukt maar er zijn bestanden overgeslagen, 2 = geweigerd of mislukt."
        ),
    )
    add.add_argument("source", metavar="PAD_OF_URL", help="een bestand of een http(s)-URL")
    add.add_argument("--title", metavar="TITEL", help="titel van het document")
    add.add_argument("--date", metavar="JJJJ-MM-DD", help="datum van het document")
    add.add_argument("--kind", metavar="SOORT", help="soort, bijvoorbeeld kamerbrief of rapportage")
    add.add_argument("--kamerstuk", metavar="NUMMER", help='bijvoorbeeld "32 637, nr. 316"')
    add.add_argument(
        "--allow-private",
        action="store_true",
        help="sta URL's op interne adressen toe (loopback, privé-netwerken: een intranet)",
    )
    add.add_argument(
        "--max-mb",
        type=_document_mb,
        metavar="MB",
        help=f"grootste toegestane document in MB, hoogstens {MAX_DOCUMENT_MB} "
        f"(standaard ASSISTANT_MAX_DOCUMENT_MB of {MAX_DOCUMENT_MB})",
    )
    add.add_argument(
        "--timeout",
        type=positive_int,
        metavar="SECONDEN",
        help="hoe lang downloaden mag duren (standaard ASSISTANT_DOWNLOAD_TIMEOUT of 120)",
    )
    add.add_argument(
        "--geen-index", dest="no_index", action="store_true", help="werk de index niet bij"
    )
    _folder_options(add)
    add.set_defaults(handler=run_add)

    remove = commands.add_parser(
        "remove",
        help="verwijder een document en werk de index bij",
        description="Verwijdert een document en zijn metadatabestand uit de documentenmap en "
        "werkt de index bij.",
    )
    remove.add_argument("document", metavar="DOCUMENT", help="naam zoals `documents` die toont")
    remove.add_argument(
        "--geen-index", dest="no_index", action="store_true", help="werk de index niet bij"
    )
    _folder_options(remove)
    remove.set_defaults(handler=run_remove)

    documents = commands.add_parser(
        "documents",
        help="toon de documenten met hun metadata",
        description="Toont elk bestand in de documentenmap met titel, datum, soort, Kamerstuk, "
        "bron-URL en hoe de index het heeft opgenomen.",
    )
    documents.add_argument("--json", action="store_true", help="schrijf JSON")
    _folder_options(documents)
    documents.set_defaults(handler=run_documents)

    staff = commands.add_parser(
        "beheer",
        help="beheerpagina /beheer instellen",
        description="Instellingen voor de beheerpagina /beheer.",
    )
    actions = staff.add_subparsers(dest="action", required=True, metavar="ACTIE")
    password = actions.add_parser(
        "wachtwoord",
        help="stel het wachtwoord van /beheer in (of wijzig het)",
        description=(
            "Stelt het wachtwoord van de beheerpagina in. Het wordt als argon2-hash bewaard in "
            "de beheermap (ASSISTANT_STAFF_DIR, standaard var/beheer). Een nieuw wachtwoord "
            "beëindigt alle open sessies. Zonder terminal wordt het wachtwoord van "
            "standaardinvoer gelezen (één regel)."
        ),
    )
    password.set_defaults(handler=run_password)


def _folder_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--documents",
        type=Path,
        metavar="MAP",
        help="documentenmap (standaard: ASSISTANT_DOCUMENTS_DIR of documents)",
    )
    parser.add_argument(
        "--index-dir",
        type=Path,
        metavar="MAP",
        help="map van de index (standaard: ASSISTANT_INDEX_DIR of var/index)",
    )


def _document_mb(raw: str) -> int:
    value = positive_int(raw)
    if value > MAX_DOCUMENT_MB:
        raise argparse.ArgumentTypeError(
            f"{raw} MB is meer dan de index leest: bestanden van meer dan {MAX_DOCUMENT_MB} MB "
            "worden niet gelezen"
        )
    return value


def _fail(command: str, message: str) -> int:
    sys.stderr.write(f"mkb-assistent {command}: {message}\n")
    return 2


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def run_add(args: argparse.Namespace, settings: Settings) -> int:
    """Add a file or URL to the documents folder, then update the index."""
    if args.max_mb is not None:
        settings = dataclasses.replace(settings, max_document_mb=args.max_mb)
    if args.timeout is not None:
        settings = dataclasses.replace(settings, download_timeout=args.timeout)
    documents_dir: Path = args.documents or settings.documents_dir
    given = GivenMeta(args.title, args.date, args.kind, args.kamerstuk)
    if not documents_dir.is_dir():
        return _fail("add", f"De documentenmap {documents_dir} bestaat niet.")
    try:
        with staging(documents_dir) as folder:
            if is_url(args.source):
                fetcher = Fetcher.from_settings(settings, allow_private=args.allow_private)
                incoming = fetcher.fetch(args.source, folder)
            else:
                incoming = copy_local(Path(args.source), folder, settings.max_document_bytes)
            result = add_document(documents_dir, incoming, given)
    except IntakeError as exc:
        # as /beheer does: a refusal is a staff action too
        AuditLog(settings.staff_dir).record(
            "toevoegen geweigerd", f"{args.source}: {exc.reason}", COMMAND_LINE
        )
        return _fail("add", exc.reason)
    _print_added(result)
    if result.status == "al aanwezig":
        return 0
    AuditLog(settings.staff_dir).record(*added_entry(result, args.source), COMMAND_LINE)
    return _reindex(args, settings, documents_dir, f"{result.status}: {result.doc_id}")


def _print_added(result: AddResult) -> None:
    if result.status == "al aanwezig":
        _say(f"Al aanwezig: {result.doc_id} heeft dezelfde inhoud; er is niets veranderd.")
        return
    if result.status == "vervangen":
        _say(f"Vervangen: {result.replaced} door een nieuwe versie, {result.doc_id}.")
    else:
        _say(f"Toegevoegd: {result.doc_id}")
    for field in result.origins:
        value = field.value if field.value is not None else "–"
        _say(f"  {field.label}: {value} ({field.origin})")


def _reindex(args: argparse.Namespace, settings: Settings, documents_dir: Path, reason: str) -> int:
    """Update the index after a change (`reason`); log the build as /beheer logs its builds."""
    if args.no_index:
        _say("De index is niet bijgewerkt (--geen-index); doe dat met `mkb-assistent index`.")
        return 0
    index_dir: Path = args.index_dir or settings.index_dir
    summary = build_and_report(documents_dir, index_dir, settings, full=False, quiet=True)
    entry = build_entry(reason, summary.outcome, summary.lines)
    AuditLog(settings.staff_dir).record(*entry, COMMAND_LINE)
    return summary.status


def run_remove(args: argparse.Namespace, settings: Settings) -> int:
    """Remove a document and its sidecar, then update the index."""
    documents_dir: Path = args.documents or settings.documents_dir
    name = args.document
    try:
        name = document_name(documents_dir, args.document)
        remove_document(documents_dir, name)
    except IntakeError as exc:
        return _fail("remove", exc.reason)
    except OSError as exc:
        return _fail("remove", f"{name} kan niet worden verwijderd ({exc.strerror}).")
    _say(f"Verwijderd: {name}")
    AuditLog(settings.staff_dir).record("verwijderen", name, COMMAND_LINE)
    return _reindex(args, settings, documents_dir, f"verwijderd: {name}")


def run_documents(args: argparse.Namespace, settings: Settings) -> int:
    """List the documents with their metadata, as text or JSON."""
    documents_dir: Path = args.documents or settings.documents_dir
    index_dir: Path = args.index_dir or settings.index_dir
    if not documents_dir.is_dir():
        return _fail("documents", f"de documentenmap {documents_dir} bestaat niet.")
    try:
        index = store.load(index_dir)
    except store.IndexStoreError:
        index = None
    entries = read_catalog(documents_dir, index)
    if args.json:
        rows = [{**dataclasses.asdict(e), "status": e.status} for e in entries]
        _say(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not entries:
        _say(f"Geen documenten in {documents_dir}.")
    for entry in entries:
        _print_entry(entry)
    return 0


def _print_entry(entry: CatalogEntry) -> None:
    _say(entry.doc_id)
    _say(f"  Titel: {entry.title}")
    _say(f"  Datum: {dutch_date(entry.date)}")
    for label, value in (
        ("Soort", entry.kind),
        ("Kamerstuk", entry.kamerstuk),
        ("Bron", entry.source_url),
    ):
        _say(f"  {label}: {value or '–'}")
    passages = f" ({entry.passages} passages)" if entry.passages is not None else ""
    _say(f"  Index: {entry.status}{passages}")


def run_password(args: argparse.Namespace, settings: Settings) -> int:
    """Set the staff password; end every open session."""
    try:
        password = _read_password()
    except (EOFError, KeyboardInterrupt):
        return _fail("beheer wachtwoord", "Afgebroken; het wachtwoord is niet gewijzigd.")
    except PasswordError as exc:
        return _fail("beheer wachtwoord", exc.reason)
    passwords = PasswordStore(settings.staff_dir)
    had_one = passwords.is_set()
    try:
        passwords.set(password)
    except PasswordError as exc:
        return _fail("beheer wachtwoord", exc.reason)
    except OSError as exc:
        return _fail("beheer wachtwoord", f"{passwords.path} kan niet worden geschreven: {exc}")
    StaffSessions(settings.staff_dir, passwords).end_all()
    AuditLog(settings.staff_dir).record(
        "wachtwoord gewijzigd" if had_one else "wachtwoord ingesteld", "", COMMAND_LINE
    )
    _say(f"Wachtwoord opgeslagen in {passwords.path}. Open sessies zijn beëindigd.")
    return 0


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Nieuw wachtwoord voor /beheer: ")
    if getpass.getpass("Nog een keer: ") != first:
        raise PasswordError("De twee wachtwoorden zijn niet gelijk; er is niets gewijzigd.")
    return first
