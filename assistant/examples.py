"""Example questions for the empty chat page that the indexed documents really answer.

The candidates are a few broad questions about the action plan, then questions made from what
is indexed: "Wat staat er over <heading>?" for short section headings that name something (a
scheme, a theme), and "Waar gaat de <title> over?" for each document. Each candidate is put to
the assistant itself, and only those it answers (it does not decline) are offered, those it
answers without doubt first, so a newcomer's first click gets a real, cited answer whatever the
index holds: the shipped cover letter or a library of reports. Computed once per index
version, when the version is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from assistant.types import Answer
from index.types import DocumentMeta, Passage

BROAD_QUESTIONS = (
    "Wat is het MKB-actieplan?",
    "Hoe pakt het kabinet de coronacrisis voor ondernemers aan?",
    "Hoe helpt de overheid mkb-bedrijven met digitalisering?",
    "Wat staat er in de voortgangsrapportage 2020?",
)
MAX_EXAMPLES = 4
MAX_HEADING_WORDS = 6  # longer headings read as sentences, not as names of things
MAX_CANDIDATES = 24  # bounds the start-up cost: each candidate is one question to the assistant
# Headings that name a part of a document, not a subject.
_STRUCTURAL = re.compile(
    r"^(inleiding|samenvatting|inhoud|inhoudsopgave|bijlage|bijlagen|conclusie|conclusies|"
    r"afkortingen|literatuur|bronnen|colofon|voorwoord|tot slot|slot|leeswijzer|"
    r"meer informatie|contact|vragen)\b",
    re.IGNORECASE,
)
_NUMBERING = re.compile(r"^[\d.\s]+")


class Asker(Protocol):
    """What the examples need from the assistant."""

    def ask(self, question: str) -> Answer:
        """Answer one question."""
        ...


def candidate_questions(
    passages: Sequence[Passage], documents: Iterable[DocumentMeta]
) -> list[str]:
    """Return the candidate example questions, broad ones first, without duplicates."""
    found: list[str] = list(BROAD_QUESTIONS)
    for passage in passages:
        for heading in passage.section:
            name = _NUMBERING.sub("", heading).strip().rstrip(":?.")
            words = name.split()
            if 1 <= len(words) <= MAX_HEADING_WORDS and not _STRUCTURAL.match(name):
                found.append(f"Wat staat er over {name}?")
    found.extend(f"Waar gaat de {doc.title} over?" for doc in documents if doc.title)
    return list(dict.fromkeys(found))[:MAX_CANDIDATES]


def answered_examples(assistant: Asker, candidates: Sequence[str]) -> tuple[str, ...]:
    """Return up to MAX_EXAMPLES candidates that the assistant answers rather than declines,
    those it answers without doubt (`Answer.uncertain`) first, in the candidates' order."""
    sure: list[str] = []
    unsure: list[str] = []
    for question in candidates:
        if len(sure) >= MAX_EXAMPLES:
            break
        answer = assistant.ask(question)
        if not answer.abstained:
            (unsure if answer.uncertain else sure).append(question)
    return tuple((sure + unsure)[:MAX_EXAMPLES])
