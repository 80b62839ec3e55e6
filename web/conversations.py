"""Conversations per browser session, kept in memory and bounded per client and in all.

Only the server makes session ids: a cookie with an id it did not issue (or has forgotten) is
ignored and the browser gets a fresh one, so nobody can plant a session id on someone else.
Every session and every answer belongs to the client (address) that caused it; when a client
goes over its share, its own least recently used ones go, so that a flood from one client
cannot push out the conversations of others.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

from assistant.finder import Fit
from assistant.types import Answer, Turn

SESSION_COOKIE = "mkb_sessie"
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{20,64}")
HISTORY_TURNS = 5  # earlier turns passed to the assistant for a follow-up question
# Conversations kept at once; an exchange refers to the index's passages, so 1,000 full ones
# (MAX_TURNS each) take a few MB.
MAX_SESSIONS = 1000
MAX_TURNS = 20  # per conversation: more than a sitting needs; older turns scroll away
# Sessions one address may hold: an office behind one address, 50 people chatting in a day,
# fills 5 % of MAX_SESSIONS.
SESSIONS_PER_CLIENT = 50

V = TypeVar("V")


@dataclass(slots=True)
class Exchange:
    """One question and its answer in a conversation; `feedback` records what became of it."""

    id: str
    answer: Answer
    feedback: str | None = None  # None, "opgeslagen" or "mislukt"
    schemes: tuple[Fit, ...] = ()  # the scheme cards shown under the answer


def new_session_id() -> str:
    """Return a fresh, unguessable session id for the cookie."""
    return secrets.token_urlsafe(18)


def valid_session_id(value: str | None) -> bool:
    """Tell whether a cookie value looks like one of our session ids."""
    return value is not None and _SESSION_ID.fullmatch(value) is not None


class OwnedLru(Generic[V]):
    """Values by key, each owned by a client: at most `per_owner` per client and `total` in all.

    Over its share, a client loses its own least recently used values; over the total, the
    least recently used of all go. Not thread-safe: `Conversations` holds the lock.
    """

    def __init__(self, per_owner: int, total: int) -> None:
        self.per_owner = per_owner
        self.total = total
        self._values: OrderedDict[str, tuple[str, V]] = OrderedDict()  # key -> (owner, value)
        self._owned: dict[str, OrderedDict[str, None]] = {}

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def __len__(self) -> int:
        return len(self._values)

    def put(self, owner: str, key: str, value: V) -> None:
        """Store `value` under `key` for `owner`, making room as described above."""
        self._values[key] = (owner, value)
        self._values.move_to_end(key)
        owned = self._owned.setdefault(owner, OrderedDict())
        owned[key] = None
        owned.move_to_end(key)
        while len(owned) > self.per_owner:
            self._remove(next(iter(owned)))
        while len(self._values) > self.total:
            self._remove(next(iter(self._values)))

    def get(self, key: str) -> V | None:
        """Return the value under `key` (now the most recently used), or None."""
        item = self._values.get(key)
        if item is None:
            return None
        owner, value = item
        self._values.move_to_end(key)
        self._owned[owner].move_to_end(key)
        return value

    def _remove(self, key: str) -> None:
        owner, _ = self._values.pop(key)
        owned = self._owned[owner]
        del owned[key]
        if not owned:
            del self._owned[owner]


class Conversations:
    """Sessions with their turns (oldest first) and answers by id, bounded as described above."""

    def __init__(
        self,
        max_sessions: int = MAX_SESSIONS,
        max_turns: int = MAX_TURNS,
        sessions_per_client: int = SESSIONS_PER_CLIENT,
    ) -> None:
        self._max_turns = max_turns
        self._sessions: OwnedLru[list[Exchange]] = OwnedLru(sessions_per_client, max_sessions)
        # Answers stay findable (for feedback) as long as a full conversation would keep them.
        self._answers: OwnedLru[Exchange] = OwnedLru(
            sessions_per_client * max_turns, max_sessions * max_turns
        )
        self._lock = threading.Lock()

    def start(self, client: str) -> str:
        """Start an empty conversation for `client`; return its new session id."""
        session_id = new_session_id()
        with self._lock:
            self._sessions.put(client, session_id, [])
        return session_id

    def known(self, session_id: str | None) -> bool:
        """Tell whether `session_id` was issued here and is still remembered."""
        if session_id is None or not valid_session_id(session_id):
            return False
        with self._lock:
            return session_id in self._sessions

    def add(
        self,
        session_id: str | None,
        client: str,
        answer: Answer,
        schemes: tuple[Fit, ...] = (),
    ) -> Exchange:
        """Record `answer` (and the scheme cards shown with it) for `client`, in the session's
        conversation when there is one."""
        exchange = Exchange(id=secrets.token_urlsafe(12), answer=answer, schemes=schemes)
        with self._lock:
            self._answers.put(client, exchange.id, exchange)
            turns = self._sessions.get(session_id) if session_id is not None else None
            if turns is not None:
                turns.append(exchange)
                del turns[: -self._max_turns]
        return exchange

    def exchanges(self, session_id: str | None) -> list[Exchange]:
        """Return the session's conversation, oldest first."""
        if session_id is None:
            return []
        with self._lock:
            return list(self._sessions.get(session_id) or ())

    def history(self, session_id: str | None) -> tuple[Turn, ...]:
        """Return the last few turns, for a follow-up question."""
        recent = self.exchanges(session_id)[-HISTORY_TURNS:]
        return tuple(Turn(question=e.answer.question, answer=e.answer.text) for e in recent)

    def find(self, exchange_id: str) -> Exchange | None:
        """Return the exchange with this id, if it is still remembered."""
        with self._lock:
            return self._answers.get(exchange_id)

    def clear(self, session_id: str | None) -> None:
        """Forget the session's turns (a new conversation starts under the same id)."""
        if session_id is None:
            return
        with self._lock:
            turns = self._sessions.get(session_id)
            if turns is not None:
                turns.clear()
