"""What a question asks for (an amount, a date, an organisation) and whether a sentence has it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.analyze import fold

_ASKS = {
    "number": re.compile(
        r"\b(hoeveel|hoe ?veel|hoe hoog|hoe lang|hoelang|hoe groot|bedrag|percentage|procent|"
        r"tarief|budget|maximaal|maximum|minimaal|how much|how many|how long|how high|amount|"
        r"rate)\b"
    ),
    "date": re.compile(
        r"\b(wanneer|datum|ingangsdatum|vanaf wanneer|sinds wanneer|tot wanneer|per wanneer|"
        r"when|date|deadline|until)\b"
    ),
    "place": re.compile(
        r"\b(waar|bij wie|wie|welke instantie|welk loket|aankloppen|terecht|aanvragen|where|who)\b"
    ),
}
_NUMBER = re.compile(
    r"\d|\b(een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|zestien|twintig)\b"
)
_DATE = re.compile(
    r"\b(19|20)\d\d\b|\b(januari|februari|maart|april|mei|juni|juli|augustus|september|"
    r"oktober|november|december|najaar|voorjaar|zomer)\b"
)
# "bij UWV", "via de gemeente", "aanvragen bij RVO": who to turn to (case-sensitive).
_PLACE = re.compile(
    r"\b(bij|via|aan)\s+(de |het |uw |hun |een )?([A-Z][\w-]+|gemeente|woongemeente|bank|"
    r"financier|uitvoerder|loket)"
)
_HAS_TYPE: dict[str, Callable[[str], bool]] = {
    "number": lambda text: bool(_NUMBER.search(fold(text))),
    "date": lambda text: bool(_DATE.search(fold(text))),
    "place": lambda text: bool(_PLACE.search(text)),
}


def asked_types(question: str) -> list[str]:
    """Return what kind of answer a question asks for: number, date and/or place."""
    folded = fold(question)
    return [kind for kind, pattern in _ASKS.items() if pattern.search(folded)]


def answers_type(sentence: str, asked: Sequence[str]) -> bool:
    """Return whether `sentence` has something of a kind the question asks for."""
    return any(_HAS_TYPE[kind](sentence) for kind in asked)
