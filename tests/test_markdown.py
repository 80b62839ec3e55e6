"""Markdown details: inline markup, front matter subset, and less common block forms."""

from __future__ import annotations

import pytest

from index.frontmatter import parse_mapping, split_front_matter
from index.markdown import clean_inline, clean_inline_with_notes, read_markdown
from index.textbuild import Content


def _blocks(content: Content) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, content.text[b.start : b.end]) for b in content.blocks]


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("*Stand van zaken* en **vet** en __ook vet__", "Stand van zaken en vet en ook vet"),
        ("de `BMKB`-regeling", "de BMKB-regeling"),
        ("zie [de website](https://www.rvo.nl/a_(b)) nu", "zie de website nu"),
        ("![logo van RVO](logo.png) tekst", "logo van RVO tekst"),
        ("de lening.[^1] Daarna[^noot]", "de lening. Daarna"),
        ("mkb_ondernemers en _nadruk_", "mkb_ondernemers en nadruk"),
        (r"5 \* 3 en \_geen\_ nadruk", "5 * 3 en _geen_ nadruk"),
        ("zzp'ers &amp; mkb&nbsp;", "zzp'ers & mkb"),
        ("regel<br>volgende <!-- opmerking -->regel", "regel volgende regel"),
        ("<https://www.kvk.nl> en ~~oud~~", "https://www.kvk.nl en oud"),
        ("een \ufb01nanciering", "een financiering"),
    ],
)
def test_clean_inline_removes_markup(markdown: str, text: str) -> None:
    assert clean_inline(markdown) == text


def test_front_matter_subset_is_parsed() -> None:
    source = (
        "---\n"
        'title: "Een \\"titel\\" met: dubbele punt"\n'
        "date: 2020-10-30\n"
        "kind: kamerbrief   # commentaar\n"
        "kamerstuk: '32 637, nr. 379'\n"
        "note: >\n  Eerste regel\n  tweede regel\n"
        "tags: [a, b]\n"
        "---\n"
        "# Kop\n"
    )
    mapping, body = split_front_matter(source)
    assert mapping == {
        "title": 'Een "titel" met: dubbele punt',
        "date": "2020-10-30",
        "kind": "kamerbrief",
        "kamerstuk": "32 637, nr. 379",
        "note": "Eerste regel tweede regel",
    }
    assert body == "# Kop\n"


def test_text_starting_with_a_rule_is_not_front_matter() -> None:
    source = "---\nDit is gewone tekst, geen metadata.\n---\nMeer tekst.\n"
    assert split_front_matter(source) == ({}, source)
    assert parse_mapping(["- een lijst"]) is None


def test_setext_headings_fenced_code_and_comments() -> None:
    content, meta = read_markdown(
        "Titel\n=====\n\nTekst.\n\nOnderdeel\n---------\n\n"
        "```\ncode  regel\n\nnog code\n```\n\n"
        "<!--\nmeerregelig commentaar\n-->\nSlot.\n"
    )
    assert meta.title is None
    assert _blocks(content) == [
        ("heading", 1, "Titel"),
        ("paragraph", 0, "Tekst."),
        ("heading", 2, "Onderdeel"),
        ("paragraph", 0, "code regel\nnog code"),
        ("paragraph", 0, "Slot."),
    ]


def test_loose_and_nested_lists_stay_one_block() -> None:
    content, _ = read_markdown(
        "Intro:\n\n* eerste punt\n\n* tweede punt\n  met vervolg\n"
        "    - genest punt\n\nNa de lijst.\n"
    )
    assert _blocks(content) == [
        ("paragraph", 0, "Intro:"),
        ("list", 0, "• eerste punt\n• tweede punt met vervolg\n• genest punt"),
        ("paragraph", 0, "Na de lijst."),
    ]


def test_page_markers_can_skip_ahead_but_never_go_back() -> None:
    content, _ = read_markdown(
        "<!-- pagina 1 -->\nEen.\n\n<!-- pagina 3 -->\nDrie.\n\n<!-- pagina 2 -->\nNog drie.\n"
    )
    drie = content.text.index("Drie")
    assert content.page_starts == (0, drie, drie)


def test_footnote_markers_are_linked_to_their_definitions() -> None:
    content, _ = read_markdown(
        "# Brief\n\nHet plan is **toegezonden**[^1]. Het kwam snel.\n\n"
        "- een punt [^bron] met een bron\n- nog een punt\n\n"
        "[^1]: «MKB-actieplan», Kamerstuk 32 637, nr. 316\n\n[^bron]: Bron: *CBS*.\n"
    )
    text = content.text
    linked = [(text[: n.ref].split()[-1], text[n.start : n.end]) for n in content.notes]
    assert linked == [
        ("toegezonden", "«MKB-actieplan», Kamerstuk 32 637, nr. 316"),
        ("punt", "Bron: CBS."),
    ]
    assert "• een punt met een bron" in text  # one space where the marker stood


def test_footnote_definitions_ending_the_document_are_endnotes() -> None:
    content, _ = read_markdown(
        "# Brief\n\n## 1 Inleiding\n\nHet plan.[^1]\n\n[^1]: Kamerstuk 32 637, nr. 316.\n\n"
        "## 2 Vervolg\n\nDe brief.[^2] De bijlage.[^3]\n\n---\n\n<!-- pagina 2 -->\n\n"
        "[^2]: Zie de brief van 8 juni 2020.\n[^3]: Bron: CBS.\n"
    )
    endnotes = [content.text[b.start : b.end] for b in content.blocks if b.endnote]
    assert endnotes == ["Zie de brief van 8 juni 2020.", "Bron: CBS."]
    assert "Kamerstuk 32 637, nr. 316." in content.text  # defined in its chapter: stays there


def test_markers_are_not_linked_when_the_text_holds_the_placeholder() -> None:
    assert clean_inline_with_notes("a\u2058 b[^1]") == ("a\u2058 b", [])
    assert clean_inline_with_notes("geen noten") == ("geen noten", [])


def test_a_breadcrumb_line_is_left_out() -> None:
    """A breadcrumb of links is left out, as the HTML reader leaves out a page's breadcrumb."""
    content, _ = read_markdown(
        "[Naar de inhoud](#inhoud) | [Zakelijk](/zakelijk) > [Btw](/btw) > KOR\n"
        "# De kleineondernemersregeling\n"
        "Met de KOR rekent u geen btw.\n"
    )
    assert _blocks(content) == [
        ("heading", 1, "De kleineondernemersregeling"),
        ("paragraph", 0, "Met de KOR rekent u geen btw."),
    ]


def test_a_line_of_page_controls_is_left_out() -> None:
    """A bar of share and print links is left out, as the HTML reader leaves out its markup."""
    content, _ = read_markdown(
        "Met de KOR rekent u geen btw.\n\n"
        "[Deel deze pagina](#delen) | [Print](#print) | [Naar boven](#top)\n"
    )
    assert _blocks(content) == [("paragraph", 0, "Met de KOR rekent u geen btw.")]


def test_a_feedback_question_with_its_buttons_on_lines_of_their_own_is_left_out() -> None:
    """A feedback question whose "Ja" and "Nee" buttons were copied one per line is a control,
    as it is on one line; a question with an answer of its own stays."""
    content, _ = read_markdown(
        "Met de KOR rekent u geen btw.\n\n"
        "Was dit artikel nuttig?\n"
        "Ja\n"
        "Nee\n\n"
        "Kan ik later stoppen?\n"
        "Ja, na drie jaar.\n"
    )
    assert [text for _, _, text in _blocks(content)] == [
        "Met de KOR rekent u geen btw.",
        "Kan ik later stoppen? Ja, na drie jaar.",
    ]
