"""What one client can do to the app and to other clients, over HTTP: flood the feedback, post
from another site, plant a session id, push out others' conversations, provoke English errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FakeEmbedder
from fastapi.testclient import TestClient

from assistant.settings import Settings
from web.app import create_app
from web.feedback import FEEDBACK_BURST, FeedbackStore

QUESTION = "Hoeveel dagen mag een grote onderneming over betaling doen?"


@pytest.fixture
def settings(web_corpus: Path, web_index_dir: Path, tmp_path: Path) -> Settings:
    return Settings(
        documents_dir=web_corpus,
        index_dir=web_index_dir,
        feedback_db=tmp_path / "feedback.sqlite3",
        threads=1,
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as test_client:
        yield test_client


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
