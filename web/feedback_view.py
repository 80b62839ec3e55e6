"""Staff's view of the feedback: filter by rating, reason, words and dates (a pure core)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from index.metadata import normalize_date
from web.feedback import REASONS, Feedback, parse_rating

MAX_SHOWN = 500  # rows on the page; the CSV export has them all
MAX_QUERY_CHARS = 200
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
                f"{labels[name]}: {query[name].strip()[:MAX_QUERY_CHARS]!r} is geen geldige datum "
                "(JJJJ-MM-DD)."
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
    """Return `value` as "YYYY-MM-DD", "" when it is empty, None when it is not a date."""
    if not value.strip():
        return ""
    return normalize_date(value)


def filter_feedback(records: Iterable[Feedback], wanted: FeedbackFilter) -> Iterator[Feedback]:
    """Yield the records that pass `wanted`, in the order given."""
    return (record for record in records if wanted.matches(record))
