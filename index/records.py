"""JSON records for parsed documents and passages, one object per line in the index folder."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from index.types import Block, DocumentMeta, NoteLink, ParsedDocument, Passage


def document_to_record(doc: ParsedDocument) -> dict[str, Any]:
    """Return a JSON-ready dict holding everything of `doc`."""
    meta = doc.meta
    return {
        "meta": {
            "doc_id": meta.doc_id,
            "title": meta.title,
            "date": meta.date,
            "kind": meta.kind,
            "kamerstuk": meta.kamerstuk,
            "source_url": meta.source_url,
            "format": meta.format,
        },
        "text": doc.text,
        "blocks": [[b.kind, b.start, b.end, b.level, b.box, b.endnote] for b in doc.blocks],
        "page_starts": list(doc.page_starts),
        "content_hash": doc.content_hash,
        "notes": [[n.ref, n.start, n.end] for n in doc.notes],
    }


def document_from_record(record: dict[str, Any]) -> ParsedDocument:
    """Rebuild a ParsedDocument from `document_to_record` output."""
    return ParsedDocument(
        meta=DocumentMeta(**record["meta"]),
        text=record["text"],
        blocks=tuple(Block(*fields) for fields in record["blocks"]),  # older: no box, endnote
        page_starts=tuple(record["page_starts"]),
        content_hash=record["content_hash"],
        notes=tuple(NoteLink(*link) for link in record.get("notes", ())),  # none in older indexes
    )


def passage_to_record(passage: Passage) -> dict[str, Any]:
    """Return a JSON-ready dict holding everything of `passage`."""
    return {
        "id": passage.id,
        "doc_id": passage.doc_id,
        "text": passage.text,
        "start": passage.start,
        "end": passage.end,
        "page_start": passage.page_start,
        "page_end": passage.page_end,
        "section": list(passage.section),
    }


def passage_from_record(record: dict[str, Any]) -> Passage:
    """Rebuild a Passage from `passage_to_record` output."""
    return Passage(**{**record, "section": tuple(record["section"])})


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> None:
    """Write one JSON object per line and flush it to disk."""
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False))
            out.write("\n")
        out.flush()
        os.fsync(out.fileno())


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the JSON object on each non-empty line of `path`."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record: dict[str, Any] = json.loads(line)
                yield record
