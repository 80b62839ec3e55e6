"""Pages for staff: the source viewer, the list of indexed documents, the original files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.responses import FileResponse, RedirectResponse, Response

from index.store import Manifest
from index.types import DocumentMeta, Passage
from web.deps import SettingsDep, SnapshotDep
from web.live_index import Snapshot
from web.passage_context import passage_context
from web.security import DOCUMENT_CSP
from web.templating import dutch_date, passage_url, render, text_fingerprint

router = APIRouter(include_in_schema=False)

UNKNOWN_PASSAGE = (
    "Deze passage bestaat niet (meer) in de index. Misschien is de index intussen bijgewerkt; "
    "stel de vraag opnieuw."
)
UNKNOWN_FILE = "Dit bestand staat niet in de documentenmap van de index."
# Shown as text in the browser rather than downloaded.
_TEXT_TYPES = {".md": "text/plain; charset=utf-8", ".txt": "text/plain; charset=utf-8"}


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One line of the document list."""

    meta: DocumentMeta
    pages: int
    passages: int
    first_passage: str | None


def originals_dir(manifest: Manifest, configured: Path) -> Path:
    """Return the folder with the original files: the one the index version was built from
    (recorded in its manifest) while it exists, else the configured documents folder."""
    recorded = Path(manifest.documents_dir) if manifest.documents_dir else None
    return recorded if recorded is not None and recorded.is_dir() else configured


@router.get("/bron/{passage_id:path}")
def source(
    request: Request,
    passage_id: str,
    snapshot: SnapshotDep,
    tekst: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """Show a passage highlighted in the text around it, with the document's details.

    A link from an answer carries the quoted passage's fingerprint (`tekst`). When a rebuild
    has since renumbered the document's passages, the link goes on to the passage that still
    has that text; when none has, the current passage is shown with a warning that it changed.
    """
    index = snapshot.index
    row = index.passage_by_id.get(passage_id)
    changed = False
    if tekst and (row is None or text_fingerprint(index.passages[row].text) != tekst):
        moved = _passage_with_text(snapshot, passage_id, tekst)
        if moved is not None:
            url = passage_url(moved.id, moved.text) + "#passage"
            return RedirectResponse(url, status_code=303)
        changed = row is not None
    if row is None:
        raise HTTPException(status_code=404, detail=UNKNOWN_PASSAGE)
    passage = index.passages[row]
    doc = index.documents[passage.doc_id]
    before = index.passages[row - 1] if row > 0 else None
    after = index.passages[row + 1] if row + 1 < len(index.passages) else None
    neighbours = (
        before.id if before is not None and before.doc_id == passage.doc_id else None,
        after.id if after is not None and after.doc_id == passage.doc_id else None,
    )
    context = passage_context(doc, passage)
    return render(
        request,
        "source.html",
        {
            "meta": doc.meta,
            "passage": passage,
            "before": context.before,
            "after": context.after,
            "clipped_before": context.clipped_before,
            "clipped_after": context.clipped_after,
            "neighbours": neighbours if any(neighbours) else None,
            "index_version": index.version,
            "changed": changed,
        },
    )


def _passage_with_text(snapshot: Snapshot, passage_id: str, fingerprint: str) -> Passage | None:
    """Return the first passage of the same document ("rapport.pdf" of "rapport.pdf/p12")
    whose text has `fingerprint`, if one has."""
    doc_id = passage_id.rsplit("/p", 1)[0]
    row = snapshot.row_by_text.get((doc_id, fingerprint))
    return snapshot.index.passages[row] if row is not None else None


@router.get("/documenten")
def documents(request: Request, snapshot: SnapshotDep) -> Response:
    """List every indexed document, the index version and build time, and skipped files."""
    index = snapshot.index
    counts: dict[str, int] = {}
    first: dict[str, str] = {}
    for passage in index.passages:
        counts[passage.doc_id] = counts.get(passage.doc_id, 0) + 1
        first.setdefault(passage.doc_id, passage.id)
    rows = [
        DocumentRow(
            meta=doc.meta,
            pages=len(doc.page_starts),
            passages=counts.get(doc_id, 0),
            first_passage=first.get(doc_id),
        )
        for doc_id, doc in index.documents.items()
    ]
    rows.sort(key=lambda r: (r.meta.date or "", r.meta.doc_id), reverse=True)
    built_at = index.manifest.built_at
    return render(
        request,
        "documents.html",
        {
            "nav": "documenten",
            "index": index,
            "documents": rows,
            "built_at": f"{dutch_date(built_at)} om {built_at[11:16]} (UTC)",
            "skipped": index.manifest.skipped,
        },
    )


@router.get("/documenten/{file_path:path}")
def original(file_path: str, settings: SettingsDep, snapshot: SnapshotDep) -> Response:
    """Serve an original document from the documents folder, and nothing outside it."""
    known = file_path in snapshot.index.documents or any(
        doc_id == file_path for doc_id, _ in snapshot.index.manifest.skipped
    )
    if not known:  # checked first: only document ids reach the file system
        raise HTTPException(status_code=404, detail=UNKNOWN_FILE)
    root = originals_dir(snapshot.index.manifest, settings.documents_dir).resolve()
    target = (root / file_path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise HTTPException(status_code=404, detail=UNKNOWN_FILE)
    return FileResponse(
        target,
        media_type=_TEXT_TYPES.get(target.suffix.lower()),
        content_disposition_type="inline",
        filename=Path(file_path).name,
        headers={"Content-Security-Policy": DOCUMENT_CSP},
    )
