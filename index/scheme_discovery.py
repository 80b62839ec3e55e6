"""Collect the candidate names of a corpus and join the spellings of one name into a group:
an acronym with its long forms ("TVL", "Tegemoetkoming Vaste Lasten"), variants under their
base ("BMKB-C" and "Borgstelling MKB-kredieten corona" under "BMKB")."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from index.scheme_lexicon import SCHEME_COLUMNS, USE_SUFFIXES
from index.scheme_names import (
    TOKEN,
    Candidate,
    abbreviation_pairs,
    clean,
    is_common_word,
    is_short_form,
    list_parts,
    name_and_word,
    name_key,
    scheme_compounds,
    sentence_candidates,
    split_variant,
)
from index.scheme_structure import (
    applied_for_phrases,
    list_item_head,
    named_after,
    prefixes_before_prepositions,
    split_list,
    strip_numbering,
    structural_name,
)
from index.scheme_text import Unit
from index.types import ParsedDocument


@dataclass
class AliasGroup:
    """The spellings of one candidate name, with what the corpus says about it directly."""

    key: str  # name_key of the first spelling seen
    spellings: Counter[str] = field(default_factory=Counter)  # surface form -> times found
    acronyms: Counter[str] = field(default_factory=Counter)
    long_forms: Counter[str] = field(default_factory=Counter)
    variant_labels: dict[str, str] = field(default_factory=dict)  # variant key -> label
    lowercase: bool = True  # only seen in lowercase, a heading or a lead-in
    descriptions: list[str] = field(default_factory=list)  # "WBSO: fiscale regeling ..."
    listed: bool = False  # first column of a "Maatregel" / "Regeling" table
    named: bool = False  # introduced with "zogeheten" / "heet"
    compounds: set[str] = field(default_factory=set)  # "TVL-periode" -> "periode"

    @property
    def aliases(self) -> tuple[str, ...]:
        """Return every spelling, longest first."""
        return tuple(sorted(self.spellings, key=lambda s: (-len(s), s)))


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


@dataclass
class _Collector:
    """Everything found, keyed by name_key, before grouping."""

    spellings: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    vocabulary: Counter[str] = field(default_factory=Counter)
    links: list[tuple[str, str]] = field(default_factory=list)  # keys of one name
    compounds: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    proper: set[str] = field(default_factory=set)  # seen capitalised inside a sentence
    pairs: list[tuple[str, str]] = field(default_factory=list)
    descriptions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    listed: set[str] = field(default_factory=set)
    named: set[str] = field(default_factory=set)

    def add(self, candidate: Candidate | str, *, proper: bool) -> str:
        text = candidate if isinstance(candidate, str) else candidate.text
        key = name_key(text)
        if not key or (proper and is_common_word(clean(text))):
            return ""
        self.spellings[key][clean(text)] += 1
        lowercase = isinstance(candidate, Candidate) and candidate.lowercase
        if proper and not lowercase:
            self.proper.add(key)
        return key


def collect_groups(
    units: Sequence[Unit], documents: Mapping[str, ParsedDocument]
) -> list[AliasGroup]:
    """Return the candidate groups of a corpus (not yet judged)."""
    found = _Collector()
    for unit in units:
        tokens = TOKEN.findall(unit.text)
        found.vocabulary.update(tokens)
        for token in tokens:
            if (parts := name_and_word(token)) is not None:
                found.compounds[name_key(parts[0])].add(parts[1])
        _collect_sentence(found, unit)
    for unit in _lead_ins(units):
        _collect_structural(found, unit.text)
    for unit in _list_items(units):
        head = list_item_head(unit.text)
        if head is not None:
            _collect_structural(found, head)
    for heading in _headings(documents.values()):
        _collect_heading(found, heading)
    _split_lists(found)
    return _group(found)


def _split_lists(found: _Collector) -> None:
    """Replace each candidate that lists names by those names (`list_parts`): "De BMKB-C, de
    GO-C en het Klein Krediet Corona" runs together as "GO-C en Klein Krediet Corona", and a
    scheme named only in such lists would otherwise be lost with the rejected whole. What the
    corpus says of the whole (capitalised in a sentence, in a scheme table, introduced with
    "zogeheten", described) it says of each name in it."""
    long_forms = {long for long, _ in found.pairs}
    for key in list(found.spellings):
        spellings = found.spellings[key]
        split = {spelling: list_parts(spelling, long_forms) for spelling in spellings}
        if any(len(parts) == 1 for parts in split.values()):
            continue
        del found.spellings[key]
        for spelling, parts in split.items():
            for part in parts:
                part_key = name_key(part)
                found.spellings[part_key][part] += spellings[spelling]
                _pass_on(found, key, part_key)


def _pass_on(found: _Collector, whole: str, part: str) -> None:
    """Give the name `part` what the corpus says of the list `whole` it is named in."""
    for known in (found.proper, found.listed, found.named):
        if whole in known:
            known.add(part)
    found.descriptions[part].extend(found.descriptions.get(whole, ()))


def _collect_structural(found: _Collector, text: str) -> str:
    """Add the name a heading, lead-in or list item holds, and the shorter names in it."""
    candidate = structural_name(text)
    if candidate is None:
        return ""
    key = found.add(candidate, proper=False)
    if key and candidate.lowercase:
        # "Bijzonder uitstel van betaling van belastingen" names the same thing as "Bijzonder
        # uitstel van betaling"; "Tozo 2 met partnertoets" adds a name ("Tozo 2") of its own.
        same = is_common_word(candidate.text.split()[0])
        for prefix in prefixes_before_prepositions(candidate.text):
            prefix_key = found.add(Candidate(prefix, lowercase=True), proper=False)
            if same:
                found.links.append((key, prefix_key))
    if key and candidate.description:
        found.descriptions[key].append(candidate.description)
    return key


def _collect_sentence(found: _Collector, unit: Unit) -> None:
    for long, short in abbreviation_pairs(unit.text):
        found.pairs.append((long, short))
        found.add(short, proper=True)
        found.add(Candidate(long, lowercase=long.islower()), proper=True)
    if unit.cells:
        for cell in unit.cells:
            for candidate in sentence_candidates(cell):
                found.add(candidate, proper=True)
        if unit.header and unit.header[0].casefold() in SCHEME_COLUMNS and unit.cells[0]:
            for part in split_list(unit.cells[0]):
                first = structural_name(part)
                if first is not None:
                    found.listed.add(found.add(first, proper=False))
    else:
        for candidate in sentence_candidates(unit.text):
            found.add(candidate, proper=True)
    for word in scheme_compounds(unit.text):
        found.add(Candidate(word, lowercase=True), proper=False)
    for phrase in applied_for_phrases(unit.text):
        found.add(Candidate(phrase, lowercase=True), proper=False)
    for word in named_after(unit.text):
        found.named.add(found.add(Candidate(word, lowercase=word.islower()), proper=False))


def _collect_heading(found: _Collector, heading: str) -> None:
    for long, short in abbreviation_pairs(heading):
        found.pairs.append((long, short))
        found.add(short, proper=True)
        found.add(long, proper=True)
    parts = split_list(strip_numbering(heading))
    if len(parts) > 1 and not all(p[:1].isupper() for p in parts):
        parts = [heading]  # "Loonkosten en inkomen" is one title, "MIT en SBIR" two names
    for part in parts:
        _collect_structural(found, part)
    for inner in sentence_candidates(strip_numbering(heading)):
        found.add(inner, proper=True)


def _lead_ins(units: Sequence[Unit]) -> Iterable[Unit]:
    """Yield short first sentences of a paragraph or list item that more text follows:
    "Bijzonder uitstel van betaling. Ondernemers die ...", "Voor wie. Werkgevers die ..."."""
    for previous, unit, following in zip(
        [None, *units[:-1]], units, [*units[1:], None], strict=True
    ):
        first = previous is None or (previous.block, previous.line_start) != (
            unit.block,
            unit.line_start,
        )
        continues = following is not None and (following.block, following.line_start) == (
            unit.block,
            unit.line_start,
        )
        if first and continues and unit.text.endswith(".") and len(unit.text.split()) <= 10:
            yield unit


def _list_items(units: Sequence[Unit]) -> Iterable[Unit]:
    """Yield the first sentence of every list item."""
    previous: Unit | None = None
    for unit in units:
        if unit.kind == "list" and (
            previous is None
            or (previous.block, previous.line_start) != (unit.block, unit.line_start)
        ):
            yield unit
        previous = unit


def _headings(documents: Iterable[ParsedDocument]) -> Iterable[str]:
    for doc in documents:
        for block in doc.blocks:
            if block.kind == "heading":
                yield doc.text[block.start : block.end]


def _join_capitalised_prefix(union: _UnionFind, key: str, spelling: str, longs: set[str]) -> None:
    """Join "Tijdelijke Noodmaatregel Overbrugging voor Werkgelegenheid" to the long form the
    acronym algorithm found in it ("Noodmaatregel Overbrugging voor Werkgelegenheid"): the
    words before it are capitalised."""
    words = spelling.split(" ")
    for cut in range(1, len(words)):
        prefix = words[:cut]
        if not all(w[:1].isupper() and not is_short_form(w) for w in prefix) or "," in str(prefix):
            return
        if name_key(" ".join(words[cut:])) in longs:
            union.union(name_key(" ".join(words[cut:])), key)
            return


def _group(found: _Collector) -> list[AliasGroup]:
    """Join spellings by acronym definitions and variants into groups."""
    union = _UnionFind()
    variant_labels: dict[str, str] = {}
    for key in found.spellings:
        union.find(key)
    pair_labels: dict[str, str] = {}
    for long, short in found.pairs:
        union.union(name_key(short), name_key(long))
        if split_variant(long)[1] and split_variant(short)[1]:
            pair_labels[name_key(long)] = short  # "Borgstelling MKB-kredieten corona (BMKB-C)"
    for a, b in found.links:
        if a and b:
            union.union(a, b)
    longs = {name_key(long) for long, _ in found.pairs}
    for key in list(found.spellings):
        _join_capitalised_prefix(union, key, next(iter(found.spellings[key])), longs)
        head, _, tail = key.rpartition("-")
        if head in found.spellings and tail in USE_SUFFIXES:  # "SEED Capital-regeling"
            del found.spellings[key]
    for key in list(found.spellings):  # variants join their base: "NOW 2", "BMKB-C"
        base, variant = split_variant(next(iter(found.spellings[key])))
        if variant and name_key(base) in found.spellings:
            union.union(name_key(base), key)
            variant_labels[key] = pair_labels.get(key, clean(variant))
    term_longs = {name_key(long) for long, _ in found.pairs if long[:1].islower()}
    pair_longs = {name_key(long) for long, _ in found.pairs}
    groups: dict[str, AliasGroup] = {}
    members: dict[str, list[str]] = defaultdict(list)
    for key in found.spellings:
        members[union.find(key)].append(key)
    for root, keys in members.items():
        group = AliasGroup(key=root)
        for key in keys:
            _add_spellings(group, key, found, variant_labels)
        defined = [k for k in keys if k in pair_longs]
        proper = any(k in found.proper and not _common_noun(k, found) for k in keys)
        group.lowercase = not proper or (bool(defined) and all(k in term_longs for k in defined))
        groups[root] = group
    return [g for g in groups.values() if g.spellings]


def _add_spellings(
    group: AliasGroup, key: str, found: _Collector, variant_labels: dict[str, str]
) -> None:
    if key in variant_labels:
        group.variant_labels[key] = variant_labels[key]
        return
    shorts = {short for _, short in found.pairs}
    longs = {long for long, _ in found.pairs}
    for spelling, count in found.spellings[key].items():
        group.spellings[spelling] += count
        if is_short_form(spelling) or spelling in shorts:
            group.acronyms[spelling] += count
        elif spelling in longs:
            group.long_forms[spelling] += count
    group.descriptions.extend(found.descriptions.get(key, ()))
    group.listed = group.listed or key in found.listed
    group.named = group.named or key in found.named
    group.compounds.update(found.compounds.get(key, ()))


def _common_noun(key: str, found: _Collector) -> bool:
    """Return whether a one-word name is more often written in lowercase ("subsidiepercentage"
    in the text, "Subsidiepercentage" in a table): a common noun, not a name."""
    if " " in key:
        return False
    spellings = found.spellings[key]
    capitalised = sum(found.vocabulary[s] for s in spellings if s[:1].isupper())
    return found.vocabulary[key] > capitalised
