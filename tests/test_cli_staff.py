"""`mkb-assistent add`, `remove`, `documents` and `beheer wachtwoord` on real folders."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest
from conftest import CORPUS, DownloadServer, FakeEmbedder, make_pdf

import web.cli_index
from index import store
from web.audit import COMMAND_LINE, AuditLog
from web.cli import main
from web.staff_auth import PasswordStore

PDF = make_pdf(
    "Voortgangsrapportage 2019",
    ["Het Wadfonds helpt ondernemers op de Waddeneilanden met een lening van 4.000 euro."],
)


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    docs = tmp_path / "documenten"
    shutil.copytree(CORPUS, docs)
    monkeypatch.setenv("ASSISTANT_DOCUMENTS_DIR", str(docs))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ASSISTANT_STAFF_DIR", str(tmp_path / "beheer"))
    return docs


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """A PDF report outside the documents folder, to be added."""
    source = tmp_path / "rapport.pdf"
    source.write_bytes(PDF)
    return source


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if not p.name.startswith(".")}


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (["add"], ["--allow-private", "--kamerstuk", "al aanwezig", "inhoud"]),
        (["remove"], ["DOCUMENT", "metadatabestand"]),
        (["documents"], ["--json", "Kamerstuk"]),
        (["beheer", "wachtwoord"], ["argon2", "sessies"]),
    ],
)
def test_help_is_dutch(
    command: list[str], words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main([*command, "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "gebruik:" in out and "toon deze hulp" in out
    for word in words:
        assert word in out


def test_add_copies_a_file_and_says_where_its_metadata_came_from(
    folders: Path, report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        [
            "add",
            str(report),
            "--kamerstuk",
            "32 637, nr. 379",
            "--date",
            "2019-06-03",
            "--geen-index",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "Toegevoegd: rapport.pdf" in out
    assert "Titel: Voortgangsrapportage 2019 (uit de PDF-metadata)" in out
    assert "Kamerstuk: 32 637, nr. 379 (opgegeven)" in out
    assert "Soort: – (onbekend)" in out
    sidecar = tomllib.loads((folders / "rapport.pdf.toml").read_text(encoding="utf-8"))
    assert sidecar["date"] == "2019-06-03" and "source_url" not in sidecar
    assert [e.action for e in AuditLog(tmp_path / "beheer").recent()] == ["toevoegen"]

    assert main(["add", str(report), "--geen-index"]) == 0
    assert "Al aanwezig: rapport.pdf" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "text", "date"),
    [
        (
            "vragen.md",
            "# Vragen over subsidies\n\n*RVO – stand 14 september 2020*\n\n"
            "De antwoorden zijn algemeen.\n",
            "2020-09-14",
        ),
        (
            "factsheet.md",
            "# Factsheet financiering (stand: 1 oktober 2020)\n\nDe Staat staat garant.\n",
            "2020-10-01",
        ),
        (
            "lijst.txt",
            "VEELGESTELDE VRAGEN\n\nOndernemersplein\nbijgewerkt op 3 maart 2021\n\n"
            "Deze lijst bevat antwoorden.\n",
            "2021-03-03",
        ),
    ],
)
def test_add_takes_the_date_the_text_states_in_its_head(
    folders: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    date: str,
) -> None:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    assert main(["add", str(source), "--geen-index"]) == 0
    assert f"Datum: {date} (uit de tekst)" in capsys.readouterr().out
    sidecar = tomllib.loads((folders / f"{name}.toml").read_text(encoding="utf-8"))
    assert sidecar["date"] == date


def test_add_takes_no_date_from_the_body_or_without_a_dating_word(
    folders: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "Op 29 juni 2018" is an event's date; a "stand" date after the first sentence of
    running text is a figure's, not the document's."""
    source = tmp_path / "brief.txt"
    source.write_text(
        "Op 29 juni 2018 heb ik uw Kamer het MKB-actieplan gestuurd.\n\n"
        "Het aantal bedrijven (stand 1 januari 2020) groeit.\n",
        encoding="utf-8",
    )
    assert main(["add", str(source), "--geen-index"]) == 0
    assert "Datum: – (onbekend)" in capsys.readouterr().out


@pytest.mark.parametrize(
    "typed",
    ["documenten/kamerbrief-betaaltermijnen-2020.md", "elders/kamerbrief-betaaltermijnen-2020.md"],
)
def test_remove_takes_a_path_that_stands_for_one_document(
    folders: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    typed: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["remove", typed, "--geen-index"]) == 0
    assert "Verwijderd: kamerbrief-betaaltermijnen-2020.md" in capsys.readouterr().out
    assert not (folders / "kamerbrief-betaaltermijnen-2020.md").exists()
    absolute = folders / "kamerbrief-steunmaatregelen-ondernemers-2020.md"
    assert main(["remove", str(absolute), "--geen-index"]) == 0
    assert not absolute.exists()


def test_remove_names_the_documents_a_path_may_stand_for(
    folders: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("2019", "2020"):
        (folders / folder).mkdir()
        shutil.copy2(folders / "kamerbrief-betaaltermijnen-2020.md", folders / folder / "brief.md")
    assert main(["remove", "documents/brief.md", "--geen-index"]) == 2
    err = capsys.readouterr().err
    assert "kan meerdere documenten zijn: '2019/brief.md', '2020/brief.md'" in err
    assert (folders / "2019" / "brief.md").exists() and (folders / "2020" / "brief.md").exists()
    assert main(["remove", "documents/onbekend.md", "--geen-index"]) == 2
    assert "`mkb-assistent documents`" in capsys.readouterr().err


def test_a_refused_add_is_in_the_audit_log(
    folders: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "leeg.txt"
    empty.write_bytes(b"")
    assert main(["add", str(empty), "--geen-index"]) == 2
    reason = capsys.readouterr().err.removeprefix("mkb-assistent add: ").strip()
    (entry,) = AuditLog(tmp_path / "beheer").recent()
    assert (entry.action, entry.detail) == ("toevoegen geweigerd", f"{empty}: {reason}")


def test_the_builds_add_and_remove_run_are_in_the_audit_log(
    folders: Path,
    report: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Logged as /beheer logs its builds ("build gelukt", why, the summary), from the CLI."""
    monkeypatch.setattr(web.cli_index, "load_embedder", lambda spec, threads: FakeEmbedder())
    assert main(["add", str(report)]) == 0
    added_version = store.current_version(tmp_path / "index")
    assert main(["remove", "rapport.pdf"]) == 0
    printed = capsys.readouterr().out.splitlines()
    entries = list(reversed(AuditLog(tmp_path / "beheer").recent()))
    assert [(e.action, e.client) for e in entries] == [
        ("toevoegen", COMMAND_LINE),
        ("build gelukt", COMMAND_LINE),
        ("verwijderen", COMMAND_LINE),
        ("build gelukt", COMMAND_LINE),
    ]
    start = next(i for i, line in enumerate(printed) if line.startswith("Documenten: "))
    end = next(i for i, line in enumerate(printed) if line.startswith("Index-versie: "))
    first_summary = printed[start : end + 1]  # what the add printed of its build
    assert entries[1].detail == "toegevoegd: rapport.pdf: " + " | ".join(first_summary)
    assert entries[1].detail.endswith(f"Index-versie: {added_version}")
    assert entries[3].detail.startswith("verwijderd: rapport.pdf: Documenten: 0 nieuw, ")
    assert "1 verwijderd" in entries[3].detail


def test_a_failed_build_after_an_add_is_in_the_audit_log(
    folders: Path,
    report: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "onzin")
    assert main(["add", str(report)]) == 2
    error = capsys.readouterr().err.removeprefix("mkb-assistent index: ").strip()
    assert error.startswith("Onbekend taalmodel 'onzin'")
    latest = AuditLog(tmp_path / "beheer").recent()[0]
    assert (latest.action, latest.detail, latest.client) == (
        "build mislukt",
        f"toegevoegd: rapport.pdf: {error}",
        COMMAND_LINE,
    )


def test_add_downloads_a_url_with_allow_private(
    folders: Path, download_server: DownloadServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = download_server.serve("/stukken/vgr-2019", PDF, "application/pdf")
    assert main(["add", url, "--allow-private", "--geen-index"]) == 0
    assert "Toegevoegd: vgr-2019.pdf" in capsys.readouterr().out
    sidecar = tomllib.loads((folders / "vgr-2019.pdf.toml").read_text(encoding="utf-8"))
    assert sidecar["source_url"] == url


def test_add_refuses_the_local_server_without_allow_private(
    folders: Path, download_server: DownloadServer, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _names(folders)
    url = download_server.serve("/r.pdf", PDF, "application/pdf")
    assert main(["add", url, "--geen-index"]) == 2
    err = capsys.readouterr().err
    assert "mkb-assistent add: 127.0.0.1 is de server zelf (loopback)" in err
    assert "--allow-private" in err
    assert download_server.requested == [] and _names(folders) == before


@pytest.mark.parametrize(
    ("data", "name", "options", "message"),
    [
        (b"<html><body>inloggen</body></html>", "rapport.pdf", [], "heet .pdf maar is een HTML"),
        (b"\x7fELF\x02\x01\x01\x00\x00", "programma", [], "geen PDF, HTML, Markdown"),
        (b"a" * (2 * 1024 * 1024), "groot.txt", ["--max-mb", "1"], "groter dan 1 MB"),
        (PDF, "r.pdf", ["--date", "gisteren"], "geen geldige datum"),
    ],
)
def test_add_refuses_with_a_dutch_message_and_writes_nothing(
    folders: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    data: bytes,
    name: str,
    options: list[str],
    message: str,
) -> None:
    before = _names(folders)
    source = tmp_path / name
    source.write_bytes(data)
    assert main(["add", str(source), *options, "--geen-index"]) == 2
    assert message in capsys.readouterr().err
    assert _names(folders) == before
    assert not any((folders / ".binnenkomend").iterdir())


def test_add_refuses_a_cap_above_what_the_index_reads(
    folders: Path, report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["add", str(report), "--max-mb", "51", "--geen-index"])
    assert exit_info.value.code == 2
    assert "51 MB is meer dan de index leest" in capsys.readouterr().err


def test_add_refuses_a_slow_download(
    folders: Path, download_server: DownloadServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from conftest import Reply

    download_server.replies["/traag.txt"] = Reply(b"a" * 50_000, drip_seconds=0.05)
    url = download_server.url("/traag.txt")
    assert main(["add", url, "--allow-private", "--timeout", "1", "--geen-index"]) == 2
    assert "langer dan 1 seconden" in capsys.readouterr().err


def test_documents_of_a_missing_folder_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["documents", "--documents", str(tmp_path / "weg")]) == 2
    assert f"de documentenmap {tmp_path / 'weg'} bestaat niet" in capsys.readouterr().err


def test_documents_lists_metadata_as_json(
    folders: Path, report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["add", str(report), "--kind", "rapportage", "--geen-index"])
    capsys.readouterr()
    assert main(["documents", "--json"]) == 0
    rows = {row["doc_id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["rapport.pdf"]["kind"] == "rapportage"
    assert rows["rapport.pdf"]["status"] == "nog niet in de index"
    assert len(rows) == 5
    assert main(["documents"]) == 0
    assert "  Soort: rapportage" in capsys.readouterr().out


def test_remove_deletes_the_document_and_its_sidecar(
    folders: Path, report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["add", str(report), "--geen-index"])
    assert main(["remove", "rapport.pdf", "--geen-index"]) == 0
    assert not {"rapport.pdf", "rapport.pdf.toml"} & _names(folders)
    assert main(["remove", "../../etc/passwd", "--geen-index"]) == 2
    assert "staat niet in de documentenmap" in capsys.readouterr().err


def test_beheer_wachtwoord_stores_an_argon2_hash(
    folders: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("te kort\n"))
    assert main(["beheer", "wachtwoord"]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("lang genoeg wachtwoord voor beheer\n"))
    assert main(["beheer", "wachtwoord"]) == 0
    stored = PasswordStore(tmp_path / "beheer")
    hashed = stored.stored_hash()
    assert hashed is not None and hashed.startswith("$argon2id$")
    assert stored.verify("lang genoeg wachtwoord voor beheer")
    assert (tmp_path / "beheer" / "wachtwoord.argon2").stat().st_mode & 0o077 == 0


@pytest.mark.slow
def test_add_then_remove_update_the_index(
    folders: Path,
    report: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ASSISTANT_THREADS", "2")
    for path in folders.iterdir():  # one small document beside the new one: a short build
        if path.name != "kamerbrief-betaaltermijnen-2020.md":
            path.unlink()
    assert main(["add", str(report)]) == 0
    out = capsys.readouterr().out
    assert "Documenten: 2 nieuw" in out and "Index-versie:" in out
    index = store.load(tmp_path / "index")
    assert "rapport.pdf" in index.documents
    assert main(["remove", "rapport.pdf"]) == 0
    assert "1 verwijderd" in capsys.readouterr().out
    assert "rapport.pdf" not in store.load(tmp_path / "index").documents
