"""Which sentences are about which scheme, and which field label stands above a sentence.

A sentence is about a scheme when
1. it names it (or a variant: "BMKB-C" is about the BMKB);
2. it names no scheme, in a paragraph or list item whose earlier sentence named exactly one
   ("De subsidie bedraagt maximaal 90.000 euro" after "U kunt de TVL aanvragen"), unless it
   turns to something else ("Daarnaast ...");
3. it stands in a paragraph that names no scheme, under a heading that names exactly one
   ("1. Borgstelling MKB-kredieten (BMKB)" -> "Voor wie? Mkb-bedrijven met ...");
4. it refers the reader from that scheme to another: in a paragraph or section about scheme Y
   (rules 2 and 3), a sentence that names another scheme X only after a word pointing back at
   what was just said is about Y ("Met de TVL betaalt u uw vaste lasten. Loonkosten vallen er
   niet onder; daarvoor is de NOW bedoeld."): it says what Y does not do and where to go
   instead. X is named in it, not described: the sentence is not X's subject
   (`Attributed.subject`), as in "De TVL is de opvolger van de TOGS".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from index.scheme_fields import label_field
from index.scheme_mentions import Matcher, Mention
from index.scheme_text import Unit
from index.types import ParsedDocument

# "Daarnaast ...", "Verder ...", "Werkgevers krijgen daarnaast ...": the sentence turns to
# something else, so it does not carry the scheme of the sentence before it.
_TOPIC_SHIFT = re.compile(
    r"^(?:\S+\s+){0,6}(?:daarnaast|verder|bovendien|tevens|voorts|overigens|anderzijds)\b",
    re.IGNORECASE,
)

# Pronominal adverbs that point back at what was just said: "daarvoor", "hiervan", "waarvoor".
_POINTER = re.compile(
    r"\b(?:daar|hier|waar)(?:voor|van|mee|bij|op|naar|aan|in|om|over|door|onder|uit|tegen)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[;:!?]|\.\s")  # not the dot in "4.000"


@dataclass(frozen=True, slots=True)
class Attributed:
    """Unit `unit` is about the scheme of alias group `group`."""

    unit: int
    group: int
    direct: bool  # the sentence names the scheme
    variant: str
    at: int = -1  # where the sentence names it
    subject: bool = True  # named first, or in a list with the first: its fields may come from it
    alone: bool = True  # the only scheme the sentence names


def heading_mentions(
    documents: Mapping[str, ParsedDocument], matcher: Matcher
) -> dict[tuple[str, str], list[Mention]]:
    """Return the mentions in every heading, keyed by (document, heading text)."""
    found: dict[tuple[str, str], list[Mention]] = {}
    for doc in documents.values():
        for block in doc.blocks:
            if block.kind == "heading":
                text = doc.text[block.start : block.end]
                found[(doc.meta.doc_id, text)] = matcher.find(text)
    return found


def laid_out(units: Sequence[Unit]) -> set[str]:
    """Return the headings (or document titles) whose text is laid out in card fields: a
    heading or lead-in "Voor wie?", "Voorwaarden", "Waar?" sits below them."""
    found: set[str] = set()
    for index, unit in enumerate(units):
        if field_label(units, index) is None:
            continue
        above = [h for h in unit.section if label_field(h) is None]
        found.add(above[-1] if above else unit.title)
    return found


def attribute(
    units: Sequence[Unit],
    mentions: Sequence[Sequence[Mention]],
    headings: Mapping[tuple[str, str], list[Mention]],
    accepted: set[int],
) -> list[Attributed]:
    """Return which accepted schemes each unit is about (see the module docstring)."""
    out: list[Attributed] = []
    carried: int | None = None
    paragraph_named = False
    previous: Unit | None = None
    for index, unit in enumerate(units):
        same_item = previous is not None and _same_item(previous, unit)
        follows_colon = (
            previous is not None
            and previous.doc_id == unit.doc_id
            and unit.kind == "list"
            and previous.kind != "list"
            and previous.text.endswith(":")
        )
        if not same_item and not follows_colon:
            carried, paragraph_named = None, _block_names(units, index, mentions, accepted)
        named = {m.group: m.variant for m in mentions[index] if m.group in accepted}
        if _TOPIC_SHIFT.match(unit.text):
            carried = None
        referral = _referral(unit, mentions[index], accepted, carried, headings) if named else None
        if referral is not None:  # rule 4
            out.append(Attributed(index, referral[0], False, referral[1]))
            listed = _named(mentions[index], accepted, unit.text)
            out.extend(replace(a, unit=index, subject=False, alone=False) for a in listed)
            carried = referral[0]
        elif named:
            out.extend(replace(a, unit=index) for a in _named(mentions[index], accepted, unit.text))
            carried = next(iter(named)) if len(named) == 1 else None
        elif carried is not None:
            out.append(Attributed(index, carried, False, ""))
        elif not paragraph_named:
            scope = _section_scheme(unit, headings, accepted)
            if scope is not None:
                out.append(Attributed(index, scope[0], False, scope[1]))
        previous = unit
    return out


_LIST_GAP = re.compile(r"^\W*(?:,|\ben\b|\bof\b)\s*(?:de\s+|het\s+)?$")


def _named(mentions: Sequence[Mention], accepted: set[int], text: str) -> list[Attributed]:
    """Return the schemes a sentence names: the first one and those listed with it ("De BMKB-C,
    de GO-C en de Klein Krediet Corona worden verlengd") are its subject."""
    out: dict[int, Attributed] = {}
    in_list = True
    previous: Mention | None = None
    for mention in mentions:
        if mention.group not in accepted:
            continue
        if previous is not None and not _LIST_GAP.match(text[previous.end : mention.start]):
            in_list = False
        held = out.get(mention.group)
        if held is None:
            out[mention.group] = Attributed(
                0, mention.group, True, mention.variant, mention.start, in_list
            )
        elif mention.variant and not held.variant:  # "de BMKB ... verruimd tot de BMKB-C"
            out[mention.group] = replace(held, variant=mention.variant)
        previous = mention
    if len(out) > 1:
        out = {g: replace(a, alone=False) for g, a in out.items()}
    return list(out.values())


def _referral(
    unit: Unit,
    mentions: Sequence[Mention],
    accepted: set[int],
    carried: int | None,
    headings: Mapping[tuple[str, str], list[Mention]],
) -> tuple[int, str] | None:
    """Return the scheme (and variant) a sentence that refers the reader on is about (rule 4 of
    the module docstring): the scheme its paragraph carries, else the one its heading names,
    when the sentence names only other schemes, each after a word pointing back in its clause."""
    named = [m for m in mentions if m.group in accepted]
    if not all(_points_back(unit.text, m.start) for m in named):
        return None
    context = (carried, "") if carried is not None else _section_scheme(unit, headings, accepted)
    if context is None or any(m.group == context[0] for m in named):
        return None
    return context


def _points_back(text: str, at: int) -> bool:
    """Return whether a pronominal adverb pointing back ("daarvoor") comes before offset `at`
    in the same clause: "Loonkosten vallen er niet onder; daarvoor is de NOW bedoeld"."""
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, at)), default=0)
    return _POINTER.search(text, clause_start, at) is not None


def _block_names(
    units: Sequence[Unit], start: int, mentions: Sequence[Sequence[Mention]], accepted: set[int]
) -> bool:
    """Return whether the paragraph or list item starting at unit `start` names a scheme."""
    for index in range(start, len(units)):
        if not _same_item(units[index], units[start]):
            break
        if any(m.group in accepted for m in mentions[index]):
            return True
    return False


def _section_scheme(
    unit: Unit, headings: Mapping[tuple[str, str], list[Mention]], accepted: set[int]
) -> tuple[int, str] | None:
    """Return the scheme the nearest heading naming schemes names, if it names just one, with
    the variant it names when it names one ("NOW 4": the section is about that edition)."""
    for heading in reversed(unit.section):
        found = [m for m in headings.get((unit.doc_id, heading), ()) if m.group in accepted]
        if found:
            if len({m.group for m in found}) > 1:
                return None
            variants = {m.variant for m in found}
            return found[0].group, variants.pop() if len(variants) == 1 else ""
    return None


def field_label(units: Sequence[Unit], index: int) -> str | None:
    """Return the field named by the nearest heading or by a lead-in earlier in the paragraph
    ("Voor wie? Mkb-bedrijven ...", "Waar. Bij RVO.")."""
    unit = units[index]
    for back in range(index - 1, max(index - 6, -1), -1):
        earlier = units[back]
        if not _same_item(earlier, unit):
            break
        field = label_field(earlier.text)
        if field is not None:
            return field
    return label_field(unit.heading)


def _same_item(a: Unit, b: Unit) -> bool:
    """Return whether two units lie in one paragraph or list item of one document."""
    return (a.block, a.line_start, a.doc_id) == (b.block, b.line_start, b.doc_id)
