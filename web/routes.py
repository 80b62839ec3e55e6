"""The chat page for entrepreneurs: ask (plain form POST), see the conversation, give feedback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from starlette.responses import RedirectResponse, Response

from web.conversations import Exchange
from web.deps import (
    ConversationsDep,
    FeedbackDep,
    SessionDep,
    SettingsDep,
    SnapshotDep,
    client_address,
    ensure_session,
    limit_feedback,
)
from web.feedback import REASONS, parse_rating, record_feedback
from web.templating import render

router = APIRouter(include_in_schema=False)

UNKNOWN_ANSWER = (
    "Dit antwoord is niet meer bekend (de server is misschien herstart). Stel de vraag opnieuw."
)
BAD_FEEDBACK = "Kies 'Nuttig' of 'Niet nuttig', en eventueel een van de genoemde redenen."


def chat_context(
    exchanges: list[Exchange],
    max_chars: int,
    *,
    examples: Sequence[str] = (),
    question: str = "",
    error: str = "",
) -> dict[str, Any]:
    """Return what chat.html needs (shared with the error handler that re-renders the form)."""
    return {
        "nav": "chat",
        "exchanges": exchanges,
        "examples": examples,
        "reasons": REASONS,
        "max_chars": max_chars,
        "question": question,
        "error": error,
    }


@router.get("/")
def chat(
    request: Request,
    settings: SettingsDep,
    snapshot: SnapshotDep,
    conversations: ConversationsDep,
    session: SessionDep,
) -> Response:
    """Show the conversation so far, or example questions, and the question box."""
    context = chat_context(
        conversations.exchanges(session), settings.max_question_chars, examples=snapshot.examples
    )
    response = render(request, "chat.html", context)
    ensure_session(request, session, response)
    return response


@router.post("/vraag")
def ask(
    request: Request,
    snapshot: SnapshotDep,
    conversations: ConversationsDep,
    session: SessionDep,
    vraag: Annotated[str, Form()] = "",
) -> Response:
    """Answer a question from the form, then show the page with the new answer (PRG)."""
    request.state.question = vraag  # for the error handler, which re-renders the form
    history = conversations.history(session)
    answer = snapshot.assistant.ask(vraag, history)
    schemes = tuple(snapshot.finder.for_answer(answer, answer.query))
    response = RedirectResponse("/", status_code=303)
    session = ensure_session(request, session, response)
    exchange = conversations.add(session, client_address(request), answer, schemes)
    response.headers["location"] = f"/#antwoord-{exchange.id}"
    return response


@router.post("/feedback", dependencies=[Depends(limit_feedback)])
def feedback(
    conversations: ConversationsDep,
    store: FeedbackDep,
    antwoord: Annotated[str, Form()] = "",
    oordeel: Annotated[str, Form()] = "",
    reden: Annotated[str, Form()] = "",
) -> Response:
    """Store 👍/👎 for an answer, then go back to it (the page says whether it was saved)."""
    exchange = conversations.find(antwoord)
    if exchange is None:
        raise HTTPException(status_code=404, detail=UNKNOWN_ANSWER)
    rating = parse_rating(oordeel)
    if rating is None or (reden and reden not in REASONS):
        raise HTTPException(status_code=422, detail=BAD_FEEDBACK)
    record_feedback(store, exchange, rating, reden or None)
    return RedirectResponse(f"/#antwoord-{exchange.id}", status_code=303)


@router.post("/nieuw")
def new_conversation(conversations: ConversationsDep, session: SessionDep) -> Response:
    """Forget this browser's conversation and start again."""
    conversations.clear(session)
    return RedirectResponse("/", status_code=303)
