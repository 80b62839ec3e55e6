"""The chunker: passages follow sections, sentences and pages, and are exact slices of the text."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import cast

import pytest
from conftest import CORPUS
from hypothesis import given, settings
from hypothesis import strategies as st

from index import parse
from index.chunk import CHUNK_SETTINGS, NOTES_SECTION, split_into_passages
from index.types import Block, BlockKind, DocumentMeta, ParsedDocument, Passage

PAGE = ("page", "", 0)  # an item that starts a new page
Item = tuple[str, str, int]

SENTENCES = [
    "Het kabinet trekt o.a. voor de SLIM-regeling jaarlijks 48 mln. euro uit.",
    "Dat bedrag komt bijv. Bij het mkb terecht, d.w.z. Bij bedrijven tot 250 werknemers.",
    "In 2019 zijn 2.751 borgstellingen verstrekt, met een waarde van 538 miljoen euro.",
    "De garantie bedraagt effectief 67,5 procent van het krediet.",
    "Zie Kamerstuk 32 637, nr. 316 en art. 5 van de regeling.",
    "Ondernemers kunnen m.b.t. de TVL terecht bij RVO.",
    "Vanaf 1.000 euro vaste lasten komt een onderneming in aanmerking.",
    "Werkgevers vragen de NOW aan bij UWV!",
    "Geldt dat ook voor zzp'ers?",
    "Zelfstandigen kunnen bij hun gemeente de Tozo aanvragen.",
    "De regeling geldt voor kleine ondern. en voor zzp'ers in de horeca.",
]


def make_doc(items: list[Item], title: str = "Testdocument") -> ParsedDocument:
    """Build a document from (kind, text, level) items, blank lines between blocks."""
    text, blocks, page_starts = "", [], [0]
    for kind, item_text, level in items:
        if kind == "page":
            page_starts.append(len(text) + 2 if text else 0)
            continue
        text += "\n\n" if text else ""
        start = len(text)
        text += item_text
        blocks.append(Block(cast(BlockKind, kind), start, len(text), level))
    meta = DocumentMeta(doc_id="test.md", title=title, format="md")
    return ParsedDocument(meta, text, tuple(blocks), tuple(sorted(set(page_starts))))


def heading(text: str, level: int) -> Item:
    return ("heading", text, level)


def para(text: str) -> Item:
    return ("paragraph", text, 0)


def sentences(n: int, offset: int = 0) -> str:
    return " ".join(SENTENCES[(offset + i) % len(SENTENCES)] for i in range(n))


def check_invariants(doc: ParsedDocument, passages: list[Passage], max_chars: int) -> None:
    """Assert what every passage list must satisfy."""
    assert [p.id for p in passages] == [f"test.md/p{n}" for n in range(1, len(passages) + 1)]
    assert [p.start for p in passages] == sorted({p.start for p in passages})
    for p in passages:
        assert doc.text[p.start : p.end] == p.text
        assert 0 < len(p.text) <= max_chars
        assert p.text == p.text.strip()
        assert p.doc_id == "test.md"
        assert (p.page_start, p.page_end) == (doc.page_at(p.start), doc.page_at(p.end - 1))
        inner = [b for b in doc.blocks if p.start < b.start < p.end]
        content = [b for b in inner if b.kind != "heading"]
        assert all(b.start < content[0].start for b in inner if b.kind == "heading" and content)


def covered(passages: list[Passage], start: int, end: int) -> bool:
    return any(p.start <= start and end <= p.end for p in passages)


def test_empty_document_gives_no_passages() -> None:
    assert split_into_passages(make_doc([])) == []
    blank = ParsedDocument(DocumentMeta("test.md", "Leeg"), "  \n\n ", (), (0,))
    assert split_into_passages(blank) == []


def test_document_without_blocks_is_split_at_blank_lines() -> None:
    text = f"{sentences(8)}\n\n{sentences(8, 4)}\n\n{sentences(8, 8)}"
    doc = ParsedDocument(DocumentMeta("test.md", "Zonder blokken"), text, (), (0,))
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    assert [p.text for p in passages] == text.split("\n\n")


def test_chunk_settings_describe_the_default_limits() -> None:
    assert CHUNK_SETTINGS["algorithm"] == "sections-v4"
    assert CHUNK_SETTINGS["max_chars"] == 1200
    assert 300 <= int(str(CHUNK_SETTINGS["target_chars"])) <= 900
    assert json.loads(json.dumps(CHUNK_SETTINGS)) == CHUNK_SETTINGS


def test_short_paragraphs_of_a_section_are_merged_with_their_heading() -> None:
    doc = make_doc([heading("1. Inleiding", 2), para(SENTENCES[0]), para(SENTENCES[1])])
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    assert len(passages) == 1
    assert passages[0].text.startswith("1. Inleiding\n\n")
    assert passages[0].text.endswith(SENTENCES[1])
    assert passages[0].section == ("1. Inleiding",)


def test_a_heading_starts_a_new_passage() -> None:
    doc = make_doc(
        [heading("1. NOW", 2), para(SENTENCES[7]), heading("2. Tozo", 2), para(SENTENCES[9])]
    )
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    assert [p.text for p in passages] == [f"1. NOW\n\n{SENTENCES[7]}", f"2. Tozo\n\n{SENTENCES[9]}"]
    assert [p.section for p in passages] == [("1. NOW",), ("2. Tozo",)]


def test_section_paths_follow_heading_levels() -> None:
    doc = make_doc(
        [
            heading("Testdocument", 1),
            para("Den Haag, 2 juni 2020"),
            heading("Hoofdstuk 2 Resultaten", 2),
            heading("2.1 Financiering", 3),
            para(SENTENCES[2]),
            heading("2.2 Digitalisering", 3),
            para(SENTENCES[3]),
            heading("Bijlage", 2),
            heading("Tabellen", 4),
            para(SENTENCES[4]),
        ]
    )
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    assert [p.section for p in passages] == [
        (),  # the top heading repeats the title and is left out of the path
        ("Hoofdstuk 2 Resultaten", "2.1 Financiering"),
        ("Hoofdstuk 2 Resultaten", "2.2 Digitalisering"),
        ("Bijlage", "Tabellen"),
    ]
    assert passages[1].text.startswith("Hoofdstuk 2 Resultaten\n\n2.1 Financiering\n\n")
    assert passages[1].section_path == "Hoofdstuk 2 Resultaten › 2.1 Financiering"


def test_only_the_first_heading_is_taken_for_the_title() -> None:
    items = [heading("Factsheet financiering", 1), para(SENTENCES[0])]
    items += [heading("Factsheet financiering deel 2", 1), para(SENTENCES[1])]
    doc = make_doc(items, title="Factsheet financiering (stand oktober 2019)")
    passages = split_into_passages(doc)
    assert [p.section for p in passages] == [(), ("Factsheet financiering deel 2",)]
    assert passages[0].text.startswith("Factsheet financiering\n\n")


def test_markdown_heading_marks_are_left_out_of_the_path() -> None:
    doc = make_doc([heading("# Een ander document", 1), heading("## **2.2 Financiering**", 2)])
    doc = make_doc([*[(b.kind, doc.text[b.start : b.end], b.level) for b in doc.blocks], para("X")])
    passages = split_into_passages(doc)
    assert passages[0].section == ("Een ander document", "2.2 Financiering")


def test_a_section_without_content_makes_no_passage() -> None:
    """A heading followed at once by one of its rank or higher closes a section with no text:
    its heading alone made a passage, found and cited for nothing. It makes none; the next
    section's passage and path are its own."""
    doc = make_doc(
        [
            heading("Regelingen", 2),
            heading("NOW", 2),
            para(SENTENCES[7]),
            heading("Tozo", 2),
            heading("Voorwaarden", 3),
            heading("Aanvragen", 3),
            para(SENTENCES[9]),
            heading("Contact", 2),
        ]
    )
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    assert [(p.section, p.text) for p in passages] == [
        (("NOW",), f"NOW\n\n{SENTENCES[7]}"),
        (("Tozo", "Aanvragen"), f"Aanvragen\n\n{SENTENCES[9]}"),
    ]


def test_a_document_of_headings_alone_keeps_them() -> None:
    """Headings are a document's text when it has no other: it stays searchable."""
    doc = make_doc([heading("Regelingen", 2), heading("NOW", 2)])
    assert [p.text for p in split_into_passages(doc)] == ["Regelingen", "NOW"]


def in_boxes(doc: ParsedDocument, boxes: dict[int, int]) -> ParsedDocument:
    """Return `doc` with block i in box boxes[i]."""
    blocks = tuple(replace(b, box=boxes.get(i, 0)) for i, b in enumerate(doc.blocks))
    return replace(doc, blocks=blocks)


def test_a_box_is_a_closed_unit_nested_in_its_section() -> None:
    doc = make_doc(
        [
            heading("2 Financiering", 2),
            heading("2.1 Leningen", 3),
            para(SENTENCES[2]),
            heading("Kader 2.1 Een voorbeeld", 4),
            para(SENTENCES[3]),
            para(SENTENCES[4]),
            heading("Kader 2.2 Groot gezet", 1),  # a box heading set large stays nested
            para(SENTENCES[5]),
            para(SENTENCES[6]),
            heading("2.2 Garanties", 3),
            para(SENTENCES[7]),
        ]
    )
    doc = in_boxes(doc, {3: 1, 4: 1, 6: 2, 7: 2})
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    section = ("2 Financiering", "2.1 Leningen")
    assert (
        [(p.section, p.text[:20]) for p in passages]
        == [
            (section, "2 Financiering\n\n2.1 "),
            ((*section, "Kader 2.1 Een voorbeeld"), "Kader 2.1 Een voorbe"),
            (section, SENTENCES[4][:20]),  # after a box: the section around it
            ((*section, "Kader 2.2 Groot gezet"), "Kader 2.2 Groot geze"),
            (section, SENTENCES[6][:20]),
            (("2 Financiering", "2.2 Garanties"), "2.2 Garanties\n\nWerkg"),
        ]
    )


def test_endnotes_form_a_section_of_their_own() -> None:
    doc = make_doc(
        [
            heading("1 Inleiding", 2),
            para(SENTENCES[0]),
            heading("2 Vervolg", 2),
            para(SENTENCES[1]),
            para("Kamerstuk 32 637, nr. 316."),
            para("Zie de brief van 8 juni 2020."),
        ]
    )
    notes = tuple(replace(b, endnote=i >= 4) for i, b in enumerate(doc.blocks))
    passages = split_into_passages(replace(doc, blocks=notes))
    assert [p.section for p in passages] == [("1 Inleiding",), ("2 Vervolg",), (NOTES_SECTION,)]
    assert passages[-1].text == "Kamerstuk 32 637, nr. 316.\n\nZie de brief van 8 juni 2020."
    assert NOTES_SECTION == "Voetnoten"


def test_long_paragraph_is_split_at_sentence_ends_only() -> None:
    text = sentences(40)
    doc = make_doc([heading("Regelingen", 2), para(text)])
    passages = split_into_passages(doc, max_chars=300)
    check_invariants(doc, passages, 300)
    assert len(passages) >= 10
    for p in passages:
        assert p.text.endswith((".", "!", "?"))
        assert not p.text.endswith(
            ("o.a.", "mln.", "bijv.", "d.w.z.", "nr.", "art.", "m.b.t.", "ondern.")
        )
    at = doc.blocks[1].start
    for i in range(40):
        sentence = SENTENCES[i % len(SENTENCES)]  # "ondern. en" is no end: lower case follows
        at = doc.text.index(sentence, at)
        assert covered(passages, at, at + len(sentence)), sentence
        at += len(sentence)


def test_full_stop_before_a_lower_case_word_ends_no_sentence() -> None:
    sentence = "Het Rijk steunt met de TVL kleine en middelgrote ondern. en zzp'ers."
    doc = make_doc([para(" ".join([sentence] * 6))])
    passages = split_into_passages(doc, max_chars=80)
    check_invariants(doc, passages, 80)
    assert [p.text for p in passages] == [sentence] * 6


def test_paragraph_after_a_heading_leaves_room_for_the_heading() -> None:
    n = max(i for i in range(40) if len(sentences(i)) <= 1200)
    title = "2.2.6 Welke regeling past bij welke ondernemer in de tweede helft van 2020?"
    doc = make_doc([heading(title, 4), para(sentences(n))])
    assert len(doc.text) > 1200
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    assert passages[0].text.startswith(f"{title}\n\nHet kabinet")


def test_list_joins_its_intro_beyond_the_merge_target() -> None:
    intro = sentences(7) + " Het kabinet neemt daarom de volgende maatregelen:"
    items = "\n".join(f"- {s}" for s in SENTENCES[:6])
    doc = make_doc([para(intro), ("list", items, 0)])
    assert 900 < len(doc.text) <= 1200
    passages = split_into_passages(doc)
    assert [p.text for p in passages] == [doc.text]


def test_split_paragraph_repeats_the_sentence_before_the_cut() -> None:
    doc = make_doc([para(sentences(30))])
    passages = split_into_passages(doc)
    assert len(passages) >= 2
    for left, right in zip(passages, passages[1:], strict=False):
        assert right.start < left.end  # the last sentence of `left` opens `right`
        assert left.text.endswith(doc.text[right.start : left.end])


def test_giant_sentence_is_cut_at_clause_boundaries() -> None:
    clause = "de ondernemer vraagt een lening aan bij de bank met een borgstelling van de overheid"
    text = "Als " + ", ".join([clause] * 40) + "; daarna volgt de beoordeling door RVO."
    doc = make_doc([para(text)])
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    assert len(passages) >= 3
    assert all(p.text.endswith((",", ";", ".")) for p in passages)


def test_giant_sentence_without_punctuation_is_cut_between_words() -> None:
    words = [f"woord{i}" for i in range(400)]
    doc = make_doc([para(" ".join(words))])
    passages = split_into_passages(doc, max_chars=500)
    check_invariants(doc, passages, 500)
    assert [w for p in passages for w in p.text.split()] == words


def test_list_stays_with_its_introducing_sentence() -> None:
    intro = "Het kabinet neemt de volgende maatregelen:"
    items = "\n".join(f"- {s}" for s in SENTENCES[:5])
    doc = make_doc(
        [heading("Maatregelen", 2), para(sentences(13)), para(intro), ("list", items, 0)]
    )
    assert len(doc.text) > 1200  # the intro would fit before the cut, the list would not
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    assert any(p.text == f"{intro}\n\n{items}" for p in passages)


def test_table_is_kept_whole_with_its_caption_when_it_fits() -> None:
    caption = "*Tabel 1. Gebruik van de steunmaatregelen*"
    rows = "\n".join(
        ["| Maatregel | Bedrag |", "|---|---|"] + [f"| NOW {i} | {i},5 mld |" for i in range(30)]
    )
    doc = make_doc([heading("Steun", 2), para(sentences(9)), para(caption), ("table", rows, 0)])
    assert len(doc.text) > 1200
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    assert passages[-1].text == f"{caption}\n\n{rows}"


def test_oversized_table_is_cut_between_rows() -> None:
    lines = ["| Maatregel | Bedrag |", "|---|---|"] + [
        f"| Regeling {i} | {i}.000 euro |" for i in range(80)
    ]
    doc = make_doc([("table", "\n".join(lines), 0)])
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    assert len(passages) >= 2
    assert [line for p in passages for line in p.text.split("\n")] == lines


def test_passages_break_at_page_boundaries() -> None:
    doc = make_doc([heading("Steun", 2), para(sentences(3)), PAGE, para(sentences(3, 3))])
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    assert [(p.page_start, p.page_end) for p in passages] == [(1, 1), (2, 2)]
    assert passages[1].section == ("Steun",)


def test_heading_at_the_bottom_of_a_page_goes_with_the_next_paragraph() -> None:
    doc = make_doc([para(sentences(4)), heading("Financiering", 2), PAGE, para(sentences(3))])
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    assert passages[1].text.startswith("Financiering\n\n")
    assert (passages[1].page_start, passages[1].page_end) == (1, 2)


def test_paragraph_running_over_a_page_records_both_pages() -> None:
    doc = make_doc([para(sentences(3)), para(sentences(4, 3))])
    middle = doc.blocks[1].start + 100
    doc = ParsedDocument(doc.meta, doc.text, doc.blocks, (0, middle))
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    assert (passages[0].page_start, passages[-1].page_end) == (1, 2)


def test_tiny_remainder_after_a_page_break_joins_the_previous_passage() -> None:
    doc = make_doc([heading("SEED Capital", 2), para(sentences(5)), PAGE, para("Waar? Bij RVO.")])
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    assert len(passages) == 1
    assert passages[0].text.endswith("Waar? Bij RVO.")


def test_whole_document_is_covered() -> None:
    items = [heading("Inleiding", 2), para(sentences(3)), para(sentences(50, 2)), PAGE]
    items += [heading("Acties", 3), para(sentences(2)), ("list", "- a\n- b", 0)]
    doc = make_doc(items)
    passages = split_into_passages(doc)
    check_invariants(doc, passages, 1200)
    for block in doc.blocks:
        assert all(
            any(p.start <= i < p.end for p in passages) for i in range(block.start, block.end)
        )


@st.composite
def documents(draw: st.DrawFn) -> list[Item]:
    items: list[Item] = []
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.sampled_from(["heading", "paragraph", "paragraph", "list", "page"]))
        if kind == "heading":
            items.append(heading(f"Kop {len(items)}", draw(st.integers(1, 4))))
        elif kind == "paragraph":
            items.append(para(sentences(draw(st.integers(1, 35)), draw(st.integers(0, 9)))))
        elif kind == "list":
            n = draw(st.integers(1, 12))
            items.append(("list", "\n".join(f"- {s}" for s in SENTENCES[:n]), 0))
        else:
            items.append(PAGE)
    return items


@settings(max_examples=150, deadline=None)
@given(documents(), st.sampled_from([300, 700, 1200]))
def test_random_documents_keep_every_invariant(items: list[Item], max_chars: int) -> None:
    doc = make_doc(items)
    passages = split_into_passages(doc, max_chars=max_chars)
    check_invariants(doc, passages, max_chars)
    for block in doc.blocks:  # every sentence lies whole inside one passage
        for sentence in SENTENCES:
            at = doc.text.find(sentence, block.start, block.end)
            while at >= 0:
                assert covered(passages, at, at + len(sentence))
                at = doc.text.find(sentence, at + 1, block.end)


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.md"))


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_documents_chunk_within_bounds(path: Path) -> None:
    doc = parse.parse_document(path, CORPUS)
    passages = split_into_passages(doc)
    assert passages
    for p in passages:
        assert doc.text[p.start : p.end] == p.text
        assert len(p.text) <= 1200
        assert doc.page_at(p.start) == p.page_start
    for block in doc.blocks:
        assert any(p.start <= block.start < p.end for p in passages)
    assert len({p.id for p in passages}) == len(passages)
