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
