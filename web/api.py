"""JSON API: ask, search, feedback and a health check (documented at /docs)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, BeforeValidator, Field
from starlette.responses import JSONResponse

from assistant.answer import MAX_ANSWER_CHARS
from assistant.assistant import MAX_QUESTION_CHARS, well_formed
from assistant.serialize import answer_to_dict, hit_to_dict
from assistant.types import Turn
from web.conversations import HISTORY_TURNS
from web.deps import (
    ClientDep,
    ConversationsDep,
    FeedbackDep,
    SessionDep,
    SnapshotDep,
    limit_feedback,
)
from web.docs import described
from web.feedback import record_feedback
from web.regelingen import RankedSchemeCard, chat_cards
from web.routes import UNKNOWN_ANSWER
from web.templating import passage_url

router = APIRouter(tags=["API"])

SAVED = "Bedankt voor uw feedback."
NOT_SAVED = "Uw feedback kon niet worden opgeslagen. Probeer het later nog eens."


class ErrorMessage(BaseModel):
    """What went wrong, in Dutch."""

    model_config = described("Wat er misging, in het Nederlands.")

    detail: str


_ERROR: dict[str, Any] = {"model": ErrorMessage, "description": "Foutmelding"}


def _well_formed(value: Any) -> Any:
    return well_formed(value) if isinstance(value, str) else value


# JSON may carry lone surrogates ("\ud800"), which cannot be encoded in a response or a log;
# replaced before validation, as pydantic refuses them in a string with a length limit.
Text = Annotated[str, BeforeValidator(_well_formed)]
Reason = Literal["bron klopt niet", "antwoord onvolledig", "antwoord onjuist", "anders"]


class HistoryTurn(BaseModel):
    """An earlier question and its answer, for a follow-up question."""

    model_config = described("Een eerdere vraag en het antwoord erop, voor een vervolgvraag.")

    question: Text = Field(max_length=MAX_QUESTION_CHARS)
    answer: Text = Field(default="", max_length=MAX_ANSWER_CHARS)


class AskRequest(BaseModel):
    """A question, optionally with the conversation so far (oldest first)."""

    model_config = described("Een vraag, eventueel met het gesprek tot nu toe (oudste eerst).")

    question: Text = Field(
        description="De vraag, maximaal 1000 tekens.",
        examples=["Hoe lang mag een groot bedrijf doen over het betalen van mijn factuur?"],
    )
    # As many turns as the chat page sends and the no-JavaScript chat keeps.
    history: list[HistoryTurn] = Field(
        default_factory=list,
        max_length=HISTORY_TURNS,
        description=f"Eerdere vragen en antwoorden, oudste eerst; hoogstens {HISTORY_TURNS}, "
        f"elke vraag hoogstens {MAX_QUESTION_CHARS} en elk antwoord hoogstens "
        f"{MAX_ANSWER_CHARS} tekens.",
    )


class Citation(BaseModel):
    """Source [n] of the answer."""

    model_config = described("Bron [n] van het antwoord.")

    n: int
    id: str = Field(description="Passage-id, bijvoorbeeld 'rapport.pdf/p12'.")
    document: str = Field(description="Bestandsnaam in de documentenmap.")
    title: str
    date: str | None
    page: int
    section: str
    passage: str
    url: str = Field(description="Link naar de bronweergave van deze passage.")


class RankedPassage(BaseModel):
    """A retrieved passage with its score (higher is better)."""

    model_config = described("Een gevonden passage met haar score (hoger is beter).")

    id: str
    document: str
    title: str
    date: str | None
    page: int
    section: str
    passage: str
    score: float
    url: str


class Sentence(BaseModel):
    """A sentence of the answer, quoted from the passage of citation `n`."""

    model_config = described("Een zin van het antwoord, letterlijk uit de passage van bron `n`.")

    text: str
    n: int


class AskResponse(BaseModel):
    """The answer: text with [n] markers, its sources and the ranked passages."""

    model_config = described(
        "Het antwoord: tekst met [n]-verwijzingen, de bronnen en de gerangschikte passages."
    )

    question: str
    answer: str
    abstained: bool
    uncertain: bool = Field(
        description="Beantwoord, maar de documenten beantwoorden de vraag mogelijk niet precies."
    )
    notice: str | None = Field(description="Waarschuwing bij een onzeker antwoord, anders leeg.")
    sentences: list[Sentence]
    suggestions: list[str]
    index_version: str
    citations: list[Citation]
    passages: list[RankedPassage]
    regelingen: list[RankedSchemeCard] = Field(
        description="De twee of drie regelingen waar het antwoord uit citeert, best passend "
        "eerst; leeg als er geen antwoord is."
    )
    answer_id: str = Field(description="Id om feedback op dit antwoord te geven.")


class SearchResponse(BaseModel):
    """Passages ranked for a query."""

    model_config = described("Passages gerangschikt naar de zoekvraag, beste eerst.")

    query: str
    index_version: str
    results: list[RankedPassage]


class FeedbackRequest(BaseModel):
    """👍 ("goed") or 👎 ("slecht") on an answer, with an optional reason (kept with 👎 only)."""

    model_config = described(
        '👍 ("goed") of 👎 ("slecht") op een antwoord, met een reden naar keuze (alleen bij 👎 '
        "bewaard)."
    )

    answer_id: str
    rating: Literal["goed", "slecht"]
    reason: Reason | None = None


class FeedbackResponse(BaseModel):
    """Whether the feedback was stored."""

    model_config = described("Of de feedback is opgeslagen.")

    saved: bool
    message: str


class Health(BaseModel):
    """The app is up and serves this index version."""

    model_config = described("De app draait en antwoordt uit deze indexversie.")

    status: Literal["ok"]
    index_version: str


def _with_urls(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**item, "url": passage_url(item["id"], item["passage"])} for item in items]


@router.post(
    "/api/ask",
    response_model=AskResponse,
    summary="Stel een vraag",
    description="Beantwoordt een vraag met zinnen die letterlijk uit de documenten komen, elk "
    "met een bron, of zegt dat de documenten de vraag niet beantwoorden.",
    response_description="Het antwoord, of de melding dat de documenten het niet zeggen",
    responses={403: _ERROR, 413: _ERROR, 422: _ERROR},
)
def api_ask(
    body: AskRequest,
    snapshot: SnapshotDep,
    conversations: ConversationsDep,
    session: SessionDep,
    client: ClientDep,
) -> dict[str, Any]:
    """Answer a question with cited sentences, or abstain when the documents do not cover it."""
    history = tuple(Turn(question=t.question, answer=t.answer) for t in body.history)
    answer = snapshot.assistant.ask(body.question, history)
    schemes = tuple(snapshot.finder.for_answer(answer, answer.query))
    exchange = conversations.add(session, client, answer, schemes)
    data = answer_to_dict(answer)
    data["citations"] = _with_urls(data["citations"])
    data["passages"] = _with_urls(data["passages"])
    data["regelingen"] = chat_cards(schemes)
    data["answer_id"] = exchange.id
    return data


@router.get(
    "/api/search",
    response_model=SearchResponse,
    summary="Zoek passages",
    description="Geeft de passages die het best bij `q` passen, beste eerst.",
    response_description="De gevonden passages",
    responses={422: _ERROR},
)
def api_search(
    snapshot: SnapshotDep,
    q: Annotated[str, Query(min_length=1, max_length=1000, description="Zoekvraag")],
    k: Annotated[int, Query(ge=1, le=50, description="Aantal passages")] = 10,
) -> dict[str, Any]:
    """Return the passages that best match `q`, best first."""
    hits = snapshot.assistant.search(q, k=k)
    return {
        "query": q,
        "index_version": snapshot.version,
        "results": _with_urls([hit_to_dict(h) for h in hits]),
    }


@router.post(
    "/api/feedback",
    response_model=FeedbackResponse,
    status_code=201,
    summary="Geef feedback op een antwoord",
    description="Slaat 👍/👎 op voor een antwoord van /api/ask; een latere beoordeling vervangt "
    "de vorige. Wie te snel feedback stuurt, krijgt 429 met Retry-After; 503 als de database "
    "niet kan worden beschreven.",
    response_description="De feedback is opgeslagen",
    responses={
        403: _ERROR,
        404: _ERROR,
        422: _ERROR,
        429: _ERROR,
        503: {"model": FeedbackResponse, "description": "De feedback kon niet worden opgeslagen"},
    },
    dependencies=[Depends(limit_feedback)],
)
def api_feedback(body: FeedbackRequest, conversations: ConversationsDep, store: FeedbackDep) -> Any:
    """Store 👍/👎 for an answer given by /api/ask; a later one replaces it.

    A client that sends feedback too fast gets 429 with Retry-After; 503 when the database
    cannot be written.
    """
    exchange = conversations.find(body.answer_id)
    if exchange is None:
        raise HTTPException(status_code=404, detail=UNKNOWN_ANSWER)
    if record_feedback(store, exchange, body.rating, body.reason):
        return FeedbackResponse(saved=True, message=SAVED)
    return JSONResponse({"saved": False, "message": NOT_SAVED}, status_code=503)


@router.get(
    "/healthz",
    response_model=Health,
    summary="Gezondheidscontrole",
    description="Meldt dat de app draait, met de indexversie waaruit ze antwoordt.",
    response_description="De app draait",
)
def healthz(snapshot: SnapshotDep) -> dict[str, str]:
    """Report that the app is up, with the index version it serves."""
    return {"status": "ok", "index_version": snapshot.version}
