"""Staff's view of the feedback: filter by rating, reason, words and dates (a pure core)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from index.metadata import normalize_date
from web.feedback import REASONS, Feedback, parse_rating

MAX_SHOWN = 500  # rows on the page; the CSV export has them all
MAX_QUERY_CHARS = 200


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
        """Read the filter from the page's query string; values it does not know are dropped."""
        rating = query.get("oordeel", "")
        reason = query.get("reden", "")
        return cls(
            rating=rating if parse_rating(rating) else "",
            reason=reason if reason in REASONS else "",
            text=" ".join(query.get("zoek", "").split())[:MAX_QUERY_CHARS],
            since=normalize_date(query.get("van", "")) or "",
            until=normalize_date(query.get("tot", "")) or "",
        )

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


def filter_feedback(records: Iterable[Feedback], wanted: FeedbackFilter) -> Iterator[Feedback]:
    """Yield the records that pass `wanted`, in the order given."""
    return (record for record in records if wanted.matches(record))
