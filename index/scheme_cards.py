"""Build the scheme cards of an index version: find the schemes, give each the sentences about
it, sort those into fields, keep per field the newest statement and older ones that differ.

Which sentences are about a scheme:
1. a sentence that names it (or a variant: "BMKB-C" is about the BMKB);
2. a sentence that names no scheme, in a paragraph or list item whose earlier sentence named
   exactly one ("De subsidie bedraagt maximaal 90.000 euro" after "U kunt de TVL aanvragen");
3. a sentence in a paragraph that names no scheme, under a heading that names exactly one
   ("1. Borgstelling MKB-kredieten (BMKB)" -> "Voor wie? Mkb-bedrijven met ...").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from index.scheme_discovery import AliasGroup, collect_groups
from index.scheme_evidence import judge
from index.scheme_fields import agencies, agency_for, figures, label_field, score_fields
from index.scheme_lexicon import CORONA_WORD
from index.scheme_mentions import Matcher, Mention
from index.scheme_names import is_short_form, name_key
from index.scheme_text import Unit, corpus_units
from index.scheme_types import FIELDS, Quote, SchemeCard
from index.types import ParsedDocument, Passage

MAX_QUOTES_PER_FIELD = 3  # a card is an overview; the source viewer has the rest

THEME_WORDS: Mapping[str, re.Pattern[str]] = {
    "financiering": re.compile(
        r"\b(?:krediet\w*|lening\w*|lenen|borg\w*|garantie\w*|financier\w*|bank\w*|investeerder"
        r"\w*|kapitaal|rente)\b",
        re.IGNORECASE,
    ),
    "innovatie": re.compile(
        r"\b(?:innovat\w*|ontwikkelings?projecten?|s&o|r&d|speur\w*|technisch\w*|prototype"
        r"|haalbaarheid\w*|onderzoek\w*|startups?)\b",
        re.IGNORECASE,
    ),
    "personeel": re.compile(
        r"\b(?:personeel|werknemers?|werkgevers?|loon\w*|scholing|opleid\w*|leren|leer\w*|bbl"
        r"|praktijk\w*|ziek\w*|verzuim\w*|medewerkers?)\b",
        re.IGNORECASE,
    ),
    "fiscaal": re.compile(
        r"\b(?:belasting\w*|fiscale?|btw|aftrek\w*|heffing\w*|aangifte\w*|tarief|omzetbelasting"
        r"|vennootschapsbelasting|inkomstenbelasting)\b",
        re.IGNORECASE,
    ),
}
# "Daarnaast ...", "Verder ...", "Werkgevers krijgen daarnaast ...": the sentence turns to
# something else, so it does not carry the scheme of the sentence before it.
_TOPIC_SHIFT = re.compile(
    r"^(?:\S+\s+){0,6}(?:daarnaast|verder|bovendien|tevens|voorts|overigens|anderzijds)\b",
    re.IGNORECASE,
)
_CORONA_CONTEXT = re.compile(
    r"\b(?:corona\w*|covid\w*|crisis|lockdown|noodpakket\w*|steunpakket\w*|herstelpakket)",
    re.IGNORECASE,
)


Preference = tuple[bool, bool, bool, int]


@dataclass(frozen=True, slots=True)
class _Attributed:
    unit: int
    group: int
    direct: bool  # the sentence names the scheme
    variant: str
    at: int = -1  # where the sentence names it
    subject: bool = True  # named first, or in a list with the first: its fields may come from it
    alone: bool = True  # the only scheme the sentence names


def extractor_version() -> str:
    """Return a fingerprint of the extraction code (the index/scheme_*.py sources). It is part
    of the build settings in the manifest, so a change to the extractor makes the next build
    write a new version with new cards (re-parsing, but embedding nothing again)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("scheme_*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_cards(
    documents: Mapping[str, ParsedDocument], passages: Sequence[Passage]
) -> tuple[SchemeCard, ...]:
    """Return the scheme cards of a corpus, most documents first."""
    units = corpus_units(documents, passages)
    groups = collect_groups(units, documents)
    matcher = Matcher(groups)
    mentions = [matcher.find(u.text) for u in units]
    headings = _heading_mentions(documents, matcher)
    structured = [matcher.find(text) for text in _laid_out(units)]
    labels = [_label(units, i) for i in range(len(units))]
    verdicts = judge(groups, units, mentions, list(headings.values()), structured, labels)
    accepted = {i for i, v in enumerate(verdicts) if v.accepted}
    attributed = _attribute(units, mentions, headings, accepted, documents)
    cards = []
    by_group: dict[int, list[_Attributed]] = defaultdict(list)
    for item in attributed:
        by_group[item.group].append(item)
    for index in sorted(accepted):
        items = by_group.get(index, [])
        if items:  # a scheme named only in a heading has the sentences of its section
            cards.append(_card(groups[index], items, units, mentions, documents))
    return _with_unique_slugs(sorted(cards, key=lambda c: (-len(_docs(c)), c.name.lower())))


def _docs(card: SchemeCard) -> set[str]:
    return {q.doc_id for q in card.sentences}


def _heading_mentions(
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


def _laid_out(units: Sequence[Unit]) -> set[str]:
    """Return the headings (or document titles) whose text is laid out in card fields: a
    heading or lead-in "Voor wie?", "Voorwaarden", "Waar?" sits below them."""
    found: set[str] = set()
    for index, unit in enumerate(units):
        if _label(units, index) is None:
            continue
        above = [h for h in unit.section if label_field(h) is None]
        found.add(above[-1] if above else unit.title)
    return found


def _attribute(
    units: Sequence[Unit],
    mentions: Sequence[Sequence[Mention]],
    headings: Mapping[tuple[str, str], list[Mention]],
    accepted: set[int],
    documents: Mapping[str, ParsedDocument],
) -> list[_Attributed]:
    """Return which accepted schemes each unit is about (see the module docstring)."""
    out: list[_Attributed] = []
    carried: int | None = None
    paragraph_named = False
    previous: Unit | None = None
    for index, unit in enumerate(units):
        same_item = previous is not None and (previous.block, previous.line_start) == (
            unit.block,
            unit.line_start,
        )
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
        if named:
            out.extend(replace(a, unit=index) for a in _named(mentions[index], accepted, unit.text))
            carried = next(iter(named)) if len(named) == 1 else None
        elif carried is not None:
            out.append(_Attributed(index, carried, False, ""))
        elif not paragraph_named:
            scope = _section_scheme(unit, headings, accepted)
            if scope is not None:
                out.append(_Attributed(index, scope, False, ""))
        previous = unit
    return out


_LIST_GAP = re.compile(r"^\W*(?:,|\ben\b|\bof\b)\s*(?:de\s+|het\s+)?$")


def _named(mentions: Sequence[Mention], accepted: set[int], text: str) -> list[_Attributed]:
    """Return the schemes a sentence names: the first one and those listed with it ("De BMKB-C,
    de GO-C en de Klein Krediet Corona worden verlengd") are its subject."""
    out: dict[int, _Attributed] = {}
    in_list = True
    previous: Mention | None = None
    for mention in mentions:
        if mention.group not in accepted:
            continue
        if previous is not None and not _LIST_GAP.match(text[previous.end : mention.start]):
            in_list = False
        held = out.get(mention.group)
        if held is None:
            out[mention.group] = _Attributed(
                0, mention.group, True, mention.variant, mention.start, in_list
            )
        elif mention.variant and not held.variant:  # "de BMKB ... verruimd tot de BMKB-C"
            out[mention.group] = replace(held, variant=mention.variant)
        previous = mention
    if len(out) > 1:
        out = {g: replace(a, alone=False) for g, a in out.items()}
    return list(out.values())


def _block_names(
    units: Sequence[Unit], start: int, mentions: Sequence[Sequence[Mention]], accepted: set[int]
) -> bool:
    """Return whether the paragraph or list item starting at unit `start` names a scheme."""
    first = units[start]
    for index in range(start, len(units)):
        unit = units[index]
        if (unit.block, unit.line_start, unit.doc_id) != (
            first.block,
            first.line_start,
            first.doc_id,
        ):
            break
        if any(m.group in accepted for m in mentions[index]):
            return True
    return False


def _section_scheme(
    unit: Unit, headings: Mapping[tuple[str, str], list[Mention]], accepted: set[int]
) -> int | None:
    """Return the scheme the nearest heading naming schemes names, if it names just one."""
    for heading in reversed(unit.section):
        named = {m.group for m in headings.get((unit.doc_id, heading), ()) if m.group in accepted}
        if named:
            return next(iter(named)) if len(named) == 1 else None
    return None


def _card(
    group: AliasGroup,
    items: list[_Attributed],
    units: Sequence[Unit],
    mentions: Sequence[Sequence[Mention]],
    documents: Mapping[str, ParsedDocument],
) -> SchemeCard:
    names = _written_names(group, items, units, mentions)
    scored: list[tuple[Quote, int, Preference]] = []
    sentences: list[Quote] = []
    for item in items:
        unit = units[item.unit]
        scores = _field_scores(units, item.unit, names, item.at)
        if not item.subject:  # "De TVL is de opvolger van de TOGS": about the TVL
            scores = {
                f: s for f, s in scores.items() if f == "waar" and agency_for(unit.text, item.at)
            }
        fields = [f for f in FIELDS if scores.get(f, 0) > 0]
        sentences.append(_quote(unit, fields[0] if fields else "", item.variant))
        for field in fields:
            # the scheme as subject, a sentence about it alone, named, then the earliest
            preference = (item.subject, item.alone, item.direct, -item.unit)
            scored.append((_quote(unit, field, item.variant), scores[field], preference))
    chosen = _choose(scored)
    dates = [
        date for d in {units[i.unit].doc_id for i in items} if (date := documents[d].meta.date)
    ]
    name, acronym = _display_name(group, names)
    return SchemeCard(
        slug=_slug(acronym or name),
        name=name,
        acronym=acronym,
        theme=_theme(group, items, units),
        updated=max(dates) if dates else None,
        variants=_variants(items),
        aliases=group.aliases,
        fields=chosen,
        sentences=tuple(sentences),
        agencies=tuple(
            dict.fromkeys(a for q in chosen if q.field == "waar" for a in agencies(q.text))
        ),
    )


def _quote(unit: Unit, field: str, variant: str) -> Quote:
    return Quote(
        text=unit.text,
        doc_id=unit.doc_id,
        passage_id=unit.passage_id,
        start=unit.start,
        end=unit.end,
        page=unit.page,
        date=unit.date,
        field=field,
        variant=variant,
    )


def _written_names(
    group: AliasGroup,
    items: list[_Attributed],
    units: Sequence[Unit],
    mentions: Sequence[Sequence[Mention]],
) -> Counter[str]:
    """Return how often each spelling of the scheme is written in its sentences."""
    counts: Counter[str] = Counter()
    keys = {name_key(a): a for a in group.aliases}
    for item in items:
        if not item.direct:
            continue
        text = units[item.unit].text
        for mention in mentions[item.unit]:
            if mention.group == item.group:
                written = text[mention.start : mention.end]
                spelling = keys.get(name_key(written))
                counts[spelling or written] += 1
    return counts


def _field_scores(
    units: Sequence[Unit], index: int, names: Counter[str], at: int
) -> dict[str, int]:
    """Return the field scores of a unit, a field label above it scoring highest."""
    unit = units[index]
    scores = score_fields(unit.text, list(names), at)
    label = _label(units, index)
    places = [a for a in agencies(unit.text, at) if a.split()[-1] not in names]
    if label is not None and (label != "waar" or places):
        scores[label] = 3  # where to apply needs a place: "Bij RVO.", not "Het loket gaat open"
    if unit.cells:  # a table row: one field below what its prose would give
        scores = {f: max(1, s - 1) for f, s in scores.items()}
    return scores


def _label(units: Sequence[Unit], index: int) -> str | None:
    """Return the field named by the nearest heading or by a lead-in earlier in the paragraph
    ("Voor wie? Mkb-bedrijven ...", "Waar. Bij RVO.")."""
    unit = units[index]
    for back in range(index - 1, max(index - 6, -1), -1):
        earlier = units[back]
        if (earlier.block, earlier.line_start, earlier.doc_id) != (
            unit.block,
            unit.line_start,
            unit.doc_id,
        ):
            break
        field = label_field(earlier.text)
        if field is not None:
            return field
    return label_field(unit.heading)


def _choose(scored: list[tuple[Quote, int, Preference]]) -> tuple[Quote, ...]:
    """Return per field the best statement of the newest document, then older documents'
    statements whose figures differ; newest first, at most MAX_QUOTES_PER_FIELD."""
    chosen: list[Quote] = []
    for field in FIELDS:
        candidates = [(q, s, d) for q, s, d in scored if q.field == field]
        if not candidates:
            continue
        best = max(s for _, s, _ in candidates)
        floor = min(best, 2)
        per_doc: dict[str, tuple[Quote, int, Preference]] = {}
        for quote, score, preference in candidates:
            if score < floor:
                continue
            held = per_doc.get(quote.doc_id)
            if held is None or (score, preference) > (held[1], held[2]):
                per_doc[quote.doc_id] = (quote, score, preference)
        ordered = sorted(per_doc.values(), key=lambda c: c[0].date or "", reverse=True)
        kept: list[Quote] = []
        seen: frozenset[str] = frozenset()
        for quote, _, _ in ordered:
            new = _facts(quote) - seen
            if not kept or (new and quote.date != kept[0].date):
                kept.append(quote)
                seen |= _facts(quote)
            if len(kept) == MAX_QUOTES_PER_FIELD:
                break
        chosen.extend(kept)
    return tuple(chosen)


def _facts(quote: Quote) -> frozenset[str]:
    """Return what an older statement must add to be shown: for "waar" another place, for the
    other fields another figure or date."""
    if quote.field == "waar":
        return frozenset(a.lower() for a in agencies(quote.text))
    return figures(quote.text)


def _theme(group: AliasGroup, items: list[_Attributed], units: Sequence[Unit]) -> str:
    """Return the card's theme: corona when most sentences about the scheme itself (not a
    variant) stand in a corona context, or a corona word is in its name; else the theme whose
    words its sentences use most ("overig" when none)."""
    if any(CORONA_WORD.search(a) for a in group.aliases):
        return "corona"
    own = [units[i.unit] for i in items if not i.variant] or [units[i.unit] for i in items]
    corona = sum(1 for u in own if _in_corona_context(u))
    if corona * 2 > len(own):
        return "corona"
    counts = {
        theme: sum(1 for u in own if pattern.search(u.text))
        for theme, pattern in THEME_WORDS.items()
    }
    theme, count = max(counts.items(), key=lambda kv: kv[1])
    return theme if count else "overig"


def _in_corona_context(unit: Unit) -> bool:
    """Return whether a sentence, its headings or its document's title speak of corona or the
    crisis; a title counts only when it names no other theme ("Monitor financiering en
    coronasteun" is about financing too)."""
    if _CORONA_CONTEXT.search(" ".join((unit.text, *unit.section))):
        return True
    return bool(_CORONA_CONTEXT.search(unit.title)) and not any(
        pattern.search(unit.title) for pattern in THEME_WORDS.values()
    )


def _variants(items: list[_Attributed]) -> tuple[str, ...]:
    """Return the variants named, in order of their number: "NOW 1", "NOW 2", "NOW 3"."""
    labels = {item.variant for item in items if item.variant}
    whole = {re.sub(r"\.\d+$", "", label) for label in labels}  # "NOW 3.1" is part of "NOW 3"
    return tuple(
        sorted(whole, key=lambda v: [int(n) if n.isdigit() else n for n in re.split(r"(\d+)", v)])
    )


def _display_name(group: AliasGroup, written: Counter[str]) -> tuple[str, str | None]:
    """Return (name, acronym): the long form written most, and the acronym written most."""
    acronyms = [a for a in group.aliases if a in group.acronyms or is_short_form(a)]
    acronym = max(acronyms, key=lambda a: (written[a], group.spellings[a]), default=None)
    longs = [a for a in group.aliases if a not in acronyms]
    if not longs:
        return acronym or group.aliases[0], acronym
    defined = [a for a in longs if any(a == f or a.endswith(f" {f}") for f in group.long_forms)]
    if defined:  # the long form an acronym stands for, with the capitalised words before it
        name = max(defined, key=len)
    else:  # the longest spelling written twice: "Bijzonder uitstel van betaling"
        twice = [a for a in longs if written[a] >= 2] or longs
        name = max(twice, key=lambda a: (len(a), written[a]))
    return name[:1].upper() + name[1:], acronym


def _slug(name: str) -> str:
    """Return a URL-safe lower-case slug: "Tegemoetkoming Vaste Lasten" -> "tegemoetkoming-..."."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "regeling"


def _with_unique_slugs(cards: list[SchemeCard]) -> tuple[SchemeCard, ...]:
    seen: Counter[str] = Counter()
    out = []
    for card in cards:
        seen[card.slug] += 1
        if seen[card.slug] > 1:
            card = replace(card, slug=f"{card.slug}-{seen[card.slug]}")
        out.append(card)
    return tuple(out)
