"""A logged-in staff member's HTTP client for the staff tests (real HTTP to uvicorn)."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
from conftest import STAFF_PASSWORD, StaffSite

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(page: str) -> str:
    """Return the CSRF token in a page's forms."""
    match = _CSRF.search(page)
    assert match is not None, "no CSRF field on the page"
    return match.group(1)


def login(site: StaffSite, password: str = STAFF_PASSWORD, **headers: str) -> httpx.Response:
    """Log in with a fresh client; return the login response (its client in `.client`)."""
    client = httpx.Client(base_url=site.url, follow_redirects=False, headers=headers, timeout=30)
    site.clients.append(client)
    form = client.get("/beheer/inloggen")
    response = client.post(
        "/beheer/inloggen", data={"csrf": csrf_of(form.text), "wachtwoord": password}
    )
    response.extensions["client"] = client
    return response


class Staff:
    """A logged-in client that knows its session's CSRF token."""

    def __init__(self, site: StaffSite, **headers: str) -> None:
        response = login(site, **headers)
        assert response.status_code == 303, response.text
        self.client: httpx.Client = response.extensions["client"]
        self.csrf = csrf_of(self.client.get("/beheer").text)

    def post(self, path: str, **fields: str) -> httpx.Response:
        return self.client.post(path, data={"csrf": self.csrf, **fields})

    def upload(self, name: str, data: bytes, **fields: str) -> httpx.Response:
        files = {"bestand": (name, data, "application/octet-stream")}
        return self.client.post(
            "/beheer/toevoegen", data={"csrf": self.csrf, **fields}, files=files
        )

    def add_url(self, url: str, **fields: str) -> httpx.Response:
        no_file = {"bestand": ("", b"", "application/octet-stream")}  # as a browser sends it
        return self.client.post(
            "/beheer/toevoegen", data={"csrf": self.csrf, "url": url, **fields}, files=no_file
        )

    def wait_for_build(self, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state: dict[str, Any] = self.client.get("/beheer/bouw.json").json()
            if not state["running"] and not state["pending"] and state["outcome"]:
                return state
            time.sleep(0.05)
        raise AssertionError("the build did not finish")
