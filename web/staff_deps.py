"""What every staff route needs: the login check, the CSRF check and the staff objects."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from starlette.responses import Response

from web.audit import AuditLog
from web.builds import BuildRunner
from web.deps import ClientDep as ClientDep
from web.intake_io import Fetcher
from web.login_throttle import LoginThrottle
from web.security import STAFF_PREFIX
from web.staff_auth import PasswordStore, StaffSession, StaffSessions, tokens_match
from web.staff_upload import CSRF_FIELD, CSRF_REFUSED

STAFF_COOKIE = "mkb_beheer"
LOGIN_COOKIE = "mkb_beheer_inloggen"  # the login form's CSRF token (double submit)
STAFF_PATH = STAFF_PREFIX  # the staff cookies' path is the prefix that is never cached
LOGIN_PATH = "/beheer/inloggen"
NOT_LOGGED_IN = "U bent niet (meer) ingelogd. Log opnieuw in op /beheer/inloggen."


class NotLoggedIn(Exception):
    """A staff route was asked for without a live session (handled in `web.staff`)."""


def passwords(request: Request) -> PasswordStore:
    """Return the staff password store."""
    store: PasswordStore = request.app.state.staff_passwords
    return store


def sessions(request: Request) -> StaffSessions:
    """Return the staff session store."""
    store: StaffSessions = request.app.state.staff_sessions
    return store


def audit_log(request: Request) -> AuditLog:
    """Return the audit log."""
    log: AuditLog = request.app.state.audit
    return log


def builds(request: Request) -> BuildRunner:
    """Return the build runner (made when the app starts)."""
    runner: BuildRunner = request.app.state.builds
    return runner


def fetcher(request: Request) -> Fetcher:
    """Return how URLs are fetched."""
    value: Fetcher = request.app.state.fetcher
    return value


def login_throttle(request: Request) -> LoginThrottle:
    """Return the failed-login throttle."""
    value: LoginThrottle = request.app.state.login_throttle
    return value


def current_staff(request: Request) -> StaffSession | None:
    """Return the staff session of this request's cookie, if it is live."""
    return sessions(request).find(request.cookies.get(STAFF_COOKIE))


def require_staff(request: Request) -> StaffSession:
    """Return the staff session; raise NotLoggedIn (redirect or 401) without one."""
    staff = current_staff(request)
    if staff is None:
        raise NotLoggedIn()
    return staff


async def require_csrf(
    request: Request, staff: Annotated[StaffSession, Depends(require_staff)]
) -> StaffSession:
    """Return the staff session of a form POST whose CSRF token is right; 403 otherwise."""
    form = await request.form()
    token = form.get(CSRF_FIELD)
    if not isinstance(token, str) or not tokens_match(staff.csrf, token):
        raise HTTPException(status_code=403, detail=CSRF_REFUSED)
    return staff


def _cookie_options(request: Request) -> dict[str, Any]:
    """HttpOnly, SameSite=Strict, only for /beheer, Secure over https (set and delete alike)."""
    return {
        "path": STAFF_PATH,
        "httponly": True,
        "samesite": "strict",
        "secure": request.url.scheme == "https",
    }


def set_staff_cookie(request: Request, response: Response, name: str, value: str) -> None:
    """Set a staff cookie: HttpOnly, SameSite=Strict, only for /beheer, Secure over https."""
    response.set_cookie(name, value, **_cookie_options(request))


def clear_staff_cookie(request: Request, response: Response) -> None:
    """Remove the session cookie from the browser."""
    response.delete_cookie(STAFF_COOKIE, **_cookie_options(request))


StaffDep = Annotated[StaffSession, Depends(require_staff)]
CsrfStaffDep = Annotated[StaffSession, Depends(require_csrf)]
PasswordsDep = Annotated[PasswordStore, Depends(passwords)]
SessionsDep = Annotated[StaffSessions, Depends(sessions)]
AuditDep = Annotated[AuditLog, Depends(audit_log)]
BuildsDep = Annotated[BuildRunner, Depends(builds)]
FetcherDep = Annotated[Fetcher, Depends(fetcher)]
ThrottleDep = Annotated[LoginThrottle, Depends(login_throttle)]
