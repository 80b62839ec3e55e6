"""Answer composition: the sentences the fitted model scores best, verbatim, each with its source.

`compose` takes the candidates of a question (`assistant.features`) and the sentence model's
probabilities, and returns quotes:
- the best sentence, then others whose probability passes the model's fitted selection
  thresholds, up to its maximum, leaving out one that says the same as a chosen one; a question
  or a fragment of one or two words ("Invorderingsrente") is never chosen for its content;
- a question that asks two things (`assistant.asked.asked_parts`: "Hoeveel ondernemers kregen
  de TOGS, en hoeveel geld was dat?") gets that maximum for each: the second thing's answer
  often stands in another passage, below the best sentences of the first;
- a question that compares over time ("is dat later veranderd?", two years) gets the best
  qualifying sentence of each of the two best documents, then the best sentences left, oldest
  document first (`assistant.compare`), so the old and the new figure are both shown with their
  dated sources; but when the best sentence's document itself names every year the question
  names, that document holds the comparison and the answer is chosen as for any question;
- a chosen sentence that leans on the one before it ("Deze regeling ...") brings that one along,
  and a chosen sentence that announces a list ("... twee onderdelen:") brings the list items.
The quotes are in reading order: by passage (best first), then by position in the passage.
`assistant.citations.number_citations` turns them into numbered sentences and sources.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from assistant.asked import MAX_PARTS
from assistant.citations import MARKER_CHARS, Quote
from assistant.compare import one_per_source, states_every_year
from assistant.features import Candidate
from assistant.model import Selection
from assistant.sentences import leans_on_text, same_statement
from assistant.types import Hit
from index.chunk import DEFAULT_MAX_CHARS

MAX_CONTENT_SENTENCES = 3  # chosen for their content: the most a fitted selection may take
CONTEXT_SENTENCES = 1  # one sentence of context may join the sentences chosen for content


def counted_parts(parts: int) -> int:
    """Return how many things asked an answer makes room for: 1 to MAX_PARTS."""
    return max(1, min(parts, MAX_PARTS))


def answer_room(parts: int) -> int:
    """Return the most sentences a composed answer to `parts` things asked may have."""
    return MAX_CONTENT_SENTENCES * counted_parts(parts) + CONTEXT_SENTENCES


MAX_SENTENCES = answer_room(MAX_PARTS)  # the longest composed answer
# With as many sentences again at most, table headers (`assistant.tables`) and footnotes
# (`assistant.notes`) together: the longest answer the assistant gives.
MAX_ANSWER_SENTENCES = 2 * MAX_SENTENCES
# The longest answer text in characters: that of an answer to one thing asked whose sentences,
# with as many headers and footnotes again, are each as long as a passage, with their " [n]"
# markers. An answer to two things asked has the same room: its sentences are short in practice,
# and `assistant.citations.within_chars` cuts one that is not. It bounds what the chat sends back
# as history (`web.api`), within the request body limit.
MAX_ANSWER_CHARS = 2 * answer_room(1) * (DEFAULT_MAX_CHARS + MARKER_CHARS)
# A comparison over time takes the best sentence of this many documents (an old and a new
# statement), and the places left go to the best sentences. Two: at commit c11c48b,
# `bench/train.py`'s left-out keyword measure was 0.710 with two, 0.706 with three (one per
# document up to the maximum, the earlier rule); with three, both years standing in one document
# lost a place to a third one. On the test-only `gemeente` corpus keyword accuracy was 0.67
# with either (`make eval`). Set by that argument, not fitted in a grid.
COMPARED_SOURCES = 2


def eligible_order(
    probabilities: npt.NDArray[np.float64], eligible: npt.NDArray[np.bool_] | None
) -> list[int]:
    """Return the candidates that may be chosen for their content, best first (all of them
    when none is eligible)."""
    order = [int(i) for i in np.argsort(-probabilities, kind="stable")]
    if eligible is None or not eligible.any():
        return order
    return [i for i in order if eligible[i]]


def choose(
    probabilities: npt.NDArray[np.float64],
    candidates: Sequence[Candidate],
    selection: Selection,
    eligible: npt.NDArray[np.bool_] | None = None,
    *,
    parts: int = 1,
) -> list[int]:
    """Return the indices of the chosen candidates: the best, then those passing `selection`
    (its maximum for each of the question's `parts`)."""
    if not candidates:
        return []
    order = eligible_order(probabilities, eligible)
    return _fill([order[0]], order, probabilities, candidates, selection, parts)


def choose_over_time(
    probabilities: npt.NDArray[np.float64],
    candidates: Sequence[Candidate],
    sources: Sequence[str],
    selection: Selection,
    eligible: npt.NDArray[np.bool_] | None = None,
    *,
    years: frozenset[str] = frozenset(),
    texts: Sequence[str] = (),
    parts: int = 1,
) -> list[int]:
    """Return the best qualifying candidate of each of the COMPARED_SOURCES best documents, then
    the best qualifying ones left (at most the maximum), or [] when fewer than two documents
    have one, or when the candidates (`texts`) of the best one's document name every one of
    the question's `years`. `sources[r]` is the document of the passage of hit rank r."""
    order = eligible_order(probabilities, eligible)
    if not order:
        return []
    if texts:
        best = sources[candidates[order[0]].hit_rank]
        own = [t for t, c in zip(texts, candidates, strict=True) if sources[c.hit_rank] == best]
        if states_every_year(years, own):
            return []  # one document states the old and the new: no second one is needed
    floor, limit = _bounds(probabilities, order[0], selection, parts)
    chosen = one_per_source(
        order,
        lambda i: sources[candidates[i].hit_rank],
        min(limit, COMPARED_SOURCES),
        lambda i: i == order[0] or probabilities[i] >= floor,
    )
    if len(chosen) < 2:
        return []
    return _fill(chosen, order, probabilities, candidates, selection, parts)  # of any document


def _bounds(
    probabilities: npt.NDArray[np.float64], best: int, selection: Selection, parts: int = 1
) -> tuple[float, int]:
    """Return the probability a further sentence needs, and how many may be chosen for a
    question asking `parts` things."""
    floor = max(selection.min_probability, selection.ratio * float(probabilities[best]))
    return floor, min(selection.max_sentences, MAX_CONTENT_SENTENCES) * counted_parts(parts)


def _fill(
    chosen: list[int],
    order: Sequence[int],
    probabilities: npt.NDArray[np.float64],
    candidates: Sequence[Candidate],
    selection: Selection,
    parts: int = 1,
) -> list[int]:
    """Add to `chosen` the candidates of `order` (best first) that pass `selection`'s floor, up
    to its maximum for `parts` things asked, leaving out one that says the same as a chosen
    one."""
    floor, limit = _bounds(probabilities, order[0], selection, parts)
    for i in order:
        if i in chosen:
            continue
        if len(chosen) >= limit or probabilities[i] < floor:
            break
        if not any(same_statement(candidates[i].stems, candidates[j].stems) for j in chosen):
            chosen.append(i)
    return chosen


def with_context(
    chosen: list[int], candidates: Sequence[Candidate], hits: Sequence[Hit], parts: int = 1
) -> list[int]:
    """Add the items of a list a chosen sentence announces ("... twee onderdelen:"), and the
    sentence before a chosen one that leans on it ("Deze regeling ..."), as far as the answer's
    room for `parts` things asked allows: a sentence ending in a colon says nothing without
    what follows it."""
    room = answer_room(parts)
    out = list(chosen)
    index = {(c.hit_rank, c.position): i for i, c in enumerate(candidates)}
    for i in chosen:  # best first: its list has the first claim on the room
        c = candidates[i]
        if not hits[c.hit_rank].passage.text[c.start : c.end].rstrip().endswith(":"):
            continue
        following = c.position + 1
        while len(out) < room and (c.hit_rank, following) in index:
            if index[(c.hit_rank, following)] not in out:
                out.append(index[(c.hit_rank, following)])
            following += 1
    added = 0
    for i in chosen:
        c = candidates[i]
        text = hits[c.hit_rank].passage.text[c.start : c.end]
        before = index.get((c.hit_rank, c.position - 1))
        if added >= CONTEXT_SENTENCES or before is None or before in out:
            continue
        if leans_on_text(text):
            out.append(before)
            added += 1
    return out


def in_reading_order(
    chosen: Sequence[int],
    candidates: Sequence[Candidate],
    hits: Sequence[Hit],
    *,
    by_date: bool = False,
) -> list[Quote]:
    """Return the chosen candidates as quotes: by passage in order of first choice (oldest
    document first when `by_date`), by position within a passage."""
    first_pick: dict[int, int] = {}
    for n, i in enumerate(chosen):
        first_pick.setdefault(candidates[i].hit_rank, n)

    def key(i: int) -> tuple[str, int, int]:
        c = candidates[i]
        date = (hits[c.hit_rank].document.date or "") if by_date else ""
        return date, first_pick[c.hit_rank], c.position

    return [
        Quote(hits[candidates[i].hit_rank].passage.text[candidates[i].start : candidates[i].end],
              hits[candidates[i].hit_rank], candidates[i].start)
        for i in sorted(chosen, key=key)
    ]  # fmt: skip


def choose_content(
    probabilities: npt.NDArray[np.float64],
    candidates: Sequence[Candidate],
    sources: Sequence[str],
    selection: Selection,
    eligible: npt.NDArray[np.bool_] | None = None,
    *,
    over_time: bool = False,
    years: frozenset[str] = frozenset(),
    texts: Sequence[str] = (),
    parts: int = 1,
) -> tuple[list[int], bool]:
    """Return the candidates chosen for their content, and whether they compare documents over
    time (`choose_over_time`, for a question that compares over time, when it finds two
    documents) rather than follow `choose`; `parts`: how many things the question asks.
    `bench/train.py` fits the selection with this."""
    if over_time:
        chosen = choose_over_time(
            probabilities, candidates, sources, selection, eligible,
            years=years, texts=texts, parts=parts,
        )  # fmt: skip
        if chosen:
            return chosen, True
    return choose(probabilities, candidates, selection, eligible, parts=parts), False


def compose(
    probabilities: npt.NDArray[np.float64],
    candidates: Sequence[Candidate],
    hits: Sequence[Hit],
    selection: Selection,
    *,
    over_time: bool = False,
    years: frozenset[str] = frozenset(),
    texts: Sequence[str] = (),
    eligible: npt.NDArray[np.bool_] | None = None,
    parts: int = 1,
) -> list[Quote]:
    """Return the answer's quotes in reading order (see the module docstring); `years`: those
    the question names; `texts`: the candidates' sentences (`Extracted.texts`); `parts`: how
    many things the question asks (`assistant.asked.asked_parts`)."""
    chosen, by_date = choose_content(
        probabilities, candidates, [h.passage.doc_id for h in hits], selection, eligible,
        over_time=over_time, years=years, texts=texts, parts=parts,
    )  # fmt: skip
    chosen = with_context(chosen, candidates, hits, parts)
    return in_reading_order(chosen, candidates, hits, by_date=by_date)
