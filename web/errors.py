"""One place that turns exceptions into responses: Dutch, a fitting status, HTML or JSON."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.errors import AssistantError, FilterError, QuestionError
from index.store import IndexStoreError
from web.deps import conversations, current_snapshot, session_id
from web.routes import chat_context
from web.security import security_headers
from web.templating import render

logger = logging.getLogger(__name__)

UNEXPECTED = "Er ging iets mis aan onze kant. Probeer het later nog eens."
_TITLES = {
    400: "Ongeldige aanvraag",
    403: "Geweigerd",
    404: "Niet gevonden",
    405: "Niet toegestaan",
    413: "Aanvraag te groot",
    422: "Ongeldige invoer",
    429: "Te veel aanvragen",
    500: "Er ging iets mis",
    503: "Tijdelijk niet beschikbaar",
}
_DEFAULT_MESSAGES = {
    404: "Deze pagina bestaat niet.",
    405: "Deze bewerking is op dit adres niet toegestaan.",
}
_VALIDATION = {
    "json_invalid": "De aanvraag is geen geldige JSON.",
    "model_attributes_type": "De aanvraag moet een JSON-object zijn.",
    "dict_type": "De aanvraag moet een JSON-object zijn.",
    "missing": "Het veld '{field}' ontbreekt.",
    "string_type": "Het veld '{field}' moet tekst zijn.",
    "list_type": "Het veld '{field}' moet een lijst zijn.",
    "int_parsing": "Het veld '{field}' moet een geheel getal zijn.",
    "string_too_short": "Het veld '{field}' mag niet leeg zijn.",
    "string_too_long": "Het veld '{field}' is te lang (hoogstens {max_length} tekens).",
    "too_long": "Het veld '{field}' heeft te veel elementen (hoogstens {max_length}).",
    "greater_than_equal": "Het veld '{field}' is te klein (minstens {ge}).",
    "less_than_equal": "Het veld '{field}' is te groot (hoogstens {le}).",
    "literal_error": "Het veld '{field}' heeft geen toegestane waarde (kies uit {expected}).",
}


# FastAPI's detail for a body it cannot decode (not UTF-8, nested too deeply, broken form data).
_UNPARSABLE_BODY = "There was an error parsing the body"
# Starlette's form parser refuses in English (starlette/formparsers.py), e.g. "Too many fields.
# Maximum number of fields is 1000." or "Missing boundary in multipart."
_FORM_ERRORS = (
    ("Too many fields", "Het formulier heeft te veel velden."),
    ("Too many files", "Het formulier bevat te veel bestanden."),
    ("Field exceeded maximum size", "Een veld van het formulier is te groot."),
    ("Part exceeded maximum size", "Een deel van het formulier is te groot."),
)
_BROKEN_FORM = "Het formulier kan niet worden gelezen; de gegevens zijn beschadigd of onvolledig."


def _form_message(english: str) -> str:
    for start, dutch in _FORM_ERRORS:
        if english.startswith(start):
            return dutch
    return _BROKEN_FORM


def _unparsable_body_message(request: Request) -> str:
    if "json" in request.headers.get("content-type", "").lower():
        return _VALIDATION["json_invalid"]
    return "De aanvraag kan niet worden gelezen; de inhoud is beschadigd of onvolledig."


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path in ("/healthz", "/openapi.json")


def error_response(request: Request, status: int, message: str) -> Response:
    """Return `message` as JSON ({"detail": ...}) for the API, else as the error page."""
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    title = _TITLES.get(status, "Er ging iets mis")
    context = {"title": title, "message": message}
    return render(request, "error.html", context, status_code=status)


async def handle_assistant_error(request: Request, exc: Exception) -> Response:
    """Bad question or filter: 422 (the chat form is shown again with the message)."""
    assert isinstance(exc, AssistantError)
    status = 422 if isinstance(exc, QuestionError | FilterError) else 400
    if request.url.path == "/vraag":
        session = session_id(request)
        question = getattr(request.state, "question", "")
        context = chat_context(
            conversations(request).exchanges(session),
            request.app.state.settings.max_question_chars,
            examples=current_snapshot(request).examples,
            question=question,
            error=exc.message,
        )
        return render(request, "chat.html", context, status_code=status)
    return error_response(request, status, exc.message)


async def handle_index_error(request: Request, exc: Exception) -> Response:
    """The index cannot be used: 503 with the store's Dutch explanation."""
    logger.error("index unavailable: %s", exc)
    return error_response(request, 503, str(exc))


async def handle_http_error(request: Request, exc: Exception) -> Response:
    """HTTP errors (404, 405, 413, ...) with a Dutch message."""
    assert isinstance(exc, HTTPException)
    message = exc.detail
    if message == HTTPStatus(exc.status_code).phrase:  # Starlette's English default
        message = _DEFAULT_MESSAGES.get(exc.status_code, "De aanvraag kan niet worden verwerkt.")
    elif message == _UNPARSABLE_BODY:
        message = _unparsable_body_message(request)
    elif isinstance(exc.__context__, MultiPartException):
        message = _form_message(exc.__context__.message)
    response = error_response(request, exc.status_code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    """Malformed input (bad JSON, missing or wrong fields): 422 with a Dutch message."""
    assert isinstance(exc, RequestValidationError)
    return error_response(request, 422, validation_message(exc.errors()))


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    """Anything else: log it, tell the user something generic, 500."""
    logger.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    response = error_response(request, 500, UNEXPECTED)
    response.headers.update(security_headers(request.url.path))
    return response


def validation_message(errors: Any) -> str:
    """Return a Dutch sentence for the first validation error."""
    if not errors:
        return "De invoer is ongeldig."
    first = errors[0]
    location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query")]
    field = ".".join(location) or "aanvraag"
    if first.get("type") == "missing" and not location:
        return "De aanvraag is leeg; stuur een JSON-object met een vraag."
    template = _VALIDATION.get(first.get("type", ""), "Ongeldige waarde voor het veld '{field}'.")
    context = dict(first.get("ctx", {}))
    if "expected" in context:
        context["expected"] = _dutch_choices(str(context["expected"]))
    return template.format(**{**context, "field": field})


def _dutch_choices(expected: str) -> str:
    """Return pydantic's list of allowed values ("'a', 'b' or 'c'") with a Dutch "of"."""
    head, joiner, last = expected.rpartition(" or ")
    return f"{head} of {last}" if joiner else expected


# Plain-text refusals that Starlette's FileResponse sends itself, past the handlers above, for a
# Range header it cannot serve ("Malformed range header.", "Range header: range must be
# requested", and an empty 416). The app's own errors are HTML or JSON, never plain text.
_PLAIN_REFUSALS = {
    400: "De Range-header van de aanvraag is ongeldig.",
    416: "Het gevraagde deel van het bestand bestaat niet: het bestand is korter.",
}
_PLAIN_REFUSAL = "De aanvraag kan niet worden verwerkt."


class PlainRefusalsInDutch:
    """Replace the body of every plain-text 4xx response with a Dutch sentence."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        replaced = False

        async def send_in_dutch(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                status = message["status"]
                if 400 <= status < 500 and headers.get("content-type", "").startswith("text/plain"):
                    replaced = True
                    body = _PLAIN_REFUSALS.get(status, _PLAIN_REFUSAL).encode()
                    headers["content-length"] = str(len(body))
                    await send({**message, "headers": headers.raw})
                    await send({"type": "http.response.body", "body": body})
                    return
            elif replaced:
                return  # the English body, already replaced
            await send(message)

        await self.app(scope, receive, send_in_dutch)


def install_error_handlers(app: FastAPI) -> None:
    """Register every handler on `app`."""
    app.add_exception_handler(AssistantError, handle_assistant_error)
    app.add_exception_handler(IndexStoreError, handle_index_error)
    app.add_exception_handler(HTTPException, handle_http_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(Exception, handle_unexpected)
    app.add_middleware(PlainRefusalsInDutch)
