"""An answer the model doubts is given with a plain caveat: in the API, the page, the JavaScript
chat and the command line (`AnswerModel.hedge_threshold`, fitted by `bench/train.py`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FakeEmbedder, serving
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect

from assistant.assistant import Assistant
from assistant.model import AnswerModel, model_for
from assistant.settings import Settings
from assistant.types import UNCERTAIN_TEXT
from index import store
from web.app import create_app
from web.cli_answer import format_answer

QUESTION = "Wat is de Tozo?"  # answered from the test corpus


def _model(hedge: float | None) -> AnswerModel:
    """The shipped model for the fake embedder, with its uncertainty threshold at `hedge`
    (1.0: every answer is uncertain; None: none is)."""
    return dataclasses.replace(model_for(FakeEmbedder().model_id), hedge_threshold=hedge)


def _app(documents: Path, index_dir: Path, tmp_path: Path, hedge: float | None) -> object:
    settings = Settings(
        documents_dir=documents, index_dir=index_dir, feedback_db=tmp_path / "feedback.sqlite3"
    )
    return create_app(settings, embedder=FakeEmbedder(), answer_model=_model(hedge))


@pytest.fixture(params=[1.0, None], ids=["doubted", "sure"])
def hedged(
    request: pytest.FixtureRequest, documents: Path, index_dir: Path, tmp_path: Path
) -> Iterator[tuple[TestClient, bool]]:
    app = _app(documents, index_dir, tmp_path, request.param)
    with TestClient(app) as client:  # type: ignore[arg-type]
        yield client, request.param is not None


def test_the_api_and_the_page_say_when_an_answer_is_uncertain(
    hedged: tuple[TestClient, bool],
) -> None:
    client, doubted = hedged
    data = client.post("/api/ask", json={"question": QUESTION}).json()
    assert data["abstained"] is False and data["sentences"]
    assert data["uncertain"] is doubted
    assert data["notice"] == (UNCERTAIN_TEXT if doubted else None)
    page = client.post("/vraag", data={"vraag": QUESTION}).text
    assert ('class="onzeker"' in page) is doubted
    assert (UNCERTAIN_TEXT in page) is doubted


def test_a_declined_question_is_not_called_uncertain(documents: Path, index_dir: Path) -> None:
    embedder = FakeEmbedder()
    assistant = Assistant(store.load(index_dir, embedder.model_id), embedder, model=_model(1.0))
    answer = assistant.ask("Wat is het recept voor boerenkool met rookworst?")
    assert answer.abstained and not answer.uncertain
    assert UNCERTAIN_TEXT not in format_answer(answer)


def test_the_command_line_says_it_before_the_answer(documents: Path, index_dir: Path) -> None:
    embedder = FakeEmbedder()
    index = store.load(index_dir, embedder.model_id)
    for hedge, doubted in ((1.0, True), (None, False)):
        answer = Assistant(index, embedder, model=_model(hedge)).ask(QUESTION)
        assert answer.uncertain is doubted
        text = format_answer(answer)
        assert text.startswith(UNCERTAIN_TEXT) is doubted
        assert answer.text in text


@pytest.mark.browser
def test_the_javascript_chat_shows_the_caveat(
    browser: Browser, documents: Path, index_dir: Path, tmp_path: Path
) -> None:
    with serving(_app(documents, index_dir, tmp_path, 1.0)) as url:
        context = browser.new_context(base_url=url, locale="nl-NL")
        try:
            page = context.new_page()
            page.goto("/")
            page.get_by_role("textbox", name="Uw vraag").fill(QUESTION)
            page.get_by_role("button", name="Vraag stellen").click()
            answer = page.locator("#gesprek article.beurt").last
            expect(answer.get_by_role("note")).to_have_text(UNCERTAIN_TEXT)
            expect(answer.get_by_role("link", name="[1]").first).to_be_visible()
        finally:
            context.close()
