"""Building the index for real: FAISS, files on disk, incremental rebuilds, bad files, kills."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import CORPUS, FakeEmbedder

from index import store
from index.build import BuildError, build_index, embedding_text

BETAAL = "kamerbrief-betaaltermijnen-2020.md"
STEUN = "kamerbrief-steunmaatregelen-ondernemers-2020.md"
ALL_DOCS = tuple(sorted(p.name for p in CORPUS.glob("*.md")))


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    target = tmp_path / "documents"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


def embedded_texts(loaded: store.LoadedIndex, doc_id: str | None = None) -> set[str]:
    """Return the texts a version's vectors were made from: passages (with their heading
    context) and body sentences, of one document or of all."""
    table = loaded.sentences
    texts = set()
    for row, passage in enumerate(loaded.passages):
        if doc_id is not None and passage.doc_id != doc_id:
            continue
        texts.add(embedding_text(loaded.documents[passage.doc_id].meta.title, passage))
        for i in table.of_passage(row):
            texts.add(passage.text[int(table.start[i]) : int(table.end[i])])
    return texts


def test_build_indexes_every_document(docs: Path, index_dir: Path) -> None:
    embedder = FakeEmbedder()
    report = build_index(docs, index_dir, embedder, progress=False)
    assert report.added == ALL_DOCS and report.published
    assert report.changed == report.removed == report.unchanged == ()
    assert report.skipped == ()
    assert report.embedded == embedder.passages_embedded > 0
    assert report.reused == 0
    loaded = store.load(index_dir, embedder.model_id)
    assert loaded.version == report.version == store.current_version(index_dir)
    assert loaded.faiss_index.ntotal == len(loaded.passages) == report.passages
    assert set(loaded.documents) == set(ALL_DOCS) == set(loaded.manifest.documents)
    for passage in loaded.passages:
        assert loaded.documents[passage.doc_id].text[passage.start : passage.end] == passage.text
    query = embedder.embed_query("wettelijke betaaltermijn van 30 dagen").reshape(1, -1)
    _, ids = loaded.faiss_index.search(query, 1)
    assert loaded.passages[int(ids[0][0])].doc_id == BETAAL


def test_no_change_rebuild_embeds_nothing_and_keeps_the_version(
    docs: Path, index_dir: Path
) -> None:
    first = build_index(docs, index_dir, FakeEmbedder(), progress=False)
    embedder = FakeEmbedder()
    again = build_index(docs, index_dir, embedder, progress=False)
    assert embedder.passages_embedded == 0 and again.embedded == 0
    assert not again.published and again.version == first.version
    assert again.unchanged == ALL_DOCS and again.added == again.changed == ()
    assert again.passages == first.passages and again.sentences == first.sentences > 0
    assert again.reused == again.passages + again.sentences
    assert len(list((index_dir / "versions").iterdir())) == 1


def test_changed_document_reembeds_only_its_changed_passages(docs: Path, index_dir: Path) -> None:
    build_index(docs, index_dir, FakeEmbedder(), progress=False)
    before = store.load(index_dir)
    path = docs / BETAAL
    old = "Tijdige betaling van facturen is voor ondernemers van levensbelang."
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, "Op tijd betaald worden is essentieel."))
    embedder = FakeEmbedder()
    report = build_index(docs, index_dir, embedder, progress=False)
    after = store.load(index_dir)
    assert report.changed == (BETAAL,) and report.published
    assert report.unchanged == tuple(d for d in ALL_DOCS if d != BETAAL)
    old_texts = embedded_texts(before)
    new_texts = embedded_texts(after, BETAAL)
    assert 0 < embedder.passages_embedded == len(new_texts - old_texts) < len(new_texts)
    assert report.embedded == embedder.passages_embedded
    assert [p for p in after.passages if p.doc_id != BETAAL] == [
        p for p in before.passages if p.doc_id != BETAAL
    ]
    assert "Op tijd betaald worden" in after.documents[BETAAL].text


def test_removed_and_added_documents(docs: Path, index_dir: Path) -> None:
    build_index(docs, index_dir, FakeEmbedder(), progress=False)
    (docs / STEUN).unlink()
    (docs / "nieuw").mkdir()
    (docs / "nieuw" / "notitie.md").write_text(
        "# Notitie\n\nDe Qredits-overbruggingskrediet voor kleine ondernemers is verhoogd.\n"
    )
    embedder = FakeEmbedder()
    before = embedded_texts(store.load(index_dir))
    report = build_index(docs, index_dir, embedder, progress=False)
    assert report.removed == (STEUN,) and report.added == ("nieuw/notitie.md",)
    loaded = store.load(index_dir)
    assert STEUN not in loaded.documents and STEUN not in loaded.manifest.documents
    assert all(p.doc_id != STEUN for p in loaded.passages)
    added = embedded_texts(loaded, "nieuw/notitie.md")
    assert embedder.passages_embedded == len(added - before) == 2  # a passage and a sentence


def test_scheme_cards_are_part_of_the_version(docs: Path, index_dir: Path) -> None:
    build_index(docs, index_dir, FakeEmbedder(), progress=False)

    loaded = store.load(index_dir)
    by_slug = {card.slug: card for card in loaded.schemes}
    assert {"tvl", "now", "tozo", "bmkb", "kkc"} <= set(by_slug)
    assert loaded.manifest.schemes == len(loaded.schemes)
    assert (store.versions_dir(index_dir) / loaded.version / store.SCHEMES_FILE).is_file()
    quote = by_slug["tvl"].field_quotes("waar")[0]
    passage = loaded.passages[loaded.passage_by_id[quote.passage_id]]
    assert passage.text[quote.start : quote.end] == quote.text


def test_scheme_cards_follow_a_changed_and_a_removed_document(docs: Path, index_dir: Path) -> None:
    build_index(docs, index_dir, FakeEmbedder(), progress=False)
    before = {c.slug: c for c in store.load(index_dir).schemes}
    assert "90.000 euro" in before["tvl"].field_quotes("hoeveel")[0].text
    factsheet = docs / "factsheet-vragen-en-antwoorden-2020.md"
    factsheet.write_text(
        factsheet.read_text("utf-8").replace("maximaal 90.000 euro", "maximaal 120.000 euro"),
        "utf-8",
    )

    changed = build_index(docs, index_dir, FakeEmbedder(), progress=False)
    after = {c.slug: c for c in store.load(index_dir).schemes}
    assert changed.published and changed.changed == (factsheet.name,)
    assert "120.000 euro" in after["tvl"].field_quotes("hoeveel")[0].text

    (docs / STEUN).unlink()
    factsheet.unlink()
    build_index(docs, index_dir, FakeEmbedder(), progress=False)
    left = store.load(index_dir)
    assert "tvl" not in {c.slug for c in left.schemes}  # only the removed documents named it
    cited = {q.doc_id for c in left.schemes for q in (*c.fields, *c.sentences)}
    assert cited <= {p.doc_id for p in left.passages}


def test_a_new_extractor_rebuilds_the_cards_without_embedding(
    docs: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_index(docs, index_dir, FakeEmbedder(), progress=False)
    monkeypatch.setattr("index.build.extractor_version", lambda: "anders")
    embedder = FakeEmbedder()

    report = build_index(docs, index_dir, embedder, progress=False)

    assert report.published and embedder.passages_embedded == 0
    assert store.load(index_dir).manifest.chunk_settings["schemes"] == "anders"


def test_sidecar_metadata_change_is_picked_up(docs: Path, index_dir: Path) -> None:
    build_index(docs, index_dir, FakeEmbedder(), progress=False)
    (docs / f"{BETAAL}.toml").write_text('title = "Betaaltermijnen: de evaluatie"\n')
    embedder = FakeEmbedder()
    report = build_index(docs, index_dir, embedder, progress=False)
    assert report.changed == (BETAAL,) and report.published
    loaded = store.load(index_dir)
    assert loaded.documents[BETAAL].meta.title == "Betaaltermijnen: de evaluatie"
    betaal = [p for p in loaded.passages if p.doc_id == BETAAL]
    assert embedder.passages_embedded == len(betaal)  # the title is part of the embedded text
    again = build_index(docs, index_dir, FakeEmbedder(), progress=False)
    assert not again.published and again.unchanged == ALL_DOCS


def test_model_change_reembeds_everything_and_old_model_mismatches(
    docs: Path, index_dir: Path
) -> None:
    old = FakeEmbedder()
    build_index(docs, index_dir, old, progress=False)
    new = FakeEmbedder(name="ander")
    report = build_index(docs, index_dir, new, progress=False)
    assert report.published and report.reused == 0
    loaded = store.load(index_dir, new.model_id)
    assert new.passages_embedded == report.embedded == len(embedded_texts(loaded))
    assert store.load(index_dir, new.model_id).manifest.model_id == new.model_id
    with pytest.raises(store.IndexMismatch, match="mkb-assistent index --full"):
        store.load(index_dir, old.model_id)


def test_full_rebuild_reparses_and_reembeds(docs: Path, index_dir: Path) -> None:
    first = build_index(docs, index_dir, FakeEmbedder(), progress=False)
    embedder = FakeEmbedder()
    report = build_index(docs, index_dir, embedder, full=True, progress=False)
    assert report.published and report.version != first.version
    assert embedder.passages_embedded == first.embedded and report.reused == 0
    assert report.unchanged == ALL_DOCS


def test_unsupported_and_corrupt_files_are_skipped(docs: Path, index_dir: Path) -> None:
    (docs / "rapport.docx").write_bytes(b"PK\x03\x04 geen echt document")
    (docs / "kapot.pdf").write_bytes(os.urandom(2048))
    report = build_index(docs, index_dir, FakeEmbedder(), progress=False)
    reasons = dict(report.skipped)
    assert set(reasons) == {"rapport.docx", "kapot.pdf"}
    assert "niet ondersteund" in reasons["rapport.docx"]
    assert reasons["kapot.pdf"]
    assert report.added == ALL_DOCS
    loaded = store.load(index_dir)
    assert dict(loaded.manifest.skipped) == reasons
    assert set(loaded.documents) == set(ALL_DOCS)
    again = build_index(docs, index_dir, FakeEmbedder(), progress=False)
    assert not again.published and dict(again.skipped) == reasons


def test_no_documents_is_an_error_and_publishes_nothing(tmp_path: Path, index_dir: Path) -> None:
    empty = tmp_path / "leeg"
    empty.mkdir()
    with pytest.raises(BuildError, match="Geen documenten gevonden"):
        build_index(empty, index_dir, FakeEmbedder(), progress=False)
    with pytest.raises(BuildError, match="bestaat niet"):
        build_index(tmp_path / "nergens", index_dir, FakeEmbedder(), progress=False)
    assert store.current_version(index_dir) is None


def test_only_bad_files_keep_the_previous_index(docs: Path, index_dir: Path) -> None:
    first = build_index(docs, index_dir, FakeEmbedder(), progress=False)
    for path in docs.glob("*.md"):
        path.unlink()
    (docs / "rapport.docx").write_bytes(b"PK\x03\x04")
    with pytest.raises(BuildError, match="kon worden geïndexeerd") as caught:
        build_index(docs, index_dir, FakeEmbedder(), progress=False)
    assert [doc_id for doc_id, _ in caught.value.skipped] == ["rapport.docx"]
    assert store.load(index_dir).version == first.version


def test_second_concurrent_build_is_refused(docs: Path, index_dir: Path) -> None:
    with store.build_lock(index_dir):
        with pytest.raises(store.BuildLocked):
            build_index(docs, index_dir, FakeEmbedder(), progress=False)
    assert store.current_version(index_dir) is None


def test_old_versions_are_pruned(docs: Path, index_dir: Path) -> None:
    versions = [
        build_index(docs, index_dir, FakeEmbedder(), full=True, keep_versions=1, progress=False)
        for _ in range(3)
    ]
    left = sorted(p.name for p in (index_dir / "versions").iterdir())
    assert left == [versions[1].version, versions[2].version]


_KILL_SCRIPT = """
import sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
from conftest import FakeEmbedder
from index.build import build_index

class SlowEmbedder(FakeEmbedder):
    def {method}(self, *args):
        Path({marker!r}).write_text("bezig")
        time.sleep(120)
        raise SystemExit("not killed")

build_index(Path({docs!r}), Path({index!r}), SlowEmbedder(), full=True, progress=False)
"""


@pytest.mark.parametrize("method", ["embed_passages", "embed_query"])
def test_kill_during_build_leaves_the_previous_index(
    docs: Path, index_dir: Path, tmp_path: Path, method: str
) -> None:
    """Kill while embedding, or while validating the new (complete, unpublished) version."""
    first = build_index(docs, index_dir, FakeEmbedder(), progress=False)
    marker = tmp_path / "marker"
    script = _KILL_SCRIPT.format(
        tests=str(Path(__file__).parent),
        method=method,
        marker=str(marker),
        docs=str(docs),
        index=str(index_dir),
    )
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)])
    deadline = time.monotonic() + 60
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the build in the child process never reached the embedder"
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL
    loaded = store.load(index_dir, FakeEmbedder().model_id)
    assert loaded.version == first.version
    report = build_index(docs, index_dir, FakeEmbedder(), full=True, progress=False)
    assert store.load(index_dir).version == report.version != first.version
    assert not [p for p in (index_dir / "versions").iterdir() if p.name.startswith(".tmp-")]
    assert not list((index_dir / "cache").rglob("*.tmp"))


def test_a_page_of_nl_design_system_elements_is_indexed_by_its_sections(tmp_path: Path) -> None:
    # custom elements (<utrecht-heading-2>, <utrecht-paragraph>) read as headings and paragraphs
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(Path(__file__).parent / "data" / "html" / "nl-design-system.html", docs)
    embedder = FakeEmbedder()
    build_index(docs, tmp_path / "index", embedder, progress=False)
    loaded = store.load(tmp_path / "index", embedder.model_id)
    sections = {p.section: p.text for p in loaded.passages}
    assert sections[("Bijdrage",)].startswith("Bijdrage\n\nHet fonds vergoedt maximaal 60 procent")
    assert sections[("Bijdrage", "Aanvragen")].endswith("voor 1 maart of voor 1 september.")
    assert sections[("Bijdrage", "Contact")].endswith("Bel het ondernemersloket op 14 0999.")
    assert not any("Verwijst naar" in p.text for p in loaded.passages)  # for screen readers only
    query = embedder.embed_query("Bel het ondernemersloket op 14 0999.").reshape(1, -1)
    _, ids = loaded.faiss_index.search(query, 1)
    assert loaded.passages[int(ids[0][0])].section == ("Bijdrage", "Contact")
