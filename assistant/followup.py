"""Follow-up questions: "en geldt dat ook voor zzp'ers?" is searched together with the last turn."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.analyze import STOPWORDS, fold, words
from assistant.types import Turn

MAX_FOLLOW_UP_WORDS = 5  # content words; longer questions stand on their own
# All words, stopwords too: a real follow-up ("en geldt dat dan ook voor de horeca?") has about
# as many stopwords as content words, so three times the content limit leaves room; a long run
# of stopwords alone is no follow-up but noise, and stands on its own.
MAX_FOLLOW_UP_ALL_WORDS = 3 * MAX_FOLLOW_UP_WORDS
# Earlier questions a follow-up is searched with: "Wat is de TVL?" -> "Geldt die ook voor de
# horeca?" -> "en hoeveel is dat?" needs two; more would let follow-ups chain without end.
MAX_CHAINED_TURNS = 2
_OPENERS = re.compile(
    r"^(en|ook|maar|of|dus|geldt|gelden|hoeveel is|hoe lang is|wat als|wat kost|vanaf wanneer|"
    r"tot wanneer|and|also|what about|how about|does that|is that|and if)\b"
)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+\S")
_BACK_REFERENCES = frozenset(
    "dat dit die deze daar daarvoor daarvan daarbij daarmee hiervoor hiervan hierbij ervan "
    "erbij hetzelfde dezelfde zo'n zulke that this it those these same".split()
)


def is_follow_up(question: str) -> bool:
    """Return whether a question leans on the previous one (short and opening or pointing back)."""
    folded = fold(question).strip()
    all_words = words(folded)
    content = [w for w in all_words if w not in STOPWORDS and len(w) > 1]
    if len(content) > MAX_FOLLOW_UP_WORDS or len(all_words) > MAX_FOLLOW_UP_ALL_WORDS:
        return False  # long
    if _SENTENCE_BREAK.search(question.strip()):
        return False  # it sets its own context first ("Ik heb ... . Kan ik daar ...?")
    raw_words = set(re.findall(r"[\w']+", folded))
    if _OPENERS.match(folded) or raw_words & _BACK_REFERENCES:
        return True
    # A question of one word or none leans on the last one ("Waarom?", "Hoeveel?"), unless that
    # word names a thing of its own: "Wat is de NOW?" after "Wat is de Tozo?" asks anew.
    return len(content) <= 1 and not _names_a_thing(question)


def _names_a_thing(question: str) -> bool:
    """Return whether a question has a name: an acronym ("NOW", "BMKB-C") or a capitalised word
    after its first ("Wat is de Tozo?")."""
    tokens = re.findall(r"[^\W\d_][\w'-]*", question)
    return any(
        (len(token) > 1 and token.replace("-", "").isupper()) or (i > 0 and token[0].isupper())
        for i, token in enumerate(tokens)
    )


def search_query(question: str, history: Sequence[Turn]) -> str:
    """Return the text to search for: the question, preceded by the turns it follows up on."""
    parts = [question]
    for turn in list(reversed(history))[:MAX_CHAINED_TURNS]:
        if not is_follow_up(parts[0]):
            break
        parts.insert(0, turn.question)
    return " ".join(parts)
