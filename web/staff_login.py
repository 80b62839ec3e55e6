"""Staff login and logout; what /beheer shows before a password is set or without a login."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from web.errors import error_response
from web.staff_auth import MAX_PASSWORD_CHARS, tokens_match
from web.staff_deps import (
    LOGIN_COOKIE,
    LOGIN_PATH,
    NOT_LOGGED_IN,
    STAFF_COOKIE,
    STAFF_PATH,
    AuditDep,
    ClientDep,
    CsrfStaffDep,
    PasswordsDep,
    SessionsDep,
    ThrottleDep,
    clear_staff_cookie,
    current_staff,
    passwords,
    set_staff_cookie,
)
from web.staff_upload import CSRF_REFUSED
from web.templating import render

router = APIRouter(include_in_schema=False)

WRONG_PASSWORD = "Dit wachtwoord klopt niet."
THROTTLED = "Te veel mislukte pogingen om in te loggen. Probeer het over {wait} opnieuw."


def setup_page(request: Request) -> Response:
    """Explain how to set the password; offer nothing else."""
    return render(request, "beheer_instellen.html", {"nav": "beheer"})


async def handle_not_logged_in(request: Request, exc: Exception) -> Response:
    """Without a login: a page goes to the login form, anything else gets 401."""
    if request.url.path.endswith(".json"):
        return JSONResponse({"detail": NOT_LOGGED_IN}, status_code=401)
    if request.method in ("GET", "HEAD"):
        return RedirectResponse(LOGIN_PATH, status_code=303)
    return error_response(request, 401, NOT_LOGGED_IN)


def _login_page(request: Request, error: str = "", status: int = 200, notice: str = "") -> Response:
    token = secrets.token_urlsafe(32)
    context = {
        "nav": "beheer",
        "csrf": token,
        "error": error,
        "notice": notice,
        "max_chars": MAX_PASSWORD_CHARS,
    }
    response = render(request, "beheer_inloggen.html", context, status_code=status)
    set_staff_cookie(request, response, LOGIN_COOKIE, token)
    return response


@router.get(LOGIN_PATH)
def login_form(request: Request, uitgelogd: str = "") -> Response:
    """Show the login form (or the set-up explanation, or go on when logged in already)."""
    if not passwords(request).is_set():
        return setup_page(request)
    if current_staff(request) is not None:
        return RedirectResponse(STAFF_PATH, status_code=303)
    return _login_page(request, notice="U bent uitgelogd." if uitgelogd else "")


@router.post(LOGIN_PATH)
def login(
    request: Request,
    store: PasswordsDep,
    staff_sessions: SessionsDep,
    throttle: ThrottleDep,
    audit: AuditDep,
    client: ClientDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
    wachtwoord: Annotated[str, Form()] = "",
) -> Response:
    """Check the password: open a session, or say it was wrong (and count that)."""
    if not store.is_set():
        return setup_page(request)
    if not tokens_match(request.cookies.get(LOGIN_COOKIE, ""), csrf) or not csrf:
        raise HTTPException(status_code=403, detail=CSRF_REFUSED)
    wait = throttle.wait_seconds(client)
    if wait:
        audit.record("inloggen geweigerd", "te veel mislukte pogingen", client)
        message = THROTTLED.format(wait="1 seconde" if wait == 1 else f"{wait} seconden")
        response = _login_page(request, message, 429)
        response.headers["Retry-After"] = str(wait)
        return response
    if not store.verify(wachtwoord):
        throttle.failed(client)
        audit.record("inloggen mislukt", "verkeerd wachtwoord", client)
        return _login_page(request, WRONG_PASSWORD, 401)
    throttle.succeeded(client)
    staff = staff_sessions.start(client)
    audit.record("inloggen", "", client)
    response = RedirectResponse(STAFF_PATH, status_code=303)
    set_staff_cookie(request, response, STAFF_COOKIE, staff.token)
    response.delete_cookie(LOGIN_COOKIE, path=STAFF_PATH)
    return response


@router.post("/beheer/uitloggen")
def logout(
    request: Request,
    staff: CsrfStaffDep,
    staff_sessions: SessionsDep,
    audit: AuditDep,
    client: ClientDep,
) -> Response:
    """End this session; the cookie is worthless from now on, wherever a copy of it is."""
    staff_sessions.end(staff.token)
    audit.record("uitloggen", "", client)
    response = RedirectResponse(f"{LOGIN_PATH}?uitgelogd=1", status_code=303)
    clear_staff_cookie(request, response)
    return response
