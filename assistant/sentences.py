"""Sentences of passage text: verbatim spans, their shape, and how they hang together."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.analyze import fold
from index.lines import LIST_BULLET
from index.signature import is_signature

DUPLICATE_OVERLAP = 0.6  # stem overlap (Jaccard) above which two sentences say the same
# A sentence opening with one of these leans on the sentence before it.
_REFERS_BACK = re.compile(
    r"^(deze|die|dit|dat|hij|zij|ze|het|hun|daar|hier|daarbij|daarvoor|daarnaast|daarmee|"
    r"daardoor|daarvan|hiervoor|hierbij|hiermee|hiervan|ook|wel|zo|verder|bovendien|tevens|"
    r"dan|daarna|vervolgens)\b"
)


@dataclass(frozen=True, slots=True)
class Shape:
    """What the form of a sentence says about it as an answer."""

    is_question: bool  # ends with "?": a question is not an answer
    unfinished: bool  # no closing punctuation: a heading, a table row or a fragment


def shape(text: str) -> Shape:
    """Return the shape of a sentence; a letter's signature ("De Minister van ..., A.B. Naam")
    is complete without a full stop."""
    end = text.rstrip()
    is_question = end.endswith("?")
    closed = end.endswith((".", "!", ":", ";")) or is_signature(end)
    return Shape(is_question, not is_question and not closed)


def is_list_item(text: str, start: int, end: int) -> bool:
    """Tell whether `text[start:end]` ends an item of a list: its line opens with a bullet or a
    number ("- ", "• ", "2) ", as the readers tell list items: `index.lines.LIST_BULLET`)
    and the sentence runs to the line's end. Such an item is finished without a full stop, as
    web pages and slides write them ("voorschot van 80%"): the end of its line closes it, where
    a heading or a table row has no bullet and a fragment of a sentence runs on."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    rest = text[end : len(text) if line_end < 0 else line_end]
    return not rest.strip() and LIST_BULLET.match(text[line_start:start].lstrip()) is not None


def leans_on_text(sentence: str) -> bool:
    """Return whether `sentence` opens with a pronoun or linking word ("Deze regeling ...")."""
    return bool(_REFERS_BACK.match(fold(sentence)))


def same_statement(a: frozenset[str], b: frozenset[str]) -> bool:
    """Return whether two sentences (as stem sets) say the same: mostly the same words and no
    other numbers."""
    numbers_a = {t for t in a if t.isdigit()}
    numbers_b = {t for t in b if t.isdigit()}
    if not (numbers_a <= numbers_b or numbers_b <= numbers_a):
        return False  # "In 2018 ... 3.029" and "In 2019 ... 2.751" are different facts
    union = len(a | b)
    return union > 0 and len(a & b) / union >= DUPLICATE_OVERLAP
