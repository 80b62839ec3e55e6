"""Table headers for quoted table rows (assistant/tables.py), on a page read by the real HTML
reader and split by the real chunker."""

from __future__ import annotations

from pathlib import Path

from assistant.citations import Quote, number_citations
from assistant.tables import header_of, with_table_headers
from assistant.types import Hit
from index.chunk import split_into_passages
from index.parse import parse_document
from index.types import ParsedDocument, Passage

PAGE = """<html><body><main><h1>NOW</h1>
<p>Hoeveel u krijgt, hangt af van uw omzetverlies.</p>
<table><caption>Percentages per tijdvak</caption>
<tr><th>Tijdvak</th><th>Periode</th><th>Vergoeding</th></tr>
<tr><td>NOW 1</td><td>maart t/m mei 2020</td><td>90%</td></tr>
<tr><td>NOW 2</td><td>juni t/m september 2020</td><td>90%</td></tr>
</table></main></body></html>"""
HEADER = "Tijdvak | Periode | Vergoeding"
FIRST = "NOW 1 | maart t/m mei 2020 | 90%"
SECOND = "NOW 2 | juni t/m september 2020 | 90%"


def _page(tmp_path: Path) -> tuple[dict[str, ParsedDocument], list[Passage]]:
    path = tmp_path / "now.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = parse_document(path, tmp_path)
    return {doc.meta.doc_id: doc}, split_into_passages(doc)


def _quote(passages: list[Passage], docs: dict[str, ParsedDocument], text: str) -> Quote:
    passage = next(p for p in passages if text in p.text)
    return Quote(text, Hit(passage, docs[passage.doc_id].meta, 1.0), passage.text.index(text))


def test_a_quoted_row_brings_its_tables_header_once(tmp_path: Path) -> None:
    docs, passages = _page(tmp_path)
    intro = _quote(passages, docs, "Hoeveel u krijgt, hangt af van uw omzetverlies.")
    rows = [_quote(passages, docs, FIRST), _quote(passages, docs, SECOND)]
    out = with_table_headers([intro, *rows], docs)
    assert [q.text for q in out] == [intro.text, HEADER, FIRST, SECOND]
    sentences, citations = number_citations(out)
    assert all(s.text in citations[s.n - 1].passage.text for s in sentences)  # verbatim


def test_a_header_is_not_its_own_header_and_prose_has_none(tmp_path: Path) -> None:
    docs, passages = _page(tmp_path)
    assert header_of(_quote(passages, docs, HEADER), docs) is None
    assert header_of(_quote(passages, docs, "Hoeveel u krijgt, hangt af"), docs) is None
    assert header_of(_quote(passages, docs, "Percentages per tijdvak"), docs) is None
    quoted = [_quote(passages, docs, HEADER), _quote(passages, docs, SECOND)]
    assert with_table_headers(quoted, docs) == quoted  # already there


def test_a_header_in_another_passage_or_an_unknown_offset_brings_nothing(tmp_path: Path) -> None:
    docs, passages = _page(tmp_path)
    row = _quote(passages, docs, SECOND)
    at = row.hit.passage.text.index(SECOND)
    cut = row.hit.passage.start + at  # a passage that starts at the second row
    tail = Passage("now.html/p9", "now.html", SECOND, cut, cut + len(SECOND), 1, 1)
    assert header_of(Quote(SECOND, Hit(tail, row.hit.document, 1.0), 0), docs) is None
    assert header_of(Quote(SECOND, row.hit), docs) is None
