"""Markdown: front matter as metadata, page markers, and headings, lists and tables as blocks."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from index.clean import collapse_whitespace, normalize_line
from index.frontmatter import split_front_matter
from index.metadata import MetaFields, fields_from_mapping
from index.textbuild import NOTE_MARK, Content, TextBuilder, join_with_refs, take_note_marks
from index.webtext import article_head, furniture_lines, region_labels

_PAGE_MARKER = re.compile(r"^\s*<!--\s*(?:pagina|page)\s+(\d{1,5})\s*-->\s*$", re.IGNORECASE)
_COMMENT_OPEN = re.compile(r"^\s*<!--")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_LIST_ITEM = re.compile(r"^ *([-*+]|\d{1,9}[.)])[ \t]+(.*)$")
_TABLE_ROW = re.compile(r"^ {0,3}\|")
_TABLE_RULE = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]]+)\]:[ \t]*(.*)$")
_QUOTE = re.compile(r"^(?: {0,3}>[ \t]?)+(.*)$")  # nested quotes at once: no deep recursion
_FENCE = re.compile(r"^ {0,3}(```+|~~~+)")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_NOTE_REF = re.compile(r"(?<!\\)\[\^([^\]\s]{1,50})\]")  # a footnote marker: "[^1]"

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
# Spans are bounded in length so that unbalanced markup cannot make a regex scan quadratically.
_INLINE_RULES = (
    (re.compile(r"<!--.{0,2000}?-->", re.DOTALL), ""),
    (_NOTE_REF, ""),  # footnote markers; the definitions stay as paragraphs
    (re.compile(r"!\[([^\]]{0,500})\]\((?:[^()]|\([^)]{0,500}\)){0,2000}\)"), r"\1"),
    (re.compile(r"\[([^\]]{1,500})\]\((?:[^()]|\([^)]{0,500}\)){0,2000}\)"), r"\1"),
    (re.compile(r"\[([^\]]{1,500})\]\[[^\]]{0,500}\]"), r"\1"),
    (re.compile(r"<((?:https?://|mailto:)[^>\s]{1,2000})>"), r"\1"),
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>]{0,500})?/?>"), " "),
    (re.compile(r"(`{1,3})(.{1,500}?)\1"), r"\2"),
    (re.compile(r"(\*\*|__)(?=\S)(.{1,500}?)(?<=\S)\1"), r"\2"),
    (re.compile(r"\*(?=\S)(.{1,500}?)(?<=\S)\*"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)(.{1,500}?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"~~(?=\S)(.{1,500}?)(?<=\S)~~"), r"\1"),
)
_PLACEHOLDER_BASE = 0xE000  # escaped characters hide here while markup is removed


def clean_inline(text: str) -> str:
    """Return Markdown inline text without markup: emphasis, code, links, notes and tags."""
    text = _ESCAPE.sub(lambda m: chr(_PLACEHOLDER_BASE + ord(m.group(1))), text)
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    text = re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group(0)) - _PLACEHOLDER_BASE), text)
    return collapse_whitespace(html.unescape(text))


def clean_inline_with_notes(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Return `clean_inline(text)` and (offset in it, label) of each footnote marker ("[^1]")
    it took out; no markers when other markup swallowed one (their order would be unsure)."""
    labels: list[str] = []
    if NOTE_MARK in text:
        return clean_inline(text), []

    def mark(match: re.Match[str]) -> str:
        labels.append(match.group(1))
        return NOTE_MARK

    return take_note_marks(clean_inline(_NOTE_REF.sub(mark, text)), labels)


def read_markdown(text: str) -> tuple[Content, MetaFields]:
    """Return the cleaned content of a Markdown document and the metadata in its front matter.

    The site furniture of a page converted to Markdown (breadcrumbs, share, print and feedback
    controls, footer links: `index.webtext.furniture_lines`, which also sees a feedback
    question whose buttons stand on lines of their own; the labels of the site's menus and
    other regions at the text's two ends: `index.webtext.region_labels`; the kicker above an
    article's title and its byline but for its dateline: `_head_changes`) is left out, as the
    HTML reader leaves out the page's own."""
    front, body = split_front_matter(text)
    reader = _Reader(TextBuilder())
    raws = body.split("\n")
    furniture = furniture_lines([clean_inline(raw) for raw in raws])
    furniture |= region_labels(
        ["" if i in furniture else _shown_text(raw) for i, raw in enumerate(raws)]
    )
    head = _head_changes(raws, furniture)
    for i, raw in enumerate(raws):
        pieces = raw.split("\f")
        if len(pieces) == 1:
            left_out = i in furniture or head.get(i) == ""
            reader.feed(raw, furniture=left_out, dateline=head.get(i, ""))
            continue
        reader.feed(pieces[0])
        for piece in pieces[1:]:
            reader.page_break()
            reader.feed(piece)
    return reader.finish(), fields_from_mapping(front, "front matter")


def _head_changes(raws: Sequence[str], furniture: set[int]) -> dict[int, str]:
    """Return what `index.webtext.article_head` makes of the lines of a page's head, by index:
    "" for a kicker or a line of the byline, left out, and a dateline without its bullet, which
    stays as a paragraph of its own. The rules read the text the lines show (`_shown_text`),
    the site furniture left out as blank lines, as they read a page copied as plain text."""
    texts = ["" if i in furniture else _shown_text(raw) for i, raw in enumerate(raws)]
    kept = article_head(texts)
    return {i: text for i, (text, was) in enumerate(zip(kept, texts, strict=True)) if text != was}


def _shown_text(raw: str) -> str:
    """Return the text a Markdown line shows: a heading's without its marks ("# Titel" ->
    "Titel"), a list item's with the reader's bullet ("- tekst" -> "• tekst"), none for a
    setext heading's underline or a thematic break, and any other line's without its inline
    markup. Lines inside code fences and comments are read as text, as `furniture_lines` reads
    them: the head rules look at a page's first lines only, which are no code."""
    if heading := _HEADING.match(raw):
        return clean_inline(heading.group(2) or "")
    if _SETEXT.match(raw) or _RULE.match(raw):
        return ""
    if item := _LIST_ITEM.match(raw):
        return f"{_bullet(item.group(1))} {clean_inline(item.group(2))}"
    return clean_inline(raw)


def _bullet(marker: str) -> str:
    """Return the bullet the reader writes for a list item's marker: "•" for "-", "*" and "+",
    the number itself ("3.", "3)") for an ordered item."""
    return "•" if marker in "-*+" else marker


@dataclass(slots=True)
class _Reader:
    """A line-by-line reader that keeps one open block."""

    builder: TextBuilder
    kind: str = ""  # "", "paragraph", "list", "table", "code"
    lines: list[str] = field(default_factory=list)
    items: list[list[str]] = field(default_factory=list)
    blank_in_list: bool = False
    fence: str = ""
    in_comment: bool = False
    note: str | None = None  # the label of the footnote whose text the open paragraph is

    def page_break(self) -> None:
        self._flush()
        self.builder.page_break()

    def finish(self) -> Content:
        self._flush()
        self.builder.mark_endnotes()  # where definitions usually stand; renderers put all there
        return self.builder.build()

    def feed(self, line: str, *, furniture: bool = False, dateline: str = "") -> None:
        """Read one line; `furniture` leaves it out as a blank line, and a `dateline` (the text
        a byline's dateline keeps, `_head_changes`) is a paragraph of its own in its place."""
        if self.fence or self.in_comment:
            self._feed_raw(line)
        elif marker := _PAGE_MARKER.match(line):
            self._flush()
            self.builder.to_page(int(marker.group(1)) - 1)
        elif _COMMENT_OPEN.match(line) and "-->" not in line:
            self.in_comment = True
        elif not line.strip() or (_COMMENT_OPEN.match(line) and not clean_inline(line)):
            self._blank()
        elif furniture:
            self._blank()  # site furniture, left out as the HTML reader does (`index.webtext`)
        elif dateline:
            self._flush()
            self.builder.add("paragraph", dateline)
        else:
            self._feed_block(line)

    def _feed_raw(self, line: str) -> None:
        if self.in_comment:
            self.in_comment = "-->" not in line
        elif line.strip().startswith(self.fence):
            self._flush()
        else:
            self.lines.append(line)

    def _blank(self) -> None:
        if self.kind == "list":
            self.blank_in_list = True
        else:
            self._flush()

    def _feed_block(self, line: str) -> None:
        if fence := _FENCE.match(line):
            self._open("code")
            self.fence = fence.group(1)
        elif heading := _HEADING.match(line):
            self._flush()
            self.builder.add("heading", clean_inline(heading.group(2) or ""), len(heading.group(1)))
        elif _SETEXT.match(line) and self.kind == "paragraph":
            level = 1 if line.strip().startswith("=") else 2
            self.builder.add("heading", clean_inline(" ".join(self.lines)), level)
            self._reset()
        elif _RULE.match(line):
            self._flush()
        elif _TABLE_ROW.match(line):
            self._feed_table_row(line)
        elif note := _NOTE_DEFINITION.match(line):
            self._open("paragraph")
            self.note = note.group(1)
            self.lines.append(note.group(2))
        elif quote := _QUOTE.match(line):
            self.feed(quote.group(1))
        else:
            self._feed_text(line)

    def _feed_table_row(self, line: str) -> None:
        if self.kind != "table":
            self._open("table")
        if not _TABLE_RULE.match(line):
            cells = _CELL_SPLIT.split(line.strip().strip("|"))
            self.lines.append(" | ".join(clean_inline(cell) for cell in cells).strip())

    def _feed_text(self, line: str) -> None:
        item = _LIST_ITEM.match(line)
        if item:
            if self.kind != "list":
                self._open("list")
            self.items.append([f"{_bullet(item.group(1))} {item.group(2)}"])
            self.blank_in_list = False
        elif self.kind == "list" and (not self.blank_in_list or line.startswith(("  ", "\t"))):
            self.items[-1].append(line)
            self.blank_in_list = False
        elif self.kind == "paragraph":
            self.lines.append(line)
        else:
            self._open("paragraph")
            self.lines.append(line)

    def _open(self, kind: str) -> None:
        self._flush()
        self.kind = kind

    def _flush(self) -> None:
        if self.kind == "paragraph":
            text, refs = clean_inline_with_notes(" ".join(self.lines))
            self.builder.add("paragraph", text, note_refs=refs, note=self.note)
        elif self.kind == "list":
            items = [clean_inline_with_notes(" ".join(item)) for item in self.items]
            text, refs, _ = join_with_refs([item for item in items if item[0]])
            self.builder.add("list", text, note_refs=refs)
        elif self.kind == "table":
            self.builder.add("table", "\n".join(row for row in self.lines if row))
        elif self.kind == "code":
            code = (normalize_line(line) for line in self.lines)
            self.builder.add("paragraph", "\n".join(line for line in code if line))
        self._reset()

    def _reset(self) -> None:
        self.kind, self.lines, self.items, self.note = "", [], [], None
        self.blank_in_list, self.fence = False, ""
