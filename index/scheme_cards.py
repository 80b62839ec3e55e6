"""Build the scheme cards of an index version: find the schemes (`index.scheme_discovery`,
`index.scheme_evidence`), give each the sentences about it (`index.scheme_attribution`), sort
those into fields (`index.scheme_fields`), keep per field the newest statement and the older ones
that differ, and name, date and theme each card. An agency has one name on all cards: the
acronym any of the documents defines for its full name (`index.scheme_places.by_acronym`)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from index.scheme_attribution import (
    Attributed,
    attribute,
    field_label,
    heading_mentions,
    laid_out,
)
from index.scheme_discovery import AliasGroup, collect_groups
from index.scheme_evidence import judge, without_parts
from index.scheme_fields import figures, score_fields
from index.scheme_lexicon import CORONA_WORD
from index.scheme_mentions import Matcher, Mention
from index.scheme_names import is_short_form, name_key
from index.scheme_places import Naming, agency_for, defined_acronyms, distinct, own_names, place_key
from index.scheme_text import Unit, corpus_units
from index.scheme_types import FIELDS, Quote, SchemeCard
from index.types import ParsedDocument, Passage

# How to choose between statements of one field: the scheme as subject, a sentence about it
# alone, a sentence that names it, then the earliest.
Preference = tuple[bool, bool, bool, int]
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
_CORONA_CONTEXT = re.compile(
    r"\b(?:corona\w*|covid\w*|crisis|lockdown|noodpakket\w*|steunpakket\w*|herstelpakket)",
    re.IGNORECASE,
)


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
    headings = heading_mentions(documents, matcher)
    structured = [matcher.find(text) for text in laid_out(units)]
    labels = [field_label(units, i) for i in range(len(units))]
    verdicts = judge(groups, units, mentions, list(headings.values()), structured, labels)
    schemes = without_parts([g for g, v in zip(groups, verdicts, strict=True) if v.accepted])
    # Found again with the schemes' names alone, so that a longer rejected candidate ("U vraagt
    # de TVL online aan") does not hide the name of a scheme inside it.
    matcher = Matcher(schemes)
    mentions = [matcher.find(u.text) for u in units]
    headings = heading_mentions(documents, matcher)
    accepted = set(range(len(schemes)))
    naming = Naming(
        defined_acronyms(u.text for u in units),
        frozenset(name_key(alias) for group in schemes for alias in group.aliases),
        own_names(u.text for u in units),
    )
    cards = []
    by_group: dict[int, list[Attributed]] = defaultdict(list)
    for item in attribute(units, mentions, headings, accepted):
        by_group[item.group].append(item)
    for index, group in enumerate(schemes):
        items = by_group.get(index, [])
        if items:  # a scheme named only in a heading has the sentences of its section
            cards.append(_card(group, items, units, mentions, documents, naming))
    return _with_unique_slugs(sorted(cards, key=lambda c: (-len(_docs(c)), c.name.lower())))


def _docs(card: SchemeCard) -> set[str]:
    return {q.doc_id for q in card.sentences}


def _card(
    group: AliasGroup,
    items: list[Attributed],
    units: Sequence[Unit],
    mentions: Sequence[Sequence[Mention]],
    documents: Mapping[str, ParsedDocument],
    naming: Naming,
) -> SchemeCard:
    """Return the card of a scheme from the sentences attributed to it; `naming`: the acronyms
    the documents define for full names, one name per agency, and the schemes' names, which
    are no agencies (`index.scheme_places.Naming`)."""
    names = _written_names(group, items, units, mentions)
    scored: list[tuple[Quote, int, Preference]] = []
    sentences: list[Quote] = []
    for item in items:
        unit = units[item.unit]
        scores = _field_scores(units, item.unit, names, item.at, naming)
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
    chosen = _choose(scored, naming)
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
            distinct(a for q in chosen if q.field == "waar" for a in naming.places(q.text))
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
    items: list[Attributed],
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
    units: Sequence[Unit], index: int, names: Counter[str], at: int, naming: Naming
) -> dict[str, int]:
    """Return the field scores of a unit, a field label above it scoring highest."""
    unit = units[index]
    places = naming.places(unit.text, at)  # once: the sentence's scores and its label use them
    scores = score_fields(unit.text, list(names), places, at)
    label = field_label(units, index)
    others = [a for a in places if a.split()[-1] not in names]
    if label is not None and (label != "waar" or others):
        scores[label] = 3  # where to apply needs a place: "Bij RVO.", not "Het loket gaat open"
    if unit.cells:  # a table row: quoted only where no sentence says it
        scores = dict.fromkeys(scores, 1)
    return scores


def _choose(scored: list[tuple[Quote, int, Preference]], naming: Naming) -> tuple[Quote, ...]:
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
            facts = _facts(quote, naming)
            if not kept or (facts - seen and quote.date != kept[0].date):
                kept.append(quote)
                seen |= facts
            if len(kept) == MAX_QUOTES_PER_FIELD:
                break
        chosen.extend(kept)
    return tuple(chosen)


def _facts(quote: Quote, naming: Naming) -> frozenset[str]:
    """Return what an older statement must add to be shown: for "waar" another place (an
    agency by its acronym, `Naming.places`, whatever its determiner, `place_key`), for the other
    fields another figure or date."""
    if quote.field == "waar":
        return frozenset(place_key(a) for a in naming.places(quote.text))
    return figures(quote.text)


def _theme(group: AliasGroup, items: list[Attributed], units: Sequence[Unit]) -> str:
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


def _variants(items: list[Attributed]) -> tuple[str, ...]:
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
