"""The audit log of staff actions (SQLite): when, what, and from which address."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from index.intake import AddResult
from index.sidecar import Sidecar

logger = logging.getLogger(__name__)

AUDIT_FILE = "logboek.sqlite3"
COMMAND_LINE = "opdrachtregel"  # the "address" of actions taken with `mkb-assistent`
MAX_DETAIL_CHARS = 1000
_TIMEOUT_SECONDS = 5.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    client TEXT NOT NULL
)
"""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One staff action."""

    at: str  # ISO 8601 UTC
    action: str  # Dutch: "inloggen", "toevoegen", "verwijderen", ...
    detail: str
    client: str  # the client's address, or COMMAND_LINE


def added_entry(result: AddResult, source: str) -> tuple[str, str]:
    """Return the action and detail that record an added document, the same from the staff
    pages and the command line: "toevoegen" or "vervangen", and what came from where."""
    action = "vervangen" if result.status == "vervangen" else "toevoegen"
    replaced = f" (vervangt {result.replaced})" if result.replaced else ""
    return action, f"{result.doc_id}{replaced} uit {source}"


def build_entry(reason: str, outcome: str, lines: Sequence[str]) -> tuple[str, str]:
    """Return the action and detail that record a finished build, the same for builds the staff
    pages and the command line start: "build gelukt" or "build mislukt", why it ran, and its
    summary ("toegevoegd: rapport.pdf: Documenten: 1 nieuw, ... | Index-versie: ...")."""
    return f"build {outcome}", f"{reason}: {' | '.join(lines)}"


# The metadata fields staff edit, with the names the form gives them.
_EDITED_FIELDS = (
    ("title", "titel"),
    ("date", "datum"),
    ("kind", "soort"),
    ("kamerstuk", "kamerstuk"),
)


def metadata_entry(doc_id: str, old: Sidecar, new: Sidecar) -> str:
    """Return the audit detail of a metadata edit: each field that changed, old -> new
    ("rapport.pdf: titel 'Oud' -> 'Nieuw'; datum - -> 2020-06-08"), or that nothing did."""
    changes = [
        f"{label} {_shown(getattr(old, name))} -> {_shown(getattr(new, name))}"
        for name, label in _EDITED_FIELDS
        if getattr(old, name) != getattr(new, name)
    ]
    return f"{doc_id}: " + ("; ".join(changes) if changes else "niets veranderd")


def _shown(value: str | None) -> str:
    return "-" if value is None else repr(value)


class AuditLog:
    """An append-only SQLite table; one short connection per call."""

    def __init__(self, staff_dir: Path) -> None:
        self.path = staff_dir / AUDIT_FILE

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=_TIMEOUT_SECONDS)
        connection.execute(_SCHEMA)
        return connection

    def record(self, action: str, detail: str, client: str) -> None:
        """Append an entry; a failure is logged in full (the action itself has happened)."""
        at = datetime.now(UTC).isoformat(timespec="seconds")
        row = (at, action, detail[:MAX_DETAIL_CHARS], client)
        try:
            connection = self._connect()
            try:
                with connection:
                    connection.execute(
                        "INSERT INTO audit (at, action, detail, client) VALUES (?, ?, ?, ?)", row
                    )
            finally:
                connection.close()
        except (sqlite3.Error, OSError):
            logger.exception("audit entry not saved to %s: %r", self.path, row)

    def recent(self, limit: int = 100) -> list[AuditEntry]:
        """Return the newest `limit` entries, newest first."""
        if not self.path.exists():
            return []
        connection = self._connect()
        try:
            rows = connection.execute(
                "SELECT at, action, detail, client FROM audit ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        finally:
            connection.close()
        return [AuditEntry(*row) for row in rows]
