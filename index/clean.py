"""Pure text cleaning: characters, words hyphenated over line breaks, footnote markers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence, Set

_CHAR_MAP = str.maketrans(
    {
        "\u00ad": "",  # soft hyphen inside a line: only a hint where a word may break
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\ufeff": "",
        "\t": " ",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        # bullets that Word leaves in the private use area (Symbol and Wingdings fonts)
        "\uf0b7": "•",
        "\uf0a7": "▪",
        "\uf076": "•",
        "\uf0d8": "•",
        "\uf0fc": "•",
        "\uf02d": "-",
    }
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\uf8ff]")
# The bullet of reportlab's standard fonts extracts as DEL, and that of cp1252 as U+0095.
_CONTROL_BULLET = re.compile(r"^\s*[\x7f\x95]\s*(?=\S)")
_SPACES = re.compile(r" {2,}")
_WHITESPACE = re.compile(r"\s+")

# Lower-case words that are written with a hyphen before the next part ("mkb-ondernemers").
HYPHEN_PREFIXES = frozenset(
    """mkb zzp btw ict e ex oud niet non co vice kvk cao bv nv hbo mbo wo vmbo bbl bol eu ov
    it hr pr sbi ggd oeso uwv rvo""".split()
)
# "steun- en herstelpakket": the hyphen stands for an omitted part and the space stays.
_ELLIPSIS_WORDS = frozenset({"en", "of", "tot", "en/of", "noch", "als"})
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_TRAILING_WORD = re.compile(r"([^\W_]+)-$")
_LEADING_WORD = re.compile(r"^([^\W\d_]+)")

# A footnote marker glued to a word ("toegezonden1."), to a closing bracket or quote after any
# word ("«... 2019»3", "(SLIM)2": the bracket shows the digits are not part of the word), or
# after its punctuation ("mkb.3 Dat").
_GLUED_MARKER = re.compile(
    r"([^\W\d_][a-zß-öø-ÿ][)»”’\"']?|[^\W_][)»”’\"'])(\d{1,3})(?=[\s.,;:!?)»”’\"']|$)"
)
_PUNCT_MARKER = re.compile(r"([a-zß-öø-ÿ)»”’\"'][.,;:])(\d{1,3})(?=\s|$)")


def normalize_line(line: str) -> str:
    """Return one line with ligatures, odd spaces and control characters cleaned."""
    if line.rstrip().endswith("\u00ad"):
        line = line.rstrip()[:-1] + "-"  # a soft hyphen at the end marks a broken word
    text = unicodedata.normalize("NFKC", line.translate(_CHAR_MAP))
    text = _CONTROL.sub("", _CONTROL_BULLET.sub("• ", text))
    return _SPACES.sub(" ", text).strip()


def collapse_whitespace(text: str) -> str:
    """Return `text` normalised like `normalize_line`, with every whitespace run one space."""
    return normalize_line(_WHITESPACE.sub(" ", text))


def word_vocabulary(lines: Iterable[str]) -> frozenset[str]:
    """Return the lower-cased words (with inner hyphens) used anywhere in `lines`."""
    return frozenset(w.lower() for line in lines for w in _WORD.findall(line))


def join_lines(
    lines: Sequence[str], vocabulary: Set[str] = frozenset()
) -> tuple[str, tuple[int, ...]]:
    """Join wrapped lines into running text, repairing words hyphenated at a line end.

    Returns the text and the offset in it where each line's text begins.
    """
    parts: list[str] = []  # lines and separators; the last part is always the previous line
    starts: list[int] = []
    length = 0
    for line in lines:
        if parts:
            head, separator = _join_point(parts[-1], line, vocabulary)
            length += len(head) - len(parts[-1]) + len(separator)
            parts[-1:] = [head, separator]
        starts.append(length)
        parts.append(line)
        length += len(line)
    return "".join(parts), tuple(starts)


def _join_point(before: str, after: str, vocabulary: Set[str]) -> tuple[str, str]:
    """Return (`before`, possibly without its final hyphen) and the separator to `after`."""
    if not after or not before.endswith("-") or len(before) < 2 or not before[-2].isalnum():
        return before, " "
    first = _LEADING_WORD.match(after)
    if first and first.group(1).lower() in _ELLIPSIS_WORDS:
        return before, " "
    if _keep_hyphen(before, after, vocabulary):
        return before, ""
    return before[:-1], ""


def _keep_hyphen(before: str, after: str, vocabulary: Set[str]) -> bool:
    """Decide whether the hyphen at the end of `before` belongs to the word."""
    tail = _TRAILING_WORD.search(before)
    head = _LEADING_WORD.match(after)
    if tail is None or head is None:
        return True
    left, right = tail.group(1), head.group(1)
    hyphenated, joined = f"{left}-{right}".lower(), f"{left}{right}".lower()
    if hyphenated in vocabulary and joined not in vocabulary:
        return True
    if joined in vocabulary and hyphenated not in vocabulary:
        return False
    if left.lower() in HYPHEN_PREFIXES or any(ch.isdigit() for ch in left):
        return True
    if left.isupper() or not right[0].islower():
        return True
    return not left[-1].islower()


def footnote_marker_numbers(text: str) -> set[int]:
    """Return the numbers that look like footnote markers glued to words in `text`."""
    found = {int(m.group(2)) for m in _GLUED_MARKER.finditer(text)}
    found.update(int(m.group(2)) for m in _PUNCT_MARKER.finditer(text))
    return found


def strip_footnote_markers(text: str, numbers: Set[int]) -> str:
    """Remove markers of the given footnote numbers from `text`."""
    if not numbers:
        return text

    def keep_word(match: re.Match[str]) -> str:
        return match.group(1) if int(match.group(2)) in numbers else match.group(0)

    return _PUNCT_MARKER.sub(keep_word, _GLUED_MARKER.sub(keep_word, text))
