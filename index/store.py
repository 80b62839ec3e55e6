"""The index on disk: versioned folders, an atomically switched "current" link, load and prune.

Layout of `index_dir`:
    versions/<version>/{manifest.json, index.faiss, passages.jsonl, documents.jsonl,
                        sentences.npz, schemes.json}
    versions/.tmp-<version>/   a version being written (removed by the next build if left over)
    current -> versions/<version>   symlink, replaced atomically by `publish`
    cache/                     embedding cache (index.cache)
    .build.lock                held by the build that is running
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import secrets
import shutil
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index import oserrors
from index.embed import Embedder, Vectors
from index.records import (
    document_from_record,
    document_to_record,
    passage_from_record,
    passage_to_record,
    read_jsonl,
    write_jsonl,
)
from index.scheme_records import card_from_record, card_to_record, check_cards
from index.scheme_types import SchemeCard
from index.sentences import SentenceTable
from index.types import ParsedDocument, Passage

logger = logging.getLogger(__name__)

FORMAT_VERSION = 3  # 2: sentences.npz (body sentences and their vectors); 3: schemes.json
VERSIONS = "versions"
CURRENT = "current"
TMP_PREFIX = ".tmp-"
MANIFEST = "manifest.json"
FAISS_FILE = "index.faiss"
PASSAGES_FILE = "passages.jsonl"
DOCUMENTS_FILE = "documents.jsonl"
SENTENCES_FILE = "sentences.npz"
SCHEMES_FILE = "schemes.json"  # the scheme cards (index.scheme_cards)
REQUIRED_FILES = (
    MANIFEST,
    FAISS_FILE,
    PASSAGES_FILE,
    DOCUMENTS_FILE,
    SENTENCES_FILE,
    SCHEMES_FILE,
)
REBUILD_HINT = "bouw de index opnieuw met `mkb-assistent index --full`"


class IndexStoreError(Exception):
    """A problem with the index on disk; the message is Dutch and meant for users."""


class IndexNotFound(IndexStoreError):
    """There is no (such) index version."""


class IndexMismatch(IndexStoreError):
    """The index was built with another model or an older format."""


class IndexCorrupt(IndexStoreError):
    """The index version is incomplete or damaged."""


class IndexUnreadable(IndexStoreError):
    """A file of the index version exists but cannot be read (no permission, a disk error, ...)."""


class BuildLocked(IndexStoreError):
    """Another build holds the lock on this index folder."""


class WriteFailed(IndexStoreError):
    """Writing the index or the embedding cache failed (disk full, no permission, ...)."""


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn a failed write of `path` (an OSError, or faiss's RuntimeError) into WriteFailed."""
    try:
        yield
    except (OSError, RuntimeError) as exc:
        raise WriteFailed(
            f"Schrijven naar {path} mislukt: {oserrors.describe(exc)}. "
            "De vorige index blijft in gebruik."
        ) from exc


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn a failure to open or read `path` into IndexUnreadable that names its cause.

    A file the system will not let us read is not damaged, and rebuilding need not help, so it is
    not reported as IndexCorrupt. Such a failure is an OSError, or faiss's RuntimeError for a
    failed open; any other faiss error is about the file's contents and is passed on.
    """
    try:
        yield
    except (OSError, RuntimeError) as exc:
        if isinstance(exc, RuntimeError) and not oserrors.is_failed_faiss_open(exc):
            raise
        raise IndexUnreadable(
            f"Indexbestand {path} kan niet gelezen worden: {oserrors.describe(exc, reading=True)}."
        ) from exc


@dataclass(frozen=True)
class Manifest:
    """What a version holds and how it was made (manifest.json)."""

    model_id: str
    dim: int
    chunk_settings: dict[str, Any]
    documents: dict[str, str]  # doc_id -> content_hash
    passages: int
    built_at: str  # ISO 8601, UTC
    sentences: int = 0
    build_seconds: float = 0.0
    skipped: tuple[tuple[str, str], ...] = ()  # (doc_id, Dutch reason)
    format_version: int = FORMAT_VERSION
    sidecars: dict[str, str] = field(default_factory=dict)  # doc_id -> sha256 of its .toml
    documents_dir: str = ""  # absolute path of the folder built from ("": an older index)
    schemes: int = 0  # scheme cards in schemes.json

    def to_json(self) -> str:
        """Return the manifest as pretty JSON."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> Manifest:
        """Parse manifest.json; raise ValueError/KeyError/TypeError when malformed."""
        data = json.loads(raw)
        data["skipped"] = tuple((doc_id, reason) for doc_id, reason in data.get("skipped", ()))
        return cls(**data)


@dataclass(frozen=True)
class LoadedIndex:
    """One index version in memory: row i of `faiss_index` is `passages[i]`."""

    version: str
    manifest: Manifest
    faiss_index: Any  # faiss.IndexFlatIP
    passages: tuple[Passage, ...]
    documents: dict[str, ParsedDocument]
    sentences: SentenceTable
    passage_by_id: dict[str, int] = field(default_factory=dict)
    schemes: tuple[SchemeCard, ...] = ()


def new_version_name() -> str:
    """Return a fresh version name sorting by creation time: 20261127T012345.123456-a1b2c3."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S.%f}-{secrets.token_hex(3)}"


def versions_dir(index_dir: Path) -> Path:
    """Return the folder holding all versions."""
    return index_dir / VERSIONS


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the exclusive build lock; raise BuildLocked when another build has it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".build.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(
                f"Er loopt al een indexbouw in {index_dir}; wacht tot die klaar is."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def build_faiss_index(vectors: Vectors) -> Any:
    """Return a faiss.IndexFlatIP holding `vectors` (float32, L2-normalised) in row order."""
    index = faiss.IndexFlatIP(int(vectors.shape[1]))
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def save_version(
    index_dir: Path,
    version: str,
    manifest: Manifest,
    documents: Sequence[ParsedDocument],
    passages: Sequence[Passage],
    faiss_index: Any,
    sentences: SentenceTable,
    schemes: Sequence[SchemeCard] = (),
) -> Path:
    """Write a complete version under a temporary name, then rename it; return its folder.

    A failed write raises WriteFailed and leaves no temporary folder behind.
    """
    final = versions_dir(index_dir) / version
    tmp = versions_dir(index_dir) / f"{TMP_PREFIX}{version}"
    try:
        with writing(tmp):
            tmp.mkdir(parents=True)
        _write_files(tmp, manifest, documents, passages, faiss_index, sentences, schemes)
        with writing(final):
            os.replace(tmp, final)
    except WriteFailed:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _fsync_path(final.parent)
    return final


def _write_files(
    folder: Path,
    manifest: Manifest,
    documents: Sequence[ParsedDocument],
    passages: Sequence[Passage],
    faiss_index: Any,
    sentences: SentenceTable,
    schemes: Sequence[SchemeCard],
) -> None:
    with writing(folder / DOCUMENTS_FILE):
        write_jsonl(folder / DOCUMENTS_FILE, (document_to_record(d) for d in documents))
    with writing(folder / PASSAGES_FILE):
        write_jsonl(folder / PASSAGES_FILE, (passage_to_record(p) for p in passages))
    with writing(folder / FAISS_FILE):
        faiss.write_index(faiss_index, str(folder / f"{FAISS_FILE}.part"))
        os.replace(folder / f"{FAISS_FILE}.part", folder / FAISS_FILE)
        _fsync_path(folder / FAISS_FILE)
    with writing(folder / SENTENCES_FILE):
        _write_sentences(folder / SENTENCES_FILE, sentences)
    with writing(folder / SCHEMES_FILE):
        (folder / SCHEMES_FILE).write_text(
            json.dumps([card_to_record(c) for c in schemes], ensure_ascii=False), encoding="utf-8"
        )
        _fsync_path(folder / SCHEMES_FILE)
    with writing(folder / MANIFEST):
        (folder / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")  # written last
        _fsync_path(folder / MANIFEST)
        _fsync_path(folder)


def _write_sentences(path: Path, sentences: SentenceTable) -> None:
    part = path.with_name(f"{path.name}.part")
    with part.open("wb") as out:
        np.savez(
            out,
            passage=sentences.passage,
            start=sentences.start,
            end=sentences.end,
            vectors=sentences.vectors,
        )
        out.flush()
        os.fsync(out.fileno())
    os.replace(part, path)


def _read_sentences(path: Path, passages: Sequence[Passage], dim: int) -> SentenceTable:
    """Read sentences.npz; raise ValueError when it does not fit the passages.

    Only opening the file counts as a failure to read it: a damaged zip can raise an OSError too.
    """
    with reading(path):
        handle = path.open("rb")
    with handle, np.load(handle, allow_pickle=False) as data:
        rows = np.stack([data["passage"], data["start"], data["end"]], axis=1)
        vectors = np.asarray(data["vectors"], dtype=np.float32)
    if vectors.shape != (len(rows), dim):
        raise ValueError(f"sentence vectors of shape {vectors.shape}")
    lengths = np.array([len(p.text) for p in passages], dtype=np.int64)
    table = SentenceTable.from_rows(len(passages), rows, vectors)
    if len(table) and (
        np.any(table.start < 0)
        or np.any(table.end <= table.start)
        or np.any(table.end > lengths[table.passage])
    ):
        raise ValueError("a sentence span lies outside its passage")
    return table


def publish(index_dir: Path, version: str) -> None:
    """Point `current` at `version` in one atomic step."""
    if not (versions_dir(index_dir) / version / MANIFEST).is_file():
        raise IndexNotFound(f"Indexversie {version} bestaat niet in {index_dir}.")
    link = index_dir / f".{CURRENT}-{secrets.token_hex(4)}"
    try:
        with writing(index_dir / CURRENT):
            os.symlink(f"{VERSIONS}/{version}", link)
            os.replace(link, index_dir / CURRENT)
    except WriteFailed:
        link.unlink(missing_ok=True)
        raise
    _fsync_path(index_dir)


def current_version(index_dir: Path) -> str | None:
    """Return the name of the published version, or None when nothing was published."""
    try:
        target = os.readlink(index_dir / CURRENT)
    except (FileNotFoundError, OSError):
        return None
    return Path(target).name or None


def load(index_dir: Path, model_id: str | None = None, version: str | None = None) -> LoadedIndex:
    """Load `version` (default: the current one), checking it was built with `model_id`."""
    name = version or current_version(index_dir)
    if name is None:
        raise IndexNotFound(f"Geen index in {index_dir}; bouw die met `mkb-assistent index`.")
    folder = versions_dir(index_dir) / name
    if not folder.is_dir():
        if version is not None:
            raise IndexNotFound(f"Indexversie {version} bestaat niet in {index_dir}.")
        raise IndexCorrupt(f"De huidige index in {index_dir} ontbreekt; {REBUILD_HINT}.")
    manifest = _read_manifest(folder)
    _check_compatible(manifest, model_id, index_dir)
    return _read_version(folder, manifest)


def _corrupt(folder: Path, problem: str) -> IndexCorrupt:
    return IndexCorrupt(f"Index {folder} {problem}; {REBUILD_HINT}.")


def _check_files(folder: Path) -> None:
    """Every file of a version must be there, as a regular file (the build writes nothing else)."""
    for filename in REQUIRED_FILES:
        path = folder / filename
        with reading(path):  # a folder we may not look into
            if not path.exists():
                raise _corrupt(folder, f"is onvolledig ({filename} ontbreekt)")
            if not path.is_file():
                raise _corrupt(folder, f"is beschadigd ({filename} is geen gewoon bestand)")


def _read_manifest(folder: Path) -> Manifest:
    _check_files(folder)
    with reading(folder / MANIFEST):
        raw = (folder / MANIFEST).read_text(encoding="utf-8")
    try:
        return Manifest.from_json(raw)
    except (ValueError, KeyError, TypeError) as exc:
        raise _corrupt(folder, "heeft een onleesbaar manifest") from exc


def _check_compatible(manifest: Manifest, model_id: str | None, index_dir: Path) -> None:
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatch(
            f"De index in {index_dir} heeft een ouder formaat ({manifest.format_version}); "
            f"{REBUILD_HINT}."
        )
    if model_id is not None and manifest.model_id != model_id:
        raise IndexMismatch(
            f"De index in {index_dir} is gebouwd met taalmodel {manifest.model_id}, maar nu is "
            f"{model_id} ingesteld. {REBUILD_HINT.capitalize()} of zet ASSISTANT_EMBEDDER terug."
        )


def _read_version(folder: Path, manifest: Manifest) -> LoadedIndex:
    try:
        with reading(folder / FAISS_FILE):
            faiss_index = faiss.read_index(str(folder / FAISS_FILE))
    except RuntimeError as exc:
        raise _corrupt(folder, "heeft een beschadigd FAISS-bestand") from exc
    try:
        with reading(folder / PASSAGES_FILE):
            passages = tuple(passage_from_record(r) for r in read_jsonl(folder / PASSAGES_FILE))
        with reading(folder / DOCUMENTS_FILE):
            documents = [document_from_record(r) for r in read_jsonl(folder / DOCUMENTS_FILE)]
    except (ValueError, KeyError, TypeError) as exc:
        raise _corrupt(folder, "heeft onleesbare passages") from exc
    counts = {faiss_index.ntotal, len(passages), manifest.passages}
    if len(counts) != 1 or faiss_index.d != manifest.dim:
        raise _corrupt(
            folder,
            f"klopt niet (passages {len(passages)}, vectoren {faiss_index.ntotal}, "
            f"manifest {manifest.passages}, dimensie {faiss_index.d}/{manifest.dim})",
        )
    try:
        sentences = _read_sentences(folder / SENTENCES_FILE, passages, manifest.dim)
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as exc:
        raise _corrupt(folder, "heeft een onleesbaar zinnenbestand") from exc
    if len(sentences) != manifest.sentences:
        raise _corrupt(
            folder, f"klopt niet (zinnen {len(sentences)}, manifest {manifest.sentences})"
        )
    schemes = _read_schemes(folder, passages, manifest)
    return LoadedIndex(
        version=folder.name,
        manifest=manifest,
        faiss_index=faiss_index,
        passages=passages,
        documents={d.meta.doc_id: d for d in documents},
        sentences=sentences,
        passage_by_id={p.id: i for i, p in enumerate(passages)},
        schemes=schemes,
    )


def _read_schemes(
    folder: Path, passages: Sequence[Passage], manifest: Manifest
) -> tuple[SchemeCard, ...]:
    """Read schemes.json; refuse it unless every quote is text of the passage it cites."""
    with reading(folder / SCHEMES_FILE):
        raw = (folder / SCHEMES_FILE).read_text(encoding="utf-8")
    try:
        cards = tuple(card_from_record(r) for r in json.loads(raw))
        check_cards(cards, {p.id: p for p in passages})
    except (ValueError, KeyError, TypeError) as exc:
        raise _corrupt(folder, "heeft een onleesbaar bestand met regelingen") from exc
    if len(cards) != manifest.schemes:
        raise _corrupt(folder, f"klopt niet (regelingen {len(cards)}, manifest {manifest.schemes})")
    return cards


def validate_version(folder: Path, embedder: Embedder) -> LoadedIndex:
    """Check a written version (counts, dimension, unit vectors, a smoke query); return it."""
    manifest = _read_manifest(folder)
    if manifest.model_id != embedder.model_id or manifest.dim != embedder.dim:
        raise IndexCorrupt(f"Index {folder} hoort niet bij taalmodel {embedder.model_id}.")
    loaded = _read_version(folder, manifest)
    index = loaded.faiss_index
    if index.ntotal == 0:
        raise IndexCorrupt(f"Index {folder} bevat geen passages.")
    norms = np.linalg.norm(index.reconstruct_n(0, index.ntotal), axis=1)
    sentence_norms = np.linalg.norm(loaded.sentences.vectors, axis=1)
    if not (np.allclose(norms, 1.0, atol=1e-3) and np.allclose(sentence_norms, 1.0, atol=1e-3)):
        raise IndexCorrupt(f"Index {folder} bevat vectoren die niet genormaliseerd zijn.")
    query = embedder.embed_query(loaded.passages[0].text[:300]).reshape(1, -1)
    _, ids = index.search(np.ascontiguousarray(query, dtype=np.float32), min(3, index.ntotal))
    if ids.size == 0 or int(ids[0][0]) < 0:
        raise IndexCorrupt(f"Een testzoekvraag op index {folder} gaf geen resultaat.")
    return loaded


def prune(index_dir: Path, keep: int) -> list[str]:
    """Remove crash leftovers and all but the `keep` newest older versions; return what went."""
    root = versions_dir(index_dir)
    current = current_version(index_dir)
    removed: list[str] = []
    for stray in index_dir.glob(f".{CURRENT}-*"):
        stray.unlink(missing_ok=True)
    if not root.is_dir():
        return removed
    complete = []
    for folder in sorted(root.iterdir()):
        if folder.name == current:
            continue
        if folder.name.startswith(TMP_PREFIX) or not (folder / MANIFEST).is_file():
            removed.append(folder.name)
        else:
            complete.append(folder.name)
    removed.extend(complete[: max(0, len(complete) - keep)])
    for name in removed:
        shutil.rmtree(root / name, ignore_errors=True)
    if removed:
        logger.debug("pruned index versions: %s", ", ".join(removed))
    return removed
