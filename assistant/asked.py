"""What a question asks for (an amount, a duration, a date, an organisation, ...) and whether a
sentence has it.

The kinds, from the question's wording (Dutch and English):
- "amount": money ("hoeveel geld", "welk bedrag", "wat kost") -> a number with euro/miljoen/...;
- "percent": a share or rate ("hoeveel procent", "welk deel", "rente") -> a number with procent;
  a charge ("provisie", "premie", "fee") asks for either an amount or a percentage;
- "duration": how long or how fast ("hoe lang", "hoeveel weken", "looptijd") -> a number of
  days, weeks, months or years;
- "count": "hoeveel <things>" -> a number and one of those things ("34 voorstellen"); of a
  hyphenated compound the last part counts too ("hoeveel BMKB-borgstellingen": "borgstellingen");
- "number": any other "hoeveel" / "how much", "-nummer", "drempel" -> any number;
- "date": "wanneer", "vanaf wanneer", "welk jaar" -> a year, month or season;
- "day": "op welke dag", "tot welke datum" -> a day of a month ("15 november", "01-03-2021"):
  a month or a season does not name the day asked for;
- "phone": "telefoonnummer", "phone number" -> a telephone number ("0800-1234", "088 042 42 42");
  any other number, such as a year, does not answer it;
- "duty": "wat moet ik regelen", "waar moet ik op letten" -> "moet u", "verplicht", "nodig";
- "name": "welke regeling", "is er een subsidie" -> the name of a scheme ("TVL", "BMKB-C");
- "place": "waar", "bij wie" -> "bij UWV", "via de gemeente";
- "signatory": "wie heeft de brief ondertekend", "de afzender van de brief" -> a letter's
  signature ("De Staatssecretaris van Economische Zaken en Klimaat, M.C.G. Keijzer",
  `index.signature`).
A number or year the question itself names ("die 4000 euro", "in 2021") is not an answer to it.

`asked_parts` counts the things a question asks: "Hoeveel ondernemers kregen de TOGS, en
hoeveel geld was dat bij elkaar?" asks two, and its answer gets the room of two.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.analyze import STOPWORDS, fold
from index.calendar_words import MONTH_PATTERN, YEAR_PATTERN
from index.signature import is_signature

# Who signed: "wie heeft de brief ondertekend", "welke bewindspersoon tekende", "who signed" (not
# "moet ik het formulier ondertekenen?" or "bij wie laat ik het ondertekenen?", which ask no name).
_SIGNERS = r"bewindspersoon|bewindslieden|minister\w*|staatssecretaris\w*"
_SIGNING = r"\w*onderteken\w*|getekend|tekende|tekenden|signed"
# A charge is asked as an amount or a share ("de provisie", "the fee"): either answers it.
_CHARGE = r"\w*prijs|\w*premie|\w*provisie|eigen bijdrage|fee|price|premium"
# "hoeveel weken", "how many months": a duration, not a count of things.
_TIME_UNIT = r"(dagen|werkdagen|weken|maanden|jaar|jaren|uur|uren|days|weeks|months|years|hours)"
_ASKS = {
    "amount": re.compile(
        r"\b(hoeveel geld|welk bedrag|welke bedragen|\w*bedrag(en)?|budget\w*|hoeveel kost\w*|"
        rf"wat kost\w*|hoe duur|how much money|what amount|amount|budget|{_CHARGE})\b"
    ),
    "percent": re.compile(
        r"\b(\w*percentage|procent|welk deel|welk gedeelte|rente|tarief|what share|rate|"
        rf"interest|{_CHARGE})\b|%"
    ),
    "duration": re.compile(
        r"\b(hoe lang|hoelang|hoe snel|hoeveel tijd|looptijd|how long|how soon|how quickly|"
        rf"(hoeveel|how many) {_TIME_UNIT})\b"
    ),
    "number": re.compile(
        r"\b(hoeveel|hoe ?veel|hoe hoog|hoe groot|maximaal|maximum|max|minimaal|minimum|"
        r"\w*nummer|drempel\w*|how much|how many|how high|number|threshold)\b"
    ),
    "date": re.compile(
        r"\b(wanneer|datum|ingangsdatum|vanaf wanneer|sinds wanneer|tot wanneer|per wanneer|"
        r"(welk|welke|which|what) (jaar|maand|year|month)|when|date|deadline|until)\b"
    ),
    "day": re.compile(
        r"\b((welke|which|what|exacte|precieze|exact) (dag|datum|day|date)|"
        r"op welke (dag|datum))\b"
    ),
    "phone": re.compile(r"\b(\w*telefoonnummer\w*|(tele)?phone number|nummer\w* (\w+ )?bellen)\b"),
    "signatory": re.compile(
        rf"(?<!bij )\b(wie|who|welke ({_SIGNERS}))\b[^?]*\b({_SIGNING})\b|"
        r"\bafzender\b[^?]*\b(\w*brief|letter)\b|\b(\w*brief|letter)\b[^?]*\bafzender\b|"
        r"\bsignator(y|ies)\b"
    ),
    "duty": re.compile(
        r"\b(wat (moet|moeten|dien|dienen) (ik|we|wij)|waar (moet|moeten) (ik|we|wij) (op )?letten|"
        r"wat (moet|moeten) er geregeld|what (do|must|should) (i|we) (need|have) to|"
        r"what (must|should) (i|we) do)\b"
    ),
    "name": re.compile(
        r"\b((welke|welk|which|what) (\w+ )?(regeling|steun|subsidie|lening|noodlening|krediet|"
        r"fonds|instantie|organisatie|programma|maatregel|mogelijkhe|opties|hulp|scheme|support|"
        r"loan|grant)\w*|(is|zijn|was|waren|bestaat|bestaan) (er|daar) (\w+ ){0,3}(regeling|"
        r"subsidie|vergoeding|lening|noodlening|steun|hulp|aanspreekpunt|loket|verzekering|"
        r"tegemoetkoming|krediet)\w*)"
    ),
    "place": re.compile(
        r"\b(waar|bij wie|wie|welke instantie|welk loket|aankloppen|terecht|aanvragen|where|who)\b"
    ),
}
_SPECIFIC = ("amount", "percent", "duration", "count", "phone")  # each makes "number" redundant
_HOW_MANY = re.compile(r"\b(?:hoeveel|how many)\s+((?:[\w-]+\s+){0,3})")
_NOT_COUNTED = frozenset(
    "geld procent euro rente budget bedrag subsidie kost kosten tijd jaar jaren maanden dagen "
    "weken keer".split()
)
_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|%|€")
_NUMBER_WORDS = frozenset(
    "twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien "
    "zestien twintig dertig veertig vijftig honderd duizend anderhalf".split()
)
_MONEY = frozenset("euro eur miljoen miljard mln mld mrd €".split())
_PERCENT = frozenset(["procent", "%", "procentpunt"])
_TIME_UNITS = frozenset(
    "dag dagen werkdagen week weken maand maanden jaar jaren kwartaal kwartalen uur "
    "days weeks months years".split()
)
_MONTHS = re.compile(rf"^({MONTH_PATTERN}|najaar|voorjaar|zomer)$")  # a month or a season
# A month a day number can precede, in Dutch or English ("15 november", "3 july").
_DAY_MONTHS = re.compile(
    rf"^({MONTH_PATTERN}|january|february|march|may|june|july|august|october)$"
)
_YEAR = re.compile(rf"^{YEAR_PATTERN}$")
_NUMERIC_DATE = re.compile(rf"\b\d{{1,2}}-\d{{1,2}}-{YEAR_PATTERN}\b")
# "0800-0646", "088 042 42 42", "+31 20 123 4567": a leading 0 or +31, then groups of digits
# (six or more in all), not part of a larger number or an amount ("0,01", "2.751").
_PHONE = re.compile(r"(?<![\d.,])(\+31 ?|0)\d{1,3}(?:[ -]?\d{2,4}){2,4}(?![\d.,]\d)")
_POINTS_BACK = re.compile(
    r"\b(daar|daarvoor|daarbij|daarmee|daarvan|daarop|daaraan|hiervoor|hierbij|hiermee|hiervan|"
    r"ervoor|erbij|ermee|ervan)\b"
)
_SENTENCE = re.compile(r"\S.*?(?:[.?!]+(?=\s|$)|$)", re.DOTALL)  # not inside "4.000"
_CASED = re.compile(r"[^\W\d_][\w!]*(?:-[\w!]+)*")
_DUTY = frozenset("moet moeten dient dienen verplicht verplichting nodig".split())
NEAR = 3  # a unit or counted thing counts when at most this many words after the number
# "bij UWV", "via de gemeente", "aanvragen bij RVO": who to turn to (case-sensitive).
_PLACE = re.compile(
    r"\b(bij|via|aan)\s+(de |het |uw |hun |een )?([A-Z][\w-]+|gemeente|woongemeente|bank|"
    r"financier|uitvoerder|loket)"
)


# A question asks at most this many things for the answer's room (`asked_parts`).
MAX_PARTS = 2
_INTERROGATIVE = (
    r"hoe|hoeveel|hoelang|wat|wanneer|waar|waarom|waarvoor|welk|welke|wie|"
    r"how|what|when|where|which|who|why"
)
_QUESTION_VERB = (
    r"kan|kun|kunnen|mag|mogen|moet|moeten|is|zijn|was|waren|krijg|krijgen|geldt|gelden|"
    r"heb|hebben|blijft|loopt|wordt|komt|can|do|does|did|are|were|will|should|must"
)
# A second question joined to the first: ", en hoeveel ...", " en vanaf wanneer ...", ", of moet
# ik ..." (a verb-first clause needs the comma: "duurder of goedkoper" is one question). Without
# a question mark only the comma tells: "Ik heb een winkel en wat personeel" asks nothing twice.
_AND = r"(?:en|and|of|or)\s+"
_WH_CLAUSE = (
    rf"{_AND}(?:(?:vanaf|tot|sinds|per|in|op|bij|voor|from|since|until)\s+)?(?:{_INTERROGATIVE})"
)
_VERB_CLAUSE = rf"{_AND}(?:{_QUESTION_VERB})"
_SECOND_QUESTION = re.compile(rf"(?:(?:,\s*|\s+){_WH_CLAUSE}|,\s*{_VERB_CLAUSE})\b")
_SECOND_AFTER_COMMA = re.compile(rf",\s*(?:{_WH_CLAUSE}|{_VERB_CLAUSE})\b")
# A question about two things by name: "het verschil tussen de KKC en de BMKB-C", "zowel het
# actieplan als de eerste rapportage", "vergeleken met 2019": each needs its own answer.
_TWO_THINGS = re.compile(
    r"\b(verschil tussen|difference between|zowel\b.+\bals|both\b.+\band|vergeleken met|"
    r"compared (to|with)|ten opzichte van)\b"
)


@dataclass(frozen=True, slots=True)
class Asked:
    """What a question asks for: kinds, the things it counts and the numbers it names."""

    kinds: tuple[str, ...]
    counted: tuple[str, ...] = ()  # word stems after "hoeveel" ("voorstel", "werkplaats")
    given: frozenset[str] = frozenset()  # numbers in the question itself ("4000", "2021")

    def answered_by(self, sentence: str) -> tuple[str, ...]:
        """Return the kinds of this question that `sentence` has an answer for."""
        if not self.kinds:
            return ()
        tokens = [t for t in _tokens(sentence) if t not in self.given]
        quantities = _without_dates(tokens)
        return tuple(
            k
            for k in self.kinds
            if _HAS[k](self, tokens if k in ("date", "day") else quantities, sentence)
        )


def _interrogatives(text: str) -> list[str]:
    """Return the sentences of `text` that end with a question mark."""
    return [s for s in _SENTENCE.findall(text) if s.rstrip().rstrip("!").endswith("?")]


def question_part(text: str) -> str:
    """Return the interrogative sentences of a question ("Ik heb ... . Welke opties heb ik?" ->
    "Welke opties heb ik?"); all of it when no sentence ends with a question mark or when the
    question points back into the sentences before it ("daar", "daarvoor")."""
    part = " ".join(s.strip() for s in _interrogatives(text))
    if not part or _POINTS_BACK.search(fold(part)):
        return text  # "Ik wil X. Heb ik daar een vergunning voor nodig?" asks about X too
    return part


def asked_parts(question: str) -> int:
    """Return how many things a question asks, at most MAX_PARTS: its sentences that end with a
    question mark ("Hoelang mag ik stoppen met aflossen? Wat wordt de rente dan?"), each with
    the questions joined to it ("..., en hoeveel geld was dat?"); without a question mark, the
    questions joined after a comma; one more when it names two things to compare or to cover
    ("het verschil tussen X en Y", "zowel X als Y"). Two things need two answers, which may
    stand in different passages."""
    asked = _interrogatives(question)
    parts = sum(1 + len(_SECOND_QUESTION.findall(fold(s))) for s in asked)
    if not asked:
        parts = 1 + len(_SECOND_AFTER_COMMA.findall(fold(question)))
    if _TWO_THINGS.search(fold(question)):
        parts += 1
    return max(1, min(parts, MAX_PARTS))


def what_is_asked(question: str) -> Asked:
    """Return what a question asks for (see the module docstring); only its interrogative
    sentences count ("... het bedrag is te klein. Welke opties heb ik?" asks no amount)."""
    folded = fold(question_part(question))
    kinds = [kind for kind, pattern in _ASKS.items() if pattern.search(folded)]
    counted = _counted(folded)
    if counted and "number" in kinds:
        kinds.insert(kinds.index("number"), "count")
    if any(k in kinds for k in _SPECIFIC):
        kinds = [k for k in kinds if k != "number"]
    if "day" in kinds:  # "welke datum" also matches "date": the day is the more specific
        kinds = [k for k in kinds if k != "date"]
    if "signatory" in kinds:  # "wie heeft de brief ondertekend?" asks a name, not a desk
        kinds = [k for k in kinds if k != "place"]
    given = frozenset(t for t in _TOKEN.findall(fold(question)) if t.isdigit())
    return Asked(tuple(kinds), counted, given)


def asked_types(question: str) -> list[str]:
    """Return the kinds of answer a question asks for (see `what_is_asked`)."""
    return list(what_is_asked(question).kinds)


def answers_type(sentence: str, asked: Sequence[str]) -> bool:
    """Return whether `sentence` has something of one of the `asked` kinds."""
    return bool(Asked(tuple(asked)).answered_by(sentence))


def _counted(folded: str) -> tuple[str, ...]:
    """Return crude stems of the words right after "hoeveel" / "how many", up to the first
    stop word; none when they name an amount or a time ("hoeveel geld", "hoeveel rente")."""
    out: list[str] = []
    for match in _HOW_MANY.finditer(folded):
        for word in match.group(1).split():  # "hoeveel smart industry fieldlabs zijn er"
            if word in STOPWORDS or word in _NOT_COUNTED or word.isdigit():
                break  # the end of the thing counted, or an amount ("hoeveel geld")
            out.append(_prefix(word))
            if "-" in word:  # "bmkb-borgstellingen": "borgstellingen" alone counts too
                out.append(_prefix(word.rsplit("-", 1)[1]))
    return tuple(dict.fromkeys(out))


def _prefix(word: str) -> str:
    """Return a crude stem: inflections differ in their last letters ("voorstel(len)")."""
    return word if len(word) <= 5 else word[: max(5, len(word) - 3)]


@lru_cache(maxsize=4096)
def _tokens(sentence: str) -> tuple[str, ...]:
    """Return the folded word, number, "%" and "€" tokens of a sentence (the same candidate
    sentences come back question after question, so they are kept)."""
    return tuple(_TOKEN.findall(fold(sentence)))


def _without_dates(tokens: Sequence[str]) -> list[str]:
    """Drop years and day numbers ("27 mei", "2020"): dates are not quantities."""
    out = []
    for i, token in enumerate(tokens):
        if _YEAR.match(token):
            continue
        if token.isdigit() and i + 1 < len(tokens) and _MONTHS.match(tokens[i + 1]):
            continue
        out.append(token)
    return out


def _is_number(token: str) -> bool:
    return token.isdigit() or token in _NUMBER_WORDS


def _number_before(tokens: Sequence[str], follows: Callable[[str], bool]) -> bool:
    """Return whether a number is followed, within NEAR words, by a word for which `follows`."""
    for i, token in enumerate(tokens):
        if _is_number(token) and any(follows(t) for t in tokens[i + 1 : i + 1 + NEAR]):
            return True
    return False


def _has_count(asked: Asked, tokens: Sequence[str], _: str) -> bool:
    """A number and one of the counted things ("gegroeid tot 47", "34 voorstellen")."""
    counted = any(t.startswith(c) for t in tokens for c in asked.counted)
    return counted and any(_is_number(t) for t in tokens)


def _is_name(token: str) -> bool:
    """Return whether a word is the name of a scheme or body: "TVL", "BMKB-C", "Corona-
    OverbruggingsLening", "MKB!dee" (two capitals or more; "MKB" or "MKB-bedrijf" alone is not)."""
    if sum(ch.isupper() for ch in token) < 2:
        return False
    return not re.fullmatch(r"MKB(-[a-z]\w*)?", token)


def _has_date(_: Asked, tokens: Sequence[str], __: str) -> bool:
    return any(_YEAR.match(t) or _MONTHS.match(t) for t in tokens)


def _has_day(_: Asked, tokens: Sequence[str], sentence: str) -> bool:
    """A day of a month: "15 november", "1 juli 2021" or "01-03-2021" (not "de zomer", "2019")."""
    named = any(
        t.isdigit() and 1 <= int(t) <= 31 and _DAY_MONTHS.match(nxt)
        for t, nxt in zip(tokens, tokens[1:], strict=False)
    )
    return named or bool(_NUMERIC_DATE.search(sentence))


_HAS: dict[str, Callable[[Asked, Sequence[str], str], bool]] = {
    "amount": lambda _, tokens, __: "€" in tokens or _number_before(tokens, _MONEY.__contains__),
    "percent": lambda _, tokens, __: _number_before(tokens, _PERCENT.__contains__),
    "duration": lambda _, tokens, __: _number_before(tokens, _TIME_UNITS.__contains__),
    "count": _has_count,
    "number": lambda _, tokens, __: any(_is_number(t) for t in tokens),
    "date": _has_date,
    "day": _has_day,
    "phone": lambda _, __, sentence: bool(_PHONE.search(_NUMERIC_DATE.sub(" ", sentence))),
    "duty": lambda _, tokens, __: any(t in _DUTY for t in tokens),
    "name": lambda _, __, sentence: any(_is_name(t) for t in _CASED.findall(sentence)),
    "place": lambda _, __, sentence: bool(_PLACE.search(sentence)),
    "signatory": lambda _, __, sentence: is_signature(sentence),
}
