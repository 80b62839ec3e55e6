"""Data the assistant hands to its callers (CLI, web): hits, citations and answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.types import DocumentMeta, Passage


@dataclass(frozen=True, slots=True)
class Hit:
    """A retrieved passage with its fused relevance score (higher is better)."""

    passage: Passage
    document: DocumentMeta
    score: float


@dataclass(frozen=True, slots=True)
class Citation:
    """Source number `n` of an answer: the passage a sentence came from."""

    n: int
    passage: Passage
    document: DocumentMeta


@dataclass(frozen=True, slots=True)
class AnswerSentence:
    """One sentence of an answer, taken verbatim from the passage of citation `n`."""

    text: str
    n: int


@dataclass(frozen=True, slots=True)
class Turn:
    """An earlier question in the conversation (for follow-up questions)."""

    question: str
    answer: str = ""


@dataclass(frozen=True, slots=True)
class Answer:
    """What the user gets: sentences with citation numbers, the sources, or an abstention."""

    question: str
    sentences: tuple[AnswerSentence, ...]
    citations: tuple[Citation, ...]
    hits: tuple[Hit, ...]  # the ranked retrieval list (top 10), also when abstaining
    abstained: bool
    suggestions: tuple[str, ...] = field(default_factory=tuple)  # closest covered topics
    index_version: str = ""
    # what was searched: the question, or a follow-up joined to the turns it leans on
    # (`assistant.followup.search_query`); empty when made without searching (tests)
    query: str = ""
    uncertain: bool = False  # answered, but the documents may not answer exactly this

    @property
    def text(self) -> str:
        """Return the answer as plain text with [n] markers, or the abstention message."""
        if self.abstained:
            return ABSTENTION_TEXT
        return " ".join(f"{s.text} [{s.n}]" for s in self.sentences)


# Said before an uncertain answer (`Answer.uncertain`): the sentences are the documents' closest,
# but the model leans towards the documents not answering the question as asked.
UNCERTAIN_TEXT = (
    "Let op: ik weet niet zeker of de documenten precies dit beantwoorden. "
    "Controleer de bron voordat u erop vertrouwt."
)

# Said when the documents do not answer: it names no document set, as staff may add any report
# (`mkb-assistent add`), and the page /documenten lists what is indexed.
ABSTENTION_TEXT = "Dat kan ik niet vinden in de documenten die ik doorzoek."
