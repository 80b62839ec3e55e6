"""The real page in Debian's Chromium (Playwright), against uvicorn serving the test index."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import LiveServer
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Dialog,
    Locator,
    Page,
    expect,
)

from assistant.types import ABSTENTION_TEXT
from web.feedback import FeedbackStore

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

PAYMENT = "Hoeveel dagen mag een grote onderneming over betaling doen?"
FOLLOW_UP = "En geldt dat ook voor zzp'ers?"
# Near the documents (the Tozo loan) but for a year they do not cover: declined, with suggestions.
NEAR_MISS = "Welke rente geldt voor de Tozo-lening in 2026?"
XSS = "<script>alert(1)</script>"


@dataclass
class Problems:
    """JavaScript errors and console errors (CSP violations among them) seen on a page."""

    messages: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.messages.append(message.text)


def _open_page(
    browser: Browser, server: LiveServer, *, width: int = 1200, javascript: bool = True
) -> Iterator[Page]:
    context = browser.new_context(
        base_url=server.url,
        viewport={"width": width, "height": 900},
        locale="nl-NL",
        java_script_enabled=javascript,
    )
    page = context.new_page()
    problems = Problems()
    page.on("console", problems.console)
    page.on("pageerror", lambda error: problems.messages.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert problems.messages == [], "errors in the browser console (CSP?)"


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    yield from _open_page(browser, live_server)


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    yield from _open_page(browser, live_server, width=375)


@pytest.fixture
def page_without_js(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    yield from _open_page(browser, live_server, javascript=False)


def _ask(page: Page, question: str) -> None:
    page.get_by_role("textbox", name="Uw vraag").fill(question)
    page.get_by_role("button", name="Vraag stellen").click()


def _first_citation(answer: Locator) -> Locator:
    """Return the first [1] link of an answer (two sentences may cite the same source)."""
    return answer.get_by_role("link", name=re.compile(r"^\[1\]")).first


def _screenshot(page: Page, name: str, *, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


def _no_horizontal_scroll(page: Page) -> bool:
    result: bool = page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    return result


def test_ask_see_cited_answer_and_open_the_source(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Voorbeeldvragen")).to_be_visible()
    page.evaluate(
        """() => {
          window.notReloaded = true;
          window.progress = [];
          const status = document.getElementById("bezig");
          new MutationObserver(() => window.progress.push(status.textContent))
            .observe(status, {childList: true, characterData: true, subtree: true});
        }"""
    )
    _ask(page, PAYMENT)
    answer = page.locator("#gesprek article.beurt").last
    expect(answer.locator("h2")).to_contain_text(PAYMENT)
    citation = _first_citation(answer)
    expect(citation).to_be_visible()
    expect(answer.get_by_role("heading", name="Bronnen")).to_be_visible()
    expect(answer.locator("ol.bronnen li").first).to_contain_text("pagina")
    assert page.evaluate("window.notReloaded") is True  # appended without a reload
    assert "Bezig met zoeken…" in page.evaluate("window.progress")
    expect(page.get_by_role("heading", name="Voorbeeldvragen")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Uw vraag")).to_have_value("")

    first_answer = answer.get_attribute("data-answer")
    with page.expect_request("**/api/ask") as request:
        _ask(page, FOLLOW_UP)
    sent = request.value.post_data_json
    assert sent is not None
    assert sent["history"] == [{"question": PAYMENT, "answer": first_answer}]
    follow_up = page.locator("#gesprek article.beurt").nth(1)
    expect(follow_up.locator("h2")).to_contain_text(FOLLOW_UP)
    expect(follow_up.locator("ol.bronnen li").first).to_be_visible()
    _screenshot(page, "chat.png", full_page=True)

    page.reload()  # the conversation is kept for this browser
    expect(page.locator("#gesprek article.beurt")).to_have_count(2)

    first = page.locator("#gesprek article.beurt").first
    link = _first_citation(first)
    href = link.get_attribute("href") or ""
    title = first.locator("ol.bronnen li").first.get_by_role("link").inner_text()
    link.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    mark = page.locator("mark#passage")
    expect(mark).to_be_visible()
    expect(mark).to_be_in_viewport()
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") == "rgb(255, 224, 102)"
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    doc_id = href.removeprefix("/bron/").rsplit("/p", 1)[0]
    expect(page.get_by_role("link", name=doc_id, exact=True)).to_be_visible()
    # from the top of the page (title, details) down to just below the highlighted passage
    bottom = page.evaluate(
        "document.getElementById('passage').getBoundingClientRect().bottom + window.scrollY"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(
        path=str(ARTIFACTS / "bron.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": 1200, "height": min(bottom + 120, 2400)},
    )


def test_feedback_with_a_reason_is_stored(page: Page, live_server: LiveServer) -> None:
    question = "Wat is de wettelijke betaaltermijn voor grote bedrijven?"
    page.goto("/")
    _ask(page, question)
    answer = page.locator("#gesprek article.beurt").last
    expect(answer.locator("h2")).to_contain_text(question)
    answer.get_by_label("Reden (niet verplicht)").select_option("antwoord onvolledig")
    answer.get_by_role("button", name="Niet nuttig", exact=True).click()
    expect(answer.get_by_role("status")).to_have_text("Bedankt voor uw feedback.")
    stored = [f for f in FeedbackStore(live_server.feedback_db).all() if f.question == question]
    assert [(f.rating, f.reason) for f in stored] == [("slecht", "antwoord onvolledig")]
    assert stored[0].passage_ids and stored[0].index_version


def test_a_thumbs_up_clears_the_reason_chosen_for_a_thumbs_down(
    page: Page, live_server: LiveServer
) -> None:
    question = "Binnen hoeveel dagen moet een grote onderneming een mkb-factuur betalen?"
    page.goto("/")
    _ask(page, question)
    answer = page.locator("#gesprek article.beurt").last
    expect(answer.locator("h2")).to_contain_text(question)
    reason = answer.get_by_label("Reden (niet verplicht)")
    reason.select_option("antwoord onjuist")
    answer.get_by_role("button", name="Niet nuttig", exact=True).click()
    expect(answer.get_by_role("status")).to_have_text("Bedankt voor uw feedback.")
    answer.get_by_role("button", name="Nuttig", exact=True).click()
    expect(reason).to_have_value("")
    expect(answer.get_by_role("status")).to_have_text("Bedankt voor uw feedback.")
    stored = [f for f in FeedbackStore(live_server.feedback_db).all() if f.question == question]
    assert [(f.rating, f.reason) for f in stored] == [("goed", None)]


def test_abstention_offers_topics_that_can_be_asked(page: Page) -> None:
    page.goto("/")
    _ask(page, NEAR_MISS)
    answer = page.locator("#gesprek article.beurt").last
    expect(answer).to_contain_text(ABSTENTION_TEXT)
    suggestion = answer.locator(".suggesties button").first
    topic = suggestion.inner_text()
    suggestion.click()
    expect(page.locator("#gesprek article.beurt")).to_have_count(2)
    expect(page.locator("#gesprek article.beurt").last.locator("h2")).to_contain_text(topic)


def test_an_example_question_is_answered_and_the_focus_stays_in_the_conversation(
    page: Page,
) -> None:
    page.goto("/")
    example = page.locator("#voorbeelden button").first
    question = example.inner_text()
    example.focus()
    page.keyboard.press("Enter")
    answer = page.locator("#gesprek article.beurt")
    expect(answer).to_have_count(1)
    expect(answer.locator("h2")).to_contain_text(question)
    expect(page.locator("#voorbeelden")).to_have_count(0)
    expect(page.locator("#vraag")).to_be_focused()  # not <body>: the example is gone


def test_question_with_html_is_shown_as_text(page: Page) -> None:
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    page.goto("/")
    _ask(page, XSS)
    answer = page.locator("#gesprek article.beurt").last
    expect(answer.locator("h2")).to_have_text(f"Uw vraag: {XSS}")
    page.reload()  # and as rendered by the server
    expect(page.locator("#gesprek article.beurt").last.locator("h2")).to_have_text(
        f"Uw vraag: {XSS}"
    )
    assert dialogs == []


def test_phone_width_has_no_horizontal_scrolling(phone: Page) -> None:
    phone.goto("/")
    assert _no_horizontal_scroll(phone)
    _ask(phone, PAYMENT)
    answer = phone.locator("#gesprek article.beurt").last
    expect(_first_citation(answer)).to_be_visible()
    assert _no_horizontal_scroll(phone)
    _screenshot(phone, "chat-telefoon.png", full_page=True)
    _first_citation(answer).click()
    expect(phone.locator("mark#passage")).to_be_in_viewport()
    assert _no_horizontal_scroll(phone)
    _screenshot(phone, "bron-telefoon.png")
    phone.goto("/documenten")
    assert _no_horizontal_scroll(phone)
    _screenshot(phone, "documenten-telefoon.png", full_page=True)


def test_everything_works_without_javascript(page_without_js: Page) -> None:
    page = page_without_js
    page.goto("/")
    _ask(page, PAYMENT)
    expect(page).to_have_url(re.compile(r"/#antwoord-"))
    answer = page.locator("#gesprek article.beurt").last
    expect(_first_citation(answer)).to_be_visible()
    answer.get_by_role("button", name="Nuttig", exact=True).click()
    expect(page.locator("#gesprek article.beurt").last.get_by_role("status")).to_have_text(
        "Bedankt voor uw feedback."
    )
    _first_citation(page.locator("#gesprek article.beurt").last).click()
    expect(page.locator("mark#passage")).to_be_in_viewport()


def test_keyboard_users_see_where_the_focus_is(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    box = page.get_by_role("textbox", name="Uw vraag")
    box.focus()
    page.keyboard.type(PAYMENT)
    page.keyboard.press("Enter")  # Enter sends, like a chat
    expect(page.locator("#gesprek article.beurt")).to_have_count(1)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(box).to_be_focused()
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Vraag stellen")
    expect(button).to_be_focused()
    assert button.evaluate("b => getComputedStyle(b).outlineStyle") == "solid"


def test_api_docs_render_offline(page: Page) -> None:
    page.goto("/docs")
    expect(page.locator(".swagger-ui")).to_contain_text("/api/ask", timeout=15_000)
    expect(page.locator(".swagger-ui")).to_contain_text("/healthz")
    _screenshot(page, "api-docs.png")


def test_document_list(page: Page) -> None:
    page.goto("/documenten")
    expect(page.get_by_role("heading", level=1)).to_have_text("Documenten in de index")
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(5)  # header + the four test documents
    expect(page.get_by_text("kapot-rapport.pdf")).to_be_visible()
    _screenshot(page, "documenten.png", full_page=True)


def test_a_form_on_another_site_cannot_post_to_the_app(
    browser: Browser, live_server: LiveServer
) -> None:
    # A context of its own: the refused post is logged in the console as a failed load.
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto("/")
        _ask(page, PAYMENT)
        expect(page.locator("#gesprek article.beurt")).to_have_count(1)
        evil = (
            f'<form method="post" action="{live_server.url}/nieuw">'
            "<button>Win een prijs</button></form>"
        )
        page.route(
            "http://evil.example/**",
            lambda route: route.fulfill(body=evil, content_type="text/html"),
        )
        page.goto("http://evil.example/")
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Win een prijs").click()
        response = navigation.value
        assert response is not None and response.status == 403
        expect(page.get_by_role("main")).to_contain_text("komt van een andere website")
        page.goto("/")
        expect(page.locator("#gesprek article.beurt")).to_have_count(1)  # not forgotten
    finally:
        context.close()


# --- the scheme cards: /regelingen, /regelingen/{slug}, cards under chat answers -------------
ZZP = "Ik ben zzp'er en verdien door corona bijna niets meer. Welke hulp is er?"


def _screenshot_to(page: Page, name: str, selector: str) -> None:
    """Save the page from its top down to just below the element `selector`."""
    bottom = page.locator(selector).evaluate(
        "e => e.getBoundingClientRect().bottom + window.scrollY"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 1200
    page.screenshot(
        path=str(ARTIFACTS / name),
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": bottom + 16},
    )


def _find(page: Page, who: str, concerns: list[str], text: str = "") -> None:
    page.get_by_role("radio", name=who).check()
    for concern in concerns:
        page.get_by_role("checkbox", name=concern).check()
    if text:
        page.get_by_role("textbox", name="Uw situatie in eigen woorden").fill(text)
    page.get_by_role("button", name="Zoek passende regelingen").click()


def test_filter_finder_card_and_source(page: Page) -> None:
    page.goto("/regelingen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Regelingen voor ondernemers")
    overview = page.locator(".overzicht")
    all_cards = overview.locator(".kaart").count()
    page.evaluate("window.notReloaded = true")

    page.get_by_role("searchbox", name="Filter op naam of trefwoord").fill("loonkosten UWV")
    expect(overview.locator(".kaart:visible")).to_have_count(1)
    expect(overview.locator(".kaart:visible")).to_contain_text("NOW")
    expect(page.get_by_role("status")).to_contain_text(f"1 van de {all_cards} regelingen")
    expect(page.get_by_role("heading", name="Innovatie")).to_be_hidden()
    assert page.evaluate("window.notReloaded") is True  # filtered while typing
    page.get_by_role("searchbox", name="Filter op naam of trefwoord").fill("")
    expect(overview.locator(".kaart:visible")).to_have_count(all_cards)

    _find(page, "zzp'er", ["omzet weggevallen"], "ik ben fotograaf en mijn klussen zijn weg")
    expect(page).to_have_url(re.compile(r"/regelingen\?ik=zzp&speelt=omzet&situatie=.+#passend$"))
    fitting = page.locator("#passend .kaart")
    expect(page.get_by_role("heading", name="Past bij uw situatie")).to_be_visible()
    expect(fitting.first).to_contain_text("Waarom deze regeling:")
    expect(fitting.filter(has_text="Tozo")).to_have_count(1)
    expect(page.get_by_role("radio", name="zzp'er")).to_be_checked()
    _screenshot_to(page, "regelingen.png", "#passend .kaart:nth-child(3)")

    page.locator("#passend").get_by_role("link", name=re.compile("Tozo")).click()
    expect(page).to_have_url(re.compile("/regelingen/tozo$"))
    expect(page.get_by_role("heading", level=2, name="Waar aanvragen")).to_be_visible()
    expect(
        page.locator(".veld", has=page.get_by_role("heading", name="Waar aanvragen"))
    ).to_contain_text("gemeente")
    _screenshot(page, "regeling.png", full_page=True)

    source = page.locator(".veld").first.locator("a.bronlink").first
    quote = page.locator(".veld").first.locator("q").first.inner_text()
    source.click()
    mark = page.locator("mark#passage")
    expect(mark).to_be_visible()
    expect(mark).to_contain_text(quote)


def test_finder_and_filter_work_without_javascript(page_without_js: Page) -> None:
    page = page_without_js
    page.goto("/regelingen")
    _find(page, "ondernemer met personeel", ["loonkosten"])
    expect(page.locator("#passend .kaart").filter(has_text="NOW")).to_have_count(1)

    page.get_by_role("searchbox", name="Filter op naam of trefwoord").fill("Belastingdienst")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page).to_have_url(re.compile(r"filter=Belastingdienst"))
    expect(page.locator(".overzicht .kaart")).not_to_have_count(0)
    for card in page.locator(".overzicht .kaart").all():
        expect(card).to_be_visible()


def test_a_chat_answer_shows_the_cards_it_is_about(page: Page) -> None:
    page.goto("/")
    _ask(page, ZZP)
    answer = page.locator("#gesprek article.beurt").last
    expect(
        answer.get_by_role("heading", name="Regelingen waar dit antwoord over gaat")
    ).to_be_visible()
    cards = answer.locator(".kaarten-kort .kaart")
    expect(cards.filter(has_text="Tozo")).to_have_count(1)
    assert 1 <= cards.count() <= 3
    page.reload()  # the same cards, rendered by the server
    expect(page.locator("#gesprek .kaarten-kort .kaart").filter(has_text="Tozo")).to_have_count(1)


def test_scheme_pages_fit_a_phone(phone: Page) -> None:
    phone.goto("/regelingen?ik=zzp&speelt=omzet&speelt=vaste-lasten")
    expect(phone.locator("#passend .kaart").first).to_be_visible()
    assert _no_horizontal_scroll(phone)
    _screenshot(phone, "regelingen-telefoon.png", full_page=True)
    phone.goto("/regelingen/bmkb")
    expect(phone.locator(".onderdeel").first).to_have_text("BMKB-C")
    assert _no_horizontal_scroll(phone)
