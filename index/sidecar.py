"""Write a document's sidecar ("rapport.pdf.toml") and read back what `add` recorded in it.

The sidecar holds the metadata shown to users (title, date, kind, Kamerstuk, source URL) and
where the file came from (when it was fetched, its SHA-256). It is written to a hidden
temporary file beside its final place and renamed over it, so a reader sees the old or the
new sidecar, never half of one. What a sidecar holds besides these fields (comments, a "note"
that the text is a stand-in, keys of other tools) is kept where it stood (`merged_text`).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from index.metadata import fields_from_mapping, sidecar_path

logger = logging.getLogger(__name__)

_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


@dataclass(frozen=True, slots=True)
class Sidecar:
    """The fields of a sidecar file; None where it says nothing."""

    title: str | None = None
    date: str | None = None  # ISO "YYYY-MM-DD"
    kind: str | None = None
    kamerstuk: str | None = None
    source_url: str | None = None
    retrieved: str | None = None  # ISO 8601 UTC: when the file was added
    sha256: str | None = None  # of the document's bytes


def toml_string(value: str) -> str:
    """Return `value` as a TOML basic string."""
    escaped = "".join(
        _ESCAPES.get(char, f"\\u{ord(char):04X}" if ord(char) < 32 or ord(char) == 127 else char)
        for char in value
    )
    return f'"{escaped}"'


def sidecar_text(sidecar: Sidecar) -> str:
    """Return the TOML text of `sidecar`, one line per field that is set."""
    lines = [
        f"{f.name} = {toml_string(value)}"
        for f in fields(Sidecar)
        if (value := getattr(sidecar, f.name)) is not None
    ]
    return "".join(line + "\n" for line in lines)


# The keys `Sidecar` manages; "url" is read as the source URL (`index.metadata`).
_MANAGED = frozenset(f.name for f in fields(Sidecar)) | {"url"}
_KEY_LINE = re.compile(r"""^\s*("?)([A-Za-z0-9_-]+)\1\s*=""")
_TABLE_LINE = re.compile(r"^\s*\[")


def merged_text(existing: str, sidecar: Sidecar) -> str:
    """Return the text of `sidecar` written into the `existing` sidecar text: a field's line is
    replaced where it stood, a new field goes after the last top-level line, an unset field
    loses its line, and everything else (comments, other keys, tables) stays as it was. When
    the merge does not read back as `sidecar` (the existing text is no TOML, or has a field
    written over several lines), the result is the fields alone (`sidecar_text`)."""
    wanted = {
        f.name: f"{f.name} = {toml_string(value)}"
        for f in fields(Sidecar)
        if (value := getattr(sidecar, f.name)) is not None
    }
    out: list[str] = []
    placed: set[str] = set()
    top_end: int | None = None  # where the top-level keys end: at the first table
    for line in existing.splitlines():
        if top_end is None and _TABLE_LINE.match(line):
            top_end = len(out)
        key = match.group(2) if (match := _KEY_LINE.match(line)) else None
        if top_end is None and key in _MANAGED:
            name = "source_url" if key == "url" else key
            if name in wanted and name not in placed:
                out.append(wanted[name])
                placed.add(name)
            continue  # an unset field, or a second line for one ("url" beside "source_url")
        out.append(line)
    at = len(out) if top_end is None else top_end
    out[at:at] = [line for name, line in wanted.items() if name not in placed]
    text = "".join(line + "\n" for line in out)
    return text if _reads_as(text, sidecar) else sidecar_text(sidecar)


def _reads_as(text: str, sidecar: Sidecar) -> bool:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    same = all(data.get(f.name) == getattr(sidecar, f.name) for f in fields(Sidecar))
    return same and "url" not in data


def read_sidecar(document: Path) -> Sidecar:
    """Return the sidecar of `document` (an empty one when it has none or it is unreadable)."""
    path = sidecar_path(document)
    if path.is_symlink() or not path.is_file():
        return Sidecar()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        logger.warning("%s is ongeldig: %s", path, exc)
        return Sidecar()
    shown = fields_from_mapping(data, path.name)
    return Sidecar(
        title=shown.title,
        date=shown.date,
        kind=shown.kind,
        kamerstuk=shown.kamerstuk,
        source_url=shown.source_url,
        retrieved=_plain(data.get("retrieved")),
        sha256=_plain(data.get("sha256")),
    )


def write_sidecar(document: Path, sidecar: Sidecar) -> Path:
    """Write the sidecar of `document` atomically; return its path (OSError on failure)."""
    path = sidecar_path(document)
    text = sidecar_text(sidecar)
    if path.is_file() and not path.is_symlink():
        try:
            text = merged_text(path.read_text(encoding="utf-8"), sidecar)
        except (OSError, UnicodeDecodeError):
            pass  # unreadable: it is replaced by the fields alone, as before
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with temporary.open("x", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def _plain(value: object) -> str | None:
    return str(value) if isinstance(value, str | int | float) and str(value) else None
