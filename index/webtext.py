"""Site furniture in the text of a web page copied to plain text or Markdown.

The HTML reader leaves out a page's breadcrumbs, menus and share bars by their markup
(`index.boilerplate`); a page copied from a browser keeps their text as lines of its own.
These functions tell such a line by its text alone, and stay conservative: a line of the
page's own text must never be taken for furniture.
"""

from __future__ import annotations

import re

# A breadcrumb's separator: a ">" or a guillemet with a space on both sides.
_CRUMB_SEPARATOR = re.compile(r"\s+[>›»]\s+")
_SENTENCE_MARKS = frozenset(".,;:!?")


def is_breadcrumb(text: str) -> bool:
    """Return whether a line is a breadcrumb ("Home > Ondernemers > Lening aanvragen"): three or
    more segments joined by ">", "›" or "»", each a link label that opens with a capital and
    holds no sentence punctuation. Two segments may be a comparison ("Omzet > Kosten"); a
    breadcrumb names the path from the home page down, through at least one section."""
    segments = _CRUMB_SEPARATOR.split(text.strip())
    return len(segments) >= 3 and all(_is_link_label(segment) for segment in segments)


def _is_link_label(text: str) -> bool:
    """Return whether `text` reads as a link's label: it opens with a capital or a digit and
    holds no mark that ends or divides a sentence."""
    return (
        bool(text)
        and (text[0].isupper() or text[0].isdigit())
        and not (_SENTENCE_MARKS & set(text))
    )
