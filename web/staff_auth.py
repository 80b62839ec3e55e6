"""Staff login: the password (an argon2 hash under the staff folder) and server-side sessions.

A session is a random token in an HttpOnly, SameSite=Strict cookie; the server keeps only its
SHA-256 (a copy of the database lets nobody in), with a CSRF token for the session's forms. A
session ends on logout, after SESSION_IDLE_SECONDS without use or SESSION_MAX_SECONDS in all,
and whenever the password changes: each session remembers a fingerprint of the hash it was
opened under, so replacing the hash (by `mkb-assistent beheer wachtwoord`, or by hand) ends
every session at its next request.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

logger = logging.getLogger(__name__)

PASSWORD_FILE = "wachtwoord.argon2"
SESSIONS_FILE = "sessies.sqlite3"
# NIST SP 800-63B-4 (3.1.1.2): at least 15 characters for a password that is the only factor.
MIN_PASSWORD_CHARS = 15
MAX_PASSWORD_CHARS = 1000  # argon2 takes any length; this bounds the work of one request
SESSION_IDLE_SECONDS = 30 * 60  # a staff member away from the desk for half an hour
SESSION_MAX_SECONDS = 8 * 60 * 60  # one working day
_TIMEOUT_SECONDS = 5.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    csrf TEXT NOT NULL,
    password TEXT NOT NULL,
    created REAL NOT NULL,
    seen REAL NOT NULL,
    client TEXT NOT NULL,
    flash TEXT
)
"""


class PasswordError(ValueError):
    """A password that cannot be set; `reason` is Dutch."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class StaffSession:
    """A logged-in staff member's session."""

    token: str
    csrf: str
    client: str


def check_new_password(password: str) -> None:
    """Raise PasswordError for a password that is too short or too long."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise PasswordError(
            f"Het wachtwoord is te kort: gebruik minstens {MIN_PASSWORD_CHARS} tekens "
            "(bijvoorbeeld vier losse woorden)."
        )
    if len(password) > MAX_PASSWORD_CHARS:
        raise PasswordError(f"Het wachtwoord is te lang (hoogstens {MAX_PASSWORD_CHARS} tekens).")


class PasswordStore:
    """The staff password as an argon2id hash (argon2-cffi's default parameters)."""

    def __init__(self, staff_dir: Path) -> None:
        self.path = staff_dir / PASSWORD_FILE
        self._hasher = PasswordHasher()

    def stored_hash(self) -> str | None:
        """Return the stored hash, or None when no password is set."""
        try:
            text = self.path.read_text(encoding="ascii").strip()
        except (FileNotFoundError, UnicodeDecodeError):
            return None
        return text or None

    def is_set(self) -> bool:
        """Tell whether a password has been set."""
        return self.stored_hash() is not None

    def fingerprint(self) -> str:
        """Return a short digest of the stored hash ("" when none): it changes with the password."""
        stored = self.stored_hash()
        return hashlib.sha256(stored.encode()).hexdigest()[:32] if stored else ""

    def set(self, password: str) -> None:
        """Hash and store `password` (owner-only file, replaced in one step)."""
        check_new_password(password)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(self._hasher.hash(password) + "\n")
            os.replace(temporary, self.path)
        finally:
            temporary.unlink(missing_ok=True)

    def verify(self, password: str) -> bool:
        """Tell whether `password` is the stored one (False when none is set)."""
        stored = self.stored_hash()
        if stored is None or len(password) > MAX_PASSWORD_CHARS:
            return False
        try:
            return self._hasher.verify(stored, password)
        except VerifyMismatchError:
            return False
        except (VerificationError, InvalidHashError):
            logger.error("the staff password hash in %s is unreadable", self.path)
            return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class StaffSessions:
    """Server-side staff sessions in SQLite (shared by every worker process)."""

    def __init__(self, staff_dir: Path, passwords: PasswordStore) -> None:
        self.path = staff_dir / SESSIONS_FILE
        self._passwords = passwords

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=_TIMEOUT_SECONDS)
        connection.execute(_SCHEMA)
        return connection

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Yield a connection in one transaction (committed unless an error); close it after."""
        connection = self._connect()
        try:
            with connection:
                yield connection
        finally:
            connection.close()

    def start(self, client: str) -> StaffSession:
        """Open a session for `client` (after a right password); return it with its token."""
        token, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(32), time.time()
        row = (_token_hash(token), csrf, self._passwords.fingerprint(), now, now, client)
        with self._transaction() as connection:
            connection.execute(
                "DELETE FROM sessions WHERE seen < ? OR created < ?",
                (now - SESSION_IDLE_SECONDS, now - SESSION_MAX_SECONDS),
            )
            connection.execute(
                "INSERT INTO sessions (token_hash, csrf, password, created, seen, client) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                row,
            )
        return StaffSession(token, csrf, client)

    def find(self, token: str | None) -> StaffSession | None:
        """Return the live session of `token` (and note its use), or None."""
        if not token or len(token) > 100:
            return None
        now, key = time.time(), _token_hash(token)
        with self._transaction() as connection:
            row = connection.execute(
                "SELECT csrf, password, created, seen, client FROM sessions WHERE token_hash = ?",
                (key,),
            ).fetchone()
            if row is None:
                return None
            csrf, password, created, seen, client = row
            fingerprint = self._passwords.fingerprint()
            if (
                not fingerprint
                or not hmac.compare_digest(password, fingerprint)
                or now - seen > SESSION_IDLE_SECONDS
                or now - created > SESSION_MAX_SECONDS
            ):
                connection.execute("DELETE FROM sessions WHERE token_hash = ?", (key,))
                return None
            connection.execute("UPDATE sessions SET seen = ? WHERE token_hash = ?", (now, key))
        return StaffSession(token, csrf, client)

    def end(self, token: str) -> None:
        """End one session (logout)."""
        self._execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))

    def end_all(self) -> None:
        """End every session (the password changed)."""
        self._execute("DELETE FROM sessions", ())

    def set_flash(self, token: str, message: str) -> None:
        """Keep a message to show on the session's next page."""
        self._execute(
            "UPDATE sessions SET flash = ? WHERE token_hash = ?", (message, _token_hash(token))
        )

    def pop_flash(self, token: str) -> str | None:
        """Return the kept message once."""
        key = _token_hash(token)
        with self._transaction() as connection:
            row = connection.execute(
                "SELECT flash FROM sessions WHERE token_hash = ?", (key,)
            ).fetchone()
            connection.execute("UPDATE sessions SET flash = NULL WHERE token_hash = ?", (key,))
        return row[0] if row is not None else None

    def _execute(self, sql: str, parameters: tuple[str, ...]) -> None:
        with self._transaction() as connection:
            connection.execute(sql, parameters)


def tokens_match(expected: str, given: str | None) -> bool:
    """Compare a CSRF token in constant time."""
    return given is not None and hmac.compare_digest(
        expected.encode(), given.encode("utf-8", "surrogatepass")
    )
