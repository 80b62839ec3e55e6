"""A failed write while building (disk full, no permission): Dutch error, nothing left behind.

The full-disk runs with a real file size limit are in `test_faults.py`; here single writes are
made to fail with the errors a real disk gives (ENOSPC, EACCES, faiss's RuntimeError) to check
the message, the clean-up and that the published index stays current.
"""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path
from typing import Any

import faiss
import pytest
from conftest import FakeEmbedder

from index import oserrors, store
from index.build import build_index
from index.cache import EmbeddingCache
from index.records import write_jsonl

CHANGED = "kamerbrief-betaaltermijnen-2020.md"


def disk_full(path: object) -> OSError:
    return OSError(errno.ENOSPC, "No space left on device", str(path))


@pytest.fixture
def index_dir(tmp_path: Path, documents: Path) -> Path:
    folder = tmp_path / "index"
    build_index(documents, folder, FakeEmbedder(), progress=False)
    with (documents / CHANGED).open("a", encoding="utf-8") as out:
        out.write("\n\nAanvulling: de betaaltermijn wordt elk kwartaal gecontroleerd.\n")
    return folder


def assert_unchanged(index_dir: Path, old: str | None) -> None:
    assert store.current_version(index_dir) == old
    assert [p.name for p in store.versions_dir(index_dir).iterdir()] == [old]
    assert not list(index_dir.glob(".current-*"))
    assert not list((index_dir / "cache").rglob("*.tmp"))


FAISS_OPEN = "Error: 'f' failed: could not open x.faiss for writing: "
NO_PERMISSION = "er is geen toestemming om daar te schrijven"
READ_ONLY = "het bestandssysteem is alleen-lezen"


@pytest.mark.parametrize(
    ("error", "phrase"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), oserrors.FULL),
        (OSError(errno.EFBIG, "File too large"), oserrors.FULL),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), oserrors.FULL),
        (OSError(errno.EACCES, "Permission denied"), NO_PERMISSION),
        (OSError(errno.EROFS, "Read-only file system"), READ_ONLY),
        (OSError(errno.EBADF, "Bad file descriptor"), "onverwachte systeemfout (EBADF)"),
        (RuntimeError("write error in x.faiss: 4051 != 32000 (File too large)"), oserrors.FULL),
        (RuntimeError("write error in x.faiss: 4051 != 32000 (Success)"), oserrors.FULL),
        (RuntimeError(FAISS_OPEN + "Permission denied"), NO_PERMISSION),
        (RuntimeError(FAISS_OPEN + "Read-only file system"), READ_ONLY),
        (RuntimeError(FAISS_OPEN + "No space left on device"), oserrors.FULL),  # no inode left
        (RuntimeError("could not open x.faiss for writing (Permission denied)"), NO_PERMISSION),
        # a failed open is not a full disk unless it says so: an unknown cause is named
        (RuntimeError(FAISS_OPEN + "Too many open files"), "onverwachte systeemfout (EMFILE)"),
        (RuntimeError(FAISS_OPEN + "Is a directory"), "dat is een map, geen bestand"),
        (RuntimeError("Error: 'ntotal > 0' failed: bad index"), "onverwachte systeemfout (faiss)"),
    ],
)
def test_os_errors_are_described_in_dutch(error: OSError | RuntimeError, phrase: str) -> None:
    assert oserrors.describe(error) == phrase


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.EACCES, "Permission denied"),
        OSError(errno.EPERM, "Operation not permitted"),
        RuntimeError("Error: 'f' failed: could not open x.faiss for reading: Permission denied"),
    ],
)
def test_no_permission_to_read_is_not_called_a_write(error: OSError | RuntimeError) -> None:
    """The chmod tests (test_store, test_cli_answer) skip under root; the phrase is checked here."""
    assert oserrors.describe(error, reading=True) == oserrors.NO_READ_PERMISSION


@pytest.mark.parametrize(
    ("name", "cause"),
    [("x" * 300, "(ENAMETOOLONG)"), (".", "een map"), ("weg/index.faiss", "bestaat niet")],
)
def test_failed_faiss_open_names_its_cause(tmp_path: Path, name: str, cause: str) -> None:
    """Real faiss open failures (name too long, a folder, no folder): never "the disk is full"."""
    path = tmp_path / name
    with pytest.raises(store.WriteFailed) as failed, store.writing(path):
        faiss.write_index(faiss.IndexFlatIP(4), str(path))
    assert str(failed.value).startswith(f"Schrijven naar {path} mislukt: ")
    assert cause in str(failed.value) and oserrors.FULL not in str(failed.value)


@pytest.mark.parametrize("failing", [store.DOCUMENTS_FILE, store.PASSAGES_FILE])
def test_failed_version_write_is_explained_and_cleaned_up(
    failing: str, documents: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = store.current_version(index_dir)
    real_write = write_jsonl

    def failing_write(path: Path, records: Any) -> None:
        if path.name == failing:
            path.write_text("{}\n")  # a partial file, as a full disk leaves it
            raise disk_full(path)
        real_write(path, records)

    monkeypatch.setattr(store, "write_jsonl", failing_write)
    with pytest.raises(store.WriteFailed) as failed:
        build_index(documents, index_dir, FakeEmbedder(), progress=False)
    message = str(failed.value)
    assert message.startswith("Schrijven naar ") and f"{failing} mislukt" in message
    assert "de schijf is vol of het bestand is te groot" in message
    assert message.endswith("De vorige index blijft in gebruik.")
    assert_unchanged(index_dir, old)
    monkeypatch.undo()
    report = build_index(documents, index_dir, FakeEmbedder(), progress=False)
    assert report.published and report.changed == (CHANGED,)


def test_faiss_write_error_becomes_a_dutch_error(
    documents: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = store.current_version(index_dir)

    def write_index(index: Any, path: str) -> None:
        Path(path).write_bytes(b"half")
        raise RuntimeError(f"Error: 'ret == (size * 4)' failed: write error in {path}: 4 != 8 "
                           "(No space left on device)")  # fmt: skip

    monkeypatch.setattr(faiss, "write_index", write_index)
    with pytest.raises(store.WriteFailed, match=r"index\.faiss mislukt: de schijf is vol"):
        build_index(documents, index_dir, FakeEmbedder(), progress=False)
    assert_unchanged(index_dir, old)


def test_failed_publish_keeps_the_current_version(
    documents: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = store.current_version(index_dir)
    real_replace = os.replace

    def replace(src: Path, dst: Path) -> None:
        if Path(dst).name == store.CURRENT:
            raise OSError(errno.EACCES, "Permission denied", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(store.WriteFailed, match="geen toestemming om daar te schrijven"):
        build_index(documents, index_dir, FakeEmbedder(), progress=False)
    monkeypatch.undo()
    assert_unchanged(index_dir, old)
    assert store.load(index_dir).version == old


def test_failed_cache_write_leaves_the_old_cache_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedder = FakeEmbedder()
    cache = EmbeddingCache(tmp_path / "cache", embedder.model_id, embedder.dim)
    cache.add(["a"], embedder.embed_passages(["tekst a"]))
    cache.save()
    cache.add(["b"], embedder.embed_passages(["tekst b"]))

    def savez(out: Any, **arrays: Any) -> None:
        out.write(b"PK")
        raise OSError(errno.EFBIG, "File too large")

    monkeypatch.setattr("index.cache.np.savez", savez)
    with pytest.raises(store.WriteFailed, match="embeddings.npz mislukt: de schijf is vol"):
        cache.save()
    monkeypatch.undo()
    assert not list(cache.path.parent.glob("*.tmp"))
    reread = EmbeddingCache(tmp_path / "cache", embedder.model_id, embedder.dim)
    assert len(reread) == 1 and "a" in reread


def test_cache_pruning_after_publishing_only_warns(
    documents: Path,
    index_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The new version is already current then; a failure must not report the build failed."""
    real_save = EmbeddingCache.save

    def save(self: EmbeddingCache, keep: Any = None) -> None:
        if keep is not None:
            raise store.WriteFailed("Schrijven naar cache mislukt: de schijf is vol.")
        real_save(self, keep)

    monkeypatch.setattr(EmbeddingCache, "save", save)
    with caplog.at_level(logging.WARNING, logger="index.build"):
        report = build_index(documents, index_dir, FakeEmbedder(), progress=False)
    assert report.published and store.current_version(index_dir) == report.version
    assert "embedding cache not pruned" in caplog.text
