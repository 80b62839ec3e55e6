"""Turn an `Answer` into the JSON object of `mkb-assistent ask --json` and `POST /api/ask`."""

from __future__ import annotations

from typing import Any

from assistant.types import UNCERTAIN_TEXT, Answer, Citation, Hit

MAX_PASSAGES = 10  # the ranked retrieval list is cut to its top 10


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    """Return the answer as a JSON-ready dict (same keys for the CLI and the web API)."""
    return {
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "uncertain": answer.uncertain,
        "notice": UNCERTAIN_TEXT if answer.uncertain else None,
        "sentences": [{"text": s.text, "n": s.n} for s in answer.sentences],
        "suggestions": list(answer.suggestions),
        "index_version": answer.index_version,
        "citations": [citation_to_dict(c) for c in answer.citations],
        "passages": [hit_to_dict(h) for h in answer.hits[:MAX_PASSAGES]],
    }


def citation_to_dict(citation: Citation) -> dict[str, Any]:
    """Return one citation: its number, document, title, date, page, section and passage."""
    passage = citation.passage
    return {
        "n": citation.n,
        "id": passage.id,
        "document": passage.doc_id,
        "title": citation.document.title,
        "date": citation.document.date,
        "page": passage.page_start,
        "section": passage.section_path,
        "passage": passage.text,
    }


def hit_to_dict(hit: Hit) -> dict[str, Any]:
    """Return one retrieved passage with its score (rounded to 4 decimals)."""
    passage = hit.passage
    return {
        "id": passage.id,
        "document": passage.doc_id,
        "title": hit.document.title,
        "date": hit.document.date,
        "page": passage.page_start,
        "section": passage.section_path,
        "passage": passage.text,
        "score": round(float(hit.score), 4),
    }
