"""Words of Dutch policy prose that tell a support scheme from an organisation, a law, a code or
a plan. General vocabulary of the genre, not names of particular schemes: a new scheme called
"Groeikrediet" or "Transitievoucher" is recognised by its head noun, the way it is used
("aanvragen", "gebruikmaken van") and the way it is described ("is een regeling")."""

from __future__ import annotations

import re
from typing import Final

# Head nouns of schemes: what an entrepreneur gets (singular forms; compounds end in them).
SCHEME_HEADS: Final = (
    "regeling",
    "subsidie",
    "lening",
    "krediet",
    "garantie",
    "borgstelling",
    "tegemoetkoming",
    "uitkering",
    "voucher",
    "verzekering",
    "financiering",
    "aftrek",
    "uitstel",
    "maatregel",
    "stimulering",
    "vrijstelling",
    "toeslag",
    "korting",
    "vergoeding",
    "bijdrage",
    "reserve",
    "compensatie",
    "overbrugging",
)
# Nouns that describe a scheme in an apposition or a copula ("X is een fiscale regeling",
# "X, een tegemoetkoming in de loonkosten") or classify it before its name ("de regeling X").
DESCRIBING_NOUNS: Final = (*SCHEME_HEADS, "instrument", "steunmaatregel", "noodmaatregel")

# Head nouns of organisations, places and networks (`index.scheme_places.PLACE_KINDS` keeps those
# one applies to or turns to).
ORGANISATION_HEADS: Final = (
    "dienst",
    "centrum",
    "center",
    "centre",
    "autoriteit",
    "maatschappij",
    "maatschappijen",
    "bank",
    "kamer",
    "instituut",
    "stichting",
    "ministerie",
    "organisatie",
    "agentschap",
    "raad",
    "college",
    "commissie",
    "hub",
    "hubs",
    "loket",
    "netwerk",
    "platform",
    "werkplaats",
    "werkplaatsen",
    "fieldlab",
    "fieldlabs",
    "team",
    "vereniging",
    "federatie",
    "plein",
    "overleg",
    "bureau",
    "klankbord",
    "tafel",
    "tafels",
    "gemeente",
    "provincie",
    "rijk",
    "kabinet",
    "fonds",
)
# Laws and legal acts: a name opening with one of these words, or a compound ending in "wet".
LAW_OPENINGS: Final = ("wet", "besluit", "wetboek", "verordening", "richtlijn")
LAW_CONTEXT: Final = re.compile(
    r"\b(?:in werking|wetsvoorstel|wetswijziging|aangenomen|ingestemd|van dwingend recht)\b",
    re.IGNORECASE,
)
# Codes and numbers.
CODE_PARTS: Final = ("code", "codes", "nummer", "nummers", "sbi")
# Plans, packages, documents, tools and agreements: not something one applies for.
PLAN_HEADS: Final = (
    "pakket",
    "plan",
    "agenda",
    "rapportage",
    "brief",
    "toets",
    "scan",
    "pact",
    "deal",
    "deals",
    "monitor",
    "convenant",
    "akkoord",
    "tour",
)

# Words that may join the capitalised words of one name ("Tegemoetkoming Ondernemers
# Getroffen Sectoren", "Small Business Innovation Research", "Klein Krediet Corona").
NAME_JOINERS: Final = frozenset({"voor", "van", "en", "in", "op", "&"})

# A variant of a scheme: a number ("NOW 2", "Tozo 3", "NOW 3.1") or the corona suffix "-C".
VARIANT_SUFFIX: Final = re.compile(
    r"^(?:-C\b|\s(?!0)\d{1,2}(?:\.\d)?(?![\d.,]*\d)(?!\s*(?:%|procent|euro|miljoen|miljard"
    r"|maanden|maand|jaar|dagen|weken|uur|werknemers|aanvragen)))"
)
CORONA_WORD: Final = re.compile(r"\b(?:corona|covid)", re.IGNORECASE)

# Following a scheme's name in one word: "SLIM-regeling", "KKC-lening", "TVL-periode",
# "COL-aanvraag": a scheme is applied for, paid out and run in periods.
USE_SUFFIXES: Final = (
    *SCHEME_HEADS,
    "aanvraag",
    "aanvragen",
    "steun",
    "voorschot",
    "voorschotten",
    "periode",
    "periodes",
    "tijdvak",
    "tijdvakken",
    "tranche",
    "tranches",
    "tender",
    "oproep",
    "oproepen",
    "voordeel",
    "percentages",
    "premie",
    "leningen",
    "kredieten",
    "garanties",
    "borgstellingen",
    "subsidies",
    "uitkeringen",
    "gebruikers",
)

# Verbs of applying for or using a scheme, following its name in the clause.
APPLY_VERBS: Final = re.compile(
    r"\b(?:aan(?:ge)?vra(?:ag|gen|agt|agd)|aan te vragen|afsluiten|afgesloten|aangesloten"
    r"|ontvang(?:t|en)?|ontvingen|gebruiken|benutten|krijgen|krijgt|lenen)\b",
    re.IGNORECASE,
)
# Before the name: "aanvraag voor", "gebruikmaken van", "beroep doen op", "in aanmerking
# voor", "via de", "met de", "onder de" (the last three with an article, as schemes have).
USE_BEFORE: Final = re.compile(
    r"(?:\baanvra(?:ag|gen)\s+(?:\w+\s+)?(?:voor|van)|\bgebruik\w*\s+(?:\w+\s+){0,2}?van"
    r"|\brecht\s+(?:\w+\s+){0,2}?op"
    r"|\bberoep\s+(?:doen\s+|gedaan\s+)?op|\bin\s+aanmerking\s+(?:\w+\s+)?voor"
    r"|\baanspraak\s+(?:maken\s+)?op|\b(?:via|met|onder|dankzij)\s+(?:de|het)(?:\s+\w+)?)"
    r"\s+(?:de\s+|het\s+|een\s+)?$",
    re.IGNORECASE,
)
# A scheme is changed: "de exportkredietverzekering is verruimd", "de TVL wordt verlengd"
# (an auxiliary and one of these participles in the clause that names it).
CHANGE_PARTICIPLES: Final = re.compile(
    r"\b(?:verruimd|verlengd|opengesteld|gesloten|ingevoerd|afgeschaft|beëindigd|stopgezet)\b",
    re.IGNORECASE,
)
AUXILIARIES: Final = re.compile(r"\b(?:is|wordt|worden|werd|werden|zijn)\b", re.IGNORECASE)
# "zogeheten X", "de regeling heet X"
NAMED_BEFORE: Final = re.compile(
    r"\b(?:zogeheten|zogenoemde|zogenaamde|genaamd|heet)\s+(?:de\s+|het\s+)?$", re.IGNORECASE
)
# Where one applies or registers: "aanvragen bij X", "terecht bij X", "ingeschreven bij X".
PLACE_VERBS: Final = re.compile(
    r"\b(?:aan(?:ge)?vra(?:ag|gen|agt)|aan te vragen|terecht|ingeschreven|inschrijven|meld"
    r"|indienen|ingediend|dient|informeren|aankloppen|contact|aanbieden|aanvraag)",
    re.IGNORECASE,
)
# An agent's verbs right after a bare name: "RVO beoordeelt", "Qredits verstrekt".
AGENT_VERBS: Final = frozenset(
    "verstrekt verstrekken beoordeelt beoordelen keert keren betaalt voert voeren "
    "organiseert organiseren streeft controleert vordert beslist adviseert heeft hebben "
    "berekent schat stelt maakt past verwacht ontvangt beantwoordt biedt bieden helpt".split()
)
# Columns whose first cells name schemes ("Maatregel | Doelgroep | ...").
SCHEME_COLUMNS: Final = frozenset({"maatregel", "regeling", "instrument", "steunmaatregel"})

ARTICLES: Final = frozenset({"de", "het", "een"})


# Words that end in a head noun without being one: "dienstverlening" is no "lening".
_FALSE_HEADS: Final = ("verlening",)


def ends_with_any(word: str, heads: tuple[str, ...]) -> str | None:
    """Return the head noun `word` ends with ("Innovatiekrediet" -> "krediet"), if any."""
    lower = word.lower()
    if lower.endswith(_FALSE_HEADS):
        return None
    for head in heads:
        if lower.endswith(head):
            return head
    return None
