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
# The abbreviations Dutch writes months with ("17 nov 2020", "3 mrt. 2021"), with their numbers;
# "mei" has none. A full stop after one ends no sentence.
MONTH_ABBREVIATIONS: Final = {
    "jan": 1, "feb": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
YEAR_PATTERN: Final = r"(?:19|20)\d\d"  # a year of the last two centuries, without anchors
