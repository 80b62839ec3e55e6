"""Dutch month names and the shape of a year: shared by the document readers (dates in
metadata, scheme fields) and the question analysis (what a question asks, which years it
names), so that both read a date the same way."""

from __future__ import annotations

from typing import Final

MONTHS: Final = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
MONTH_PATTERN: Final = "|".join(MONTHS)  # for a regular expression: one alternative each
YEAR_PATTERN: Final = r"(?:19|20)\d\d"  # a year of the last two centuries, without anchors
