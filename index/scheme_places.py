"""Where a sentence about a scheme says to apply or turn to: the places after "bij", "via",
"aan" and "naar" ("aanvragen bij UWV", "via uw bank of een andere geaccrediteerde financier", "het
regionale loket van de provincie"), each written as a whole name or by the acronym the documents
define for it, and told apart from the schemes a sentence may send one to; a place a negation
governs is where not to go ("niet zelf aan bij RVO").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Final

from index.scheme_lexicon import NAME_JOINERS, ORGANISATION_HEADS, ends_with_any
from index.scheme_names import (
    abbreviation_pairs,
    is_acronym,
    long_form,
    name_key,
    number_forms,
    sentence_candidates,
    singulars,
)

_CAPITALISED = r"[A-Z][\w.&'-]*"
# The determiners a place is written with: "bij de gemeente", "bij hun gemeente", "via je bank".
DETERMINERS: Final = ("de", "het", "uw", "hun", "een", "je", "jouw")
_DETERMINER = rf"((?:{'|'.join(DETERMINERS)})\s+)?"
# The determiners a name keeps ("de Kamer van Koophandel", "uw Belastingdienst"); "het" and "een"
# go ("Ministerie van Economische Zaken"). A common noun keeps any ("het regionale loket").
_NAME_DETERMINERS = frozenset({"de", "uw", "hun", "je", "jouw"})
# Where a place opens: after "bij", "via", "aan" or "naar" and its determiner (group 1 the
# preposition).
_PLACE_OPENING = re.compile(rf"\b([Bb]ij|[Vv]ia|[Aa]an|[Nn]aar)\s+{_DETERMINER}")
# The prepositions after which only a kind of organisation is a place (`place_openings`).
_KINDS_ONLY = frozenset({"aan", "naar"})
# The next place of a list of places: "bij UWV, RVO of de gemeente" (group 1 the joiner).
_LISTED_PLACE = re.compile(rf"(,|\s+(?:en|of|&))\s+{_DETERMINER}")
# The first words of a name ("Kamer", "Triodos Bank") or a web address where one applies.
_NAME_WORDS = re.compile(rf"(?:{_CAPITALISED}|mijn\.rvo\.nl)(?:\s+{_CAPITALISED})*")
_CAPITALISED_WORDS = re.compile(rf"(?:\s+{_CAPITALISED})+")  # "de provincie Fryslân"
_PHRASE_WORD = re.compile(r"\s*([^\W\d_][\w-]*)")
# The agent of a participle before a noun: "een andere door RVO geaccrediteerde financier".
_AGENT = re.compile(r"\s*door\s+(?:(?:de|het)\s+)?[\w-]+(?=\s)")
_OWNER = re.compile(rf"\s+van\s+{_DETERMINER}")  # "het loket van de provincie"
# Organisation heads of groups and settings in which people meet or work together: "het
# overleg", "aan tafel", "het team", "uw netwerk", "een platform", "de hub", "de werkplaats".
# On their own they are whom one talks or works with, no one to apply to or turn to ("U
# bespreekt het bij het overleg"); with their name after them they are a unit one can write to
# ("aan het team Subsidies van de provincie", `_kind_phrase`).
_GROUP_HEADS: Final = tuple(
    "team overleg tafel tafels klankbord netwerk platform hub hubs werkplaats werkplaatsen "
    "fieldlab fieldlabs plein".split()
)
# Organisation heads of the government as a whole ("bij het rijk", "het kabinet"): it decides
# and pays, but no one applies to it or turns to it.
_GOVERNMENT_HEADS: Final = ("rijk", "kabinet")
# The kinds of organisation one goes to: the organisation heads but those above, and those who
# lend or insure ("uw bank of een andere geaccrediteerde financier"). `ORGANISATION_HEADS` stays
# whole where it tells an organisation's name from a scheme's ("Regionaal Overleg" gets no card,
# `index.scheme_evidence`) and where a name in a list starts another (`_starts_another`).
PLACE_KINDS: Final = (
    *(head for head in ORGANISATION_HEADS if head not in (*_GROUP_HEADS, *_GOVERNMENT_HEADS)),
    "financier",
    "verzekeraar",
)
# A name goes on after a linking word with more capitalised words: "Rijksdienst voor Ondernemend
# Nederland", "Ministerie van Economische Zaken en Klimaat" (the joiners of scheme names).
_LINKED = re.compile(
    rf"\s+({'|'.join(sorted(map(re.escape, NAME_JOINERS)))})\s+({_CAPITALISED}"
    rf"(?:\s+{_CAPITALISED})*)"
)
# ... and over an enumeration after that linking word, the commas inside the name: "Ministerie
# van Onderwijs, Cultuur en Wetenschap" (capitalised words between commas, then "en" and one).
_ENUMERATED = re.compile(
    rf"((?:,\s+{_CAPITALISED}(?:\s+{_CAPITALISED})*)+)\s+(en|&)\s+({_CAPITALISED}"
    rf"(?:\s+{_CAPITALISED})*)"
)
# The linking words that make a name a phrase: "Kamer van Koophandel", "Rijksdienst voor ...".
_NAMING_LINKS = frozenset({"van", "voor"})
# The linking words that place a name, in space or time: "de Belastingdienst in Heerlen".
_PLACING_LINKS = frozenset({"in", "op"})
_BRACKETED = re.compile(r"\s*\(([^()\s]+)\)")
# A negation: "niet", "geen" or "nooit" as a word of its own ("niet-bancaire" is an adjective);
# not "niet alleen", which adds ("niet alleen een lening maar ook advies"), nor "niet" before a
# comparative and "dan", a bound ("niet meer dan 50.000 euro", "niet later dan 1 april").
_NEGATION = re.compile(
    r"(?<![\w-])(?:[Nn]iet|[Gg]een|[Nn]ooit)(?![\w-])(?!\s+(?:alleen|enkel|slechts)\b)"
    r"(?!\s+\w+er\s+dan\b)"
)
# Where a clause ends and another begins: punctuation, and the conjunctions and relative
# pronouns that open a clause ("maar wel bij de gemeente", "als u geen personeel heeft").
_CLAUSE_BOUNDARY = re.compile(
    r"[,;:()!?\u2013\u2014]|\.(?:\s|$)|\b(?:en|of|maar|want|als|wanneer|indien|omdat|doordat"
    r"|zodat|terwijl|tenzij|mits|nadat|voordat|zodra|hoewel|die|dat|wat|wie"
    r"|waar(?:bij|mee|voor|door|in|naar|op|van|aan)?)\b",
    re.IGNORECASE,
)


_AGENCY_FOR = re.compile(
    r"(?:^|[,:;]\s*|\ben\s+)((?:de\s+|uw\s+|het\s+)?(?:[A-Z][\w.&'-]*|gemeente|bank))\s+voor\s+"
    r"(?:onder meer\s+)?"
)


def agency_for(text: str, at: int) -> str | None:
    """Return the place a list assigns to the scheme named at `at`: "RVO voor onder meer de TVL,
    de SLIM-regeling en het Innovatiekrediet, UWV voor de NOW" gives RVO for the SLIM."""
    found = None
    for match in _AGENCY_FOR.finditer(text, 0, at):
        found = match.group(1)
    return found


def agencies(text: str, at: int = -1, names: frozenset[str] = frozenset()) -> list[str]:
    """Return where a "waar" sentence says to go, as written, in order: "UWV", "de gemeente",
    "uw bank", "de Kamer van Koophandel", "het regionale loket van de provincie"; "RVO" for "de
    Rijksdienst voor Ondernemend Nederland (RVO)"; every place of a list ("bij RVO of de Kamer
    van Koophandel", "bij uw bank of een andere geaccrediteerde financier", `_listed_places`).
    For a scheme named at `at` in a list, the place the list gives it. `names`: the names the
    documents write on their own (`own_names`), which a name never runs on into. A place
    written twice is given twice: `Naming.places` gives each once, after naming each agency by
    its acronym, which may make two spellings one place ("de Rijksdienst voor Ondernemend
    Nederland" and "RVO")."""
    listed = agency_for(text, at) if at >= 0 else None
    if listed is not None:
        return [listed]
    found = []
    for determiner, start, end in place_openings(text):
        place, end = _place(text, determiner, start, end, names)
        found.append(place)
        found.extend(_listed_places(text, end, names))
    return found


def place_openings(text: str) -> Iterator[tuple[str | None, int, int]]:
    """Yield the determiner, start and end of the first words of each place a sentence names
    after "bij", "via", "aan" or "naar" (`_first_words`). After "aan" and "naar" only a kind of
    organisation is a place ("aan de gemeente doorgeven", "U gaat naar uw bank"): a name after
    "aan" is mostly whom something is sent or lent to ("aan de Voorzitter", "aan Qredits
    verlengd"), after "naar" where goods, trips or bills go ("naar India", "naar de Tweede
    Kamer") or what one asks about ("vraag naar het KKC"). A place a negation governs is where
    not to go (`_negated`): "U vraagt het niet zelf aan bij RVO"."""
    for match in _PLACE_OPENING.finditer(text):
        kinds_only = match.group(1).lower() in _KINDS_ONLY
        end = _first_words(text, match.end(), kinds_only)
        if end is not None and not _negated(text, match.start(), end):
            yield match.group(2), match.end(), end


def _negated(text: str, start: int, end: int) -> bool:
    """Tell whether a negation (`_NEGATION`) governs the place whose preposition starts at
    `start` and whose first words end at `end`: it stands in the place's clause (between the
    `_CLAUSE_BOUNDARY`s around it), before the place ("niet zelf aan bij RVO", "geen aanvraag in
    bij UWV") or after it, as Dutch may write it ("die bij de bank niet terechtkunnen"). A
    negation in another clause governs something else: "aanvragen bij RVO als u geen personeel
    heeft", "niet bij RVO, maar wel bij de gemeente"."""
    boundaries = [match.end() for match in _CLAUSE_BOUNDARY.finditer(text, 0, start)]
    clause_start = boundaries[-1] if boundaries else 0
    after = _CLAUSE_BOUNDARY.search(text, end)
    clause_end = after.start() if after is not None else len(text)
    before_place = _NEGATION.search(text, clause_start, start)
    return before_place is not None or _NEGATION.search(text, end, clause_end) is not None


def _first_words(text: str, start: int, kinds_only: bool = False) -> int | None:
    """Return where the first words of a place at `start` end: a name's capitalised words
    (which `_whole_name` continues), or a noun phrase naming a kind of organisation
    (`_kind_phrase`); None when neither starts there."""
    name = _NAME_WORDS.match(text, start)
    if name is not None:
        return None if kinds_only else name.end()
    return _kind_phrase(text, start)


def _kind_phrase(text: str, start: int) -> int | None:
    """Return where a noun phrase naming a kind of organisation (`PLACE_KINDS`) that starts at
    `start` ends, or None. Its words are the adjectives before the noun (`_is_adjective`), each
    perhaps after its agent ("door RVO geaccrediteerde"), then the noun, in the singular or the
    plural (`_is_kind`): "bank", "eigen bank", "andere door RVO geaccrediteerde financier",
    "regionale ontwikkelingsmaatschappijen". Then the capitalised words that name the one meant
    ("provincie Fryslân") and after "van" the organisation it belongs to, a kind too ("regionale
    loket van de provincie"). A group's noun (`_GROUP_HEADS`) needs the name: "het team
    Subsidies van de provincie", not "het team"."""
    position = start
    while (word := _PHRASE_WORD.match(text, position)) is not None and word.group(1).islower():
        if _is_kind(word.group(1)) or _is_named_group(text, word.group(1), word.end()):
            end = word.end()
            if (named := _CAPITALISED_WORDS.match(text, end)) is not None:
                end = named.end()
            owner = _OWNER.match(text, end)
            owner_end = _kind_phrase(text, owner.end()) if owner is not None else None
            return owner_end if owner_end is not None else end
        agent = _AGENT.match(text, position)
        if agent is not None:
            position = agent.end()
        elif _is_adjective(word.group(1)):
            position = word.end()
        else:
            return None
    return None


def _is_kind(word: str) -> bool:
    """Tell whether a lowercase word, or its singular (`singulars`), is headed by a kind of
    organisation one goes to (`PLACE_KINDS`): "bank", "banken", "woongemeente", "financiers"."""
    return any(ends_with_any(form, PLACE_KINDS) for form in {word, *singulars(word)})


def _is_named_group(text: str, word: str, end: int) -> bool:
    """Tell whether a lowercase word ending at `end` is headed by a group's noun (`_GROUP_HEADS`)
    and the capitalised words of its name follow it: "team Subsidies", "netwerk Kennispoort"."""
    forms = {word, *singulars(word)}
    named = _CAPITALISED_WORDS.match(text, end) is not None
    return named and any(ends_with_any(form, _GROUP_HEADS) for form in forms)


def _is_adjective(word: str) -> bool:
    """Tell whether a lowercase word before a noun is an adjective: inflected, as Dutch writes
    an adjective before a noun after a determiner ("andere", "regionale", "geaccrediteerde",
    "niet-bancaire"), or "eigen", which Dutch does not inflect."""
    return word.endswith("e") or word == "eigen"


def _place(
    text: str, determiner: str | None, start: int, end: int, names: frozenset[str]
) -> tuple[str, int]:
    """Return the place whose first words run from `start` to `end` (after `determiner`), as
    written (its whole name, `_whole_name`, or the acronym it is given in brackets,
    `_bracketed_acronym`), and where it ends in `text`. A name keeps "de" and a possessive
    before it ("de Kamer van Koophandel", "uw bank"), a kind of organisation any determiner
    ("het regionale loket", "een andere geaccrediteerde financier")."""
    determiner = (determiner or "").strip()
    place, end = _whole_name(text, text[start:end], end, names)
    acronym = _bracketed_acronym(text, place.rstrip("."), end)
    if acronym is not None:
        return acronym
    place = place.rstrip(".")
    kept = determiner and (determiner in _NAME_DETERMINERS or place[:1].islower())
    return (f"{determiner} {place}" if kept else place), end


def _listed_places(text: str, end: int, names: frozenset[str]) -> list[str]:
    """Return the places that follow a place ending at `end` in a list: ", RVO en de gemeente",
    " of de Kamer van Koophandel", " of een andere geaccrediteerde financier": the conjunct of a
    place is a place. A Dutch list ends with "en", "of" (or "&") before its last part; places
    after commas that no such last part follows list nothing ("bij RVO, Qredits verstrekt de
    lening")."""
    found = []
    while (match := _LISTED_PLACE.match(text, end)) is not None:
        first_end = _first_words(text, match.end())
        if first_end is None:
            break
        place, end = _place(text, match.group(2), match.end(), first_end, names)
        found.append(place)
        if match.group(1) != ",":
            return found
    return []


def place_key(place: str) -> str:
    """Return the key under which the spellings of one place meet: its `name_key` without the
    determiner before it, so that "de gemeente", "hun gemeente" and "uw gemeente" are one place,
    as are "de Belastingdienst" and "Belastingdienst"."""
    words = name_key(place).split(" ")
    return " ".join(words[1:] if len(words) > 1 and words[0] in DETERMINERS else words)


def distinct(places: Iterable[str]) -> list[str]:
    """Return the places in order, each once, as first written: written with another
    determiner or none ("de gemeente", "hun gemeente"; "de Belastingdienst", "Belastingdienst")
    they are one place (`place_key`)."""
    first: dict[str, str] = {}
    for place in places:
        first.setdefault(place_key(place), place)
    return list(first.values())


def _whole_name(
    text: str, place: str, end: int, names: frozenset[str] = frozenset()
) -> tuple[str, int]:
    """Return an organisation's name with the words it goes on with after a linking word, and
    where it ends: "Rijksdienst" + " voor Ondernemend Nederland", "Kamer" + " van Koophandel".

    A name becomes a phrase with "van" or "voor" ("Kamer van Koophandel"); only after that do
    "en" and "&" go on inside it ("Ministerie van Economische Zaken en Klimaat"). Before it
    they join another agency ("Qredits en Triodos Bank", "Qredits & Triodos"). A word cut short
    by a hyphen goes on over "en" ("Nederlandse Voedsel- en Warenautoriteit"). A common noun of
    `PLACE_KINDS` ("gemeente", "bank") names no organisation of its own that a phrase continues:
    "de gemeente en Qredits" are two.

    After a "van" or "voor", the name goes on over an enumeration of capitalised words that
    ends in "en" and a capitalised word: "Ministerie van" + "Onderwijs, Cultuur en Wetenschap".
    A comma right after a name, with no linking word before it, ends the name: "de
    Belastingdienst, Douane en ..." lists organisations.

    Never part of the name:
    - a place or a time after "in" or "op" ("de Belastingdienst in Heerlen", "de Kamer van
      Koophandel in Utrecht", "Qredits op Werkdagen"): an organisation is located by them, not
      named; only an acronym in brackets after them proves them part of one name
      ("Steunpunt Ondernemers in Nood (SOIN)", `_bracketed_acronym`);
    - an acronym: it is a whole name ("UWV in Amsterdam", "RVO en Qredits", "UWV, RVO en ..."),
      and one after the linking word or the comma starts another name ("Qredits en RVO");
    - words headed by an organisation noun (`ORGANISATION_HEADS`: "Belastingdienst",
      "Triodos Bank"): they are another organisation, so "de Kamer van Koophandel,
      Belastingdienst en Douane" lists three, the first "de Kamer van Koophandel";
    - after "en", "&" or a comma, words that are a name of their own, without an organisation
      noun: the documents write them on their own elsewhere (`names`, `own_names`), so "de
      Kamer van Koophandel, Douane en Rijkswaterstaat" lists three when "De Douane
      controleert ..." or "bij Rijkswaterstaat" stands in them. The words of an enumeration
      inside a name ("Onderwijs, Cultuur en Wetenschap") are capitalised only there."""
    linked = False  # the name became a phrase with "van" or "voor"
    while place[0].isupper() and not is_acronym(place.split()[-1]):
        link = _LINKED.match(text, end)
        if link is not None and (
            link.group(1) in _PLACING_LINKS or not (linked or _links(link.group(1), place))
        ):
            link = None
        parts = [link.group(2)] if link else []
        joins = link is not None and link.group(1) in ("en", "&")  # not "van", "voor"
        if link is None and linked and (link := _ENUMERATED.match(text, end)):
            parts, joins = [*link.group(1).split(",")[1:], link.group(3)], True
        others = names if joins else frozenset()
        if link is None or any(_starts_another(part, place, others) for part in parts):
            break
        joined = " ".join(link.group(0).split())
        place = f"{place}{joined}" if joined.startswith(",") else f"{place} {joined}"
        end, linked = link.end(), linked or link.group(1) in _NAMING_LINKS
    return place, end


def _starts_another(part: str, place: str, names: frozenset[str] = frozenset()) -> bool:
    """Tell whether the capitalised words `part` after a joiner of `place` name an organisation
    of their own: an acronym first, an organisation noun as their head (their last word), or
    one of `names`, unless they finish a word `place` cut short ("Voedsel-" + "Warenautoriteit")."""
    words = part.split()
    if is_acronym(words[0]):
        return True
    head = words[-1].rstrip(".")  # the full stop of the sentence
    if place.endswith("-"):
        return False
    return ends_with_any(head, ORGANISATION_HEADS) is not None or name_key(part) in names


def _links(word: str, place: str) -> bool:
    """Tell whether `word` goes on with the name `place` before it became a phrase."""
    return word in _NAMING_LINKS or (place.endswith("-") and word in ("en", "&"))


def _bracketed_acronym(text: str, place: str, end: int) -> tuple[str, int] | None:
    """Return the acronym in brackets after `place` or after the capitalised words that any
    joiner of names adds to it, when it abbreviates them: "Steunpunt Ondernemers" + " in Nood
    (SOIN)" -> "SOIN". The acronym proves the words one name, over the joiners that otherwise
    part a name from a place or another agency (`_whole_name`). Returns the acronym and where
    its bracket ends."""
    while (short := _defined_acronym(text, place, end)) is None:
        link = _LINKED.match(text, end)
        if link is None or is_acronym(link.group(2).split()[0]):
            return None
        place, end = f"{place} {' '.join(link.group(0).split())}", link.end()
    return short


def _defined_acronym(text: str, place: str, end: int) -> tuple[str, int] | None:
    """Return the acronym in brackets right after `place` when it abbreviates it: "Rijksdienst
    voor Ondernemend Nederland (RVO)" -> "RVO", "Kamer van Koophandel (KvK)" -> "KvK".

    The acronym is the name other documents use ("aanvragen bij RVO"), so one agency has one
    name on a card and in the comparison of its statements; the sentence quoted keeps both.
    Returns the acronym and where its bracket ends."""
    bracket = _BRACKETED.match(text, end)
    if bracket is None:
        return None
    short = bracket.group(1)
    if is_acronym(short) and long_form(place, short) is not None:
        return short, bracket.end()
    return None


def defined_acronyms(texts: Iterable[str]) -> dict[str, str]:
    """Return the acronym that `texts` (all sentences of the indexed documents) define for a
    full name in brackets, by the full name's `name_key`: "de Rijksdienst voor Ondernemend
    Nederland (RVO)" gives {"rijksdienst voor ondernemend nederland": "RVO"}. A name defined
    with more than one acronym gets the one written most (the first of those at a tie)."""
    written: dict[str, Counter[str]] = {}
    for text in texts:
        for long, short in abbreviation_pairs(text):
            if is_acronym(short):
                written.setdefault(name_key(long), Counter())[short] += 1
    return {key: counts.most_common(1)[0][0] for key, counts in written.items()}


def by_acronym(agency: str, acronyms: Mapping[str, str]) -> str:
    """Return the acronym of an agency written by its full name when the documents define one
    for that name anywhere (`defined_acronyms`), else the agency as written.

    The rule of `_defined_acronym` across documents: "aanvragen bij de Rijksdienst voor
    Ondernemend Nederland" in one document and "Rijksdienst voor Ondernemend Nederland (RVO)"
    in another name one agency, RVO, on a card and in the comparison of its statements. A name
    in the singular is the name defined in the plural, and the other way round ("bij de
    regionale ontwikkelingsmaatschappij", "de regionale ontwikkelingsmaatschappijen (ROM's)"):
    they share a form without a Dutch plural ending (`number_forms`); the name as written
    decides first. The determiner before it is no part of it (`place_key`)."""
    key = place_key(agency)
    if key in acronyms:
        return acronyms[key]
    forms = number_forms(key)
    return next((short for long, short in acronyms.items() if forms & number_forms(long)), agency)


def own_names(texts: Iterable[str]) -> frozenset[str]:
    """Return the `name_key`s of the names `texts` (all sentences of the indexed documents)
    write on their own inside a sentence: each run of capitalised words `sentence_candidates`
    finds, whole ("De Douane controleert" gives "douane", "bij Rijkswaterstaat aanvragen"
    "rijkswaterstaat"). Dutch capitalises names, not nouns, so such words name something of
    their own; a ministry's portfolio ("Cultuur", "Wetenschap") is capitalised only inside the
    ministry's name, whose run holds it."""
    return frozenset(name_key(c.text) for text in texts for c in sentence_candidates(text))


# What a scheme's name may carry after it when a sentence sends one to it ("aanvragen via de
# SLIM-regeling"); `name_key` takes the article before it off ("kijk dan bij de Tozo").
_SCHEME_SUFFIX = re.compile(r"[-\s]?regeling$")


@dataclass(frozen=True)
class Naming:
    """What the indexed documents say about names, for the agencies on scheme cards: the
    acronym they define for a full name (`defined_acronyms`), the `name_key`s of the
    schemes' names (their aliases) and of the names they write on their own (`own_names`)."""

    acronyms: Mapping[str, str] = dataclass_field(default_factory=dict)
    schemes: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    def places(self, text: str, at: int = -1) -> list[str]:
        """Return where a sentence says to go (`agencies`, which no name runs on into a name
        the documents write on their own), each agency by the acronym the documents define for
        it (`by_acronym`), each once (`distinct`), without the schemes among them."""
        found = agencies(text, at, self.names)
        return distinct(by_acronym(a, self.acronyms) for a in found if not self.is_scheme(a))

    def is_scheme(self, place: str) -> bool:
        """Return whether a place a sentence sends one to is a scheme, not an agency: "bij de
        Tozo" sends a self-employed reader to another scheme, "via de SLIM-regeling" names the
        scheme itself. Its words, an article before and "regeling" after aside, are a scheme's
        name."""
        key = place_key(place)
        return key in self.schemes or _SCHEME_SUFFIX.sub("", key) in self.schemes
