"""Conversations per browser session, kept in memory and bounded (oldest sessions go first)."""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass

from assistant.types import Answer, Turn

SESSION_COOKIE = "mkb_sessie"
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{20,64}")
HISTORY_TURNS = 5  # earlier turns passed to the assistant for a follow-up question


@dataclass(slots=True)
class Exchange:
    """One question and its answer in a conversation; `feedback` records what became of it."""

    id: str
    answer: Answer
    feedback: str | None = None  # None, "opgeslagen" or "mislukt"


def new_session_id() -> str:
    """Return a fresh, unguessable session id for the cookie."""
    return secrets.token_urlsafe(18)


def valid_session_id(value: str | None) -> bool:
    """Tell whether a cookie value looks like one of our session ids."""
    return value is not None and _SESSION_ID.fullmatch(value) is not None


class Conversations:
    """Turns per session (at most `max_turns` each, `max_sessions` sessions) and answers by id."""

    def __init__(self, max_sessions: int = 1000, max_turns: int = 20) -> None:
        self._max_sessions = max_sessions
        self._max_turns = max_turns
        self._sessions: OrderedDict[str, list[Exchange]] = OrderedDict()
        self._by_id: OrderedDict[str, Exchange] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, session_id: str | None, answer: Answer) -> Exchange:
        """Record `answer` (in the session's conversation when there is a session)."""
        exchange = Exchange(id=secrets.token_urlsafe(12), answer=answer)
        with self._lock:
            self._by_id[exchange.id] = exchange
            while len(self._by_id) > self._max_sessions * self._max_turns:
                self._by_id.popitem(last=False)
            if session_id is not None:
                turns = self._sessions.setdefault(session_id, [])
                self._sessions.move_to_end(session_id)
                turns.append(exchange)
                del turns[: -self._max_turns]
                while len(self._sessions) > self._max_sessions:
                    self._sessions.popitem(last=False)
        return exchange

    def exchanges(self, session_id: str | None) -> list[Exchange]:
        """Return the session's conversation, oldest first."""
        if session_id is None:
            return []
        with self._lock:
            return list(self._sessions.get(session_id, ()))

    def history(self, session_id: str | None) -> tuple[Turn, ...]:
        """Return the last few turns, for a follow-up question."""
        recent = self.exchanges(session_id)[-HISTORY_TURNS:]
        return tuple(Turn(question=e.answer.question, answer=e.answer.text) for e in recent)

    def find(self, exchange_id: str) -> Exchange | None:
        """Return the exchange with this id, if it is still remembered."""
        with self._lock:
            return self._by_id.get(exchange_id)

    def clear(self, session_id: str | None) -> None:
        """Forget the session's conversation (a new conversation starts)."""
        if session_id is None:
            return
        with self._lock:
            self._sessions.pop(session_id, None)
