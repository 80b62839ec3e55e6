"""Names that may be schemes, found by the way Dutch policy prose introduces names.

- An acronym defined in brackets: "Tegemoetkoming Vaste Lasten (TVL)", "WBSO (Wet Bevordering
  Speur- en Ontwikkelingswerk)"; the long form is found with the Schwartz-Hearst algorithm
  (Schwartz & Hearst, "A simple algorithm for identifying abbreviation definitions in
  biomedical text", 2003): each letter of the short form, from the last, is found in the words
  before the bracket, the first letter at the start of a word.
- Capitalised words inside a sentence (Dutch capitalises names, not nouns): "Klein Krediet
  Corona", "Innovatiekrediet", "Subsidieregeling praktijkleren", and acronyms ("SBIR", "KKC").
- Lowercase compounds ending in a scheme noun that are used as unique names:
  "kleineondernemersregeling", "de zogeheten brexitvoucher".
- Structure: headings ("2.2.1 Borgstelling MKB-kredieten (BMKB)", "Bijzonder uitstel van
  betaling van belastingen"), bold lead-ins ("Bijzonder uitstel van betaling. Ondernemers die
  ..."), the first column of tables headed "Maatregel" or "Regeling".

Whether a candidate is a scheme is decided elsewhere (`index.scheme_evidence`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bm25s.stopwords import STOPWORDS_DUTCH

from index.common_words import is_common_dutch
from index.scheme_lexicon import (
    DESCRIBING_NOUNS,
    LAW_OPENINGS,
    NAME_JOINERS,
    SCHEME_HEADS,
    USE_SUFFIXES,
    VARIANT_SUFFIX,
    ends_with_any,
)

TOKEN = re.compile(r"[^\W_][\w!&'’-]*")
WORD_CHARS = r"\w!&"  # characters that continue a name ("MKB!dee", "S&O")
_SHORT_FORM = re.compile(r"^[^\W\d_][\w!&'’-]{1,11}$")
_BRACKET = re.compile(r"\(([^()]{1,80})\)")
_PLURAL_S = re.compile(r"['’]s$")
STOPWORDS = frozenset(STOPWORDS_DUTCH) | {"u", "uw", "wij", "zij", "hun", "dit", "deze", "die"}
PREPOSITIONS = frozenset({"voor", "van", "in", "op", "met", "bij", "tot", "aan", "over"})
MAX_NAME_WORDS = 12
# Finite verbs and pronouns: they end a name ("Subsidieregeling praktijkleren kunt ...").
CLAUSE_WORDS = frozenset(
    "is zijn was waren wordt worden werd heeft hebben had kan kunt kunnen moet moeten mag "
    "mogen zal zullen wil wilt u ik wij we zij hij ze".split()
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A name that may be a scheme. `lowercase` names (from headings, lead-ins and compounds)
    must pass stricter tests: no plural, no indefinite article."""

    text: str
    lowercase: bool = False
    long: str = ""  # an acronym's long form, when the text defines it
    description: str = ""  # "WBSO: fiscale regeling ..." -> "fiscale regeling ..."


def upper_count(word: str) -> int:
    """Return the number of uppercase letters in `word`."""
    return sum(1 for ch in word if ch.isupper())


def is_acronym(word: str) -> bool:
    """Return whether one word holds an acronym: two or more capitals ("TVL", "BMKB-C",
    "MKB-deals")."""
    return " " not in word and upper_count(word) >= 2


def is_short_form(word: str) -> bool:
    """Return whether a word is an acronym and nothing else ("TVL", "GO-C", "S&O")."""
    return re.fullmatch(r"[A-Z0-9][A-Z0-9&!'’.-]*[A-Z0-9]", word) is not None


def clean(name: str) -> str:
    """Return a name without surrounding punctuation, a leading article or a plural 's."""
    name = " ".join(name.split()).strip(" .,;:!?\"'“”‘’()*•-")
    words = name.split(" ")
    if len(words) > 1 and words[0].lower() in {"de", "het", "een"}:
        name = " ".join(words[1:])
    return _PLURAL_S.sub("", name)


def name_key(name: str) -> str:
    """Return the key under which spellings of one name meet: casefolded, spaces collapsed."""
    return " ".join(clean(name).casefold().replace("’", "'").split())


@lru_cache(maxsize=4096)  # asked for every agency a sentence names, against every defined name
def number_forms(key: str) -> frozenset[str]:
    """Return the forms a name (a `name_key`) shares with its singular or plural: itself and,
    for each word in turn, that word without a Dutch plural ending (`singulars`). A plural
    name and its singular share a form: "regionale ontwikkelingsmaatschappijen" and "regionale
    ontwikkelingsmaatschappij", "kamers van koophandel" and "kamer van koophandel", "fondsen"
    and "fonds" (whose own "-s" is taken off too, as if it were a plural: "fond")."""
    words = key.split(" ")
    forms = {key}
    for index, word in enumerate(words):
        for singular in singulars(word):
            forms.add(" ".join([*words[:index], singular, *words[index + 1 :]]))
    return frozenset(forms)


_VOWELS = "aeiou"


def singulars(word: str) -> set[str]:
    """Return what a lowercase word would be if it were a Dutch plural: without "-en"
    ("maatschappijen", "banken"), with the spelling changes "-en" brings undone (a doubled
    consonant, "kassen" -> "kas"; "v" and "z" for "f" and "s", "bedrijven" -> "bedrijf"; a long
    vowel written once in an open syllable, "zaken" -> "zaak"), without "-n" after "e"
    ("gemeenten"), "-s" ("kamers", "gemeentes") or "-'s"; empty when nothing is left of it."""
    found: set[str] = set()
    if word.endswith("en") and len(word) > 4:
        stem = word[:-2]
        found.add(stem)
        last, before = stem[-1], stem[-2]
        if last == before and last not in _VOWELS:
            found.add(stem[:-1])
        if last in "vz":
            found.add(stem[:-1] + {"v": "f", "z": "s"}[last])
        if last not in _VOWELS and before in "aeou" and stem[-3] not in _VOWELS:
            found.add(stem[:-1] + before + last)
    if word.endswith("en") and len(word) > 3:
        found.add(word[:-1])  # "gemeenten" -> "gemeente"
    for ending in ("'s", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            found.add(word[: -len(ending)])
    return {f for f in found if f.isalpha()}


def split_variant(name: str) -> tuple[str, str]:
    """Return (base name, variant) for "NOW 2" -> ("NOW", "NOW 2"), "BMKB-C" -> ("BMKB",
    "BMKB-C"), "Borgstelling MKB-kredieten corona" -> (".. MKB-kredieten", ...); else (name, "")."""
    for cut in range(len(name) - 1, 0, -1):
        if name[cut] in " -":
            match = VARIANT_SUFFIX.match(name[cut:])
            if match is not None and match.end() == len(name) - cut:
                return name[:cut], name
    lower = name.lower()
    for suffix in (" corona", "-corona", " covid-19"):
        if lower.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)], name
    return name, ""


def noun_phrase_head(phrase: str) -> str | None:
    """Return the last word of the noun phrase a text opens with: the words up to a stop word
    (after up to two leading ones: "meest", "zeer"), a preposition or punctuation."""
    words = re.findall(r"[\w-]+|[^\w\s]", phrase)
    out: list[str] = []
    skipped = 0
    for word in words:
        lower = word.lower()
        if not word[0].isalnum():
            break
        if lower in {"de", "het", "een"} and not out:
            continue
        if lower in STOPWORDS or lower in PREPOSITIONS:
            if out or skipped >= 2:
                break
            skipped += 1
            continue
        out.append(word)
        if len(out) == 4:
            break
    return out[-1] if out else None


def long_form(before: str, short: str) -> str | None:
    """Return the words of `before` that `short` abbreviates (Schwartz-Hearst), or None."""
    letters = [ch.lower() for ch in short if ch.isalnum()]
    if len(letters) < 2:
        return None
    words = before.split()
    window = " ".join(words[-min(len(letters) + 5, len(letters) * 2, len(words)) :])
    s_index, l_index = len(letters) - 1, len(window) - 1
    while s_index >= 0:
        char = letters[s_index]
        while l_index >= 0 and (
            window[l_index].lower() != char
            or (s_index == 0 and l_index > 0 and window[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    start = window.rfind(" ", 0, l_index + 1) + 1
    found = window[start:].strip(" ,;:")
    if len(found.split()) < 1 or len(found) <= len(short) or not found[0].isalnum():
        return None
    return found


def abbreviation_pairs(text: str) -> list[tuple[str, str]]:
    """Return the (long form, short form) pairs `text` defines, in either order:
    "Klein Krediet Corona (KKC)" and "WBSO (Wet Bevordering Speur- en Ontwikkelingswerk)"."""
    pairs: list[tuple[str, str]] = []
    for match in _BRACKET.finditer(text):
        inside = match.group(1).strip()
        before = text[: match.start()].rstrip()
        if _SHORT_FORM.match(inside) and upper_count(inside) >= 1 and " " not in inside:
            clause = _last_clause(before)
            found = long_form(clause, inside)
            if found is not None:
                pairs.append((clean(_with_capitalised_start(clause, found)), clean(inside)))
            continue
        words = TOKEN.findall(before[-40:])
        if words and _SHORT_FORM.match(words[-1]) and is_acronym(words[-1]):
            short = words[-1]
            found = long_form(inside, short)
            if found is not None and found == inside:
                pairs.append((clean(found), clean(short)))
    return pairs


def _with_capitalised_start(clause: str, found: str) -> str:
    """Return the long form with the capitalised words before it: the algorithm finds
    "noodmaatregel overbrugging .." in "de Tijdelijke noodmaatregel overbrugging ..", but the
    name starts at "Tijdelijke"."""
    words = clause[: len(clause) - len(found)].split()
    taken: list[str] = []
    while (
        words
        and words[-1][:1].isupper()
        and words[-1].lower() not in STOPWORDS
        and not is_acronym(words[-1])
    ):
        if len(words) == 1:  # the clause's first word is capitalised anyway
            break
        taken.insert(0, words.pop())
    return " ".join([*taken, found])


def _last_clause(text: str) -> str:
    """Return the text after the last sentence break or colon (a long form does not span it)."""
    cut = max(text.rfind(". "), text.rfind(": "), text.rfind("; "), text.rfind("? "))
    return text[cut + 2 :] if cut >= 0 else text


def _is_type_word(word: str) -> bool:
    """Return whether a capitalised word is only a kind of thing ("Subsidieregeling", "Wet"),
    which needs the words after it to be a name ("Subsidieregeling praktijkleren")."""
    rest = word.lower()
    if rest in LAW_OPENINGS:
        return True
    for _ in range(3):
        head = next((h for h in DESCRIBING_NOUNS if rest.endswith(h)), None)
        if head is None:
            return False
        rest = rest[: -len(head)].rstrip("s")
        if not rest:
            return True
    return False


def sentence_candidates(text: str, *, first_word_is_start: bool = True) -> list[Candidate]:
    """Return the names in a sentence: capitalised word runs and acronyms (not the first word,
    which is capitalised anyway, unless it is an acronym)."""
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    found: list[Candidate] = []
    i = 0
    while i < len(tokens):
        start, end, word = tokens[i]
        at_start = i == 0 and first_word_is_start or _after_break(text, start)
        if not word[0].isupper() or (at_start and not is_acronym(word)):
            i += 1
            continue
        j = _extend_name(text, tokens, i)
        name = text[start : tokens[j][1]]
        found.extend(_split_compound(clean(name)))
        i = j + 1
    return [c for c in found if c.text]


def _after_break(text: str, offset: int) -> bool:
    """Return whether a word starts a sentence part: after ": ", "? ", "• " or a cell bar."""
    before = text[:offset].rstrip()
    return not before or before[-1] in ":?!|•;(“\"'"


def _extend_name(text: str, tokens: list[tuple[int, int, str]], i: int) -> int:
    """Return the index of the last token of the name starting at token i."""
    j = i
    while j + 1 < len(tokens) and j - i < MAX_NAME_WORDS:
        gap = text[tokens[j][1] : tokens[j + 1][0]]
        nxt = tokens[j + 1][2]
        if gap != " ":
            break
        if nxt[0].isupper() or is_acronym(nxt):
            j += 1
        elif (
            nxt.lower() in NAME_JOINERS
            and j + 2 < len(tokens)
            and text[tokens[j + 1][1] : tokens[j + 2][0]] == " "
            and tokens[j + 2][2][0].isupper()
            and not is_acronym(tokens[j + 2][2])  # "Vroegefasefinanciering van RVO"
        ):
            j += 2
        else:
            break
    if j == i and _is_type_word(tokens[i][2]):
        k = i
        while k + 1 < len(tokens) and k - i < 3:
            gap = text[tokens[k][1] : tokens[k + 1][0]]
            nxt = tokens[k + 1][2]
            if gap != " " or not nxt.islower() or nxt in STOPWORDS or nxt in CLAUSE_WORDS:
                break
            k += 1
        j = k
    return j


def name_and_word(spelling: str) -> tuple[str, str] | None:
    """Return the name and the word of a compound of a name and a lowercase word after a hyphen
    ("TVL-periode" -> ("TVL", "periode"), "Tozo-bedrijfskapitaal"), else None ("BMKB-C",
    "Speur- en Ontwikkelingswerk", "MKB-kredieten corona").

    Such a compound names a part of what the name names: a period of the TVL, the Tozo's loan
    for business capital. So it is a mention of that scheme, not a scheme of its own: at
    discovery, when the name is an acronym and the word one of using a scheme (`_split_compound`:
    the schemes are not known yet, and "MKB-actieplan" must stay whole); after judgement, when
    the name is a scheme's (`index.scheme_evidence.without_parts`). The words a name makes such
    compounds with tell a scheme from a subject (`AliasGroup.compounds`)."""
    name, dash, word = spelling.partition("-")
    if dash and word.isalpha() and word.islower():
        return name, word
    return None


def _split_compound(name: str) -> list[Candidate]:
    """Return the candidate(s) in a name: "TVL-periode" -> "TVL" (a use of the scheme,
    `name_and_word`); "MKB-actieplan" stays whole."""
    parts = name_and_word(name)
    if parts is not None and is_acronym(parts[0]) and parts[1] in USE_SUFFIXES:
        return [Candidate(parts[0])]
    return [Candidate(name)]


def scheme_compounds(text: str) -> list[str]:
    """Return lowercase words ending in a scheme noun with something before it
    ("kleineondernemersregeling", "brexitvoucher"); whether they are names is decided later."""
    out = []
    for match in TOKEN.finditer(text):
        word = match.group()
        if not word.islower():
            continue
        head = ends_with_any(word, SCHEME_HEADS)
        if head is not None and len(word) - len(head) >= 4 and not _is_type_word(word):
            out.append(word)
    return out


# What joins the names of a list: "GO-C en Klein Krediet Corona", "TVL, Tozo of NOW".
_LIST_JOINER = re.compile(r",\s+|\s+(?:en|of|and)\s+")


def list_parts(name: str, long_forms: Iterable[str] = ()) -> list[str]:
    """Return the names a candidate lists ("GO-C en Klein Krediet Corona" -> "GO-C", "Klein
    Krediet Corona"), or the candidate alone when it is one name.

    A candidate is a list when every part between its joiners ("en", "of", "and", a comma) is a
    name on its own by the rule of names inside a sentence (`sentence_candidates`,
    `is_common_word`): it opens with a capital, as Dutch writes names and not nouns, and is no
    common Dutch word ("Economische Zaken en Klimaat" is one name, "Klimaat" alone a word). A
    part cut short by a hyphen is no name ("Speur- en Ontwikkelingswerk"), and the joiners inside
    one of `long_forms` (the long forms of the acronyms the documents define) join the words of
    one name, which the acronym proves ("MKB-innovatiestimulering Regio en Topsectoren (MIT)")."""
    lowered = name.casefold()
    inside = [
        (start, start + len(long))
        for long in {f.casefold() for f in long_forms if f}
        for start in _occurrences(lowered, long)
    ]
    cuts = [
        joiner
        for joiner in _LIST_JOINER.finditer(name)
        if not any(start < joiner.start() and joiner.end() < end for start, end in inside)
    ]
    if not cuts:
        return [name]
    bounds = [0, *(i for j in cuts for i in j.span()), len(name)]
    raw = [name[bounds[i] : bounds[i + 1]] for i in range(0, len(bounds), 2)]
    parts = [clean(part) for part in raw]
    if all(_is_name_on_its_own(r, p) for r, p in zip(raw, parts, strict=True)):
        return parts
    return [name]


def _occurrences(text: str, sought: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(sought), text)]


def _is_name_on_its_own(raw: str, part: str) -> bool:
    """Return whether a part of a list is a name on its own (see `list_parts`)."""
    return (
        bool(part)
        and part[0].isupper()
        and not raw.rstrip().endswith("-")
        and not is_common_word(part)
    )


def is_common_word(name: str) -> bool:
    """Return whether a one-word name is a common Dutch word, capitalised only by its place
    ("Overzicht", "Staat"): `index.common_words.is_common_dutch`, as the question analysis
    counts common words."""
    return " " not in name and not is_acronym(name) and is_common_dutch(name.lower())
