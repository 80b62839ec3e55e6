"""HTML through selectolax (lexbor): headings, paragraphs, lists and tables; never runs scripts."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from index.addresses import UrlRefused, parse_target
from index.boilerplate import (
    callouts_with_headings,
    content_root,
    holds_heading,
    is_accordion_label,
    is_article,
    is_boilerplate,
    is_main,
    is_never_text,
    reveal_disclosures,
)
from index.clean import collapse_whitespace
from index.htmltags import BLOCK_TAGS, HEADING_LEVELS, PARAGRAPH_TAGS, block_tag, holds_a_heading
from index.metadata import MetaFields, clean_embedded_title, normalize_date, without_site_names
from index.textbuild import (
    NOTE_MARK,
    Content,
    NoteKey,
    TextBuilder,
    join_with_refs,
    take_note_marks,
)
from index.types import BlockKind
from index.webtext import article_head

Node = Any  # selectolax.lexbor.LexborNode (untyped)

_DATE_KEYS = (
    "dc.date",
    "dcterms.date",
    "dcterms.issued",
    "dc.date.issued",
    "dcterms.created",
    "date",
    "article:published_time",
    "citation_publication_date",
    "publication_date",
    "dcterms.available",  # OWMS, the metadata standard of Dutch government sites
)
# When a page names no publication date: when it was last changed, which is at least a date
# the text held, rather than none (`_metadata`).
_MODIFIED_KEYS = ("dcterms.modified", "article:modified_time", "og:updated_time")
_JSON_LD_PUBLISHED = ("datePublished", "dateCreated")
MAX_JSON_LD_CHARS = 100_000  # structured data larger than this is not read for a date
# Deeper nesting is refused before parsing: lexbor's time grows superlinearly with the depth
# (~7 s for 50,000 nested <div>s) and the walker below recurses once per level anyway.
MAX_DEPTH = 1000
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
# Elements that never hold others (void) or close themselves when a sibling starts.
_NOT_NESTING = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen "
    "p li dt dd option optgroup tr td th thead tbody tfoot colgroup caption rb rt rtc rp "
    "html head body".split()
)
_FOREIGN = frozenset({"svg", "math"})  # inside these, <x/> closes itself
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
# A <sup> without a link is a footnote marker or an exponent. Its text is wrapped in these
# (private-use) characters until the text around it is known (`_placed`).
_SUP_OPEN, _SUP_CLOSE = "\ue0f1", "\ue0f2"
_BARE_SUP = re.compile(f"{_SUP_OPEN}([^{_SUP_OPEN}{_SUP_CLOSE}]*){_SUP_CLOSE}")
_MARKER = re.compile(r"\s*(\d{1,3}|[*\u2020\u2021]{1,3})\s*")  # "2", "12", "*", "†"
# After a word or the punctuation that closes one, a marker refers to a note ("omzetverlies²",
# "ondernemers.³"); after a number or a unit of length it is an exponent ("10⁶", "m²").
_BEFORE_MARKER = re.compile(r"(?:[^\W\d_]|[.,;:!?)\]»”\"'])$")
_BEFORE_EXPONENT = re.compile(r"(?:\b(?:m|cm|mm|dm|km)|\d)$")
# A page title's trailing part after a dash, when it names the site ("Tozo aanvragen - KVK").
_TITLE_DASH = re.compile(r"\s+[-\u2013\u2014]\s+")
_LOOK_BACK = 40  # characters before a <sup> that decide its place: the word or number it ends
_STRAY = str.maketrans("", "", NOTE_MARK + _SUP_OPEN + _SUP_CLOSE)
_LISTS = ("ul", "ol")


def decode_html(data: bytes) -> str:
    """Return HTML bytes as text: BOM, then UTF-8, then the declared charset, then cp1252."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    if data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    codec = declared.group(1).decode("ascii") if declared else "cp1252"
    try:
        return data.decode(codec, errors="replace")
    except LookupError:
        return data.decode("cp1252", errors="replace")


class HtmlTooDeep(RecursionError):
    """The markup nests deeper than MAX_DEPTH; found by a scan before parsing."""


def nests_too_deep(markup: str, max_depth: int = MAX_DEPTH) -> bool:
    """Return whether the elements of `markup` nest deeper than `max_depth` (a linear scan)."""
    depth = foreign = 0
    for match in _TAG.finditer(markup):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _NOT_NESTING:
            continue
        if closing:
            depth = max(0, depth - 1)
            foreign = max(0, foreign - (name in _FOREIGN))
        elif not (self_closing and foreign):
            depth += 1
            foreign += name in _FOREIGN
            if depth > max_depth:
                return True
    return False


def read_html(markup: str) -> tuple[Content, MetaFields]:
    """Return the cleaned content and the metadata of an HTML page (RecursionError if absurd)."""
    if nests_too_deep(markup):
        raise HtmlTooDeep(f"HTML nests deeper than {MAX_DEPTH} elements")
    tree = LexborHTMLParser(markup)
    reveal_disclosures(tree)
    root = content_root(tree)
    boxes = callouts_with_headings(root) if root is not None else frozenset()
    walker = _Walker(boxes)
    if root is not None:
        walker.walk(root, in_article=is_article(root) or is_main(root))
    walker.flush()
    blocks = _without_head_furniture(_without_empty_headings(walker.blocks))
    return _content(blocks), _metadata(tree, root)


def _is_dropped(node: Node) -> bool:
    """Return True for an element inside a block that is never text (a script, hidden)."""
    return is_never_text(node)


def _inline_text(node: Node, labels: list[str] | None = None) -> str:
    """Return the text inside `node`; line breaks and block edges become spaces. A footnote
    reference such as <sup><a href="#fn1">1</a></sup> is left out; with `labels`, a NOTE_MARK
    stands in its place and its target ("fn1") is added to `labels`."""
    if node.tag == "-text":
        return str(node.text_content or "").translate(_STRAY)
    if node.tag == "br":
        return " "
    if _is_dropped(node):
        return ""
    if node.tag == "sup" and (link := node.css_first('a[href^="#"]')) is not None:
        return _note_reference(link, labels)
    if node.tag == "a" and _in_page_target(node):
        if _is_note_link(node):  # <a href="#fn1"><sup>1</sup></a>, as Pandoc writes it
            return _note_reference(node, labels)
        if _is_back_link(node):
            return ""
    inner = "".join(_inline_text(child, labels) for child in node.iter(include_text=True))
    if node.tag == "sup":  # without a link: placed once the text before it is known
        return f"{_SUP_OPEN}{_unwrapped(inner)}{_SUP_CLOSE}"
    edged = node.tag == "button" or block_tag(node) in BLOCK_TAGS  # tab labels, custom blocks
    return f" {inner} " if edged else inner


def _note_reference(link: Node, labels: list[str] | None) -> str:
    """Return what stands for a footnote reference: nothing, or with `labels` a NOTE_MARK, its
    target ("fn1" of href="#fn1") added to `labels`."""
    if labels is None:
        return ""
    labels.append(_in_page_target(link))
    return NOTE_MARK


def _in_page_target(link: Node) -> str:
    """Return the id that a link to a place on its own page points to ("fn1"), else ""."""
    href = str(link.attributes.get("href") or "")
    return href[1:] if href.startswith("#") else ""


def _is_note_link(link: Node) -> bool:
    """Return whether a link to a place on the page is a footnote reference: marked so by its
    ARIA role ("doc-noteref"), or a note marker ("1", "[2]", "*") set as a superscript inside
    it (Pandoc: <a href="#fn1" class="footnote-ref"><sup>1</sup></a>)."""
    if (link.attributes.get("role") or "").lower() == "doc-noteref":
        return True
    text = link.text(deep=True).strip().strip("[]()")
    return link.css_first("sup") is not None and _MARKER.fullmatch(text) is not None


def _is_back_link(link: Node) -> bool:
    """Return whether a link to a place on the page leads back from a note to its marker
    (role "doc-backlink"), or is another arrow without words ("↩", "↑", "^" to the
    top of the page): navigation, not text."""
    if (link.attributes.get("role") or "").lower() == "doc-backlink":
        return True
    text = link.text(deep=True).strip()
    return bool(text) and not any(ch.isalnum() for ch in text) and not _MARKER.fullmatch(text)


def _placed(text: str) -> str:
    """Return `text` with each bare <sup>'s text placed: left out when it is a footnote marker
    after a word ("omzetverlies<sup>2</sup>", which would otherwise read "omzetverlies2" and
    match no search), kept as it stands otherwise ("m<sup>2</sup>", "10<sup>6</sup>")."""

    def place(match: re.Match[str]) -> str:
        window = text[max(0, match.start() - _LOOK_BACK) : match.start()]  # linear in all
        before = _unwrapped(window).rstrip()
        marker = _MARKER.fullmatch(match.group(1)) is not None
        if marker and _BEFORE_MARKER.search(before) and not _BEFORE_EXPONENT.search(before):
            return ""
        return match.group(1)

    return _BARE_SUP.sub(place, text)


def _unwrapped(text: str) -> str:
    """Return `text` with the bare <sup>s inside it as plain text, not yet placed."""
    return _BARE_SUP.sub(lambda m: m.group(1), text)


def _clean(text: str) -> str:
    """Return inline text with its bare <sup>s placed and its whitespace collapsed."""
    return collapse_whitespace(_placed(text))


def _text_and_refs(node: Node) -> tuple[str, list[tuple[int, str]]]:
    """Return the cleaned text of `node` and where its footnote references stood."""
    labels: list[str] = []
    return take_note_marks(_clean(_inline_text(node, labels)), labels)


def _note_id(node: Node) -> str | None:
    """Return the id that a footnote reference may point to: the element's own."""
    value = node.attributes.get("id")
    return str(value) if value else None


@dataclass(frozen=True, slots=True)
class _Block:
    """A block as the walker found it, before it is added to the text (`TextBuilder.add`)."""

    kind: BlockKind
    text: str
    level: int
    box: int
    note_refs: Sequence[tuple[int, NoteKey]] = ()
    note: NoteKey | None = None
    note_spans: Sequence[tuple[NoteKey, int, int]] = ()


def _content(blocks: Sequence[_Block]) -> Content:
    """Return the text made of `blocks`, with a page's notes list (<ol><li id="fn1">) marked."""
    builder = TextBuilder()
    for block in blocks:
        builder.add(
            block.kind,
            block.text,
            block.level,
            note_refs=block.note_refs,
            note=block.note,
            note_spans=block.note_spans,
            box=block.box,
        )
    builder.mark_gathered_notes()
    return builder.build()


def _without_empty_headings(blocks: Sequence[_Block]) -> list[_Block]:
    """Return `blocks` without the headings that have nothing under them: no block other than
    a heading before the next heading of the same or a higher level in the same box, the end
    of the box or the end of the page. On a web page that is a heading whose content was left
    out as furniture ("Meer informatie" over a list of links, "Ook interessant" over cards): a
    heading of nothing. A heading over subsections keeps its place when one of them has text.
    A page of nothing but headings keeps them all: they are all the text it has."""
    if all(block.kind == "heading" for block in blocks):
        return list(blocks)
    return [block for i, block in enumerate(blocks) if not _is_empty_heading(blocks, i)]


def _without_head_furniture(blocks: Sequence[_Block]) -> list[_Block]:
    """Return `blocks` without an article's kicker and byline (`index.webtext.article_head`), as
    a page copied as text loses them: a category label above the title ("Corona") and the list
    of author, kind, reading time and counters under it, of which its dateline stays, as a
    paragraph ("Bijgewerkt 17 nov 2020"). A block with footnote references is left whole."""
    lines: list[str] = []
    spans: list[range] = []  # each block's lines
    for block in blocks:
        own = block.text.split("\n")
        spans.append(range(len(lines), len(lines) + len(own)))
        lines += [*own, ""]
    kept = article_head(lines)
    if kept == lines:
        return list(blocks)
    out: list[_Block] = []
    for block, span in zip(blocks, spans, strict=True):
        left = [kept[k] for k in span if kept[k]]
        if block.note_refs or block.note_spans or left == lines[span.start : span.stop]:
            out.append(block)
        elif left:
            out.append(replace(block, kind="paragraph", text="\n".join(left), level=0))
    return out


def _is_empty_heading(blocks: Sequence[_Block], index: int) -> bool:
    """Return whether `blocks[index]` is a heading with nothing under it (see
    `_without_empty_headings`). The scan passes only the deeper headings that follow it."""
    heading = blocks[index]
    if heading.kind != "heading":
        return False
    for block in blocks[index + 1 :]:
        if heading.box and block.box != heading.box:
            return True  # the box ended
        if block.kind != "heading":
            return False
        if block.level <= heading.level and block.box == heading.box:
            return True
    return True


class _Walker:
    """Walks block-level elements in document order and collects their blocks."""

    def __init__(self, boxes: frozenset[int]) -> None:
        self.blocks: list[_Block] = []
        self._boxed = boxes  # the `mem_id`s of the callouts that are boxes
        self._inline: list[str] = []
        self._labels: list[str] = []
        self._level = 1  # of the last heading: an accordion's labels nest one below it
        self._boxes = 0  # the boxes met so far
        self._box = 0  # the box being walked (`Block.box`); 0 outside boxes

    def add(
        self,
        kind: BlockKind,
        text: str,
        level: int = 0,
        *,
        note_refs: Sequence[tuple[int, NoteKey]] = (),
        note: NoteKey | None = None,
        note_spans: Sequence[tuple[NoteKey, int, int]] = (),
    ) -> None:
        """Add a block with text, in the box being walked (see `TextBuilder.add`)."""
        if text.strip():
            block = _Block(kind, text, level, self._box, note_refs, note, note_spans)
            self.blocks.append(block)

    def flush(self) -> None:
        """Add text that stood loose between block elements as a paragraph."""
        text, refs = take_note_marks(_clean("".join(self._inline)), self._labels)
        self.add("paragraph", text, note_refs=refs)
        self._inline, self._labels = [], []

    def walk(self, node: Node, in_article: bool) -> None:
        for child in node.iter(include_text=True):
            tag = block_tag(child)  # <utrecht-heading-2> is an <h2> (`index.htmltags`)
            if is_accordion_label(child):  # not in a heading (that one is the heading's text)
                self.flush()
                label = _clean(_inline_text(child))
                self.add("heading", label, min(self._level + 1, max(HEADING_LEVELS.values())))
                continue
            if holds_heading(child) and not is_boilerplate(child, in_article):
                self.flush()  # a heading in a button heads what follows (`reveal_disclosures`)
                self._walk_container(child, in_article)
                continue
            if tag == "-text" or tag not in BLOCK_TAGS:
                self._inline.append(_inline_text(child, self._labels))
                continue
            if is_boilerplate(child, in_article):
                continue
            self.flush()
            if tag in HEADING_LEVELS:
                text = _clean(_inline_text(child))
                self.add("heading", text, HEADING_LEVELS[tag])
                self._level = HEADING_LEVELS[tag]
            elif tag in ("ul", "ol", "table"):
                if not self._add_rows(child, tag):
                    self.walk(child, in_article or is_article(child))
                    self.flush()
            elif _is_summary(child):
                self._add_summary(child, in_article)
            elif tag in PARAGRAPH_TAGS:
                text, refs = _text_and_refs(child)
                self.add("paragraph", text, note_refs=refs, note=_note_id(child))
            else:
                self._walk_container(child, in_article or is_article(child))

    def _walk_container(self, node: Node, in_article: bool) -> None:
        """Walk an element that holds blocks. A callout set apart from the text (an <aside>,
        kept inside an article or <main>, or a notice of ARIA's role note, status or alert, as
        the NL Design System's alerts are) that holds a heading of its own, not one of a
        callout nested in it (`callouts_with_headings`), is a box (`Block.box`), as in a
        typeset report: a closed unit, whose heading governs the callout only, so that the text
        after it belongs to the section around it again. HTML's outline says the same of an
        aside: a section of its own, nested in the one it stands in."""
        box = not self._box and node.mem_id in self._boxed
        level = self._level
        if box:
            self._boxes += 1
            self._box = self._boxes
        self.walk(node, in_article)
        self.flush()
        if box:
            self._box = 0
        if box or node.tag == "details":  # its headings end with it (`_add_summary`)
            self._level = level

    def _add_summary(self, node: Node, in_article: bool) -> None:
        """Add the summary of a <details> element as the heading of the details' content, one
        level below the heading it stands under, as an accordion's label is: a page's
        collapsible questions (<details><summary>Vraag?</summary>antwoord</details>) head
        their answers. Headings after it within the details nest below it; the details' end
        ends them (`_walk_container`). A summary that holds a heading of its own is read as a
        container: its heading keeps its level."""
        if holds_a_heading(node):
            self._walk_container(node, in_article)
            return
        level = min(self._level + 1, max(HEADING_LEVELS.values()))
        self.add("heading", _clean(_inline_text(node)), level)
        self._level = level

    def _add_rows(self, node: Node, tag: str) -> bool:
        """Add a list or table block. Return False, adding nothing, when an element that only
        its role or custom name makes a list or table (a <div role="list"> of paragraphs) has
        no item or row: the caller reads it as a container, as before it had a name."""
        if tag == "table":
            rows = _table_rows(node)
            if rows or node.tag == tag:
                if (caption := _table_caption(node)) is not None:
                    self.add("paragraph", _clean(_inline_text(caption)))
                self.add("table", "\n".join(rows))
                return True
            return False
        items = _list_items(node)
        if items or node.tag == tag:
            self._add_list(items)
            return True
        return False

    def _add_list(self, items: list[_Item]) -> None:
        """Add list items as one block, with their footnote references and the notes among
        them (an item with an id, such as <li id="fn1">)."""
        text, refs, starts = join_with_refs([(item.line, item.refs) for item in items])
        notes = [
            (item.note, start + len(item.prefix), start + len(item.line))
            for item, start in zip(items, starts, strict=True)
            if item.note
        ]
        self.add("list", text, note_refs=refs, note_spans=notes)


@dataclass(frozen=True, slots=True)
class _Item:
    """A list item as a line ("3. tekst"), with its footnote references and its own id; or a
    line of an item's text after a list nested in it, which continues the item."""

    prefix: str  # "3. " or "• "; "" on a line that continues its item
    line: str
    refs: list[tuple[int, str]]  # (offset in the line, label)
    note: str | None


def _is_summary(node: Node) -> bool:
    """Return whether `node` is the summary of a <details> element: a <summary> in one."""
    parent = node.parent
    return node.tag == "summary" and parent is not None and parent.tag == "details"


def _list_items(node: Node) -> list[_Item]:
    """Return the items of a ul/ol as lines ("• tekst", "3. tekst"); nested lists follow the
    item they stand in, each of their items a line of its own. A list nested in an item may
    stand in a wrapper (<li><div><span>…</span><ul>…</ul></div></li>), and an editor may put
    it straight in the list, after the item it belongs to (<ul><li>…</li><ul>…</ul></ul>).
    An item's text keeps its order around its nested lists (`_item_lines`)."""
    ordered = block_tag(node) == "ol"
    start = node.attributes.get("start") or "1"
    number = int(start) if start.isdigit() else 1
    items: list[_Item] = []
    for li in node.iter():
        if _is_dropped(li):
            continue
        if block_tag(li) in _LISTS:
            items.extend(_list_items(li))
            continue
        if block_tag(li) != "li":
            continue
        prefix = f"{number}. " if ordered else "• "
        lines = _item_lines(li, prefix)
        if any(line.prefix for line in lines):
            number += 1
        items.extend(lines)
    return items


@dataclass(slots=True)
class _Run:
    """A stretch of a list item's own text (its inline parts and the targets of its footnote
    references) and the items of the lists nested after it."""

    parts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    nested: list[_Item] = field(default_factory=list)


def _item_lines(li: Node, prefix: str) -> list[_Item]:
    """Return the lines of a list item in document order: its own text up to a nested list,
    the lines of that list's items, then its text after it as a line of its own, and so on
    ("Voorwaarden <ul>…</ul> en verder dit": "• Voorwaarden", the sub-items, "en verder dit").
    The first line of its own text opens with the item's bullet or number (`prefix`); a later
    one continues the item, not a new one, and has none."""
    runs = [_Run()]
    _own_text(li, runs)
    lines: list[_Item] = []
    opened = False
    for run in runs:
        text, refs = take_note_marks(_clean("".join(run.parts)), run.labels)
        if text:
            lead = "" if opened else prefix
            shifted = [(len(lead) + at, label) for at, label in refs]
            lines.append(_Item(lead, lead + text, shifted, None if opened else _note_id(li)))
            opened = True
        lines.extend(run.nested)
    return lines


def _own_text(node: Node, runs: list[_Run]) -> None:
    """Add the inline text of a list item's `node` to the last of `runs`, and the items of a
    list nested in it, at any depth, to that run's `nested`, a new run taking the text after
    the list. An element that holds a list is a wrapper: its edges part words, as a block's
    do (`_inline_text`)."""
    for child in node.iter(include_text=True):
        if block_tag(child) in _LISTS:
            runs[-1].nested.extend(_list_items(child))
            runs.append(_Run())
        elif child.tag != "-text" and not _is_dropped(child) and _holds_list(child):
            runs[-1].parts.append(" ")
            _own_text(child, runs)
            runs[-1].parts.append(" ")
        else:
            runs[-1].parts.append(_inline_text(child, runs[-1].labels))


def _holds_list(node: Node) -> bool:
    """Return whether a list element stands anywhere inside `node`."""
    return any(block_tag(inner) in _LISTS for inner in node.traverse(include_text=False))


def _table_caption(table: Node) -> Node | None:
    """Return a table's caption (<caption>, or an element named or playing one), if any. It is
    the table's title, not a row: the reader adds it as a paragraph before the rows, as a
    table's title stands before its table in the other formats ("Tabel 1. ..." above a
    Markdown table), so that the table block starts with its header row."""
    parts = (node for node in table.traverse(include_text=False))
    return next((node for node in parts if block_tag(node) == "caption"), None)


def _table_rows(table: Node) -> list[str]:
    """Return one line per row, cells separated by " | " (the caption is not a row)."""
    rows: list[str] = []
    parts = [(node, block_tag(node)) for node in table.traverse(include_text=False)]
    for row in (node for node, tag in parts if tag == "tr"):
        cells = [_clean(_inline_text(c)) for c in row.iter() if block_tag(c) in ("td", "th")]
        if any(cells):
            rows.append(" | ".join(cells))
    return [row for row in rows if row]


def _metadata(tree: LexborHTMLParser, root: Node | None = None) -> MetaFields:
    """Read title, date, kind and canonical URL from <title>, <meta> and <link> elements.

    The date is the first of: a publication date in <meta> (`_DATE_KEYS`), in the page's
    structured data (JSON-LD "datePublished"), the first <time datetime> of the content
    (`root`), then the date it was last changed (<meta>, JSON-LD "dateModified")."""
    metas: dict[str, str] = {}
    for meta in tree.css("meta"):
        attrs = meta.attributes
        key = (attrs.get("name") or attrs.get("property") or "").strip().lower()
        content = attrs.get("content")
        if key and content:
            metas.setdefault(key, content)
    title_node = tree.css_first("title")
    page_title = without_site_names(title_node.text()) if title_node is not None else ""
    titles = [metas.get("dc.title"), metas.get("dcterms.title"), metas.get("og:title"), page_title]
    dates = (normalize_date(value) for value in _date_candidates(tree, root, metas))
    canonical = tree.css_first("link[rel=canonical]")
    canonical_url = canonical.attributes.get("href") if canonical is not None else None
    urls = [canonical_url, metas.get("og:url")]
    site = _site_names([metas.get("og:site_name"), metas.get("application-name")], urls)
    own_titles = [_without_site_name(t, site) for t in titles if t]
    return MetaFields(
        title=next((t for t in map(clean_embedded_title, own_titles) if t), None),
        date=next((d for d in dates if d), None),
        kind=metas.get("dc.type") or metas.get("dcterms.type"),
        source_url=next((u for u in urls if u and u.startswith(("https://", "http://"))), None),
    )


def _name_key(text: str) -> str:
    """Return a site name as compared: lower case, letters and digits only, no "www." or
    top-level domain ("Rijksoverheid.nl" and "rijksoverheid" are the same)."""
    text = re.sub(r"^www\.|\.[a-z]{2,}$", "", text.strip().lower())
    return re.sub(r"[^0-9a-z]+", "", text)


def _site_names(names: list[str | None], urls: list[str | None]) -> frozenset[str]:
    """Return the keys (`_name_key`) by which a page names its own site: its declared site
    name, and the labels of its address's host ("ondernemersplein.kvk.nl": "ondernemersplein",
    "kvk", and the two together)."""
    keys = {_name_key(n) for n in names if n}
    for url in filter(None, urls):
        try:
            host = parse_target(url).host
        except UrlRefused:
            continue
        labels = [_name_key(label) for label in host.lower().split(".")[:-1]]
        labels = [label for label in labels if label and label != "www"]
        keys.update(labels)
        keys.add("".join(labels))
    return frozenset(k for k in keys if k)


def _without_site_name(title: str, site: frozenset[str]) -> str:
    """Return `title` without trailing dash-separated parts that name the site ("Tozo aanvragen
    - KVK" on kvk.nl); a title that is only the site's name stays."""
    title = title.strip()
    while site:
        separators = list(_TITLE_DASH.finditer(title))
        if not separators or _name_key(title[separators[-1].end() :]) not in site:
            break
        title = title[: separators[-1].start()]
    return title


def _date_candidates(
    tree: LexborHTMLParser, root: Node | None, metas: dict[str, str]
) -> Iterator[str]:
    """Yield the page's date values, best first (see `_metadata`); the JSON-LD is parsed and
    the content searched only when nothing before them gave a date."""
    yield from (metas[key] for key in _DATE_KEYS if key in metas)
    structured = _json_ld(tree)
    yield from (v for k in _JSON_LD_PUBLISHED for v in _values(structured, k))
    time = root.css_first("time[datetime]") if root is not None else None
    if time is not None:
        yield str(time.attributes.get("datetime") or "")
    yield from (metas[key] for key in _MODIFIED_KEYS if key in metas)
    yield from _values(structured, "dateModified")


def _json_ld(tree: LexborHTMLParser) -> list[object]:
    """Return the parsed JSON-LD blocks of a page (those that parse; none too large)."""
    found: list[object] = []
    for script in tree.css('script[type="application/ld+json"]'):
        text = script.text(deep=True)
        if len(text) > MAX_JSON_LD_CHARS:
            continue
        try:
            found.append(json.loads(text))
        except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
            continue
    return found


def _values(data: object, key: str) -> Iterator[str]:
    """Yield the string values of `key` anywhere in parsed JSON, in document order."""
    stack = [data]
    while stack:  # no recursion: JSON may nest deeply
        item = stack.pop()
        if isinstance(item, dict):
            value = item.get(key)
            if isinstance(value, str):
                yield value
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
