"""Request dependencies: the index snapshot, the conversation store, the session cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import Response

from assistant.settings import Settings
from web.conversations import SESSION_COOKIE, Conversations, new_session_id, valid_session_id
from web.feedback import FeedbackStore
from web.live_index import LiveIndex, Snapshot

SESSION_MAX_AGE = 8 * 60 * 60  # seconds; the conversation is for one sitting


def current_snapshot(request: Request) -> Snapshot:
    """Return the index snapshot this request uses from start to end."""
    live: LiveIndex = request.app.state.live
    return live.current()


def conversations(request: Request) -> Conversations:
    """Return the app's conversation store."""
    store: Conversations = request.app.state.conversations
    return store


def feedback_store(request: Request) -> FeedbackStore:
    """Return the app's feedback store."""
    store: FeedbackStore = request.app.state.feedback
    return store


def settings(request: Request) -> Settings:
    """Return the app's settings."""
    value: Settings = request.app.state.settings
    return value


def session_id(request: Request) -> str | None:
    """Return the browser's session id from its cookie, if it has a valid one."""
    value = request.cookies.get(SESSION_COOKIE)
    return value if valid_session_id(value) else None


def ensure_session(session: str | None, response: Response) -> str:
    """Return `session`, or start a new one and set its cookie on `response`."""
    if session is not None:
        return session
    session = new_session_id()
    response.set_cookie(
        SESSION_COOKIE, session, max_age=SESSION_MAX_AGE, httponly=True, samesite="lax"
    )
    return session


SnapshotDep = Annotated[Snapshot, Depends(current_snapshot)]
ConversationsDep = Annotated[Conversations, Depends(conversations)]
FeedbackDep = Annotated[FeedbackStore, Depends(feedback_store)]
SettingsDep = Annotated[Settings, Depends(settings)]
SessionDep = Annotated[str | None, Depends(session_id)]
