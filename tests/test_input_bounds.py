"""Bounds at the input edges: HTML nesting, PDF pages, ill-formed question text.

The hostile files themselves are in `test_hostile_documents.py` and `test_fuzz.py`; these tests
check the limits one by one (with small limits patched in) and that normal input passes them.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from pathlib import Path

import pytest
from conftest import FakeEmbedder
from data.hostile import hostile_files
from fastapi.testclient import TestClient
from pypdf import PdfReader

from assistant.assistant import Assistant, well_formed
from assistant.settings import Settings
from index import parse, pdf, store
from index.html import MAX_DEPTH, nests_too_deep
from index.parse import parse_document
from index.plaintext import limit_text
from index.types import DocumentError
from web.app import create_app

# --- HTML nesting -----------------------------------------------------------------------------


def nested(depth: int, tag: str = "div") -> str:
    return f"<html><body>{f'<{tag}>' * depth}<p>Tekst.</p>{f'</{tag}>' * depth}</body></html>"


@pytest.mark.parametrize(
    "markup",
    [
        nested(MAX_DEPTH - 2),
        "<div><p>een<p>twee<li>drie<br><img src=x><hr></div>" * 5000,  # unclosed and void tags
        "<ul>" + "<li>punt" * 5000 + "</ul>",
        "<table>" + "<tr><td>cel<td>cel" * 5000 + "</table>",
        "<svg>" + '<path d="M0 0"/>' * 5000 + "</svg><div>tekst</div>",
        "<div>" + "</div>" * 5000 + "<div></div>" * 5000,  # stray end tags
        "<div title='a > b'>tekst</div>" * 3000,
    ],
)
def test_normal_html_is_not_too_deep(markup: str) -> None:
    assert not nests_too_deep(markup)


@pytest.mark.parametrize(
    "markup",
    [nested(MAX_DEPTH + 1), nested(MAX_DEPTH + 1, "span"), "<b>" * 50_000, "<div/>" * 2000],
)
def test_deep_html_is_too_deep(markup: str) -> None:
    assert nests_too_deep(markup)


def test_deep_html_is_refused_before_parsing(tmp_path: Path) -> None:
    path = hostile_files.nested_html(tmp_path, depth=300_000)
    started = time.perf_counter()
    with pytest.raises(DocumentError) as refused:
        parse_document(path, tmp_path)
    assert refused.value.reason == "HTML is te diep genest"
    assert time.perf_counter() - started < 2.0


def test_html_just_under_the_depth_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "diep-genoeg.html"
    path.write_text(nested(300).replace("Tekst.", "Verstopte maar leesbare tekst."))
    assert "Verstopte maar leesbare tekst." in parse_document(path, tmp_path).text


# --- PDF page bounds ----------------------------------------------------------------------------


def content_bytes(path: Path) -> int:
    contents = PdfReader(path).pages[0].get_contents()
    assert contents is not None
    return len(contents.get_data())


def test_page_text_is_cut_at_the_page_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(pdf, "MAX_PAGE_CHARS", 5_000)
    path = hostile_files.dense_stream_pdf(tmp_path, operations=2_000)  # ~80,000 characters
    with caplog.at_level(logging.WARNING, logger="index.pdf"):
        doc = parse_document(path, tmp_path)
    assert "Regel 0 over de steun" in doc.text
    assert 3_000 < len(doc.text) <= 5_000
    assert "dichte-stroom.pdf: tekst van pagina 1 afgekapt na 5000 tekens" in caplog.text


def test_page_with_too_much_content_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = hostile_files.dense_stream_pdf(tmp_path, operations=2_000)
    monkeypatch.setattr(pdf, "MAX_PAGE_CONTENT_BYTES", content_bytes(path) - 1)
    with caplog.at_level(logging.WARNING, logger="index.pdf"), pytest.raises(DocumentError) as e:
        parse_document(path, tmp_path)  # its only page is skipped: no text
    assert "pagina 1 overgeslagen; die bevat meer dan" in caplog.text
    assert e.value.reason == "PDF bevat geen leesbare tekst (pagina's te groot of beschadigd)"


def test_pdf_over_the_document_budget_on_its_first_page_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = hostile_files.dense_stream_pdf(tmp_path, operations=2_000, pages=2)
    monkeypatch.setattr(pdf, "MAX_CONTENT_BYTES", content_bytes(path) - 1)
    with pytest.raises(DocumentError) as refused:
        parse_document(path, tmp_path)
    assert refused.value.reason == "PDF bevat geen leesbare tekst (pagina's te groot of beschadigd)"


def test_document_content_budget_stops_reading_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = hostile_files.dense_stream_pdf(tmp_path, operations=200, pages=10)
    monkeypatch.setattr(pdf, "MAX_CONTENT_BYTES", 3 * content_bytes(path))
    with caplog.at_level(logging.WARNING, logger="index.pdf"):
        doc = parse_document(path, tmp_path)
    assert len(doc.page_starts) == 3
    assert "alleen de eerste 3 pagina's gelezen" in caplog.text


def test_normal_pdf_pages_are_read_without_warnings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = hostile_files.text_page_bomb(tmp_path, pages=40)
    with caplog.at_level(logging.WARNING, logger="index.pdf"):
        doc = parse_document(path, tmp_path)
    assert len(doc.page_starts) == 40 and "Onderwerp 40:" in doc.text
    assert not caplog.records


# --- the character limit of a text ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Titel\n\neen twee drie vier vijf zes", "# Titel\n\neen twee drie vier"),  # one line
        ("eerste regel\ntweede regel\nderde", "eerste regel\ntweede regel"),  # at a line break
        ("a" * 40, "a" * 30),  # no break at all: a hard cut
        ("# T\n\n" + "b" * 40, "# T\n\n" + "b" * 25),  # only a break early on: a hard cut
        ("kort genoeg", "kort genoeg"),
    ],
)
def test_limit_text_keeps_most_of_the_text(
    text: str, expected: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="index.plaintext"):
        assert limit_text(text, "doc.md", max_chars=30) == expected
    assert ("doc.md: tekst afgekapt na 30 tekens" in caplog.text) == (text != expected)


def test_one_line_markdown_over_the_limit_keeps_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parse, "limit_text", functools.partial(limit_text, max_chars=50_000))
    path = hostile_files.one_long_line(tmp_path, words=10_000)  # 110,000 characters
    doc = parse_document(path, tmp_path)
    assert 45_000 < len(doc.text) <= 50_000
    assert doc.text.count("ondernemer") > 4_000


# --- ill-formed question text -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("btw \udfff?", "btw \ufffd?"),
        ("\ud800\udc00", "\ufffd\ufffd"),  # a pair that JSON would have joined, kept apart here
        ("Hoeveel dagen? 💶", "Hoeveel dagen? 💶"),
    ],
)
def test_well_formed_replaces_lone_surrogates(text: str, expected: str) -> None:
    assert well_formed(text) == expected
    well_formed(text).encode("utf-8")


def test_question_with_a_lone_surrogate_is_answered(web_index_dir: Path) -> None:
    assistant = Assistant(store.load(web_index_dir), FakeEmbedder())
    answer = assistant.ask("Hoeveel dagen \ud800 mag een grote onderneming over betaling doen?")
    assert answer.question == "Hoeveel dagen \ufffd mag een grote onderneming over betaling doen?"
    assert assistant.search("betaaltermijn \udfff")


def test_api_history_with_lone_surrogates_is_no_server_error(
    web_corpus: Path, web_index_dir: Path, tmp_path: Path
) -> None:
    settings = Settings(
        documents_dir=web_corpus, index_dir=web_index_dir, feedback_db=tmp_path / "f.sqlite3"
    )
    raw = json.dumps(
        {
            "question": "En voor kleine bedrijven \ud83d?",
            "history": [{"question": "Betaaltermijn \udfff?", "answer": "Zestig \ud800 dagen."}],
        }
    ).encode()  # json.dumps escapes the surrogates as \ud83d etc.
    app = create_app(settings, embedder=FakeEmbedder())
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post(
            "/api/ask", content=raw, headers={"content-type": "application/json"}
        )
    assert response.status_code == 200, response.text
    assert response.json()["question"] == "En voor kleine bedrijven \ufffd?"
