"""The staff page in Debian's Chromium: log in, upload a PDF, watch the build, then ask what the
new report answers and open the cited passage."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import STAFF_PASSWORD, StaffSite, staff_serving
from playwright.sync_api import Browser, Page, expect
from test_browser import ARTIFACTS, Problems
from test_staff_pages import WAD, WAD_PDF

pytestmark = pytest.mark.browser

QUESTION = "Welke lening krijgen ondernemers op de Waddeneilanden bij het Wadfonds?"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[StaffSite]:
    with staff_serving(tmp_path / "site") as served:
        yield served


@pytest.fixture
def problems() -> Problems:
    return Problems()


@pytest.fixture
def page(browser: Browser, site: StaffSite, problems: Problems) -> Iterator[Page]:
    context = browser.new_context(
        base_url=site.url, viewport={"width": 1200, "height": 900}, locale="nl-NL"
    )
    page = context.new_page()
    page.on("console", problems.console)
    page.on("pageerror", lambda error: problems.messages.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert problems.messages == [], "errors in the browser console (CSP?)"


def log_in(page: Page) -> None:
    page.goto("/beheer")
    expect(page).to_have_url(re.compile(r"/beheer/inloggen$"))
    page.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Beheer", exact=True)).to_be_visible()


def test_upload_watch_the_build_then_ask_and_open_the_source(
    page: Page, site: StaffSite, tmp_path: Path
) -> None:
    log_in(page)
    report = tmp_path / "wadfonds.pdf"
    report.write_bytes(WAD_PDF)
    page.get_by_label("Bestand (PDF, HTML, Markdown of tekst)").set_input_files(report)
    page.get_by_label("Kamerstuk").fill("32 637, nr. 400")
    page.get_by_role("button", name="Toevoegen").click()

    expect(page.get_by_role("status").first).to_contain_text("Toegevoegd: wadfonds.pdf")
    status = page.locator("#bouw-tekst")
    expect(status).to_have_text("Klaar: de laatste build is gelukt.", timeout=30_000)
    expect(page.locator("#bouw-regels")).to_contain_text("Documenten: 1 nieuw")
    # Once the chat answers from the new version, the page offers the updated list.
    page.get_by_role("link", name="Toon de bijgewerkte documentenlijst").click()
    expect(page.locator("#bouwstatus")).to_have_attribute("data-settled", "ja")
    table = page.get_by_role("table", name=re.compile("Bestanden in de documentenmap"))
    expect(table).to_contain_text("Voortgangsrapportage Wadfonds")
    expect(table).to_contain_text("32 637, nr. 400")
    expect(table.get_by_role("row", name=re.compile("wadfonds.pdf"))).to_contain_text("3")
    log = page.get_by_role("table", name=re.compile("handelingen"))
    expect(log).to_contain_text("upload wadfonds.pdf")
    expect(log).to_contain_text("build gelukt")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "beheer.png"), full_page=True)

    page.goto("/")
    page.get_by_role("textbox", name="Uw vraag").fill(QUESTION)
    page.get_by_role("button", name="Vraag stellen").click()
    answer = page.locator("#gesprek article.beurt").last
    expect(answer).to_contain_text("4.000 euro")
    answer.get_by_role("link", name=re.compile(r"^\[1\]")).first.click()
    expect(page.locator("mark#passage")).to_contain_text("4.000 euro")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Voortgangsrapportage Wadfonds")


def test_progress_is_shown_live_while_a_build_runs(page: Page, site: StaffSite) -> None:
    log_in(page)
    page.evaluate(
        """() => {
          window.seen = [];
          const status = document.getElementById("bouw-tekst");
          new MutationObserver(() => window.seen.push(status.textContent))
            .observe(status, {childList: true, characterData: true, subtree: true});
        }"""
    )
    (site.documents / "wadfonds.md").write_text("# Het Wadfonds\n\n" + " ".join(WAD) + "\n")
    page.get_by_role("button", name="Index nu bijwerken").click()
    expect(page.locator("#bouw-tekst")).to_have_text(
        "Klaar: de laatste build is gelukt.", timeout=30_000
    )
    expect(page.locator("#bouw-versie")).not_to_have_text("")


def test_log_out_ends_the_session(page: Page) -> None:
    log_in(page)
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("status")).to_have_text("U bent uitgelogd.")
    page.goto("/beheer")
    expect(page).to_have_url(re.compile(r"/beheer/inloggen$"))


def test_a_wrong_password_is_explained_with_the_focus_on_the_field(
    page: Page, problems: Problems
) -> None:
    page.goto("/beheer/inloggen")
    page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("wachtwoord")
    expect(page.get_by_label("Wachtwoord")).to_be_focused()  # type again, no hunting for it
    # the page came with status 401, which Chromium logs; nothing else may be logged
    problems.messages[:] = [m for m in problems.messages if "status of 401" not in m]


def test_an_unreadable_upload_is_explained(page: Page, tmp_path: Path, problems: Problems) -> None:
    log_in(page)
    fake = tmp_path / "rapport.pdf"
    fake.write_text("<!doctype html><html><body>Inloggen</body></html>")
    page.get_by_label("Bestand (PDF, HTML, Markdown of tekst)").set_input_files(fake)
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("alert")).to_contain_text("heet .pdf maar is een HTML-pagina")
    # Chromium logs the page's 422 status as a console error; that one is expected.
    assert problems.messages == [
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    ]
    problems.messages.clear()


def test_staff_pages_fit_a_phone(browser: Browser, site: StaffSite) -> None:
    context = browser.new_context(base_url=site.url, viewport={"width": 375, "height": 800})
    phone = context.new_page()
    try:
        log_in(phone)
        for path in (
            "/beheer",
            "/beheer/feedback",
            "/beheer/document?naam=kamerbrief-betaaltermijnen-2020.md",
        ):
            phone.goto(path)
            assert phone.evaluate(
                "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
            ), path
        phone.goto("/beheer")
        phone.screenshot(path=str(ARTIFACTS / "beheer-telefoon.png"), full_page=True)
        # each document's page (edit, remove) is reached without swiping the wide table
        row = phone.locator("table tbody tr").first
        link = row.locator("td").first.locator("a").first
        box = link.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 375
        link.click()
        expect(phone).to_have_url(re.compile(r"/beheer/document\?naam="))
    finally:
        context.close()
