"""Refuse cross-site requests that change something: another site's form or script must not act
with a user's cookie (CSRF).

Browsers say where a request comes from: `Sec-Fetch-Site` (all current browsers) or else
`Origin`, which they send with every POST. A request with neither comes from no browser (curl, a
script) and so carries no user's cookie to abuse; it is let through.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.datastructures import Headers

CROSS_SITE = (
    "Deze aanvraag komt van een andere website en is daarom geweigerd. Open de MKB-assistent "
    "zelf en probeer het daar opnieuw."
)
_READ_ONLY = frozenset({"GET", "HEAD", "OPTIONS"})
# "none": the user asked for it (address bar, bookmark, resubmitting a form after a reload).
_OWN_SITE = frozenset({"same-origin", "none"})


def is_cross_site(method: str, headers: Headers) -> bool:
    """Tell whether a request that may change something comes from another site."""
    if method.upper() in _READ_ONLY:
        return False
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site.lower() not in _OWN_SITE  # "same-site" is another origin too
    origin = headers.get("origin")
    if origin is None:
        return False
    # Behind a proxy, the proxy must pass the Host header on (README, "Behind a proxy").
    return urlsplit(origin).netloc.lower() != headers.get("host", "").lower() or origin == "null"


def refuse_cross_site(request: Request) -> None:
    """Refuse a cross-site POST (every route): 403 with a Dutch message."""
    if is_cross_site(request.method, request.headers):
        raise HTTPException(status_code=403, detail=CROSS_SITE)
