"""Request dependencies: the index snapshot, the conversation store, the session cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.responses import Response

from assistant.settings import Settings
from web.conversations import SESSION_COOKIE, Conversations
from web.feedback import FeedbackStore
from web.live_index import LiveIndex, Snapshot
from web.rate_limit import RateLimiter

SESSION_MAX_AGE = 8 * 60 * 60  # seconds; the conversation is for one sitting
TOO_FAST = "U geeft te snel achter elkaar feedback. Probeer het over {wait} opnieuw."


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
    """Return the browser's session id from its cookie, if this server issued it."""
    value = request.cookies.get(SESSION_COOKIE)
    return value if conversations(request).known(value) else None


def client_address(request: Request) -> str:
    """Return the client's address (behind a proxy on this host: the one it forwards)."""
    return request.client.host if request.client is not None else "onbekend"


def limit_feedback(request: Request) -> None:
    """Refuse feedback from a client that sends it too fast: 429 with Retry-After."""
    limiter: RateLimiter = request.app.state.feedback_limit
    wait = limiter.wait_seconds(client_address(request))
    if wait:
        raise HTTPException(
            status_code=429,
            detail=TOO_FAST.format(wait="1 seconde" if wait == 1 else f"{wait} seconden"),
            headers={"Retry-After": str(wait)},
        )


def ensure_session(request: Request, session: str | None, response: Response) -> str:
    """Return `session`, or start a new one for this client and set its cookie on `response`."""
    if session is not None:
        return session
    session = conversations(request).start(client_address(request))
    response.set_cookie(
        SESSION_COOKIE, session, max_age=SESSION_MAX_AGE, httponly=True, samesite="lax"
    )
    return session


SnapshotDep = Annotated[Snapshot, Depends(current_snapshot)]
ConversationsDep = Annotated[Conversations, Depends(conversations)]
FeedbackDep = Annotated[FeedbackStore, Depends(feedback_store)]
SettingsDep = Annotated[Settings, Depends(settings)]
SessionDep = Annotated[str | None, Depends(session_id)]
ClientDep = Annotated[str, Depends(client_address)]
