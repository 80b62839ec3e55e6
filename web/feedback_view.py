"""Staff's view of the feedback: filter by rating, reason, words and dates (a pure core)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from index.metadata import read_whole_date
from web.feedback import RATINGS, REASONS, Feedback

MAX_SHOWN = 500  # rows on the page; the CSV export has them all
MAX_QUERY_CHARS = 200
# A refused value is quoted up to twice the longest date the filter reads written out ("30
# september 2021"): enough to recognise what was typed, not a pasted text echoed back.
MAX_QUOTED_CHARS = 2 * len("30 september 2021")
# The filter's query parameters and the labels staff see on the page, in the form's order.
LABELS = {"oordeel": "Oordeel", "reden": "Reden", "van": "Van", "tot": "Tot en met"}
DATE_FIELDS = ("van", "tot")
_NOT_A_DATE = "is geen geldige datum (JJJJ-MM-DD)"


@dataclass(frozen=True, slots=True)
class FeedbackFilter:
    """Which feedback to show; empty fields do not filter."""

    rating: str = ""  # "goed" | "slecht" | ""
    reason: str = ""  # one of REASONS | ""
    text: str = ""  # words that must occur in the question or the answer
    since: str = ""  # YYYY-MM-DD, inclusive
    until: str = ""  # YYYY-MM-DD, inclusive

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> FeedbackFilter:
        """Read the filter from the page's query string.

        A value given that the filter cannot use (a rating or reason it does not know, a date
        that is not one) raises `FilterError` naming each: dropping it would show all feedback
        as if it were the part asked for. The form offers only usable values, so such a value
        comes from a hand-edited or outdated link.
        """
        values = {name: query.get(name, "").strip() for name in LABELS}
        dates = {name: _read_date(values[name]) for name in DATE_FIELDS}
        problems = {
            "oordeel": _refused_choice(values["oordeel"], RATINGS, "geen bekend oordeel"),
            "reden": _refused_choice(values["reden"], REASONS, "geen bekende reden"),
            **{name: "" if dates[name] is not None else _NOT_A_DATE for name in DATE_FIELDS},
        }
        wanted = cls(
            rating="" if problems["oordeel"] else values["oordeel"],
            reason="" if problems["reden"] else values["reden"],
            text=" ".join(query.get("zoek", "").split())[:MAX_QUERY_CHARS],
            since=dates["van"] or "",
            until=dates["tot"] or "",
        )
        bad = tuple(name for name in LABELS if problems[name])
        if bad:
            message = " ".join(
                f"{LABELS[name]}: {_quoted(query[name])} {problems[name]}." for name in bad
            )
            raise FilterError(message, fields=bad, shown=wanted)
        return wanted

    def query(self) -> dict[str, str]:
        """Return the filter as query parameters (for the export link)."""
        pairs = {
            "oordeel": self.rating,
            "reden": self.reason,
            "zoek": self.text,
            "van": self.since,
            "tot": self.until,
        }
        return {key: value for key, value in pairs.items() if value}

    def matches(self, record: Feedback) -> bool:
        """Tell whether `record` passes the filter."""
        day = record.created_at[:10]
        haystack = f"{record.question}\n{record.answer}".casefold()
        return (
            (not self.rating or record.rating == self.rating)
            and (not self.reason or record.reason == self.reason)
            and all(word.casefold() in haystack for word in self.text.split())
            and (not self.since or day >= self.since)
            and (not self.until or day <= self.until)
        )


class FilterError(ValueError):
    """A filter value that cannot be used; the message (Dutch, for staff) says which and why."""

    def __init__(self, message: str, *, fields: tuple[str, ...], shown: FeedbackFilter) -> None:
        super().__init__(message)
        self.fields = fields  # the query parameters refused
        self.shown = shown  # the filter without the values refused, to fill in the form again

    @property
    def message(self) -> str:
        """Return the Dutch message (kept once, as the exception's argument)."""
        return str(self.args[0])


def _refused_choice(value: str, choices: tuple[str, ...], what: str) -> str:
    """Return "" when `value` is empty (no filter) or one of `choices`, else what is wrong
    with it (`what`: "geen bekende reden"), the choices named."""
    if not value or value in choices:
        return ""
    return f"is {what} ({', '.join(choices[:-1])} of {choices[-1]})"


def _read_date(value: str) -> str | None:
    """Return `value` as "YYYY-MM-DD", "" when it is empty, None when it is not one date (a
    date with more after it, "2021-04-01 tot 2021-05-01", is refused, not read as the first)."""
    if not value.strip():
        return ""
    return read_whole_date(value)


def _quoted(value: str) -> str:
    """Return a refused value as the message quotes it, in Dutch quotes: control and format
    characters (a newline, a right-to-left override) out, whitespace runs one space, cut to
    MAX_QUOTED_CHARS with an ellipsis."""
    shown = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in value)
    text = " ".join(shown.split())
    if len(text) > MAX_QUOTED_CHARS:
        text = text[: MAX_QUOTED_CHARS - 1] + "…"
    return f"„{text}”"


def filter_feedback(records: Iterable[Feedback], wanted: FeedbackFilter) -> Iterator[Feedback]:
    """Yield the records that pass `wanted`, in the order given."""
    return (record for record in records if wanted.matches(record))
