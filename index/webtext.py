"""Site furniture in the text of a web page copied to plain text or Markdown.

The HTML reader leaves out a page's breadcrumbs, menus and share bars by their markup
(`index.boilerplate`); a page copied from a browser keeps their text as lines of its own.
These functions tell such a line by its text alone, and stay conservative: a line of the
page's own text must never be taken for furniture.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.lines import LIST_BULLET, is_title_shaped
from index.metadata import dates_the_page, is_dateline, without_site_names

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
# The regions of a site's layout by the names its markup gives them (`index.boilerplate`:
# menus, navigation, header, footer, sidebar), and the words that say which region it is and
# where it stands: the heading a screen reader announces, or a landmark's label, which a page
# copied from a browser keeps as a line ("Service menu right", "Hoofdmenu", "Footer links").
_REGIONS = frozenset(("menu", "navigatie", "navigation", "header", "footer", "sidebar", "zijbalk"))
_REGION_QUALIFIERS = frozenset(
    (
        "service",
        "main",
        "hoofd",
        "sub",
        "primary",
        "secondary",
        "top",
        "bottom",
        "left",
        "right",
        "boven",
        "onder",
        "links",
        "rechts",
    )
)
_REGION_WORDS = _REGIONS | {which + region for which in _REGION_QUALIFIERS for region in _REGIONS}
_LABEL_SEPARATORS = re.compile(r"[|:/·]")
# A feedback question with its two answer buttons: "Vond u deze informatie nuttig? Ja Nee".
_FEEDBACK = re.compile(r"^[^?]{1,100}\?\s*Ja\s*[/|]?\s*Nee$")
_ANSWER_BUTTONS = ("Ja", "Nee")
# A breadcrumb's separator: a ">" or a guillemet with a space on both sides.
_CRUMB_SEPARATOR = re.compile(r"\s+[>›»]\s+")
_SENTENCE_MARKS = frozenset(".,;:!?")
# An article's reading time in its byline: "4 min", "5 min lezen", "Leestijd: 3 minuten".
_READING_TIME = re.compile(
    r"^(?:leestijd:?\s*)?\d{1,3}\s*(?:min\.?|minuut|minuten)(?:\s+(?:lezen|leestijd))?$",
    re.IGNORECASE,
)
# A byline's counter of views or shares: "9.6K", "1,4K", "120".
_COUNT = re.compile(r"^\d{1,3}(?:[.,]\d{1,3})?\s*[KkM]?$")
# What joins the parts of a byline written on one line (`byline`), as a table's cells are joined.
_BYLINE_SEPARATOR = " | "
# What ends the running text's first sentence, and with it a page's head (`byline`); as
# `index.textbuild.Content.head`, not a colon.
_SENTENCE_ENDS = (".", "?", "!")


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


def is_region_label(text: str) -> bool:
    """Return whether a line names a region of the site's layout: a menu, the navigation, the
    header, footer or sidebar (`_REGIONS`, alone or in one word with what says which:
    "Hoofdmenu"), with words that say which or where ("Service menu right", "Menu rechts")."""
    words = _LABEL_SEPARATORS.sub(" ", text.lower()).split()
    return any(word in _REGION_WORDS for word in words) and all(
        word in _REGION_WORDS or word in _REGION_QUALIFIERS for word in words
    )


def region_labels(texts: Sequence[str]) -> set[int]:
    """Return the indices of the lines that name a region of the site's layout
    (`is_region_label`) at a copied page's two ends: before the first line of its own text and
    after the last, blank lines ("") between them. A site prints them around its article, as
    it prints its header and footer; among the page's own lines such a line may be its text's
    (a heading "Navigatie" in a manual of a web site), and stays."""
    filled = [i for i, text in enumerate(texts) if text]
    found: set[int] = set()
    for end in (filled, filled[::-1]):
        for i in end:
            if not is_region_label(texts[i]):
                break
            found.add(i)
    return found


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


def head_furniture(texts: Sequence[str]) -> list[str]:
    """Return the cleaned lines of a copied page ("" for a blank line) without the furniture of
    its head: a browser tab's title and the site's header under it (`tab_title`), and what
    `article_head` leaves out, each left out as a blank line."""
    tab = tab_title(texts)
    return article_head(["" if i in tab else text for i, text in enumerate(texts)])


def article_head(texts: Sequence[str]) -> list[str]:
    """Return the lines of a page ("" for a blank line) without a kicker above its title
    (`kicker`) and its byline but for its dateline (`byline`), each left out as a blank line.
    The HTML reader passes its blocks' lines, a blank line between blocks."""
    filled = [i for i, text in enumerate(texts) if text]
    if not filled:
        return list(texts)
    kicked = _kicked(texts)
    found, below = kicked if kicked is not None else (None, byline(texts, filled[0]))
    kept = list(texts)
    for i, text in below.items():
        kept[i] = text
    if found is not None:
        kept[found] = ""
    return kept


def tab_title(texts: Sequence[str]) -> set[int]:
    """Return the indices of a copied page's first lines that come before its title repeated:
    the browser tab's title ("Deelnemen als ondernemer (GO-C) | RVO.nl | Rijksdienst") and the
    site's header under it ("Service menu right"), when the page's own title follows in its
    head, the tab's title without its site names (`index.metadata.without_site_names`). A page
    names itself once; what stands between the two is the site's, not the page's. The head
    ends with the first line that ends a sentence: a repetition below it is the text's own."""
    filled = [i for i, text in enumerate(texts) if text]
    if not filled:
        return set()
    first = filled[0]
    name = _same_form(without_site_names(texts[first]))
    for i in filled[1:]:
        if _same_form(texts[i]) == name:
            return set(range(first, i))
        if texts[i].endswith(_SENTENCE_ENDS):
            break
    return set()


def _same_form(text: str) -> str:
    return " ".join(text.split()).casefold()


def byline(texts: Sequence[str], title: int) -> dict[int, str]:
    """Return the lines of a copied article's byline by index, each with what stays of it: a
    dateline without its bullet ("Bijgewerkt 19 juni 2025"), the page's metadata as any other
    dateline (`index.metadata.is_dateline`), and "" for the rest, page furniture: author, kind
    of article, reading time and topic labels ("- Redactie", "- Achtergrond", "- 4 min").

    A byline stands under the page's title (`texts[title]`, no part of it), in its head: no
    line between them ends a sentence. It is a run of lines without a blank one between, list
    items with one bullet sign or bare lines, each a label (`_is_link_label`), a dateline, a
    reading time or a counter of views or shares ("9.6K"), and it holds a dateline or a
    reading time. Bare lines make one only with a reading time, which no letter's or report's
    head has (the lines of a letterhead above its "Datum: ..." line are no byline), and only up
    to the last of their dates and reading times, as a heading may follow them without a
    blank line. A byline written on one line, its items joined by " | ", is read by its items
    (`_byline_on_one_line`)."""
    found: dict[int, str] = {}
    below = [i for i in range(title + 1, len(texts)) if texts[i]]
    for run in _runs(texts, below):
        items = [_item_text(texts[i]) for i in run]
        bulleted = bool(_bullet(texts[run[0]]))
        found.update(_byline_on_one_line(run, items) or _byline_of(run, items, bulleted=bulleted))
        if any(item.endswith(_SENTENCE_ENDS) and not is_dateline(item) for item in items):
            break  # the running text has begun
    return found


def _byline_of(run: list[int], items: list[str], *, bulleted: bool) -> dict[int, str]:
    """Return the byline (`byline`) that a run of lines holds, as `byline` returns it."""
    if not all(_is_byline_item(item) for item in items):
        return {}
    marks = [k for k, item in enumerate(items) if _dates_or_times(item)]
    if not bulleted:
        if not any(is_reading_time(item) for item in items):
            return {}
        marks = marks[-1:]
        items = items[: marks[0] + 1] if marks else []
    if not marks:
        return {}
    return {i: item if is_dateline(item) else "" for i, item in zip(run, items, strict=False)}


def _byline_on_one_line(run: list[int], items: list[str]) -> dict[int, str]:
    """Return the byline (`byline`) of a run's first line when it joins its parts by " | "
    ("Redactie KVK | Bijgewerkt 17 nov 2020 | 5 min lezen"), as `byline` returns it: its
    datelines, joined as they stood, or "". The separator marks each part as an item, as a
    bullet sign marks a list item, so the parts are judged as a byline's list items are: each
    a label, a dateline, a reading time or a counter, and one a dateline or a reading time. A
    table's rows join their cells so line after line, and a row of labels has no date
    ("Lening | Rente | Looptijd"); a part that is a sentence is no item. The running text may
    follow the line without a blank line, as it may follow a byline of bare lines."""
    if _BYLINE_SEPARATOR not in items[0] or any(_BYLINE_SEPARATOR in item for item in items[1:2]):
        return {}
    parts = [part.strip() for part in items[0].split(_BYLINE_SEPARATOR)]
    if not all(_is_byline_item(part) for part in parts):
        return {}
    if not any(_dates_or_times(part) for part in parts):
        return {}
    return {run[0]: _BYLINE_SEPARATOR.join(part for part in parts if is_dateline(part))}


def _is_byline_item(text: str) -> bool:
    """Return whether a byline's item is one it may hold: a label, a dateline, a reading time
    or a counter of views or shares."""
    return _is_link_label(text) or _dates_or_times(text) or _is_count(text)


def _is_count(text: str) -> bool:
    """Return whether a line is a counter of views or shares ("9.6K", "1,4K", "120")."""
    return _COUNT.match(text.strip()) is not None


def is_reading_time(text: str) -> bool:
    """Return whether a line states an article's reading time ("5 min lezen")."""
    return _READING_TIME.match(text.strip()) is not None


def _dates_or_times(text: str) -> bool:
    return is_dateline(text) or is_reading_time(text)


def _runs(texts: Sequence[str], indices: Sequence[int]) -> list[list[int]]:
    """Group `indices` of non-blank lines into runs of consecutive lines with one bullet sign
    (`_bullet`) or none."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1 and _bullet(texts[i]) == _bullet(texts[i - 1]):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _bullet(text: str) -> str:
    """Return the sign that opens a list item ("-", "•", "1."), or "" for a bare line."""
    found = LIST_BULLET.match(text)
    return found.group().strip() if found else ""


def _item_text(text: str) -> str:
    """Return a line without the bullet that opens it."""
    found = LIST_BULLET.match(text)
    return text[found.end() :] if found else text


def kicker(texts: Sequence[str]) -> int | None:
    """Return the index of a copied page's kicker, or None: a one-word label alone on the
    page's first line ("Corona"), the category or site name a web page prints above its title,
    right above a line of more words shaped as a title (`index.lines.is_title_shaped`) that
    the page's dateline or byline (`byline`) follows. Like a breadcrumb it names where the page
    stands, not the page: the line under it does. Without a dateline or byline under that line
    a lone word may be a letter's or a report's own title ("Brief" above "1 Inleiding")."""
    kicked = _kicked(texts)
    return kicked[0] if kicked is not None else None


def _kicked(texts: Sequence[str]) -> tuple[int, dict[int, str]] | None:
    """Return the kicker's index (`kicker`) and the byline under the title it heads, as
    `byline` returns it, or None without a kicker."""
    filled = [i for i, text in enumerate(texts) if text]
    if len(filled) < 3:
        return None
    first, second, third = filled[:3]
    label, title = texts[first], texts[second]
    one_word = len(label.split()) == 1 and label[0].isupper() and _is_link_label(label)
    longer = len(title.split()) > 1 and is_title_shaped(without_site_names(title))
    if not (second > first + 1 and one_word and longer):
        return None
    below = byline(texts, second)
    return (first, below) if dates_the_page(texts[third]) or third in below else None
