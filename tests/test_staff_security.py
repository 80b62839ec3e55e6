"""The staff area's security, over real HTTP against uvicorn: login, CSRF, throttling, sessions,
upload limits and names, content checks, and URLs that must not reach internal addresses."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import (
    STAFF_PASSWORD,
    DownloadServer,
    StaffSite,
    make_pdf,
    staff_serving,
)
from staff_client import Staff, csrf_of, login

from assistant.settings import Settings
from index.addresses import UrlPolicy
from index.download import Limits
from web import staff_feedback, staff_login, staff_pages
from web.cli import main
from web.intake_io import Fetcher

PDF = make_pdf("Rapport", ["Een korte tekst over ondernemers in het mkb en hun financiering."])
ROUTES = [  # every staff route but the login form itself
    ("GET", "/beheer"),
    ("GET", "/beheer/document?naam=kamerbrief-betaaltermijnen-2020.md"),
    ("GET", "/beheer/feedback"),
    ("GET", "/beheer/feedback.csv"),
    ("GET", "/beheer/bouw.json"),
    ("POST", "/beheer/toevoegen"),
    ("POST", "/beheer/metadata"),
    ("POST", "/beheer/verwijderen"),
    ("POST", "/beheer/bouwen"),
    ("POST", "/beheer/uitloggen"),
]
POSTS = [path for method, path in ROUTES if method == "POST"]
INTERNAL_URLS = [
    "http://127.0.0.1:{port}/rapport.pdf",
    "http://[::1]:{port}/rapport.pdf",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/rapport.pdf",
]


def _files(site: StaffSite) -> set[str]:
    """Return the documents and sidecars (hidden staging and lock files left out)."""
    paths = (p.relative_to(site.documents) for p in site.documents.rglob("*"))
    return {p.as_posix() for p in paths if not p.parts[0].startswith(".")}


def _staged(site: StaffSite) -> list[Path]:
    staging = site.documents / ".binnenkomend"
    return list(staging.iterdir()) if staging.exists() else []


def test_the_routes_listed_here_are_all_the_staff_routes() -> None:
    routers = (staff_login.router, staff_pages.router, staff_feedback.router)
    paths = {getattr(route, "path", "") for router in routers for route in router.routes}
    assert all(path.startswith("/beheer") for path in paths)
    assert paths - {"/beheer/inloggen"} == {path.split("?")[0] for _, path in ROUTES}


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_without_login_every_route_redirects_to_the_login_or_gives_401(
    staff_site: StaffSite, method: str, path: str
) -> None:
    before = _files(staff_site)
    fields = {"document": "kamerbrief-betaaltermijnen-2020.md"}
    with httpx.Client(base_url=staff_site.url) as client:
        response = client.request(method, path, data=fields)
    with httpx.Client(base_url=staff_site.url, cookies={"mkb_beheer": "verzonnen"}) as client:
        planted = client.request(method, path, data=fields)
    for answer in (response, planted):
        if answer.status_code == 303:
            assert answer.headers["location"] == "/beheer/inloggen"
        else:
            assert answer.status_code == 401
            assert "niet (meer) ingelogd" in answer.text
    assert _files(staff_site) == before


@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize("token", [None, "", "verkeerd-token"])
def test_with_login_a_missing_or_wrong_csrf_token_gives_403(
    staff_site: StaffSite, path: str, token: str | None
) -> None:
    staff = Staff(staff_site)
    before = _files(staff_site)
    fields = {"document": "kamerbrief-betaaltermijnen-2020.md", "titel": "Gekaapt"}
    if token is not None:
        fields["csrf"] = token
    files = {"bestand": ("r.pdf", PDF, "application/pdf")} if path.endswith("toevoegen") else None
    response = staff.client.post(path, data=fields, files=files)
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert _files(staff_site) == before and _staged(staff_site) == []
    assert staff.client.get("/beheer").status_code == 200  # still logged in: not logged out


def test_a_file_sent_before_the_csrf_token_is_refused_unwritten(staff_site: StaffSite) -> None:
    staff = Staff(staff_site)
    boundary = "grens"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="bestand"; filename="r.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + (
            f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n'
            f"{staff.csrf}\r\n--{boundary}--\r\n"
        ).encode()
    )
    response = staff.client.post(
        "/beheer/toevoegen",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 403
    assert "r.pdf" not in _files(staff_site)


def test_the_login_form_needs_its_own_token(staff_site: StaffSite) -> None:
    with httpx.Client(base_url=staff_site.url) as client:
        response = client.post("/beheer/inloggen", data={"wachtwoord": STAFF_PASSWORD})
    assert response.status_code == 403
    assert "mkb_beheer=" not in response.headers.get("set-cookie", "")


def test_the_session_cookie_is_httponly_strict_and_secure_over_https(
    staff_site: StaffSite,
) -> None:
    plain = login(staff_site).headers["set-cookie"]
    assert "mkb_beheer=" in plain and "HttpOnly" in plain and "SameSite=strict" in plain
    assert "Path=/beheer" in plain and "Secure" not in plain
    # Behind the proxy of README's "Behind a reverse proxy", on 127.0.0.1, serving https (the
    # client here speaks plain HTTP, so it would not send Secure cookies back by itself).
    https = {"X-Forwarded-Proto": "https"}
    with httpx.Client(base_url=staff_site.url, headers=https) as client:
        form = client.get("/beheer/inloggen")
        assert "Secure" in form.headers["set-cookie"]
        token = csrf_of(form.text)
        response = client.post(
            "/beheer/inloggen",
            data={"csrf": token, "wachtwoord": STAFF_PASSWORD},
            headers={"Cookie": f"mkb_beheer_inloggen={token}"},
        )
    secure = response.headers["set-cookie"]
    assert "mkb_beheer=" in secure and "Secure" in secure and "SameSite=strict" in secure


def test_staff_pages_are_never_cached(staff_site: StaffSite) -> None:
    staff = Staff(staff_site)
    assert staff.client.get("/beheer").headers["cache-control"] == "no-store"


def test_repeated_wrong_passwords_are_throttled_per_client(staff_site: StaffSite) -> None:
    statuses = [login(staff_site, "fout wachtwoord nummer een").status_code for _ in range(5)]
    assert statuses == [401] * 5
    throttled = login(staff_site)  # even the right password waits now
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) >= 1
    assert "Te veel mislukte pogingen" in throttled.text
    other = login(staff_site, **{"X-Forwarded-For": "192.0.2.7"})  # another client
    assert other.status_code == 303
    audit = Staff(staff_site, **{"X-Forwarded-For": "192.0.2.8"}).client.get("/beheer").text
    assert "inloggen mislukt" in audit and "inloggen geweigerd" in audit


def test_an_old_session_does_not_survive_logout(staff_site: StaffSite) -> None:
    staff = Staff(staff_site)
    cookie = staff.client.cookies["mkb_beheer"]
    assert staff.post("/beheer/uitloggen").headers["location"] == "/beheer/inloggen?uitgelogd=1"
    with httpx.Client(base_url=staff_site.url, cookies={"mkb_beheer": cookie}) as stolen:
        assert stolen.get("/beheer").status_code == 303
        response = stolen.post("/beheer/bouwen", data={"csrf": staff.csrf})
        assert response.status_code == 401


def test_old_sessions_do_not_survive_a_password_change(
    staff_site: StaffSite, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = Staff(staff_site)
    monkeypatch.setenv("ASSISTANT_STAFF_DIR", str(staff_site.staff_dir))
    monkeypatch.setattr("sys.stdin", _Stdin("een heel ander lang wachtwoord\n"))
    assert main(["beheer", "wachtwoord"]) == 0
    assert "Open sessies zijn beëindigd" in capsys.readouterr().out
    assert staff.client.get("/beheer").status_code == 303
    assert login(staff_site).status_code == 401  # the old password is gone
    assert login(staff_site, "een heel ander lang wachtwoord").status_code == 303


class _Stdin:
    def __init__(self, text: str) -> None:
        self.text = text

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        return self.text


def test_without_a_password_the_page_only_explains_how_to_set_one(tmp_path: Path) -> None:
    with staff_serving(tmp_path, password=None) as site:
        with httpx.Client(base_url=site.url) as client:
            page = client.get("/beheer")
            assert page.status_code == 200
            assert "mkb-assistent beheer wachtwoord" in page.text
            assert "<form" not in page.text.split("<main")[1]
            attempt = client.post("/beheer/inloggen", data={"wachtwoord": ""})
            assert "mkb_beheer=" not in attempt.headers.get("set-cookie", "")
            assert "mkb-assistent beheer wachtwoord" in attempt.text


# --- uploads --------------------------------------------------------------------------------
def _multipart_start(csrf: str, boundary: str) -> bytes:
    return (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="bestand"; filename="groot.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    ).encode()


def _raw_post(
    site: StaffSite, staff: Staff, headers: dict[str, str], chunks: Iterator[bytes]
) -> str:
    """POST over a plain socket, stopping to send as soon as the server has answered."""
    import select

    host, port = site.url.removeprefix("http://").split(":")
    cookie = f"mkb_beheer={staff.client.cookies['mkb_beheer']}"
    head = ["POST /beheer/toevoegen HTTP/1.1", f"Host: {host}:{port}", f"Cookie: {cookie}"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        for chunk in chunks:
            if select.select([sock], [], [], 0)[0]:
                break  # the answer is there
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
        answer = b""
        while b"\r\n\r\n" not in answer:
            piece = sock.recv(65536)
            if not piece:
                break
            answer += piece
    return answer.decode("utf-8", errors="replace")


MB = 1024 * 1024


def test_a_declared_200_mb_upload_gets_413_before_anything_is_read(staff_site: StaffSite) -> None:
    staff = Staff(staff_site)
    before = _files(staff_site)
    headers = {
        "Content-Type": "multipart/form-data; boundary=grens",
        "Content-Length": str(200 * MB),
    }
    answer = _raw_post(staff_site, staff, headers, iter([_multipart_start(staff.csrf, "grens")]))
    assert answer.startswith("HTTP/1.1 413")
    assert _files(staff_site) == before and _staged(staff_site) == []


def test_a_streamed_200_mb_upload_gets_413_and_leaves_nothing_on_disk(
    staff_site: StaffSite,
) -> None:
    staff = Staff(staff_site)
    before = _files(staff_site)

    def body() -> Iterator[bytes]:
        start = _multipart_start(staff.csrf, "grens")
        yield f"{len(start):x}\r\n".encode() + start + b"\r\n"
        piece = b"0" * MB
        for _ in range(200):
            yield f"{len(piece):x}\r\n".encode() + piece + b"\r\n"

    headers = {
        "Content-Type": "multipart/form-data; boundary=grens",
        "Transfer-Encoding": "chunked",
    }
    started = time.monotonic()
    answer = _raw_post(staff_site, staff, headers, body())
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert time.monotonic() - started < 60
    assert _files(staff_site) == before and _staged(staff_site) == []


@pytest.mark.parametrize("name", ["../../rapport.pdf", "..\\rapport.pdf", "rap\x00port.pdf"])
def test_a_file_name_with_a_path_or_nul_is_refused(staff_site: StaffSite, name: str) -> None:
    staff = Staff(staff_site)
    before = _files(staff_site)
    response = staff.upload(name, PDF)
    assert response.status_code == 422
    assert "bestandsnaam" in response.text
    assert _files(staff_site) == before and _staged(staff_site) == []
    assert not (staff_site.documents.parent / "rapport.pdf").exists()


def test_a_pdf_that_is_really_html_is_refused(staff_site: StaffSite) -> None:
    staff = Staff(staff_site)
    before = _files(staff_site)
    response = staff.upload(
        "rapport.pdf", b"<!doctype html><html><body><p>Log in</p></body></html>"
    )
    assert response.status_code == 422
    assert "heet .pdf maar is een HTML-pagina" in response.text
    assert _files(staff_site) == before


# --- URLs -----------------------------------------------------------------------------------
@pytest.fixture
def guarded_site(tmp_path: Path, download_server: DownloadServer) -> Iterator[StaffSite]:
    """A site whose downloads reach exactly the test server, as the internet would be."""
    limits = Limits(Settings().max_document_bytes, 10.0)
    trusted = UrlPolicy(trusted=frozenset({("127.0.0.1", download_server.port)}))
    with staff_serving(tmp_path, fetcher=Fetcher(limits, trusted)) as site:
        yield site


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_a_url_on_an_internal_address_is_refused(
    staff_site: StaffSite, download_server: DownloadServer, url: str
) -> None:
    download_server.serve("/rapport.pdf", PDF, "application/pdf")
    staff = Staff(staff_site)
    before = _files(staff_site)
    response = staff.add_url(url.format(port=download_server.port))
    assert response.status_code == 422
    assert "zulke adressen worden niet gehaald" in response.text
    # the way round that applies to the web page (a setting), not only a command-line flag
    assert "ASSISTANT_ALLOW_PRIVATE_URLS=1 (op de opdrachtregel" in response.text
    assert download_server.requested == []
    assert _files(staff_site) == before


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_a_redirect_to_an_internal_address_is_refused(
    guarded_site: StaffSite, download_server: DownloadServer, url: str
) -> None:
    other_port = download_server.port + 1 if download_server.port < 65535 else 1024
    start = download_server.redirect("/rapport", url.format(port=other_port))
    staff = Staff(guarded_site)
    before = _files(guarded_site)
    response = staff.add_url(start)
    assert response.status_code == 422
    assert "zulke adressen worden niet gehaald" in response.text
    assert download_server.requested == ["/rapport"]
    assert _files(guarded_site) == before


def test_a_url_that_is_not_http_is_refused(staff_site: StaffSite) -> None:
    staff = Staff(staff_site)
    for url in ("file:///etc/passwd", "ftp://example.org/r.pdf"):
        response = staff.add_url(url)
        assert response.status_code == 422
        assert "http:// of https://" in response.text
