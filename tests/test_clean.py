"""Pure text cleaning: characters, words broken over lines, footnote markers."""

from __future__ import annotations

import pytest

from index.clean import (
    collapse_whitespace,
    footnote_marker_numbers,
    join_lines,
    normalize_line,
    strip_footnote_markers,
    word_vocabulary,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\ufb01nanciering en \ufb02exibel", "financiering en flexibel"),
        ("e\ufb00ect, e\ufb03ciënt, a\ufb04uent", "effect, efficiënt, affluent"),
        ("32\u00a0637\u202fnr.", "32 637 nr."),
        ("onder\u00adsteuning", "ondersteuning"),
        ("  twee   spaties\tTab  ", "twee spaties Tab"),
        ("\uf0b7 opsomming", "• opsomming"),
        ("\x7f de aanvraag", "• de aanvraag"),
        ("\x95opsomming", "• opsomming"),
        ("a\x7fb", "ab"),
        ("nul\x00breedte\u200bteken", "nulbreedteteken"),
        ("ondernemers\u00b9", "ondernemers1"),
    ],
)
def test_normalize_line_repairs_characters(raw: str, clean: str) -> None:
    assert normalize_line(raw) == clean


def test_soft_hyphen_at_line_end_becomes_a_breakable_hyphen() -> None:
    assert normalize_line("ondersteu\u00ad") == "ondersteu-"
    assert join_lines([normalize_line("ondersteu\u00ad"), "ning"])[0] == "ondersteuning"


def test_collapse_whitespace_joins_lines() -> None:
    assert collapse_whitespace(" een\n  twee\r\n\tdrie ") == "een twee drie"


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["beter ondersteu-", "nen bij"], "beter ondersteunen bij"),
        (["toege-", "stuurd."], "toegestuurd."),
        (["het MKB-", "actieplan"], "het MKB-actieplan"),
        (["de mkb-", "ondernemers"], "de mkb-ondernemers"),
        (["de zzp-", "ers"], "de zzp-ers"),
        (["het steun-", "en herstelpakket"], "het steun- en herstelpakket"),
        (["wet-", "en regelgeving"], "wet- en regelgeving"),
        (["Noord-", "Holland"], "Noord-Holland"),
        (["COVID-", "19"], "COVID-19"),
        (["2020-", "2021"], "2020-2021"),
        (["het kabinet -", "voor zover"], "het kabinet - voor zover"),
        (["een zin.", "Nog een."], "een zin. Nog een."),
    ],
)
def test_join_lines_repairs_hyphenation_but_keeps_real_hyphens(
    lines: list[str], joined: str
) -> None:
    assert join_lines(lines)[0] == joined


def test_join_lines_learns_hyphenated_words_from_the_document() -> None:
    vocabulary = word_vocabulary(["de re-integratie van werknemers", "de zee-egel"])
    assert join_lines(["bij re-", "integratie"], vocabulary)[0] == "bij re-integratie"
    assert join_lines(["bij re-", "integratie"])[0] == "bij reintegratie"
    known = word_vocabulary(["financieel gezond"])
    assert join_lines(["financi-", "eel"], known)[0] == "financieel"


def test_join_lines_reports_where_each_line_starts() -> None:
    text, starts = join_lines(["Een ondersteu-", "ning voor", "iedereen."])
    assert text == "Een ondersteuning voor iedereen."
    assert starts == (0, text.index("ning"), text.index("iedereen"))


def test_footnote_marker_numbers_finds_glued_markers() -> None:
    text = "Het plan is toegezonden1. De voortgangsrapportage2 en ondernemers3. Zie mkb.4 Daarna"
    assert footnote_marker_numbers(text) == {1, 2, 3, 4}
    assert footnote_marker_numbers("In 2020 kreeg 32 637 nr. 316 artikel 2.1 aandacht.") == set()
    # after a closing quote or bracket, whatever precedes it (a year, an acronym)
    assert footnote_marker_numbers("«Rapportage 2019»3 en de regeling (SLIM)2. Klaar") == {2, 3}
    assert footnote_marker_numbers("in (2020)2021 en (bijlage 2) 3 keer") == set()


def test_strip_footnote_markers_removes_only_known_notes() -> None:
    text = (
        "toegezonden1. De voortgangsrapportage2 toegestuurd aan ondernemers3. CO2-uitstoot, Tozo3"
    )
    assert strip_footnote_markers(text, {1, 2}) == (
        "toegezonden. De voortgangsrapportage toegestuurd aan ondernemers3. CO2-uitstoot, Tozo3"
    )
    assert strip_footnote_markers("«MKB-actieplan»1, en", {1}) == "«MKB-actieplan», en"
    assert strip_footnote_markers("ondernemers.3 Daarna", {3}) == "ondernemers. Daarna"
    assert strip_footnote_markers("paragraaf 2.1 en 32 637", {1, 2}) == "paragraaf 2.1 en 32 637"
    assert strip_footnote_markers("«Rapportage 2019»3 en (SLIM)2.", {2, 3}) == (
        "«Rapportage 2019» en (SLIM)."
    )
