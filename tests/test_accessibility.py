"""WCAG 2.1 A/AA checks by axe-core (bundled by axe-playwright-python) on every kind of page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import LiveServer, StaffSite, staff_serving
from playwright.sync_api import Browser, Page, expect
from test_browser import NEAR_MISS, PAYMENT, ZZP
from test_browser_staff import log_in
from test_staff_pages import WAD_PDF

from assistant.types import ABSTENTION_TEXT
from web.feedback import Feedback, FeedbackStore

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_21_AA},
    "resultTypes": ["violations", "incomplete"],
}
# Inside the horizontally scrolling document table (phone width) axe cannot see the background
# of cells that are partly scrolled out of view; the same table is fully checked at desktop width.
SCROLLED_OUT = "el => el.closest('.tabel-rol') !== null"


def _report(page_name: str, violations: list[dict[str, Any]]) -> list[str]:
    """One readable line per violated rule: page, rule id, impact, summary, target selectors."""
    lines = []
    for violation in violations:
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        lines.append(
            f"[{page_name}] {violation['id']} ({violation['impact']}): {violation['help']}"
            f" -> {targets}"
        )
        for node in violation["nodes"]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {' '.join(node['target'])}: {summary}")
    return lines


class Checker:
    """Runs axe on the current page and collects the violations per named page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.axe = Axe()
        self.problems: list[str] = []
        self.checked: list[str] = []

    def check(self, name: str) -> None:
        results = self.axe.run(self.page, options=AXE_OPTIONS).response
        self.problems.extend(_report(name, results["violations"]))
        undecided = [self._undecided(result) for result in results["incomplete"]]
        self.problems.extend(_report(f"{name}, te controleren", [u for u in undecided if u]))
        self.checked.append(name)

    def _undecided(self, result: dict[str, Any]) -> dict[str, Any] | None:
        """An "incomplete" (needs review) result counts too, bar colour checks axe cannot see."""
        if result["id"] == "color-contrast":
            nodes = [
                node
                for node in result["nodes"]
                if not self.page.locator(node["target"][0]).evaluate(SCROLLED_OUT)
            ]
            result = {**result, "nodes": nodes}
        return result if result["nodes"] else None


@pytest.fixture(params=[1200, 375], ids=["desktop", "telefoon"])
def axe_page(
    request: pytest.FixtureRequest,
    browser: Browser,
    live_server: LiveServer,
) -> Iterator[Page]:
    # axe is injected as a script; the app's CSP (script-src 'self') would block that.
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": request.param, "height": 900},
        locale="nl-NL",
        bypass_csp=True,
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def _ask(page: Page, question: str) -> None:
    before = page.locator("#gesprek article.beurt").count()
    page.get_by_role("textbox", name="Uw vraag").fill(question)
    page.get_by_role("button", name="Vraag stellen").click()
    expect(page.locator("#gesprek article.beurt")).to_have_count(before + 1)


def test_pages_have_no_wcag_21_aa_violations(axe_page: Page) -> None:
    page = axe_page
    checker = Checker(page)

    page.goto("/")
    expect(page.get_by_role("heading", name="Voorbeeldvragen")).to_be_visible()
    checker.check("lege chat")

    _ask(page, PAYMENT)
    answer = page.locator("#gesprek article.beurt").last
    expect(answer.get_by_role("heading", name="Bronnen")).to_be_visible()
    answer.locator("details summary").first.click()  # an opened passage too
    checker.check("chat met antwoord")

    _ask(page, NEAR_MISS)
    abstention = page.locator("#gesprek article.beurt").last
    expect(abstention).to_contain_text(ABSTENTION_TEXT)
    expect(abstention.locator(".suggesties button").first).to_be_visible()
    checker.check("geen antwoord met suggesties")

    page.reload()  # the same conversation as rendered by the server
    expect(page.locator("#gesprek article.beurt")).to_have_count(2)
    checker.check("gesprek na herladen")

    first = page.locator("#gesprek article.beurt").first
    href = first.locator("a.bronlink").first.get_attribute("href")
    assert href and href.startswith("/bron/")
    page.goto(href)
    expect(page.locator("mark#passage")).to_be_visible()
    checker.check("bronweergave")

    page.goto("/documenten")
    expect(page.get_by_role("table")).to_be_visible()
    checker.check("documenten")

    response = page.goto("/bron/bestaat-niet/p1")
    assert response is not None and response.status == 404
    expect(page.get_by_role("alert")).to_be_visible()
    checker.check("foutpagina (404)")

    assert len(checker.checked) == 7
    assert checker.problems == [], "axe-core found WCAG 2.1 AA violations:\n" + "\n".join(
        checker.problems
    )


@pytest.fixture(params=[1200, 375], ids=["desktop", "telefoon"])
def staff_axe(
    request: pytest.FixtureRequest, browser: Browser, tmp_path: Path
) -> Iterator[tuple[Page, StaffSite]]:
    with staff_serving(tmp_path / "site") as site:
        context = browser.new_context(
            base_url=site.url,
            viewport={"width": request.param, "height": 900},
            locale="nl-NL",
            bypass_csp=True,
        )
        try:
            yield context.new_page(), site
        finally:
            context.close()


def test_staff_pages_have_no_wcag_21_aa_violations(
    staff_axe: tuple[Page, StaffSite], tmp_path: Path
) -> None:
    page, site = staff_axe
    checker = Checker(page)
    FeedbackStore(site.feedback_db).save(
        Feedback("slecht", "antwoord onvolledig", PAYMENT, "Een antwoord.", ("a/p1",), "v1")
    )

    page.goto("/beheer/inloggen")
    page.get_by_label("Wachtwoord").fill("niet het wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    checker.check("beheer: inloggen met fout")

    log_in(page)
    report = tmp_path / "wadfonds.pdf"
    report.write_bytes(WAD_PDF)
    page.get_by_label("Bestand (PDF, HTML, Markdown of tekst)").set_input_files(report)
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#bouw-tekst")).to_have_text("Klaar: de laatste build is gelukt.")
    checker.check("beheer: na toevoegen")

    page.get_by_role("button", name="Toevoegen").click()  # nothing chosen: an error
    expect(page.get_by_role("alert")).to_be_visible()
    checker.check("beheer: foutmelding")

    page.goto("/beheer/document?naam=wadfonds.pdf")
    expect(page.get_by_role("heading", name="Document bewerken")).to_be_visible()
    checker.check("beheer: document bewerken")

    page.goto("/beheer/feedback")
    page.locator("details summary").first.click()
    checker.check("beheer: feedback")

    page.goto("/beheer/feedback?oordeel=super&van=gisteren")
    expect(page.get_by_role("alert")).to_be_visible()
    checker.check("beheer: feedback met een onbekend oordeel en een onjuiste datum")

    (site.staff_dir / "wachtwoord.argon2").unlink()
    page.goto("/beheer")
    expect(page.get_by_text("beheer wachtwoord")).to_be_visible()
    checker.check("beheer: geen wachtwoord")

    assert len(checker.checked) == 7


def test_scheme_pages_have_no_wcag_21_aa_violations(axe_page: Page) -> None:
    page = axe_page
    checker = Checker(page)

    page.goto("/regelingen")
    expect(page.locator(".overzicht .kaart").first).to_be_visible()
    checker.check("regelingen")

    page.get_by_role("searchbox", name="Filter op naam of trefwoord").fill("bank")
    checker.check("regelingen gefilterd")

    page.goto("/regelingen?ik=startup&speelt=lenen&situatie=investeerders")
    expect(page.locator("#passend .kaart").first).to_be_visible()
    checker.check("regelingen met passende kaarten")

    page.goto("/regelingen/tvl")
    expect(page.get_by_role("heading", name="Waar aanvragen")).to_be_visible()
    checker.check("regeling")

    page.goto("/")
    _ask(page, ZZP)
    expect(page.locator("#gesprek .kaarten-kort .kaart").first).to_be_visible()
    checker.check("chat met regelingen")

    assert len(checker.checked) == 5
    assert checker.problems == [], "axe-core found WCAG 2.1 AA violations:\n" + "\n".join(
        checker.problems
    )
