"""Which card fields a sentence about a scheme fills, by the words of Dutch policy prose.

A field label above the sentence decides first: a heading or lead-in "Voor wie?", "Voorwaarden",
"Bedragen", "Hoe vraagt u het aan?" (score 3). Otherwise the sentence's own words: a strong cue
(score 2) such as "bedoeld voor", "om in aanmerking te komen", "maximaal 90.000 euro per
onderneming", "van 6 april tot en met 31 mei 2020", "aanvragen bij UWV"; or a weak one (score
1): any amount, any date, "moet". Figures about use ("In 2018 zijn 3.029 borgstellingen
verstrekt") fill no field: they say how much was spent, not what one can get.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from index.calendar_words import MONTH_ABBREVIATIONS, MONTH_PATTERN, YEAR_PATTERN
from index.scheme_lexicon import DESCRIBING_NOUNS, SCHEME_HEADS
from index.scheme_names import noun_phrase_head
from index.scheme_places import agency_for, place_openings

FIELD_LABELS: Final = {
    "wat": re.compile(
        r"^(?:wat(?: is (?:het|dit|de regeling))?|hoe werkt (?:het|de regeling)|wat houdt .* in"
        r"|inhoud|wat krijgt u|kenmerken?|vorm)\W*$",
        re.IGNORECASE,
    ),
    "voor_wie": re.compile(
        r"^(?:voor wie(?: is (?:het|de regeling))?|doelgroep|wie kan .*|wie komt .*)\W*$",
        re.IGNORECASE,
    ),
    "voorwaarden": re.compile(
        r"^(?:voorwaarden?(?: en bedragen)?|eisen|criteria|wanneer komt u in aanmerking)\W*$",
        re.IGNORECASE,
    ),
    "hoeveel": re.compile(
        r"^(?:bedragen(?: en (?:rente|percentages))?|hoeveel.*|hoogte|bedrag|budget"
        r"|vergoeding|leenbedrag|maximum)\W*$",
        re.IGNORECASE,
    ),
    "periode": re.compile(
        r"^(?:periode|looptijd|wanneer.*|aanvraagperiodes?|openstelling|tijdpad|ingangsdatum)\W*$",
        re.IGNORECASE,
    ),
    "waar": re.compile(
        r"^(?:waar(?: aanvragen)?|hoe vraagt u (?:het|de \w+) aan|aanvragen(?: bij)?|aanvraag"
        r"|loket|uitvoering|aanvragen bij uwv|waar kunt u terecht)\W*$",
        re.IGNORECASE,
    ),
}

_MONTH = rf"(?:{MONTH_PATTERN}|{'|'.join(MONTH_ABBREVIATIONS)})"
DATE: Final = re.compile(
    rf"\b(?:\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|{_MONTH}\s+\d{{4}}|\d{{1,2}}-\d{{1,2}}-\d{{4}}"
    rf"|(?:eerste|tweede|derde|vierde)\s+kwartaal(?:\s+van)?\s+\d{{4}}|(?:begin|medio|eind|half)\s+"
    rf"{_MONTH}|{_MONTH}\s+(?:tot en met|t/m|tot)\s+{_MONTH})\b",
    re.IGNORECASE,
)
_YEAR = re.compile(rf"\b{YEAR_PATTERN}\b")
_PERIOD_WORDS = re.compile(
    r"\b(?:tot en met|t/m|tot|vanaf|sinds|van\b.*\btot|loopt|liep|geopend|opengesteld|open"
    r"|gesloten|verlengd|uiterlijk|ingediend|aanvragen|aangevraagd|per\s+\d|met ingang van"
    r"|ingaan|gaat in|treedt|beschikbaar tot|afloop)\b",
    re.IGNORECASE,
)
AMOUNT: Final = re.compile(
    r"(?:€\s*\d|\d[\d.,]*\s*(?:euro|procent|%|miljoen|miljard)|\d[\d.,]*\s*(?:uur|maanden|jaar)\b"
    r"|\bprocent\b)",
    re.IGNORECASE,
)
_OWN_AMOUNT = re.compile(
    r"\b(?:maximaal|minimaal|ten hoogste|hoogstens|tot|bedraagt|bedragen|vergoedt|vergoed"
    r"|krijgt|krijgen|ontvangt|ontvangen|lenen|garant|per onderneming|per aanvraag|per project"
    r"|per leerplek|per kwartaal|van de (?:loonsom|kosten|projectkosten|financiering)|rente"
    r"|premie|provisie|voordeel|percentage|aftrek|budget|beschikbaar|uitgetrokken)\b",
    re.IGNORECASE,
)
_STATISTICS = re.compile(
    r"\b(?:zijn|werden|waren|hebben|had|hadden|is)\b[^.]*\b(?:verstrekt|toegekend|afgegeven|uitgekeerd"
    r"|ingediend|aangevraagd|uitbetaald|geholpen|gehonoreerd|ontvangen)\b"
    r"|\b(?:gebruikers|in totaal|ontvingen|verstrekten|kregen|toekenningen)\b",
    re.IGNORECASE,
)
# An amount that is a threshold, not what one gets: "een jaaromzet van maximaal 20.000 euro".
_THRESHOLD = re.compile(
    r"\b(?:omzet|jaaromzet|omzetverlies|omzetdaling|financieringsbehoefte|projectkosten"
    r"|werknemers|vaste lasten|balanstotaal|schade)\b[^;,]{0,25}?(?:van\s+)?(?:ten minste"
    r"|minimaal|minstens|maximaal|ten hoogste|vanaf|meer dan|tussen|boven|tot|niet hoger dan)"
    r"\s+(?:€\s*)?\d[\d.,]*(?:\s*(?:euro|procent|%))?"
    r"|\b(?:ten minste|minimaal|minstens)\s+\d+\s*(?:procent|%)\s+(?:omzetverlies|omzetdaling)",
    re.IGNORECASE,
)
# A sentence that says what the scheme is: "De X is een fiscale regeling", "X, een
# tegemoetkoming in de loonkosten", "Met de X krijgt u ...", "De X vergoedt ...".
_WHAT_VERBS = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:vergoedt|financiert|dekt|ondersteunt|stimuleert|biedt|helpt"
    r"|daagt|verdubbelt|geeft|verstrekt|compenseert|geldt\s+(?:alleen\s+)?voor"
    r"|heeft\s+(?:alleen\s+)?betrekking\s+op|betreft|bestaat\s+uit)\b",
    re.IGNORECASE,
)
_WHAT_COPULA = re.compile(
    r"^\s*\)?\s*(?:\([^)]*\)\s*)?(?:,\s*(?=een\b)|\s*\b(?:is|zijn|vormt|blijft)\s+)(.*)",
    re.IGNORECASE,
)
_WHAT_WITH = re.compile(
    r"^(?:met|via|bij)\s+(?:de|het)?\s*{name}\b.*\b(?:krijgt|kunt|kunnen|krijgen|betaalt|staat"
    r"|koopt|ontvangen|ontvangt)\b",
    re.IGNORECASE,
)
# Nouns that say what a scheme is in "X is een <noun>": every noun that describes a scheme
# (`DESCRIBING_NOUNS`) and a few that place it among others ("opvolger", "variant").
_WHAT_NOUNS = (
    *DESCRIBING_NOUNS,
    "opvolger",
    "verruiming",
    "variant",
    "gift",
    "programma",
    "vangnet",
)
# A sentence that picks up a scheme named before it: "Deze regeling ondersteunt ...".
ANAPHORS: Final = rf"(?:deze|die|de|het|dit)\s+(?:{'|'.join((*SCHEME_HEADS, 'instrument'))})"
_DEFINITION = re.compile(
    rf"^een\s+(?:[\w-]+\s+){{0,3}}(?:{'|'.join(_WHAT_NOUNS)})\b", re.IGNORECASE
)
_GROUPS = (
    r"(?:ondernemers|ondernemingen|werkgevers|zelfstandigen|zelfstandig|zzp'ers|bedrijven"
    r"|mkb-\w+|mkb|starters|startups|fondsen|investeringsfondsen|leerbedrijven|exporteurs"
    r"|organisatoren|samenwerkingsverbanden|winkeliers|kleine|grote|middelgrote|innovatieve"
    r"|werkgevers|iedereen|alle)"
)
_FOR_WHOM = re.compile(
    rf"\b(?:bedoeld voor|bestemd voor|(?:is|zijn) voor (?:\w+\s+){{0,2}}?{_GROUPS}"
    r"|richt zich op|richten zich op"
    r"|staat open voor|stond open voor|toegankelijk voor|open voor|geschikt voor"
    r"|in aanmerking (?:komen|komt) (?:alle )?(?:ondernemers|werkgevers|bedrijven))\b",
    re.IGNORECASE,
)
_GROUP_NOUNS = (
    r"(?:ondernemers|ondernemingen|werkgevers|zelfstandigen|zzp'ers|bedrijven|mkb-bedrijven"
    r"|mkb-ondernemers|mkb-ondernemingen|starters|startups|fondsen|investeringsfondsen"
    r"|leerbedrijven|exporteurs|organisatoren|samenwerkingsverbanden|winkeliers)"
)
_GROUP_START = re.compile(
    rf"^(?:[\w'-]+\s+){{0,3}}?{_GROUP_NOUNS}\b.*?\b(?:kunnen|kan|krijgen|ontvangen|komen)\b",
    re.IGNORECASE,
)
# "Werkgevers die ...", "Ondernemers in sectoren die ...", "waarmee mkb-ondernemers ... kunnen",
# "Voor exporteurs ...": a group narrowed down, or the group a scheme is for.
_GROUP_WHO = re.compile(
    rf"^(?:[\w'-]+\s+){{0,3}}?{_GROUP_NOUNS}\s+(?:(?:[\w-]+\s+){{0,2}}die|zoals|met)\b"
    rf"|\bwaarmee\s+(?:[\w'-]+\s+){{0,2}}?{_GROUP_NOUNS}\b",
    re.IGNORECASE,
)
_FOR_GROUP = re.compile(rf"^voor\s+(?:[\w'-]+\s+){{0,2}}?{_GROUP_NOUNS}\b", re.IGNORECASE)
_CONDITION = re.compile(
    r"\b(?:voorwaarde|voorwaarden|om in aanmerking te komen|in aanmerking te komen|moet|moeten"
    r"|mits|alleen als|alleen voor|drempel|voldoen|voldoet|ingeschreven|urencriterium"
    r"|omzetverlies van (?:ten minste|minimaal|minstens)|ten minste \d+ procent omzet"
    r"|(?:ten minste|minimaal|minstens) [\d.,]+ (?:procent|%) omzetverlies|eis|niet failliet)\b",
    re.IGNORECASE,
)
_STRONG_CONDITION = re.compile(
    r"\b(?:voorwaarde|om in aanmerking te komen|mits|alleen als|drempel|voldoen aan"
    r"|urencriterium|ingeschreven|omzetverlies)\b",
    re.IGNORECASE,
)
_APPLY = re.compile(
    r"\b(?:aan(?:ge)?vra\w*|aan te vragen|vraagt|vragen|indienen|ingediend|dient|aanvraag"
    r"|terecht|aanmelden|meldt|melden|loket|aankloppen|informeren)\b",
    re.IGNORECASE,
)
_EXECUTED_BY = re.compile(r"\buitgevoerd\s+door\b|\bvoert\b.*\buit\b", re.IGNORECASE)


def label_field(label: str) -> str | None:
    """Return the field a heading or lead-in names ("Voor wie?" -> "voor_wie"), if any."""
    label = " ".join(label.split()).strip(" .:")
    if not label or len(label.split()) > 7:
        return None
    for field, pattern in FIELD_LABELS.items():
        if pattern.match(label):
            return field
    return None


def score_fields(
    text: str, names: list[str], places: Sequence[str], at: int = -1
) -> dict[str, int]:
    """Return {field: score} for a sentence about a scheme called `names` (its spellings, for
    the "what it is" test), named at offset `at` (-1: not named, the sentence follows one that
    does). `places`: where the sentence sends one for that scheme (`Naming.places` of it, with
    `at`), agencies only, not the schemes a sentence may send one to ("kijk dan bij de
    Tozo"); they make a "waar" statement."""
    scores: dict[str, int] = {}
    if _says_what(text, names):
        scores["wat"] = 2
    elif _DEFINITION.match(text):
        scores["wat"] = 1
    if _FOR_WHOM.search(text) or _GROUP_WHO.search(text):
        scores["voor_wie"] = 2
    elif _GROUP_START.match(text) or _FOR_GROUP.match(text):
        scores["voor_wie"] = 1
    if _STRONG_CONDITION.search(text):
        scores["voorwaarden"] = 2
    elif _CONDITION.search(text):
        scores["voorwaarden"] = 1
    statistics = _STATISTICS.search(text) is not None
    if _THRESHOLD.search(text):
        scores["voorwaarden"] = 2
        if AMOUNT.search(_THRESHOLD.sub("", text)) and not statistics:
            scores["hoeveel"] = 1
    elif AMOUNT.search(text) and not statistics:
        scores["hoeveel"] = 2 if _OWN_AMOUNT.search(text) else 1
    if not statistics:
        if DATE.search(text):
            scores["periode"] = 2 if _PERIOD_WORDS.search(text) else 1
        elif _YEAR.search(text) and _PERIOD_WORDS.search(text):
            scores["periode"] = 1
    others = [a for a in places if not _is_name(a, names)]
    if _APPLY.search(text) and (others or (at >= 0 and agency_for(text, at))):
        scores["waar"] = 2
    elif _EXECUTED_BY.search(text) and any(place_openings(text.replace("door", "bij"))):
        scores["waar"] = 1
    return scores


def _is_name(place: str, names: list[str]) -> bool:
    lowered = place.lower()
    return any(lowered.endswith(n.lower()) or lowered.startswith(n.lower()) for n in names if n)


def _says_what(text: str, names: list[str]) -> bool:
    """Return whether a sentence says what the scheme is (see _WHAT_COPULA and friends)."""
    subjects = [re.escape(n) for n in names if n] + [ANAPHORS]
    name = "|".join(subjects)
    if re.search(rf"\bzogeheten\s+(?:de\s+|het\s+)?(?:{name})", text, re.IGNORECASE):
        return True
    if re.match(_WHAT_WITH.pattern.format(name=f"(?:{name})"), text, re.IGNORECASE):
        return True
    opening = re.match(rf"^(?:(?:de|het)\s+)?(?:{name})", text, re.IGNORECASE)
    if opening is None:
        return False
    rest = text[opening.end() :]
    if _WHAT_VERBS.match(rest):
        return True
    copula = _WHAT_COPULA.match(rest)
    if copula is None:
        return False
    head = noun_phrase_head(copula.group(1))
    return head is not None and head.lower().endswith(_WHAT_NOUNS)


def figures(text: str) -> frozenset[str]:
    """Return the numbers and dates of a sentence, normalised: two quotes that differ in them
    say different things ("70 miljoen" in 2019, "60 miljoen" in 2020)."""
    numbers = {re.sub(r"[.,\s]", "", m) for m in re.findall(r"\d[\d.,]*\d|\d", text)}
    months = {m.lower()[:3] for m in re.findall(_MONTH, text, re.IGNORECASE)}
    return frozenset(numbers | months)
