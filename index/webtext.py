"""Site furniture in the text of a web page copied to plain text or Markdown.

The HTML reader leaves out a page's breadcrumbs, menus and share bars by their markup
(`index.boilerplate`); a page copied from a browser keeps their text as lines of its own.
These functions tell such a line by its text alone, and stay conservative: a line of the
page's own text must never be taken for furniture.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# The labels of a page's controls, the Dutch text of what the HTML reader knows by its markup
# (`index.boilerplate`: share bars, print buttons, skip links, menus, search, footer links): a
# line made of nothing else is furniture. Each is a whole label, matched as a phrase; a word of
# them alone ("deze", "pagina") is no control.
_CONTROL_LABELS = frozenset(
    (
        "print",
        "printen",
        "print deze pagina",
        "deel",
        "delen",
        "deel deze pagina",
        "deel dit artikel",
        "deel deze informatie",
        "naar boven",
        "terug naar boven",
        "naar de inhoud",
        "direct naar de inhoud",
        "menu",
        "zoeken",
        "opslaan",
        "linkedin",
        "facebook",
        "twitter",
        "whatsapp",
        "e-mail",
        "mail",
        "privacy",
        "privacyverklaring",
        "cookies",
        "cookieverklaring",
        "disclaimer",
        "toegankelijkheid",
        "klachten",
        "sitemap",
        "colofon",
    )
)
_LONGEST_LABEL = max(len(label.split()) for label in _CONTROL_LABELS)
_LABEL_SEPARATORS = re.compile(r"[|:/·]")
# A feedback question with its two answer buttons: "Vond u deze informatie nuttig? Ja Nee".
_FEEDBACK = re.compile(r"^[^?]{1,100}\?\s*Ja\s*[/|]?\s*Nee$")
_ANSWER_BUTTONS = ("Ja", "Nee")
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


def is_page_control(text: str) -> bool:
    """Return whether a line holds nothing but a page's controls: labels of share, print, menu
    and footer links (`_CONTROL_LABELS`) with separators between them ("Print", "Deel deze
    pagina: LinkedIn | Facebook", "Privacy | Cookies | Disclaimer"), or a feedback question
    with its answer buttons ("Was dit artikel nuttig? Ja / Nee": a question followed by "Ja"
    and "Nee" alone is no sentence of a text)."""
    if _FEEDBACK.match(text.strip()):
        return True
    words = _LABEL_SEPARATORS.sub(" ", text.lower()).split()
    return bool(words) and _covered_by_labels(words)


def _covered_by_labels(words: list[str]) -> bool:
    """Return whether `words` are a sequence of control labels, each taken whole."""
    reachable = {0}  # the word positions up to which the words are labels
    for start in range(len(words)):
        if start not in reachable:
            continue
        for length in range(1, _LONGEST_LABEL + 1):
            if " ".join(words[start : start + length]) in _CONTROL_LABELS:
                reachable.add(start + length)
    return len(words) in reachable


def furniture_lines(texts: Sequence[str]) -> set[int]:
    """Return the indices of the lines of site furniture among the cleaned lines of a copied
    page: breadcrumbs (`is_breadcrumb`), controls (`is_page_control`), and a feedback question
    whose answer buttons were copied one per line ("Was dit artikel nuttig?", "Ja", "Nee")."""
    found = {i for i, text in enumerate(texts) if is_breadcrumb(text) or is_page_control(text)}
    buttons = len(_ANSWER_BUTTONS)
    for i in range(len(texts) - buttons):
        if tuple(texts[i + 1 : i + 1 + buttons]) == _ANSWER_BUTTONS and is_page_control(
            " ".join(texts[i : i + 1 + buttons])
        ):
            found.update(range(i, i + 1 + buttons))
    return found
