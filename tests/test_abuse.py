"""What one client can do to the app and to other clients, over HTTP: flood the feedback, post
from another site, plant a session id, push out others' conversations, provoke English errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from conftest import app_of, web_client
from fastapi.testclient import TestClient
from httpx2 import Response

from assistant.settings import Settings
from web.conversations import SESSION_COOKIE, Conversations, OwnedLru
from web.feedback import FEEDBACK_BURST, FeedbackStore

QUESTION = "Hoeveel dagen mag een grote onderneming over betaling doen?"


@pytest.fixture
def client(web_corpus: Path, web_index_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    with web_client(web_corpus, web_index_dir, tmp_path) as test_client:
        yield test_client


@pytest.fixture
def settings(client: TestClient) -> Settings:
    """The settings `client`'s app runs with."""
    settings: Settings = app_of(client).state.settings
    return settings


def _answer_id(client: TestClient) -> str:
    response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200
    answer_id: str = response.json()["answer_id"]
    return answer_id


# --- feedback flood -----------------------------------------------------------------------


def test_one_answer_keeps_one_rating_the_latest(client: TestClient, settings: Settings) -> None:
    answer_id = _answer_id(client)
    for rating in ("goed", "slecht", "goed"):
        response = client.post("/api/feedback", json={"answer_id": answer_id, "rating": rating})
        assert response.status_code == 201
    form = client.post(
        "/feedback", data={"antwoord": answer_id, "oordeel": "slecht", "reden": "anders"}
    )
    assert form.status_code == 200
    (record,) = FeedbackStore(settings.feedback_db).all()
    assert (record.answer_id, record.rating, record.reason) == (answer_id, "slecht", "anders")


def test_a_feedback_flood_is_slowed_down_per_client(client: TestClient, settings: Settings) -> None:
    answer_id = _answer_id(client)
    statuses = [
        client.post("/api/feedback", json={"answer_id": answer_id, "rating": "goed"}).status_code
        for _ in range(FEEDBACK_BURST + 10)
    ]
    assert statuses == [201] * FEEDBACK_BURST + [429] * 10
    refused = client.post("/api/feedback", json={"answer_id": answer_id, "rating": "goed"})
    assert refused.json()["detail"].startswith("U geeft te snel achter elkaar feedback.")
    assert int(refused.headers["retry-after"]) >= 1
    form = client.post("/feedback", data={"antwoord": answer_id, "oordeel": "goed"})
    assert form.status_code == 429 and "U geeft te snel achter elkaar feedback." in form.text
    assert len(list(FeedbackStore(settings.feedback_db).all())) == 1
    with TestClient(client.app, client=("192.0.2.7", 50000)) as other:
        response = other.post("/api/feedback", json={"answer_id": answer_id, "rating": "slecht"})
        assert response.status_code == 201  # another client is not slowed down


# --- cross-site posts (CSRF) ---------------------------------------------------------------

CROSS_SITE = [
    {"Origin": "http://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://testserver.evil.example"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site", "Origin": "http://sub.testserver"},
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"},  # the browser knows best
]
OWN_SITE = [
    {},  # no browser: curl or a script, which has no user's cookie
    {"Origin": "http://testserver"},
    {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
    {"Sec-Fetch-Site": "none"},
]


def _exchanges(client: TestClient) -> list[object]:
    exchanges: list[object] = client.get("/").context["exchanges"]  # type: ignore[attr-defined]
    return exchanges


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_cross_site_posts_are_refused_in_dutch(
    client: TestClient, settings: Settings, headers: dict[str, str]
) -> None:
    client.post("/vraag", data={"vraag": QUESTION})  # the user's own conversation and cookie
    (exchange,) = _exchanges(client)
    attempts = [
        client.post("/vraag", data={"vraag": "Wat is de TVL?"}, headers=headers),
        client.post("/nieuw", headers=headers),
        client.post(
            "/feedback",
            data={"antwoord": exchange.id, "oordeel": "slecht"},  # type: ignore[attr-defined]
            headers=headers,
        ),
    ]
    for response in attempts:
        assert response.status_code == 403
        assert response.template.name == "error.html"  # type: ignore[attr-defined]
        assert "komt van een andere website en is daarom geweigerd" in response.text
    api = client.post("/api/ask", json={"question": QUESTION}, headers=headers)
    assert api.status_code == 403
    assert api.json()["detail"].startswith("Deze aanvraag komt van een andere website")
    assert _exchanges(client) == [exchange]  # nothing asked, nothing forgotten
    assert list(FeedbackStore(settings.feedback_db).all()) == []


@pytest.mark.parametrize("headers", OWN_SITE)
def test_posts_from_the_app_itself_go_through(
    client: TestClient, settings: Settings, headers: dict[str, str]
) -> None:
    asked = client.post("/vraag", data={"vraag": QUESTION}, headers=headers)
    assert asked.status_code == 200
    (exchange,) = _exchanges(client)
    rated = client.post(
        "/feedback",
        data={"antwoord": exchange.id, "oordeel": "goed"},  # type: ignore[attr-defined]
        headers=headers,
    )
    assert rated.status_code == 200
    assert client.post("/api/ask", json={"question": QUESTION}, headers=headers).status_code == 200
    assert client.post("/nieuw", headers=headers).status_code == 200
    assert _exchanges(client) == []


def test_links_from_other_sites_still_open_pages(client: TestClient) -> None:
    headers = {"Sec-Fetch-Site": "cross-site", "Referer": "http://evil.example/"}
    assert client.get("/", headers=headers).status_code == 200
    assert client.get("/documenten", headers=headers).status_code == 200


# --- session fixation ---------------------------------------------------------------------

PLANTED = "ATTACKERCHOSENSESSION123"


def _session_cookie(response: Response) -> str | None:
    cookie = SimpleCookie(response.headers.get("set-cookie", ""))
    return cookie[SESSION_COOKIE].value if SESSION_COOKIE in cookie else None


def test_a_planted_session_id_is_replaced_by_a_server_made_one(client: TestClient) -> None:
    victim = client
    victim.cookies.set(SESSION_COOKIE, PLANTED)
    page = victim.get("/")
    fresh = _session_cookie(page)
    assert fresh is not None and fresh != PLANTED
    asked = victim.post("/vraag", data={"vraag": QUESTION}, follow_redirects=False)
    assert _session_cookie(asked) is None  # the fresh id is kept from now on
    assert len(_exchanges(victim)) == 1
    with TestClient(client.app, cookies={SESSION_COOKIE: PLANTED}) as attacker:
        assert _exchanges(attacker) == []  # the planted id leads nowhere
        assert _session_cookie(attacker.get("/")) != PLANTED
    with TestClient(client.app, cookies={SESSION_COOKIE: fresh}) as same_browser:
        assert len(_exchanges(same_browser)) == 1


def test_a_planted_id_on_a_form_post_gets_a_fresh_session(client: TestClient) -> None:
    client.cookies.set(SESSION_COOKIE, PLANTED)
    asked = client.post("/vraag", data={"vraag": QUESTION}, follow_redirects=False)
    fresh = _session_cookie(asked)
    assert fresh is not None and fresh != PLANTED
    client.cookies.set(SESSION_COOKIE, fresh)
    assert len(_exchanges(client)) == 1


# --- one client cannot push out the conversations of others ---------------------------------


def test_a_flood_of_cookieless_posts_does_not_evict_other_clients(client: TestClient) -> None:
    app = app_of(client)
    # The real store with small bounds, so that the flood is short: 12 sessions in all,
    # 3 per client (the defaults are 1,000 and 50).
    app.state.conversations = Conversations(max_sessions=12, max_turns=4, sessions_per_client=3)
    with (
        TestClient(app, client=("198.51.100.1", 40000)) as alice,
        TestClient(app, client=("198.51.100.2", 40000)) as bob,
        TestClient(app, client=("203.0.113.66", 40000)) as flooder,
    ):
        alice.post("/vraag", data={"vraag": QUESTION})
        bob.post("/vraag", data={"vraag": QUESTION})
        answer_id = alice.post("/api/ask", json={"question": QUESTION}).json()["answer_id"]
        for _ in range(100):  # each without a cookie: a new session every time
            flooder.cookies.clear()
            flooder.post("/vraag", data={"vraag": QUESTION}, follow_redirects=False)
            flooder.post("/api/ask", json={"question": QUESTION})
        assert len(_exchanges(alice)) == 2 and len(_exchanges(bob)) == 1  # form + API
        feedback = alice.post("/api/feedback", json={"answer_id": answer_id, "rating": "goed"})
        assert feedback.status_code == 201  # the answer is still known


def test_a_client_over_its_share_loses_its_own_oldest_first() -> None:
    lru: OwnedLru[int] = OwnedLru(per_owner=2, total=5)
    for n in range(4):
        lru.put("a", f"a{n}", n)
    lru.put("b", "b0", 0)
    assert [key for key in ("a0", "a1", "a2", "a3", "b0") if key in lru] == ["a2", "a3", "b0"]
    assert lru.get("a2") == 2  # now the most recently used of a's
    lru.put("a", "a4", 4)
    assert "a3" not in lru and "a2" in lru
    for n in range(3):
        lru.put(f"c{n}", f"c{n}", n)  # three more clients: over the total of 5
    assert len(lru) == 5 and "b0" not in lru  # the least recently used of all went


# --- every refusal in Dutch ---------------------------------------------------------------

FORM_ERRORS = [
    (  # "Too many fields. Maximum number of fields is 1000."
        "application/x-www-form-urlencoded",
        "&".join(f"v{n}=x" for n in range(1001)).encode(),
        "Het formulier heeft te veel velden.",
    ),
    (  # "Missing boundary in multipart."
        "multipart/form-data",
        b"vraag=x",
        "Het formulier kan niet worden gelezen; de gegevens zijn beschadigd of onvolledig.",
    ),
    (  # "Too many fields. Maximum number of fields is 1000." (multipart)
        "multipart/form-data; boundary=grens",
        b"".join(
            b'--grens\r\nContent-Disposition: form-data; name="v%d"\r\n\r\nx\r\n' % n
            for n in range(1001)
        )
        + b"--grens--\r\n",
        "Het formulier heeft te veel velden.",
    ),
    (  # 'The Content-Disposition header field "name" must be provided.'
        "multipart/form-data; boundary=grens",
        b"--grens\r\nContent-Disposition: form-data\r\n\r\nx\r\n--grens--\r\n",
        "Het formulier kan niet worden gelezen; de gegevens zijn beschadigd of onvolledig.",
    ),
]


@pytest.mark.parametrize(("content_type", "body", "message"), FORM_ERRORS)
@pytest.mark.parametrize("path", ["/vraag", "/feedback"])  # the routes that read a form
def test_broken_forms_are_refused_in_dutch(
    client: TestClient, path: str, content_type: str, body: bytes, message: str
) -> None:
    response = client.post(path, content=body, headers={"content-type": content_type})
    assert response.status_code == 400
    assert response.template.name == "error.html"  # type: ignore[attr-defined]
    assert message in response.text
    assert "Maximum" not in response.text and "multipart" not in response.text


ORIGINAL = "/documenten/kamerbrief-betaaltermijnen-2020.md"


@pytest.mark.parametrize("path", ["/static/app.css", ORIGINAL])
@pytest.mark.parametrize(
    ("range_header", "status", "message"),
    [
        ("bytes=abc", 400, "De Range-header van de aanvraag is ongeldig."),  # was English
        ("bytes=5-2", 400, "De Range-header van de aanvraag is ongeldig."),
        ("bytes=99999999-", 416, "Het gevraagde deel van het bestand bestaat niet"),
    ],
)
def test_file_ranges_it_cannot_serve_are_refused_in_dutch(
    client: TestClient, path: str, range_header: str, status: int, message: str
) -> None:
    response = client.get(path, headers={"Range": range_header})
    assert response.status_code == status
    assert response.text.startswith(message)
    assert int(response.headers["content-length"]) == len(response.content)


def test_a_file_range_it_can_serve_is_served(client: TestClient) -> None:
    whole = client.get(ORIGINAL).content
    part = client.get(ORIGINAL, headers={"Range": "bytes=2-9"})
    assert part.status_code == 206 and part.content == whole[2:10]
