"""Security headers on every response and a limit on the size of request bodies."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 64 * 1024
BODY_TOO_LARGE = "De aanvraag is te groot (maximaal 64 kB). Stel een kortere vraag."
# A staff form (login, metadata, URL) asks no question: its refusal says what was too large.
STAFF_BODY_TOO_LARGE = "Het formulier is te groot (maximaal 64 kB). Vul kortere waarden in."

# Everything the app serves comes from the app itself: no inline script or style, no CDN.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI (served from our own origin) sets style attributes; scripts stay 'self' only.
DOCS_CSP = STRICT_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
DOCS_PATHS = ("/docs",)
# Original files (PDF, HTML, text) under /documenten/: no scripts at all; the browser's own PDF
# viewer must still be allowed to show a PDF.
DOCUMENT_CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "object-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


STAFF_PREFIX = "/beheer"


def security_headers(path: str) -> dict[str, str]:
    """Return the security headers for a response to `path` (a response may set its own CSP)."""
    csp = DOCS_CSP if path in DOCS_PATHS else STRICT_CSP
    # Staff pages show who did what and carry CSRF tokens: never kept in a cache.
    private = {"Cache-Control": "no-store"} if path.startswith(STAFF_PREFIX) else {}
    return {
        **private,
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }


class SecurityHeadersMiddleware:
    """Add `security_headers` to every HTTP response (unless a header is already set)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in extra.items():
                    if name.lower().encode() not in present:
                        headers.append((name.lower().encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """A request body over the limit; handled like any HTTP error (413, Dutch message)."""

    def __init__(self, message: str = BODY_TOO_LARGE) -> None:
        super().__init__(status_code=413, detail=message)


class BodyLimitMiddleware:
    """Refuse request bodies over `max_bytes`: a declared Content-Length or a longer stream.

    `larger` gives single paths (the staff page's upload) a limit and message of their own.
    The refusal is raised from `receive`, so it happens where the route reads its body (after
    its login check) and goes through the app's exception handlers like any other HTTP error.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int = MAX_BODY_BYTES,
        larger: dict[str, tuple[int, str]] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = larger or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        path = scope["path"]
        default = STAFF_BODY_TOO_LARGE if path.startswith(STAFF_PREFIX) else BODY_TOO_LARGE
        limit, message = self.larger.get(path, (self.max_bytes, default))
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            if declared is not None and declared > limit:
                raise BodyTooLarge(message)
            incoming = await receive()
            if incoming["type"] == "http.request":
                received += len(incoming.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(message)
            return incoming

        await self.app(scope, limited_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
