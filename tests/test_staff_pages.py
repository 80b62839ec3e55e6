"""What staff do on /beheer, over real HTTP: add by upload or URL, duplicates, new versions,
metadata, removal, one build at a time while the chat answers, feedback and the audit log."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest
from conftest import DownloadServer, FakeEmbedder, StaffSite, make_pdf, staff_serving
from staff_client import Staff

from assistant.settings import Settings
from index.addresses import UrlPolicy
from index.download import Limits
from index.embed import Vectors
from index.sidecar import Sidecar, read_sidecar
from web.audit import AuditLog, metadata_entry
from web.feedback import Feedback, FeedbackStore
from web.intake_io import Fetcher

WAD = [
    "Het Wadfonds is een regeling voor ondernemers op de Waddeneilanden.",
    "Ondernemers op de Waddeneilanden kunnen bij het Wadfonds een lening van 4.000 euro krijgen "
    "voor de verduurzaming van hun bedrijf.",
    "Het Wadfonds wordt uitgevoerd door de provincie Fryslân.",
]
WAD_PDF = make_pdf("Voortgangsrapportage Wadfonds", WAD, heading="Het Wadfonds")
QUESTION = "Welke lening krijgen ondernemers op de Waddeneilanden bij het Wadfonds?"


def _ask(site: StaffSite, question: str = QUESTION) -> dict[str, object]:
    with httpx.Client(base_url=site.url, timeout=30) as client:
        response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 200
    data: dict[str, object] = response.json()
    return data


def _answer_from(site: StaffSite, version: str, question: str = QUESTION) -> dict[str, object]:
    """Ask until the chat answers from `version` (it switches within a request or two)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        answer = _ask(site, question)
        if answer["index_version"] == version:
            return answer
        time.sleep(0.05)
    raise AssertionError(f"the chat did not switch to {version}")


def _version(state: dict[str, object]) -> str:
    line = next(line for line in state["lines"] if str(line).startswith("Index-versie"))  # type: ignore[attr-defined]
    return str(line).split(": ")[1]


def test_an_uploaded_report_is_indexed_and_answers_questions(staff_site: StaffSite) -> None:
    staff = Staff(staff_site)
    response = staff.upload("wadfonds.pdf", WAD_PDF, kamerstuk="32 637, nr. 400")
    assert response.status_code == 303 and response.headers["location"] == "/beheer#bouw"
    state = staff.wait_for_build()
    assert state["outcome"] == "gelukt"
    assert state["lines"][0].startswith("Documenten: 1 nieuw")
    answer = _answer_from(staff_site, _version(state))
    assert not answer["abstained"]
    assert "4.000 euro" in str(answer["answer"])
    assert answer["citations"][0]["document"] == "wadfonds.pdf"  # type: ignore[index]

    page = staff.client.get("/beheer").text
    assert "Toegevoegd: wadfonds.pdf" in page
    assert "titel: Voortgangsrapportage Wadfonds (uit de PDF-metadata)" in page
    assert "32 637, nr. 400" in page
    assert "upload wadfonds.pdf" in page and "build gelukt" in page  # the audit log
    actions = [e.action for e in AuditLog(staff_site.staff_dir).recent()]
    assert "toevoegen" in actions  # the same word as `mkb-assistent add` records


def test_the_same_file_again_is_already_present(staff_site: StaffSite) -> None:
    staff = Staff(staff_site)
    staff.upload("wadfonds.pdf", WAD_PDF)
    first = staff.wait_for_build()
    response = staff.upload("kopie.pdf", WAD_PDF)
    assert response.status_code == 303
    page = staff.client.get("/beheer").text
    assert "Al aanwezig: wadfonds.pdf heeft dezelfde inhoud; er is niets veranderd." in page
    assert not (staff_site.documents / "kopie.pdf").exists()
    assert staff.client.get("/beheer/bouw.json").json()["finished_at"] == first["finished_at"]


@pytest.fixture
def guarded_site(tmp_path: Path, download_server: DownloadServer) -> Iterator[StaffSite]:
    limits = Limits(Settings().max_document_bytes, 10.0)
    trusted = UrlPolicy(trusted=frozenset({("127.0.0.1", download_server.port)}))
    with staff_serving(tmp_path, fetcher=Fetcher(limits, trusted)) as site:
        yield site


def test_a_url_is_downloaded_and_a_new_version_replaces_it(
    guarded_site: StaffSite, download_server: DownloadServer
) -> None:
    url = download_server.serve("/documenten/wadfonds", WAD_PDF, "application/pdf")
    staff = Staff(guarded_site)
    assert staff.add_url(url, soort="rapportage").status_code == 303
    staff.wait_for_build()
    sidecar = read_sidecar(guarded_site.documents / "wadfonds.pdf")
    assert (sidecar.source_url, sidecar.kind) == (url, "rapportage")

    newer = make_pdf("Voortgangsrapportage Wadfonds 2", [*WAD, "De lening is verhoogd."])
    download_server.serve("/documenten/wadfonds", newer, "application/pdf")
    assert staff.add_url(url).status_code == 303
    state = staff.wait_for_build()
    assert "Vervangen: wadfonds.pdf door een nieuwe versie" in staff.client.get("/beheer").text
    assert state["lines"][0].startswith("Documenten: 0 nieuw, 1 gewijzigd")
    assert read_sidecar(guarded_site.documents / "wadfonds.pdf").title == (
        "Voortgangsrapportage Wadfonds 2"
    )


def test_metadata_is_edited_and_shown_after_the_rebuild(staff_site: StaffSite) -> None:
    staff = Staff(staff_site)
    name = "kamerbrief-betaaltermijnen-2020.md"
    form = staff.client.get("/beheer/document", params={"naam": name})
    assert form.status_code == 200 and 'name="titel"' in form.text
    response = staff.post(
        "/beheer/metadata",
        document=name,
        titel="Betaaltermijnen (bewerkt)",
        datum="2020-06-08",
        soort="kamerbrief",
        kamerstuk="32 637, nr. 401",
    )
    assert response.status_code == 303
    state = staff.wait_for_build()
    _answer_from(staff_site, _version(state), "Hoeveel dagen betaaltermijn?")
    with httpx.Client(base_url=staff_site.url) as client:
        listing = client.get("/documenten").text
    assert "Betaaltermijnen (bewerkt)" in listing and "32 637, nr. 401" in listing
    (entry,) = [e for e in AuditLog(staff_site.staff_dir).recent() if e.action == "metadata"]
    assert entry.detail.startswith(f"{name}: titel ")  # what changed, old -> new
    assert "-> 'Betaaltermijnen (bewerkt)'" in entry.detail
    assert "kamerstuk - -> '32 637, nr. 401'" in entry.detail and "{" not in entry.detail


def test_a_document_is_removed_and_leaves_the_index(staff_site: StaffSite) -> None:
    staff = Staff(staff_site)
    name = "kamerbrief-betaaltermijnen-2020.md"
    assert staff.post("/beheer/verwijderen", document=name).status_code == 303
    state = staff.wait_for_build()
    assert "1 verwijderd" in state["lines"][0]
    assert not (staff_site.documents / name).exists()
    page = staff.client.get("/beheer").text
    assert "Verwijderd: kamerbrief-betaaltermijnen-2020.md" in page
    refused = staff.post("/beheer/verwijderen", document="../feedback.sqlite3")
    assert refused.status_code == 422 and "staat niet in de documentenmap" in refused.text


class GatedEmbedder(FakeEmbedder):
    """The test embedder, but passages wait for the test to open the gate (a long build)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.waiting = threading.Event()

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        self.waiting.set()
        assert self.gate.wait(30), "the test never opened the gate"
        return super().embed_passages(texts)


def test_one_build_at_a_time_while_the_chat_keeps_answering(tmp_path: Path) -> None:
    embedder = GatedEmbedder()
    with staff_serving(tmp_path, embedder=embedder) as site:
        (site.documents / "wadfonds.md").write_text("# Het Wadfonds\n\n" + " ".join(WAD) + "\n")
        staff = Staff(site)
        old = _ask(site, "Hoeveel dagen betaaltermijn?")["index_version"]
        assert staff.post("/beheer/bouwen").status_code == 303
        assert embedder.waiting.wait(10)
        second = staff.post("/beheer/bouwen")
        assert second.status_code == 409
        assert "Er loopt al een build" in second.text
        state = staff.client.get("/beheer/bouw.json").json()
        assert state["running"] and state["stage"] == "Passages en zinnen berekenen"
        during = _ask(site, "Hoeveel dagen betaaltermijn?")  # answered meanwhile
        assert during["index_version"] == old and not during["abstained"]
        embedder.gate.set()
        state = staff.wait_for_build()
        assert state["outcome"] == "gelukt"
        answer = _answer_from(site, _version(state))
        assert "4.000 euro" in str(answer["answer"])


def _feedback(store: FeedbackStore) -> None:
    rows = [
        ("goed", None, "Hoeveel dagen betaaltermijn?", "2026-11-01T10:00:00+00:00"),
        ("slecht", "antwoord onjuist", "Wat is de Tozo?", "2026-11-10T10:00:00+00:00"),
        ("slecht", "bron klopt niet", '=HYPERLINK("x") tozo', "2026-11-20T10:00:00+00:00"),
    ]
    for n, (rating, reason, question, at) in enumerate(rows):
        store.save(
            Feedback(rating, reason, question, "Een antwoord.", ("a/p1",), "v1", at, f"id{n}")  # type: ignore[arg-type]
        )


def test_feedback_is_filtered_and_exported_as_csv(staff_site: StaffSite) -> None:
    _feedback(FeedbackStore(staff_site.feedback_db))
    staff = Staff(staff_site)
    everything = staff.client.get("/beheer/feedback").text
    assert "3 beoordelingen" in everything
    bad = staff.client.get("/beheer/feedback", params={"oordeel": "slecht", "zoek": "TOZO"})
    assert "2 beoordelingen" in bad.text and "Hoeveel dagen" not in bad.text
    dated = staff.client.get("/beheer/feedback", params={"van": "2026-11-05", "tot": "2026-11-15"})
    assert "1 beoordeling" in dated.text and "Wat is de Tozo?" in dated.text
    export = staff.client.get("/beheer/feedback.csv", params={"reden": "bron klopt niet"})
    assert export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0][:4] == ["created_at", "rating", "reason", "question"]
    assert len(rows) == 2 and rows[1][3] == '\'=HYPERLINK("x") tozo'  # no formula
    assert "feedback exporteren" in staff.client.get("/beheer").text


@pytest.mark.parametrize("van", ["2021-13-45", "gisteren", "2021-04-01 tot 2021-05-01"])
def test_a_date_that_is_not_a_date_is_refused_not_ignored(staff_site: StaffSite, van: str) -> None:
    _feedback(FeedbackStore(staff_site.feedback_db))
    staff = Staff(staff_site)
    for path in ("/beheer/feedback", "/beheer/feedback.csv"):
        response = staff.client.get(path, params={"van": van, "tot": "2026-11-15"})
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("text/html")
        assert f"Van: „{van}” is geen geldige datum (JJJJ-MM-DD)." in response.text
        assert 'id="van" name="van" type="date" value="" aria-invalid="true"' in response.text
        assert 'value="2026-11-15">' in response.text  # the good date stays filled in
        assert "Hoeveel dagen" not in response.text and "beoordelingen" not in response.text
    assert "feedback exporteren" not in staff.client.get("/beheer").text


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("oordeel", "super", "is geen bekend oordeel (goed of slecht)."),
        ("reden", "bron klopt", "is geen bekende reden ("),
    ],
)
def test_an_unknown_rating_or_reason_is_refused_not_ignored(
    staff_site: StaffSite, field: str, value: str, problem: str
) -> None:
    _feedback(FeedbackStore(staff_site.feedback_db))
    staff = Staff(staff_site)
    label = {"oordeel": "Oordeel", "reden": "Reden"}[field]
    for path in ("/beheer/feedback", "/beheer/feedback.csv"):
        response = staff.client.get(path, params={field: value, "zoek": "Tozo"})
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("text/html")
        assert f"{label}: „{value}” {problem}" in response.text
        assert (
            f'name="{field}" aria-invalid="true" aria-describedby="filter-fout">' in response.text
        )
        assert 'name="zoek" type="search" maxlength="200" value="Tozo">' in response.text
        assert "Wat is de Tozo?" not in response.text and "beoordelingen" not in response.text
    assert "feedback exporteren" not in staff.client.get("/beheer").text


def test_nothing_chosen_is_explained(staff_site: StaffSite) -> None:
    staff = Staff(staff_site)
    response = staff.add_url("")
    assert response.status_code == 422
    assert "Kies een bestand of geef een URL op." in response.text


def test_a_file_and_a_url_together_add_nothing(staff_site: StaffSite) -> None:
    staff = Staff(staff_site)

    def documents() -> list[str]:  # the staging folder (hidden) aside
        return sorted(p.name for p in staff_site.documents.iterdir() if p.name[0] != ".")

    before = documents()
    response = staff.upload("zonnedak.txt", b"Zonnepanelen op het dak.\n", url="https://x.nl/a")
    assert response.status_code == 422
    assert "niet allebei" in response.text
    assert documents() == before
    refused = [e for e in AuditLog(staff_site.staff_dir).recent() if e.action.endswith("geweigerd")]
    assert refused[0].detail.startswith("zonnedak.txt: Kies een bestand")  # what was given


def test_a_metadata_entry_names_what_changed() -> None:
    old = Sidecar(title="Oud", date="2020-06-08", sha256="ab")
    new = Sidecar(title="Nieuw", date="2020-06-08", kind="brief", sha256="ab")
    assert metadata_entry("r.pdf", old, new) == "r.pdf: titel 'Oud' -> 'Nieuw'; soort - -> 'brief'"
    assert metadata_entry("r.pdf", old, old) == "r.pdf: niets veranderd"
