"""Decide which candidate names are schemes, by how the documents write about them.

Evidence comes in families; each family counts once however often it is seen:

for a scheme                            against a scheme
- head: named for what one gets         - organisation: "Rijksdienst", "Stichting", "... is een
  ("Innovatiekrediet", "Klein Krediet     stichting"
  Corona", "Tegemoetkoming ...")        - place: where one applies ("aanvragen bij RVO",
- described: "X is een fiscale            "uitgevoerd door X")
  regeling", "de regeling X",           - law: "Wet ...", "... treedt in werking"
  "X-regeling", "zogeheten X", a        - agent: "RVO beoordeelt", "Qredits verstrekt"
  section "X" laid out in "Voor wie?",  - code: "SBI-code", "KVK-nummer"
  "Voorwaarden", "Waar?"                - plan: a package, plan, test, scan, pact or deal
- used: "X aanvragen", "gebruikmaken    - common: an acronym more often written in lowercase
  van X", "via de X kunnen", "X-lening"   ("mkb")
- listed: in the first column of a      - topic: "S&O-kosten", "S&O-uren": a subject
  "Maatregel" / "Regeling" table

A candidate is a scheme when it has at least one family for and more families for than against:
a vote in which every kind of evidence weighs the same, so nothing is tuned. It must be named at
least twice (headings count), or once with two families for it (one sentence gives less to go
on), or be introduced with "zogeheten". Names that are only written in lowercase, in a heading or
as a lead-in ("bijzonder uitstel van betaling") must also be named for what one gets and have a
second family for them, be named at least twice (or be introduced with "zogeheten"), and never
be written with "een" before them or in the plural: a description such as "een tegemoetkoming
in de loonkosten" is not a name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from index.scheme_discovery import AliasGroup
from index.scheme_lexicon import (
    AGENT_VERBS,
    APPLY_VERBS,
    ARTICLES,
    AUXILIARIES,
    CHANGE_PARTICIPLES,
    CODE_PARTS,
    DESCRIBING_NOUNS,
    LAW_CONTEXT,
    LAW_OPENINGS,
    NAMED_BEFORE,
    ORGANISATION_HEADS,
    PLACE_VERBS,
    PLAN_HEADS,
    SCHEME_COLUMNS,
    SCHEME_HEADS,
    USE_BEFORE,
    USE_SUFFIXES,
    ends_with_any,
)
from index.scheme_mentions import Mention
from index.scheme_names import TOKEN, name_and_word, name_key, noun_phrase_head
from index.scheme_text import Unit

_WORD = re.compile(r"[^\W\d_][\w-]*")
_COPULA = re.compile(
    r"^\s*\)?\s*(?:\([^)]*\)\s*)?(?:,\s*|\b(?:is|was|blijft|wordt|vormt)\s+)"
    r"(?:een|de|het)\s+((?:[\w-]+\s+){0,5}[\w-]+)",
    re.IGNORECASE,
)
_CLASSIFIER = re.compile(r"\b(?:de|het)\s+(?:[\w-]+\s+)?([\w-]+)\s+$", re.IGNORECASE)
_AT_PLACE = re.compile(r"\bbij\s+(?:de\s+|het\s+|uw\s+|hun\s+|een\s+)?$", re.IGNORECASE)
_BY_AGENT = re.compile(
    r"\b(?:uitgevoerd|verstrekt|georganiseerd|opgezet|ingericht|aangeboden|beoordeeld"
    r"|gefinancierd|verwerkt)\s+door\s+(?:de\s+|het\s+)?$",
    re.IGNORECASE,
)
_ASK_BEFORE = re.compile(r"\bvra(?:agt|ag|gen)\s+(?:\w+\s+)?(?:de\s+|het\s+|een\s+)?$", re.I)
_ASK_AFTER = re.compile(r"^\W*(?:\([^)]*\)\s*)?(?:[\w-]+\s+){0,5}aan\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,;:.!?]")
_AFTER_PREPOSITION = re.compile(
    r"\b(?:aan|van|voor|bij|door|met|naar|over|tot|via|op|in|uit)\s+(?:de\s+|het\s+)?"
    r"(?:[a-z][\w-]*\s+)?$",  # "aan microfinancier Qredits"
)
# Words after which a following verb belongs to another clause: "de X wordt verhoogd en
# ondernemers krijgen ...".
_CLAUSE_BREAKS = frozenset(
    "en of maar want die dat wordt worden is zijn was werd blijft blijven heeft hebben".split()
)
_PREPOSITIONS = frozenset({"voor", "van", "in", "op", "met", "bij", "tot", "aan", "over"})


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the corpus says about one candidate group."""

    accepted: bool
    cues_for: frozenset[str]
    cues_against: frozenset[str]
    mentions: int


def judge(
    groups: Sequence[AliasGroup],
    units: Sequence[Unit],
    mentions: Sequence[Sequence[Mention]],
    heading_mentions: Sequence[Sequence[Mention]] = (),
    structured: Sequence[Sequence[Mention]] = (),
    labels: Sequence[str | None] = (),
) -> list[Verdict]:
    """Return a verdict per group; `mentions[i]` are the mentions in `units[i]`,
    `heading_mentions` those in the headings (they count as namings, not as evidence), and
    `structured` those in headings or titles whose text is laid out in the fields of a scheme
    ("Voor wie?", "Voorwaarden", "Hoe vraagt u het aan?": the document describes a scheme), and
    `labels[i]` the field label above `units[i]` ("waar" after "Waar?")."""
    in_headings = Counter(m.group for found in heading_mentions for m in found)
    laid_out = {m.group for found in structured for m in found}
    vocabulary = _vocabulary(units)
    by_group: list[list[tuple[Unit, Mention, bool]]] = [[] for _ in groups]
    for index, (unit, found) in enumerate(zip(units, mentions, strict=True)):
        where = index < len(labels) and labels[index] == "waar"
        for mention in found:
            by_group[mention.group].append((unit, mention, where))
    texts = [u.text for u in units]
    return [
        _judge(group, by_group[i], in_headings[i], i in laid_out, vocabulary, texts)
        for i, group in enumerate(groups)
    ]


def _judge(
    group: AliasGroup,
    found: list[tuple[Unit, Mention, bool]],
    headings: int,
    laid_out: bool,
    vocabulary: Counter[str],
    texts: Sequence[str],
) -> Verdict:
    cues_for = set(_name_cues_for(group))
    if laid_out:
        cues_for.add("described")
    cues_against = set(_name_cues_against(group, vocabulary))
    for unit, mention, where in found:
        cues_for.update(_mention_cues_for(unit, mention))
        cues_against.update(_mention_cues_against(unit, mention, where))
    if _is_topic(group):
        cues_against.add("topic")
    named = len(found) + headings
    seen_enough = named >= 2 or group.named or (not group.lowercase and len(cues_for) >= 2)
    if not group.long_forms and all(len(a) < 3 for a in group.aliases):
        seen_enough = False  # an undefined two-letter acronym ("NL") is rarely a scheme's name
    accepted = seen_enough and bool(cues_for) and len(cues_for) > len(cues_against)
    if accepted and group.lowercase:
        accepted = (
            "head" in cues_for
            and len(cues_for) >= 2
            and not _used_as_common_noun(group, vocabulary, texts)
        )
    return Verdict(accepted, frozenset(cues_for), frozenset(cues_against), named)


def without_parts(schemes: Sequence[AliasGroup]) -> list[AliasGroup]:
    """Return the schemes that are not a part of another: a name whose every spelling joins
    another scheme's name and a lowercase word ("Tozo-bedrijfskapitaal", the Tozo's loan for
    business capital) names a part of that scheme, as "TVL-periode" names a period of the TVL
    (`index.scheme_names.name_and_word`), not a scheme of its own. Its sentences name the scheme
    it is a part of, whose card they go to."""
    names = {name_key(alias) for group in schemes for alias in group.aliases}
    return [g for g in schemes if not all(_part_of(a, names) for a in g.aliases)]


def _part_of(spelling: str, names: set[str]) -> bool:
    parts = name_and_word(spelling)
    return parts is not None and name_key(parts[0]) in names


def _is_topic(group: AliasGroup) -> bool:
    """Return whether a name is a subject rather than a scheme: it makes more kinds of
    compounds with other nouns ("S&O-kosten", "S&O-uren", "S&O-verklaring") than with the nouns
    of applying and paying ("TVL-periode", "KKC-lening")."""
    use = {c for c in group.compounds if c in USE_SUFFIXES}
    return len(group.compounds) - len(use) > len(use)


def _vocabulary(units: Sequence[Unit]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for unit in units:
        counts.update(TOKEN.findall(unit.text))
    return counts


def _name_words(group: AliasGroup) -> list[list[str]]:
    """Return the words of each spelling that is not a bare acronym ("TVL", "Tozo")."""
    return [
        _WORD.findall(s)
        for s in group.aliases
        if s not in group.acronyms or " " in s or re.search(r"-[a-z]", s)
    ]


def _name_cues_for(group: AliasGroup) -> set[str]:
    cues = set()
    for words in _name_words(group):
        for word in _before_preposition(words):
            head = ends_with_any(word, SCHEME_HEADS)
            if head is not None and (len(word) > len(head) or len(words) > 1):
                cues.add("head")
    for description in group.descriptions:
        if _describes(description):
            cues.add("described")
    if group.named:
        cues.add("described")
    if group.listed:
        cues.add("listed")
    return cues


def _before_preposition(words: list[str]) -> list[str]:
    """Return the words of a name up to its first preposition ("Lening voor bedrijfskapitaal"
    is a lening; "Tegemoetkoming Ondernemers Getroffen Sectoren" is a tegemoetkoming)."""
    out: list[str] = []
    for word in words:
        if word.lower() in _PREPOSITIONS and out:
            break
        out.append(word)
    return out


def _name_cues_against(group: AliasGroup, vocabulary: Counter[str]) -> set[str]:
    cues = set()
    for words in _name_words(group):
        lowered = [w.lower() for w in words]
        if lowered and (lowered[0] in LAW_OPENINGS or lowered[-1].endswith("wet")):
            cues.add("law")
        for word in lowered:
            last = word.rsplit("-", 1)[-1]
            if ends_with_any(last, ORGANISATION_HEADS) and not ends_with_any(last, SCHEME_HEADS):
                cues.add("organisation")
            if last in CODE_PARTS or last.endswith(("code", "nummer")):
                cues.add("code")
            if ends_with_any(last, PLAN_HEADS):
                cues.add("plan")
    for acronym in group.acronyms:
        if " " not in acronym and vocabulary[acronym.lower()] > vocabulary[acronym]:
            cues.add("common")
    return cues


def _describes(phrase: str) -> bool:
    """Return whether a describing phrase names a kind of scheme ("fiscale regeling voor
    speur- en ontwikkelingswerk", "een tegemoetkoming in de loonkosten", "het meest
    gebruikte innovatie-instrument")."""
    head = noun_phrase_head(phrase)
    return head is not None and ends_with_any(head, DESCRIBING_NOUNS) is not None


def _mention_cues_for(unit: Unit, mention: Mention) -> set[str]:
    cues = set()
    text = unit.text
    before, after = text[: mention.start], text[mention.end :]
    copula = _COPULA.match(after)
    if copula is not None and _describes(copula.group(1)):
        cues.add("described")
    classifier = _CLASSIFIER.search(before)
    if classifier is not None and ends_with_any(classifier.group(1), DESCRIBING_NOUNS):
        if not classifier.group(1).lower().endswith(("en", "s")):  # not a plural
            cues.add("described")
    if NAMED_BEFORE.search(before):
        cues.add("described")
    suffix = re.match(r"^-([a-z]+)\b", after)
    if suffix is not None and suffix.group(1) in USE_SUFFIXES:  # "SLIM-regeling": its name
        cues.add("described" if suffix.group(1) == "regeling" else "used")
    if USE_BEFORE.search(before) or _applied_for(before, after):
        cues.add("used")
    clause = _clause(text, mention)
    if (
        CHANGE_PARTICIPLES.search(clause)
        and AUXILIARIES.search(clause)
        and not _AFTER_PREPOSITION.search(before)  # "de lening aan Qredits is verlengd"
    ):
        cues.add("used")
    if unit.cells and unit.header and unit.header[0].casefold() in SCHEME_COLUMNS:
        if (
            text.find(unit.cells[0])
            <= mention.start
            < text.find(unit.cells[0]) + len(unit.cells[0])
        ):
            cues.add("listed")
    return cues


def _applied_for(before: str, after: str) -> bool:
    """Return whether the name is the object of applying: "U kunt de TVL aanvragen bij RVO",
    "U vraagt de TOGS aan", "Werkgevers die de NOW ontvangen"."""
    words = before.split()
    if not words or _AT_PLACE.search(before) or re.search(r"\b(?:door|via|naar)\s+$", before):
        return False
    if words[-1].lower() not in ARTICLES and not re.search(
        r"\b(?:kunt|kunnen|kan|wilt)\s+$", before
    ):
        return False
    clause = re.sub(r"^\s*\([^)]*\)", "", _CLAUSE_END.split(after, maxsplit=1)[0])
    following = []
    for word in clause.split()[:3]:
        if word.lower() in _CLAUSE_BREAKS:
            break
        following.append(word)
    if APPLY_VERBS.search(" ".join(following)):
        return True
    return bool(_ASK_BEFORE.search(before) and _ASK_AFTER.match(after))


def _mention_cues_against(unit: Unit, mention: Mention, where: bool = False) -> set[str]:
    cues = set()
    text = unit.text
    before, after = text[: mention.start], text[mention.end :]
    copula = _COPULA.match(after)
    if copula is not None:
        last = _WORD.findall(copula.group(1))[-1:]
        if last and ends_with_any(last[0], ORGANISATION_HEADS) and not _describes(copula.group(1)):
            cues.add("organisation")
    at_place = _AT_PLACE.search(before) and (where or PLACE_VERBS.search(text))
    if at_place or _BY_AGENT.search(before):  # "aanvragen bij X", "Waar? Bij X."
        cues.add("place")
    if not before.strip(" •-") or before.rstrip().endswith((",", ";")):
        next_word = re.match(r"^\s+([a-z]+)\b", after)
        if next_word is not None and next_word.group(1) in AGENT_VERBS:
            cues.add("agent")
    if LAW_CONTEXT.search(_clause(text, mention)):
        cues.add("law")
    classifier = _CLASSIFIER.search(before)
    if classifier is not None and ends_with_any(classifier.group(1), PLAN_HEADS):
        cues.add("plan")
    return cues


def _clause(text: str, mention: Mention) -> str:
    """Return the clause of `text` that holds the mention (between , ; : and sentence ends)."""
    before = text[: mention.start]
    start = max(before.rfind(","), before.rfind(";"), before.rfind(":"), 0)
    end = _CLAUSE_END.search(text, mention.end)
    return text[start : end.start() if end else len(text)]


def _used_as_common_noun(group: AliasGroup, vocabulary: Counter[str], texts: Sequence[str]) -> bool:
    """Return whether a lowercase name is written with "een" or in the plural somewhere."""
    for spelling in group.aliases:
        words = spelling.split()
        indefinite = re.compile(rf"\been\s+(?:\w+\s+)?{re.escape(spelling)}\b", re.IGNORECASE)
        if any(indefinite.search(t) for t in texts):
            return True
        head_index = next(
            (i for i, w in enumerate(words) if ends_with_any(w, SCHEME_HEADS)), len(words) - 1
        )
        head = words[head_index]
        plurals = [f"{head}en", f"{head}s", f"{head}n", f"{head[:-1]}en"]
        if len(words) == 1:
            if any(vocabulary[p] or vocabulary[p.capitalize()] for p in plurals):
                return True
            continue
        for plural in plurals:
            phrase = " ".join([*words[:head_index], plural, *words[head_index + 1 :]])
            if any(phrase.lower() in t.lower() for t in texts):
                return True
    return False
