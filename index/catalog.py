"""The documents folder as staff see it: every file, its metadata, and how the index took it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from index.metadata import humanize_file_name
from index.parse import list_documents
from index.sidecar import read_sidecar
from index.store import LoadedIndex


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One file in the documents folder."""

    doc_id: str
    title: str
    date: str | None
    kind: str | None
    kamerstuk: str | None
    source_url: str | None
    retrieved: str | None
    sha256: str | None
    passages: int | None  # in the current index; None when it is not in there
    skipped: str | None  # why the last build skipped it (Dutch), if it did

    @property
    def status(self) -> str:
        """Return how the index holds it, in Dutch."""
        if self.skipped is not None:
            return f"overgeslagen: {self.skipped}"
        if self.passages is None:
            return "nog niet in de index"
        return "in de index"


def read_catalog(documents_dir: Path, index: LoadedIndex | None) -> list[CatalogEntry]:
    """Return an entry per file in `documents_dir`, newest date first.

    Metadata comes from the index where it holds the document (what users see), else from the
    sidecar, else the file name.
    """
    passages = Counter(p.doc_id for p in index.passages) if index is not None else Counter()
    skipped = dict(index.manifest.skipped) if index is not None else {}
    documents = index.documents if index is not None else {}
    entries = []
    paths = list_documents(documents_dir) if documents_dir.is_dir() else []
    for path in paths:
        doc_id = path.relative_to(documents_dir).as_posix()
        sidecar = read_sidecar(path)
        indexed = documents.get(doc_id)
        meta = indexed.meta if indexed is not None else None
        entries.append(
            CatalogEntry(
                doc_id=doc_id,
                title=meta.title if meta else sidecar.title or humanize_file_name(path.name),
                date=meta.date if meta else sidecar.date,
                kind=meta.kind if meta else sidecar.kind,
                kamerstuk=meta.kamerstuk if meta else sidecar.kamerstuk,
                source_url=meta.source_url if meta else sidecar.source_url,
                retrieved=sidecar.retrieved,
                sha256=sidecar.sha256,
                passages=passages.get(doc_id) if indexed is not None else None,
                skipped=skipped.get(doc_id),
            )
        )
    entries.sort(key=lambda e: (e.date or "", PurePosixPath(e.doc_id).name), reverse=True)
    return entries
