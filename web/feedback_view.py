"""Staff's view of the feedback: filter by rating, reason, words and dates (a pure core)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from index.metadata import read_whole_date
from web.feedback import REASONS, Feedback, parse_rating

MAX_SHOWN = 500  # rows on the page; the CSV export has them all
MAX_QUERY_CHARS = 200
# A refused value is quoted up to twice the longest date the filter reads written out ("30
# september 2021"): enough to recognise what was typed, not a pasted text echoed back.
MAX_QUOTED_CHARS = 2 * len("30 september 2021")
# The date fields of the filter: query parameter and the label staff see on the page.
DATE_FIELDS = (("van", "Van"), ("tot", "Tot en met"))


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

        A rating or reason it does not know is dropped (the page offers only known ones). A date
        given that is not a date raises `FilterError`: dropping it would show feedback from
        outside the period asked for as if it were inside.
        """
        rating = query.get("oordeel", "")
        reason = query.get("reden", "")
        dates = {name: _read_date(query.get(name, "")) for name, _ in DATE_FIELDS}
        wanted = cls(
            rating=rating if parse_rating(rating) else "",
            reason=reason if reason in REASONS else "",
            text=" ".join(query.get("zoek", "").split())[:MAX_QUERY_CHARS],
            since=dates["van"] or "",
            until=dates["tot"] or "",
        )
        bad = tuple(name for name, _ in DATE_FIELDS if dates[name] is None)
        if bad:
            labels = dict(DATE_FIELDS)
            message = " ".join(
                f"{labels[name]}: {_quoted(query[name])} is geen geldige datum (JJJJ-MM-DD)."
                for name in bad
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
        self.message = message
        self.fields = fields  # the query parameters refused
        self.shown = shown  # the filter without the values refused, to fill in the form again


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
