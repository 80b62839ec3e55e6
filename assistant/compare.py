"""Questions that compare over time ("hoeveel in 2018 en in 2019?", "is dat later veranderd?").

The documents are yearly reports and letters whose figures change from one to the next. A
question that compares over time is answered with the best sentence of each of a few documents,
in date order, so the user sees the old figure and the new one, each with its dated source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from assistant.analyze import fold
from index.calendar_words import YEAR_PATTERN

_CUES = re.compile(
    r"\b(vroeger|eerst|later|inmiddels|tegenwoordig|intussen|veranderd|gewijzigd|bijgesteld|"
    r"klopt (dat|dit|het) nog|nog steeds|nog altijd|meer of minder|"
    r"hoger of lager|groter of kleiner|minder of meer|lager of hoger|"
    r"changed|still|anymore|any more|used to|compared|earlier|previously)\b"
)
_YEAR = re.compile(rf"\b{YEAR_PATTERN}\b")
_NOW = re.compile(r"\b(nu|vandaag|momenteel|today|currently)\b")
_NOW_EN = re.compile(r"\b(now|Now)\b")  # case-sensitive: "NOW" is the wage-cost scheme

T = TypeVar("T")


def is_comparison(question: str) -> bool:
    """Return whether a question compares over time.

    That is: it says so ("veranderd", "klopt dat nog", "meer of minder", "eerst ... later"),
    names two different years, or names a year and asks about now ("in 2019 en nu").
    """
    folded = fold(question)
    if _CUES.search(folded):
        return True
    years = set(_YEAR.findall(folded))
    now = bool(_NOW.search(folded) or _NOW_EN.search(question))
    return len(years) >= 2 or (len(years) == 1 and now)


def named_years(question: str) -> frozenset[str]:
    """Return the years a question names ("in 2020 en in 2021" -> {"2020", "2021"})."""
    return frozenset(_YEAR.findall(question))


def states_every_year(years: frozenset[str], texts: Sequence[str]) -> bool:
    """Return whether `texts` name two or more years and every one of `years`: then they hold
    the whole comparison ("in 2020 ... in 2021"). One year ("in 2019 en nu") needs a newer
    text for "now", so it never counts."""
    joined = " ".join(texts)
    return len(years) >= 2 and all(re.search(rf"\b{year}\b", joined) for year in years)


def one_per_source(
    ranked: Sequence[T], source: Callable[[T], str], limit: int, keep: Callable[[T], bool]
) -> list[T]:
    """Return the first item of each source in `ranked` (best first) that passes `keep`, at
    most `limit` of them."""
    seen: set[str] = set()
    out: list[T] = []
    for item in ranked:
        key = source(item)
        if key in seen or not keep(item):
            continue
        seen.add(key)
        out.append(item)
        if len(out) >= limit:
            break
    return out
