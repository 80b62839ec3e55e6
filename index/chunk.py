"""Split a parsed document into citable passages that follow its sections, paragraphs and pages.

A passage is always a verbatim slice of the cleaned text (`doc.text[start:end] == text`), at most
`max_chars` long and inside one section; the heading opens the passage that follows it. Short
blocks of a section are merged up to a target size; a long block is cut between lines (lists,
tables) or sentences, and only a sentence longer than `max_chars` is cut at a clause or a space.
When a paragraph is cut between sentences, the next part repeats the (short) sentence before the
cut, so a quote that runs over the cut is still found whole. Passages do not run across a page
break, except to keep a heading or an introducing sentence with the block that follows it, or to
absorb a tiny remainder.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import asdict, dataclass, field, replace

from index.abbreviations import ABBREVIATIONS
from index.metadata import same_title
from index.types import Block, ParsedDocument, Passage

# bump on any change to how passages are cut (forces re-chunking); v2: boxes and endnotes;
# v3: headings right before a box open the box's passage; v4: a section without content makes
# no passage
ALGORITHM = "sections-v4"
DEFAULT_MAX_CHARS = 1200
NOTES_SECTION = "Voetnoten"  # the section path of endnotes (`Block.endnote`)

Span = tuple[int, int]

_LINES, _SENTENCES, _CLAUSES = 0, 1, 2

_INITIALISM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # o.a, d.w.z, m.b.t (final dot excluded)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]*_]*\s+(?=\S)")
_LINE_START = re.compile(r"\n(?=\S)")
_CLAUSE_SEPARATORS = (
    re.compile(r"[;:](?=\s)"),
    re.compile(r"(?<=\S)(?=\s[–—-]\s)"),
    re.compile(r",(?=\s)"),
    re.compile(r"(?<=\S)(?=\s)"),
)
_INTRO_CAPTION = re.compile(r"[*_]*(tabel|figuur|grafiek|overzicht|bijlage)\b", re.IGNORECASE)
_TABLE_NOTE = re.compile(r"[*_]*(bron|noot|toelichting)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Limits:
    max_chars: int  # hard upper bound of a passage
    target_chars: int  # short blocks are merged up to this size
    min_chars: int  # a passage shorter than this may grow up to max_chars
    overlap_chars: int  # a split paragraph repeats its last sentence if it is this short
    orphan_chars: int  # a passage this short joins its neighbour even across a page break


@dataclass(frozen=True, slots=True)
class _Section:
    path: tuple[str, ...]
    headings: tuple[Block, ...]  # the heading run that opens the section (outer to inner)
    content: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class _Piece:
    start: int
    end: int
    glue: bool  # keep with the previous piece whenever both fit in one passage


def _limits(max_chars: int) -> _Limits:
    if max_chars < 40:
        raise ValueError(f"max_chars must be at least 40, not {max_chars}")
    return _Limits(max_chars, max_chars * 2 // 3, max_chars // 4, max_chars // 4, max_chars // 8)


CHUNK_SETTINGS: dict[str, object] = {
    "algorithm": ALGORITHM,
    **asdict(_limits(DEFAULT_MAX_CHARS)),
}


def split_into_passages(doc: ParsedDocument, max_chars: int = DEFAULT_MAX_CHARS) -> list[Passage]:
    """Split `doc` into passages in document order, numbered p1, p2, ... per document."""
    limits = _limits(max_chars)
    passages: list[Passage] = []
    for section in _sections(doc):
        pieces = _section_pieces(doc.text, section, limits)
        for start, end in _pack_section(doc, pieces, limits):
            passages.append(_passage(doc, len(passages) + 1, (start, end), section.path))
    return passages


def _passage(doc: ParsedDocument, n: int, span: Span, path: tuple[str, ...]) -> Passage:
    start, end = span
    return Passage(
        id=f"{doc.meta.doc_id}/p{n}",
        doc_id=doc.meta.doc_id,
        text=doc.text[start:end],
        start=start,
        end=end,
        page_start=doc.page_at(start),
        page_end=doc.page_at(end - 1),
        section=path,
    )


# --- sections ------------------------------------------------------------------------------


def _sections(doc: ParsedDocument) -> list[_Section]:
    """Group the blocks into sections: a run of nested headings plus the blocks below it.

    A box (`Block.box`) is a closed unit: its headings nest below the section it stands in and
    govern only the box; after it, that section goes on. Endnotes (`Block.endnote`) form a
    section of their own, NOTES_SECTION, as no heading before them governs them.

    A section without content (a heading followed at once by one of its rank or higher, or
    ending the document) makes no passage: headings alone are nothing to find or cite, and
    the next section's passage starts at its own headings, with its own path. Only a document
    that has no text besides its headings keeps them as its passages.
    """
    sections: list[_Section] = []
    path = _HeadingPath()
    headings: list[Block] = []
    content: list[Block] = []
    carried = 0  # how many of `headings` opened the section before the unit it is in now
    blocks = _blocks(doc)
    first_heading = next((b for b in blocks if b.kind == "heading"), None)
    headings_only = all(b.kind == "heading" for b in blocks)
    for block in blocks:
        if _unit(block) != path.unit:
            # Headings with no text of their own yet, right before a box, stay with the box's
            # passage rather than make a passage of headings alone: a passage is one slice of
            # the text, and the box stands between them and the text after it. Their names
            # stay in force (the path returns to them after the box, as they govern the text
            # after it), and the box's path is theirs plus its own heading.
            if content:
                sections.append(_Section(path.names(), tuple(headings), tuple(content)))
                headings, content = [], []
            path.enter(_unit(block))
            carried = len(headings)
        if block.kind != "heading":
            content.append(block)
            continue
        level = max(block.level, 1)
        own = headings[carried:]  # the unit's headings rank among themselves only
        if content or (own and max(own[-1].level, 1) >= level):
            if content or headings_only:
                sections.append(_Section(path.names(), tuple(headings), tuple(content)))
            headings, content, carried = [], [], 0
        name = _heading_text(doc.text[block.start : block.end])
        # the title heading is shown as the title, not in the path
        title = block is first_heading and level == 1 and same_title(name, doc.meta.title)
        path.heading(level, "" if title else name)
        headings.append(block)
    if content or (headings and headings_only):
        sections.append(_Section(path.names(), tuple(headings), tuple(content)))
    return sections


Unit = tuple[str, int]  # ("box", number) or ("endnotes", 0)


def _unit(block: Block) -> Unit | None:
    """Return the closed unit that `block` stands in: a box, or the endnotes; None outside."""
    if block.endnote:
        return ("endnotes", 0)
    return ("box", block.box) if block.box else None


@dataclass(slots=True)
class _HeadingPath:
    """The headings in force, outermost first, and the closed unit that the text is in."""

    stack: list[tuple[int, str]] = field(default_factory=list)  # (level, name)
    unit: Unit | None = None
    outside: list[tuple[int, str]] = field(default_factory=list)  # in force before the unit
    floor: int = 0  # the unit's headings leave stack[:floor] in place

    def enter(self, unit: Unit | None) -> None:
        """Leave the current unit, if any, for `unit`, or for the running text (None)."""
        if self.unit is not None:
            self.stack = self.outside
        self.unit, self.outside = unit, self.stack
        self.stack = [(0, NOTES_SECTION)] if unit == ("endnotes", 0) else list(self.stack)
        self.floor = len(self.stack) if unit is not None else 0

    def heading(self, level: int, name: str) -> None:
        """Close the headings of `level` and deeper, then open `name` (unnamed: none)."""
        kept = [item for item in self.stack[self.floor :] if item[0] < level]
        self.stack = [*self.stack[: self.floor], *kept, *([(level, name)] if name else [])]

    def names(self) -> tuple[str, ...]:
        return tuple(name for _, name in self.stack if name)


def _blocks(doc: ParsedDocument) -> list[Block]:
    """Return the non-blank blocks, trimmed; paragraphs between blank lines if there are none."""
    blocks = doc.blocks
    if not blocks and doc.text.strip():
        bounds = [0, *(m.end() for m in re.finditer(r"\n\s*\n", doc.text)), len(doc.text)]
        blocks = tuple(Block("paragraph", a, b) for a, b in zip(bounds, bounds[1:], strict=False))
    trimmed = (_trim(doc.text, b.start, b.end) for b in blocks)
    return [
        replace(b, start=start, end=end)
        for b, (start, end) in zip(blocks, trimmed, strict=True)
        if end > start
    ]


def _heading_text(raw: str) -> str:
    return " ".join(raw.strip().lstrip("#").strip().strip("*_").split())


# --- pieces: blocks cut to size --------------------------------------------------------------


def _section_pieces(text: str, section: _Section, limits: _Limits) -> list[_Piece]:
    """Cut the section's heading run and blocks into pieces no longer than max_chars."""
    pieces: list[_Piece] = []
    prev: Block | None = None
    if section.headings:
        start, end = section.headings[0].start, section.headings[-1].end
        spans = _split_span(text, (start, end), limits, limits.max_chars, _LINES)
        pieces.extend(_Piece(s, e, False) for s, e in spans)
        prev = section.headings[-1]
    for block in section.content:
        glue = prev is not None and _belongs_to_previous(text, prev, block)
        cap = limits.max_chars
        if glue and prev is not None and prev.kind == "heading":
            # leave room for the heading in the passage of the block's first part
            cap = max(cap - (block.start - pieces[-1].start), limits.max_chars // 2)
        level = _LINES if block.kind in ("list", "table") else _SENTENCES
        spans = _split_span(text, (block.start, block.end), limits, cap, level)
        pieces.append(_Piece(*spans[0], glue))
        pieces.extend(_Piece(s, e, False) for s, e in spans[1:])
        prev = block
    return pieces


def _belongs_to_previous(text: str, prev: Block, block: Block) -> bool:
    """Tell whether `block` should stay with `prev`: under its heading or after its intro."""
    if prev.kind == "heading":
        return True
    prev_text = text[prev.start : prev.end]
    if block.kind in ("list", "table") and prev.kind == "paragraph":
        return prev_text.rstrip("*_ ").endswith(":") or bool(_INTRO_CAPTION.match(prev_text))
    if block.kind == "paragraph" and prev.kind == "table":
        return bool(_TABLE_NOTE.match(text, block.start))
    return False


def _split_span(text: str, span: Span, limits: _Limits, cap: int, level: int) -> list[Span]:
    """Cut a span into parts of at most `cap` characters, between units of `level` or finer."""
    start, end = span
    if end - start <= cap:
        return [span]
    if level >= _CLAUSES:
        return _cut_long_sentence(text, span, cap)
    units = _lines(text, span) if level == _LINES else _sentences(text, span)
    if len(units) < 2:
        return _split_span(text, span, limits, cap, level + 1)
    small = [part for unit in units for part in _split_span(text, unit, limits, cap, level + 1)]
    goal = (end - start) / math.ceil((end - start) / limits.target_chars)
    overlap = limits.overlap_chars if level == _SENTENCES else 0
    return _pack_units(small, cap, goal, overlap)


def _pack_units(units: list[Span], cap: int, goal: float, overlap: int) -> list[Span]:
    """Join consecutive units into parts near `goal` characters, none longer than `cap`.

    With `overlap`, a part repeats the last unit of the previous part when that unit is at most
    `overlap` characters, so that a quote running over the cut is still found whole.
    """
    parts: list[Span] = []
    start, end = units[0]
    prev = units[0]
    for unit in units[1:]:
        joined = unit[1] - start
        if joined <= cap and (joined <= goal or goal - (end - start) > joined - goal):
            end = unit[1]
        else:
            parts.append((start, end))
            repeat = overlap > 0 and prev[1] - prev[0] <= overlap and unit[1] - prev[0] <= cap
            start = prev[0] if repeat and prev[0] > start else unit[0]
            end = unit[1]
        prev = unit
    parts.append((start, end))
    return parts


def _lines(text: str, span: Span) -> list[Span]:
    """Return the lines of a list or table (continuation lines stay with their line)."""
    start, end = span
    cuts = [m.start() for m in _LINE_START.finditer(text, start, end)]
    return [_trim(text, a, b) for a, b in zip([start, *cuts], [*cuts, end], strict=True)]


def _sentences(text: str, span: Span) -> list[Span]:
    """Return the sentences of a span; abbreviations and numbers do not end a sentence."""
    start, end = span
    cuts = [m.end() for m in _SENTENCE_END.finditer(text, start, end) if _ends_sentence(text, m)]
    bounds = zip([start, *cuts], [*cuts, end], strict=True)
    return [s for s in (_trim(text, a, b) for a, b in bounds) if s[1] > s[0]]


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    first = text[match.end()]
    if first.isalpha() and not first.isupper():
        return False  # a sentence does not start with a lower-case letter
    if text[match.start()] != ".":
        return True
    word_start = match.start()
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start : match.start()].lstrip("([\"'‘“*_").casefold()
    single_letter = len(word) == 1 and word.isalpha()
    return not (word in ABBREVIATIONS or single_letter or _INITIALISM.fullmatch(word))


def _cut_long_sentence(text: str, span: Span, cap: int) -> list[Span]:
    """Cut an overlong sentence at clause boundaries (';', ':', ' – ', ','), else at spaces."""
    start, end = span
    goal = (end - start) / math.ceil((end - start) / cap)
    parts: list[Span] = []
    while end - start > cap:
        cut = _clause_cut(text, start, cap, goal)
        parts.append(_trim(text, start, cut))
        start = _trim(text, cut, end)[0]
    parts.append((start, end))
    return [p for p in parts if p[1] > p[0]]


def _clause_cut(text: str, start: int, cap: int, goal: float) -> int:
    """Return the end of the first part: the strongest separator nearest to `goal`."""
    low, high = start + cap // 3, start + cap
    for separator in _CLAUSE_SEPARATORS:
        cuts = [m.end() for m in separator.finditer(text, low, high)]
        if cuts:
            return min(cuts, key=lambda cut: abs(cut - start - goal))
    return high  # a "word" longer than a third of the cap: cut it


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- packing pieces into passages ------------------------------------------------------------


def _pack_section(doc: ParsedDocument, pieces: list[_Piece], limits: _Limits) -> list[Span]:
    """Merge a section's consecutive pieces into passages (greedy, in order)."""
    groups: list[list[_Piece]] = []
    for piece in pieces:
        current = groups[-1] if groups else []
        if current and _fits(doc, current, piece, limits):
            current.append(piece)
            continue
        chain = _glue_chain_start(current) if piece.glue else 0
        if chain > 0 and piece.end - current[chain].start <= limits.max_chars:
            groups[-1:] = [current[:chain], [*current[chain:], piece]]  # intro moves along
        else:
            groups.append([piece])
    return _merge_small(doc, [(g[0].start, g[-1].end) for g in groups], limits)


def _fits(doc: ParsedDocument, current: list[_Piece], piece: _Piece, limits: _Limits) -> bool:
    joined = piece.end - current[0].start
    if joined > limits.max_chars:
        return False
    current_len = current[-1].end - current[0].start
    if piece.glue or current_len < limits.orphan_chars:
        return True
    if _page_break(doc, current[-1].end, piece.start):
        return False
    return joined <= limits.target_chars or current_len < limits.min_chars


def _glue_chain_start(group: list[_Piece]) -> int:
    """Return the index where the run of glued pieces at the end of `group` begins."""
    k = len(group) - 1
    while k > 0 and group[k].glue:
        k -= 1
    return k


def _merge_small(doc: ParsedDocument, spans: list[Span], limits: _Limits) -> list[Span]:
    """Merge a passage shorter than min_chars into the previous one (same page unless tiny)."""
    merged: list[Span] = []
    for start, end in spans:
        if merged and end - start < limits.min_chars and end - merged[-1][0] <= limits.max_chars:
            prev_start, prev_end = merged[-1]
            if end - start < limits.orphan_chars or not _page_break(doc, prev_end, start):
                merged[-1] = (prev_start, end)
                continue
        merged.append((start, end))
    return merged


def _page_break(doc: ParsedDocument, left_end: int, right_start: int) -> bool:
    """Tell whether a page starts between offsets `left_end` and `right_start`."""
    i = bisect.bisect_left(doc.page_starts, max(left_end, 1))
    return i < len(doc.page_starts) and doc.page_starts[i] <= right_start
