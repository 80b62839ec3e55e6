"""Add, replace, re-describe and remove documents in the documents folder, safely.

A new file arrives in a hidden staging folder inside the documents folder (`staging`), is judged
by its content (`index.sniff`) and read by the real document reader; only a file that would be
indexed is moved into place, its sidecar first, each by one rename. So a refused file leaves
nothing behind, and a reader of the folder sees a document whole or not at all. One change at
a time holds `.intake.lock`. Rebuilding the index is the caller's next step.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Literal
from urllib.parse import unquote

from index.chunk import split_into_passages
from index.metadata import MAX_TITLE_CHARS, humanize_file_name, normalize_date, sidecar_path
from index.parse import Inspection, inspect_document, list_documents
from index.sidecar import Sidecar, read_sidecar, write_sidecar
from index.sniff import NotADocument, sniff
from index.types import DocumentError

STAGING = ".binnenkomend"
LOCK = ".intake.lock"
STALE_STAGING_SECONDS = 24 * 60 * 60  # no download or upload takes a day: a crash's leftover
MAX_NAME_CHARS = 120
MAX_FIELD_CHARS = 300
_UNSAFE = re.compile(r"[^\w.()+-]+")
_EMBEDDED_ORIGIN = {
    "pdf": "uit de PDF-metadata",
    "html": "uit de HTML-metadata",
    "md": "uit de front matter",
    "txt": "uit het document",
}
LABELS = {"title": "Titel", "date": "Datum", "kind": "Soort", "kamerstuk": "Kamerstuk"}

Status = Literal["toegevoegd", "vervangen", "al aanwezig"]


class IntakeError(Exception):
    """A document that is refused or a change that cannot be made; `reason` is Dutch."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class GivenMeta:
    """Metadata given by staff; None means "take it from the document"."""

    title: str | None = None
    date: str | None = None
    kind: str | None = None
    kamerstuk: str | None = None


@dataclass(frozen=True, slots=True)
class Incoming:
    """A file waiting in the staging folder, with what is known of where it came from."""

    path: Path
    name: str  # the name it came with (an upload's file name, the end of a URL)
    source_url: str | None = None
    content_type: str = ""


@dataclass(frozen=True, slots=True)
class FieldOrigin:
    """One metadata field of an added document and where its value came from."""

    label: str  # Dutch: "Titel", "Datum", ...
    value: str | None
    origin: str  # Dutch: "opgegeven", "uit de PDF-metadata", "eerste kop", ...


@dataclass(frozen=True, slots=True)
class AddResult:
    """What adding did: "toegevoegd", "vervangen" or "al aanwezig" (nothing changed)."""

    status: Status
    doc_id: str
    replaced: str | None = None  # the document it replaced (can be doc_id itself)
    origins: tuple[FieldOrigin, ...] = ()


def check_given(given: GivenMeta) -> GivenMeta:
    """Return `given` cleaned (dates as YYYY-MM-DD, blanks as None); raise IntakeError."""
    values: dict[str, str | None] = {}
    for name in LABELS:
        raw = getattr(given, name)
        text = " ".join(raw.split()) if raw is not None else ""
        if len(text) > MAX_FIELD_CHARS:
            raise IntakeError(f"{LABELS[name]} is te lang (hoogstens {MAX_FIELD_CHARS} tekens).")
        values[name] = text or None
    if values["date"] is not None:
        date = normalize_date(values["date"])
        if date is None:
            raise IntakeError(f"Datum {values['date']!r} is geen geldige datum (JJJJ-MM-DD).")
        values["date"] = date
    return GivenMeta(**values)


def check_upload_name(name: str) -> str:
    """Return an uploaded file's name; refuse a path ("../", "/"), NUL or control characters.

    Browsers send "%22" for a quote and some clients "%00" for NUL: the name is judged both
    as sent and percent-decoded.
    """
    for form in (name, unquote(name)):
        if not form or any(ord(char) < 32 or ord(char) == 127 for char in form):
            raise IntakeError("De bestandsnaam is leeg of bevat stuurtekens (zoals NUL).")
        if "/" in form or "\\" in form or form in (".", ".."):
            raise IntakeError("De bestandsnaam mag geen map of pad bevatten (zoals ../).")
    return name


def safe_name(name: str, suffix: str) -> str:
    """Return a plain file name from `name` with extension `suffix` ("Rapport 2020!.aspx" ->
    "Rapport-2020.pdf" for a PDF; "rapport.txt.toml" -> "rapport.txt", not "rapport.txt.txt")."""
    stem = PurePosixPath(name).stem if PurePosixPath(name).suffix else name
    if stem.lower().endswith(suffix.lower()):
        stem = stem[: -len(suffix)]
    stem = _UNSAFE.sub("-", stem).strip(".-_ ")[: MAX_NAME_CHARS - len(suffix)]
    return (stem or "document") + suffix


@contextmanager
def staging(documents_dir: Path) -> Iterator[Path]:
    """Yield a fresh folder inside the hidden staging folder; remove it and all in it after."""
    root = documents_dir / STAGING
    root.mkdir(parents=True, exist_ok=True)
    _remove_stale(root)
    folder = root / f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"
    folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _remove_stale(root: Path) -> None:
    cutoff = time.time() - STALE_STAGING_SECONDS
    for folder in root.iterdir():
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


@contextmanager
def intake_lock(documents_dir: Path) -> Iterator[None]:
    """Hold the lock that lets one change of the documents folder happen at a time."""
    with (documents_dir / LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def add_document(documents_dir: Path, incoming: Incoming, given: GivenMeta) -> AddResult:
    """Move the staged file into the documents folder with its sidecar; raise IntakeError."""
    given = check_given(given)
    data = incoming.path.read_bytes()
    try:
        sniffed = sniff(data, incoming.name, incoming.content_type)
    except NotADocument as exc:
        raise IntakeError(exc.reason) from None
    checked = incoming.path.parent / f"document{sniffed.suffix}"
    incoming.path.rename(checked)
    inspection = _inspect(checked)
    sha256 = hashlib.sha256(data).hexdigest()
    with intake_lock(documents_dir):
        present = _present(documents_dir)
        same = next((doc_id for doc_id, (digest, _) in present.items() if digest == sha256), None)
        if same is not None:
            return AddResult("al aanwezig", same)
        replaced = next(
            (
                doc_id
                for doc_id, (_, sidecar) in present.items()
                if incoming.source_url and sidecar.source_url == incoming.source_url
            ),
            None,
        )
        doc_id = _choose_name(present, incoming.name, sniffed.suffix, replaced)
        previous = present[replaced][1] if replaced is not None else Sidecar()
        sidecar, origins = describe(doc_id, given, inspection, previous)
        sidecar = replace(
            sidecar,
            source_url=incoming.source_url,
            retrieved=datetime.now(UTC).isoformat(timespec="seconds"),
            sha256=sha256,
        )
        _commit(documents_dir, checked, doc_id, sidecar, replaced)
    return AddResult("vervangen" if replaced else "toegevoegd", doc_id, replaced, origins)


def _inspect(path: Path) -> Inspection:
    try:
        inspection = inspect_document(path, path.parent)
        if not split_into_passages(inspection.document):
            raise DocumentError(path.name, "bevat geen tekst om te doorzoeken")
    except DocumentError as exc:
        raise IntakeError(f"Het document kan niet worden gelezen: {exc.reason}.") from None
    return inspection


def _present(documents_dir: Path) -> dict[str, tuple[str, Sidecar]]:
    """Return doc_id -> (sha256 of the file, its sidecar) for every regular file."""
    found: dict[str, tuple[str, Sidecar]] = {}
    for path in list_documents(documents_dir):
        if path.is_symlink() or not path.is_file():
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        found[path.relative_to(documents_dir).as_posix()] = (digest, read_sidecar(path))
    return found


def _choose_name(
    present: dict[str, tuple[str, Sidecar]], name: str, suffix: str, replaced: str | None
) -> str:
    if replaced is not None and PurePosixPath(replaced).suffix.lower() == suffix:
        return replaced  # a new version keeps its place (and its links)
    wanted = safe_name(name, suffix)
    taken = {doc_id.lower() for doc_id in present if doc_id != replaced}
    stem = wanted[: -len(suffix)]
    candidate, number = wanted, 2
    while candidate.lower() in taken:
        candidate, number = f"{stem}-{number}{suffix}", number + 1
    return candidate


def describe(
    doc_id: str, given: GivenMeta, inspection: Inspection, previous: Sidecar
) -> tuple[Sidecar, tuple[FieldOrigin, ...]]:
    """Choose each field: given, else from the document, else from the version it replaces."""
    embedded = inspection.embedded
    from_document = _EMBEDDED_ORIGIN[inspection.document.meta.format]
    values: dict[str, str | None] = {}
    origins: list[FieldOrigin] = []
    for name, label in LABELS.items():
        candidates = [
            (getattr(given, name), "opgegeven"),
            (getattr(embedded, name), from_document),
            (getattr(inspection.stated, name), "uit de tekst"),
            (getattr(previous, name), "van de vorige versie"),
        ]
        if name == "title":
            heading = " ".join((inspection.first_heading or "").split())[:MAX_TITLE_CHARS]
            candidates += [
                (heading, "eerste kop"),
                (humanize_file_name(PurePosixPath(doc_id).name), "bestandsnaam"),
            ]
        value, origin = next(((v, o) for v, o in candidates if v), (None, "onbekend"))
        values[name] = value
        origins.append(FieldOrigin(label, value, origin))
    return Sidecar(**values), tuple(origins)


def _commit(
    documents_dir: Path, checked: Path, doc_id: str, sidecar: Sidecar, replaced: str | None
) -> None:
    target = documents_dir / doc_id
    write_sidecar(target, sidecar)  # first: an orphaned sidecar is harmless, a bare file not
    checked.replace(target)
    if replaced is not None and replaced != doc_id:
        _delete(documents_dir / replaced)


def find_document(documents_dir: Path, doc_id: str) -> Path:
    """Return the file of `doc_id`: only a name the folder lists, never a path made up."""
    for path in list_documents(documents_dir):
        if path.relative_to(documents_dir).as_posix() == doc_id:
            if path.is_symlink():  # listed by `documents` as skipped; never followed here
                raise IntakeError(
                    f"{doc_id!r} is een symbolische koppeling, geen document: die wordt niet "
                    "gelezen en niet via de assistent bewerkt. Verwijder de koppeling zelf."
                )
            if not path.is_file():
                break
            return path
    raise IntakeError(f"Document {doc_id!r} staat niet in de documentenmap.")


def document_name(documents_dir: Path, given: str) -> str:
    """Return the document name (as `documents` lists it) that `given` stands for; raise
    IntakeError naming the name(s) to use when it stands for none or for several.

    A name is the path inside the documents folder. A path to one of its files (absolute, or
    relative to the working folder: "documents/x.md") stands for that file; otherwise a path
    stands for the documents with its file name, whatever the folder typed before it."""
    names = [path.relative_to(documents_dir).as_posix() for path in list_documents(documents_dir)]
    if given in names:
        return given
    inside = _name_inside(documents_dir, Path(given))
    if inside in names:
        return inside
    same_file = [name for name in names if PurePosixPath(name).name == Path(given).name]
    if len(same_file) == 1:
        return same_file[0]
    if same_file:
        options = ", ".join(repr(name) for name in same_file)
        raise IntakeError(
            f"{given!r} kan meerdere documenten zijn: {options}. Geef één van die namen."
        )
    raise IntakeError(
        f"Document {given!r} staat niet in de documentenmap. Gebruik de naam die "
        "`mkb-assistent documents` toont (het pad binnen de documentenmap)."
    )


def _name_inside(documents_dir: Path, path: Path) -> str | None:
    """Return `path`'s place inside `documents_dir` (posix style), or None when outside."""
    try:
        return path.resolve().relative_to(documents_dir.resolve()).as_posix()
    except (ValueError, OSError):
        return None


def remove_document(documents_dir: Path, doc_id: str) -> None:
    """Remove a document and its sidecar; refuse to remove the last readable one."""
    with intake_lock(documents_dir):
        path = find_document(documents_dir, doc_id)
        others = [
            p
            for p in list_documents(documents_dir)
            if p != path and p.is_file() and not p.is_symlink()
        ]
        if not others:
            raise IntakeError(
                "Dit is het enige document; een index zonder documenten kan niet bestaan. "
                "Voeg eerst een ander document toe en verwijder dit daarna."
            )
        _delete(path)


def _delete(path: Path) -> None:
    path.unlink(missing_ok=True)  # first the document: a sidecar alone is harmless
    sidecar_path(path).unlink(missing_ok=True)


def update_metadata(documents_dir: Path, doc_id: str, given: GivenMeta) -> tuple[Sidecar, Sidecar]:
    """Rewrite the shown fields of a document's sidecar (None clears one); keep its origin.
    Return the sidecar before and after (for the audit log)."""
    given = check_given(given)
    with intake_lock(documents_dir):
        path = find_document(documents_dir, doc_id)
        before = read_sidecar(path)
        sidecar = replace(
            before,
            title=given.title,
            date=given.date,
            kind=given.kind,
            kamerstuk=given.kamerstuk,
        )
        write_sidecar(path, sidecar)
    return before, sidecar
