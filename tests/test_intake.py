"""Adding, replacing, describing and removing documents in a real documents folder."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import CORPUS, make_pdf

from index.catalog import read_catalog
from index.intake import (
    AddResult,
    GivenMeta,
    Incoming,
    IntakeError,
    add_document,
    check_upload_name,
    remove_document,
    safe_name,
    staging,
    update_metadata,
)
from index.sidecar import read_sidecar
from index.sniff import NotADocument, sniff

REPORT = make_pdf(
    "Voortgangsrapportage 2019",
    ["De Wadloper-regeling helpt ondernemers op de Waddeneilanden met een lening van 4.000 euro."],
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "documenten"
    docs.mkdir()
    for path in CORPUS.iterdir():
        (docs / path.name).write_bytes(path.read_bytes())
    return docs


def _add(
    folder: Path,
    data: bytes,
    name: str,
    given: GivenMeta | None = None,
    url: str | None = None,
    content_type: str = "",
) -> AddResult:
    with staging(folder) as stage:
        (stage / "in").write_bytes(data)
        incoming = Incoming(stage / "in", name, url, content_type)
        return add_document(folder, incoming, given or GivenMeta())


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_a_pdf_is_added_with_a_sidecar_saying_where_each_field_came_from(folder: Path) -> None:
    result = _add(folder, REPORT, "rapport.pdf", GivenMeta(kamerstuk="32 637, nr. 379"))
    assert result.status == "toegevoegd" and result.doc_id == "rapport.pdf"
    origins = {o.label: (o.value, o.origin) for o in result.origins}
    assert origins["Titel"] == ("Voortgangsrapportage 2019", "uit de PDF-metadata")
    assert origins["Kamerstuk"] == ("32 637, nr. 379", "opgegeven")
    assert origins["Soort"] == (None, "onbekend")
    sidecar = tomllib.loads((folder / "rapport.pdf.toml").read_text(encoding="utf-8"))
    assert sidecar["title"] == "Voortgangsrapportage 2019"
    assert sidecar["kamerstuk"] == "32 637, nr. 379"
    assert len(sidecar["sha256"]) == 64 and sidecar["retrieved"].endswith("+00:00")
    assert (folder / "rapport.pdf").read_bytes() == REPORT
    assert not any((folder / ".binnenkomend").iterdir())


def test_the_first_heading_gives_a_title_when_nothing_else_does(folder: Path) -> None:
    result = _add(folder, b"# Verslag van de ronde tafel\n\nTekst over het mkb.\n", "v.md")
    assert result.origins[0].origin == "eerste kop"
    assert read_sidecar(folder / "v.md").title == "Verslag van de ronde tafel"


def test_the_same_content_twice_is_already_present_and_changes_nothing(folder: Path) -> None:
    _add(folder, REPORT, "rapport.pdf")
    before = {p: (folder / p).read_bytes() for p in _files(folder)}
    result = _add(folder, REPORT, "ander-naam.pdf", GivenMeta(title="Iets anders"))
    assert (result.status, result.doc_id) == ("al aanwezig", "rapport.pdf")
    assert {p: (folder / p).read_bytes() for p in _files(folder)} == before


def test_a_new_version_from_the_same_url_replaces_the_old_one(folder: Path) -> None:
    url = "https://example.org/rapport"
    _add(folder, REPORT, "rapport.pdf", GivenMeta(kind="rapportage"), url=url)
    newer = make_pdf("Voortgangsrapportage 2019 (herzien)", ["Een herziene tekst over het mkb."])
    result = _add(folder, newer, "rapport-herzien.pdf", url=url)
    assert (result.status, result.doc_id, result.replaced) == (
        "vervangen",
        "rapport.pdf",
        "rapport.pdf",
    )
    assert (folder / "rapport.pdf").read_bytes() == newer
    sidecar = read_sidecar(folder / "rapport.pdf")
    assert sidecar.title == "Voortgangsrapportage 2019 (herzien)"
    assert sidecar.kind == "rapportage"  # kept from the version it replaces
    assert "rapport-herzien.pdf" not in _files(folder)


def test_a_new_version_in_another_format_takes_the_old_ones_place(folder: Path) -> None:
    url = "https://example.org/brief"
    _add(folder, b"# Brief\n\nEerste versie.\n", "brief", url=url)
    result = _add(folder, b"<!doctype html><h1>Brief</h1><p>Tweede versie.</p>", "brief", url=url)
    assert (result.status, result.replaced) == ("vervangen", "brief.md")
    assert "brief.md" not in _files(folder) and "brief.md.toml" not in _files(folder)
    assert {"brief.html", "brief.html.toml"} <= _files(folder)


def test_another_document_with_a_taken_name_gets_a_new_name(folder: Path) -> None:
    result = _add(
        folder, b"# Andere brief\n\nAndere tekst.\n", "kamerbrief-betaaltermijnen-2020.md"
    )
    assert result.doc_id == "kamerbrief-betaaltermijnen-2020-2.md"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<html><body><p>Inloggen</p></body></html>", "rapport.pdf", "heet .pdf maar is een HTML"),
        (b"%PDF-1.4 kapot", "rapport.pdf", "kan niet worden gelezen: PDF is beschadigd"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "foto.png", "geen PDF, HTML, Markdown"),
        (b"PK\x03\x04\x14\x00\x06\x00", "rapport.docx", "geen PDF, HTML, Markdown"),
        (b"   \n\n", "leeg.txt", "leeg"),
        (b"%PDF-1.4 maar als tekst", "notities.txt", "heet .txt maar is een PDF"),
    ],
)
def test_what_is_no_readable_document_is_refused_and_nothing_is_written(
    folder: Path, data: bytes, name: str, message: str
) -> None:
    before = _files(folder)
    with pytest.raises(IntakeError, match=message):
        _add(folder, data, name)
    assert _files(folder) == before


def test_the_content_decides_the_extension() -> None:
    assert sniff(b"%PDF-1.7\n...", "download.aspx").suffix == ".pdf"
    assert sniff(b"<!DOCTYPE html><title>x</title>", "index.php").suffix == ".html"
    assert sniff(b"Gewone tekst.", "x", "text/markdown").suffix == ".md"
    assert sniff(b"Gewone tekst.", "x").suffix == ".txt"
    with pytest.raises(NotADocument):
        sniff(b"\x1b[31mrood", "x.txt")


@pytest.mark.parametrize("name", ["../rapport.pdf", "a/../../b.pdf", "rap\x00port.pdf", "..", ""])
def test_upload_names_with_a_path_or_nul_are_refused(name: str) -> None:
    with pytest.raises(IntakeError):
        check_upload_name(name)


def test_safe_names() -> None:
    assert safe_name("Rapport 2020 (def)!.aspx", ".pdf") == "Rapport-2020-(def).pdf"
    assert safe_name(".verborgen", ".txt") == "verborgen.txt"
    assert safe_name("", ".md") == "document.md"
    assert safe_name("rapport.txt.toml", ".txt") == "rapport.txt"  # not "rapport.txt.txt"
    assert safe_name("Brief.PDF.download", ".pdf") == "Brief.pdf"


def test_bad_given_metadata_is_refused(folder: Path) -> None:
    with pytest.raises(IntakeError, match="geen geldige datum"):
        _add(folder, REPORT, "r.pdf", GivenMeta(date="31-02-2020"))
    assert "r.pdf" not in _files(folder)


def test_metadata_is_rewritten_and_the_origin_kept(folder: Path) -> None:
    _add(folder, REPORT, "rapport.pdf", url="https://example.org/r")
    update_metadata(folder, "rapport.pdf", GivenMeta("Nieuwe titel", "8 juni 2020", "brief", ""))
    sidecar = read_sidecar(folder / "rapport.pdf")
    assert (sidecar.title, sidecar.date, sidecar.kind, sidecar.kamerstuk) == (
        "Nieuwe titel",
        "2020-06-08",
        "brief",
        None,
    )
    assert sidecar.source_url == "https://example.org/r" and sidecar.sha256


def test_editing_metadata_keeps_the_sidecar_s_comments_and_other_keys(folder: Path) -> None:
    _add(folder, REPORT, "rapport.pdf")
    sidecar = folder / "rapport.pdf.toml"
    written = sidecar.read_text("utf-8")
    sidecar.write_text(
        "# Waarom de Kamerstukken ontbreken.\n"
        'note = "Vervangende testtekst, geen officiele tekst"\n'
        + written.replace("title =", "# de titel uit de PDF\ntitle =")
        + '\n[herkomst]\ntitle = "van een ander hulpmiddel"\n',
        "utf-8",
    )
    update_metadata(folder, "rapport.pdf", GivenMeta("Nieuwe titel", "8 juni 2020", "", ""))
    text = sidecar.read_text("utf-8")
    assert text.startswith("# Waarom de Kamerstukken ontbreken.\nnote = ")
    assert '# de titel uit de PDF\ntitle = "Nieuwe titel"\n' in text
    data = tomllib.loads(text)
    assert data["note"] == "Vervangende testtekst, geen officiele tekst"
    assert data["herkomst"] == {"title": "van een ander hulpmiddel"}
    assert (data["title"], data["date"], data["sha256"]) == (
        "Nieuwe titel",
        "2020-06-08",
        read_sidecar(folder / "rapport.pdf").sha256,
    )


def test_a_sidecar_field_over_several_lines_is_rewritten_whole(folder: Path) -> None:
    _add(folder, REPORT, "rapport.pdf")
    sidecar = folder / "rapport.pdf.toml"
    sidecar.write_text('title = """Twee\nregels"""\n# noot\n', "utf-8")
    update_metadata(folder, "rapport.pdf", GivenMeta("Een regel", "", "", ""))
    assert tomllib.loads(sidecar.read_text("utf-8"))["title"] == "Een regel"


def test_remove_takes_the_sidecar_along_but_never_a_path_outside(
    folder: Path, tmp_path: Path
) -> None:
    _add(folder, REPORT, "rapport.pdf")
    remove_document(folder, "rapport.pdf")
    assert not {"rapport.pdf", "rapport.pdf.toml"} & _files(folder)
    (tmp_path / "buiten.txt").write_text("geheim")
    for name in ("../buiten.txt", str(tmp_path / "buiten.txt"), "bestaat-niet.md"):
        with pytest.raises(IntakeError, match="staat niet in de documentenmap"):
            remove_document(folder, name)
    assert (tmp_path / "buiten.txt").exists()


def test_a_symbolic_link_is_named_as_one_and_left_alone(folder: Path, tmp_path: Path) -> None:
    (tmp_path / "buiten.txt").write_text("geheim")
    (folder / "koppeling.txt").symlink_to(tmp_path / "buiten.txt")
    with pytest.raises(IntakeError, match="'koppeling.txt' is een symbolische koppeling"):
        remove_document(folder, "koppeling.txt")
    assert (folder / "koppeling.txt").is_symlink() and (tmp_path / "buiten.txt").exists()


def test_the_last_document_cannot_be_removed(tmp_path: Path) -> None:
    folder = tmp_path / "enkel"
    folder.mkdir()
    (folder / "een.md").write_text("# Een\n\nTekst.\n")
    with pytest.raises(IntakeError, match="enige document.*Voeg eerst een ander document toe"):
        remove_document(folder, "een.md")


def test_the_catalog_lists_files_not_yet_indexed_with_their_sidecar(folder: Path) -> None:
    _add(folder, REPORT, "rapport.pdf", GivenMeta(date="2019-06-03"))
    entries = {e.doc_id: e for e in read_catalog(folder, None)}
    assert entries["rapport.pdf"].title == "Voortgangsrapportage 2019"
    assert entries["rapport.pdf"].date == "2019-06-03"
    assert entries["rapport.pdf"].status == "nog niet in de index"
    assert len(entries) == 5
