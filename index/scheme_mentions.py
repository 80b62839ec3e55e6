"""Find where a corpus names each candidate: one regular expression over every spelling,
longest first, acronyms case-sensitive ("NOW" is not "now"), other names in any case."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.scheme_discovery import AliasGroup
from index.scheme_lexicon import VARIANT_SUFFIX
from index.scheme_names import WORD_CHARS, clean, is_acronym, name_key

_CORONA_SUFFIX = re.compile(r"^[ -](?:corona|covid-19)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Mention:
    """Group `group` is named at text[start:end] (a variant suffix included)."""

    group: int
    start: int
    end: int
    variant: str = ""  # "NOW 2", "BMKB-C"; "" for the scheme itself


class Matcher:
    """Finds the spellings of a set of alias groups in text."""

    def __init__(self, groups: Sequence[AliasGroup]) -> None:
        self._group_of: dict[str, int] = {}
        self._labels: dict[str, str] = {}
        patterns: list[tuple[int, str]] = []
        for index, group in enumerate(groups):
            for spelling in group.aliases:
                key = name_key(spelling)
                if not key or key in self._group_of:
                    continue
                self._group_of[key] = index
                escaped = re.escape(spelling).replace(r"\ ", r"\s+")
                sensitive = is_acronym(spelling) or spelling in group.acronyms
                patterns.append((len(spelling), escaped if sensitive else f"(?i:{escaped})"))
            self._labels.update(group.variant_labels)
        patterns.sort(key=lambda p: -p[0])
        alternation = "|".join(p for _, p in patterns) or r"(?!x)x"
        self._pattern = re.compile(rf"(?<![{WORD_CHARS}])(?:{alternation})(?![{WORD_CHARS}])")

    def find(self, text: str) -> list[Mention]:
        """Return the mentions in `text`, left to right."""
        found = []
        for match in self._pattern.finditer(text):
            group = self._group_of.get(name_key(match.group()))
            if group is None:
                continue
            end, variant = match.end(), ""
            rest = text[end:]
            corona = _CORONA_SUFFIX.match(rest)
            suffix = corona or VARIANT_SUFFIX.match(rest)
            if suffix is not None:
                end += suffix.end()
                written = text[match.start() : end]
                if corona is None or name_key(written) in self._labels:
                    variant = self._variant_label(group, written)
                # else: "Tegemoetkoming .. Sectoren COVID-19" is the name, not a variant
            found.append(Mention(group, match.start(), end, variant))
        return found

    def _variant_label(self, group: int, written: str) -> str:
        """Return the label of a variant: the short form the corpus defines for it
        ("Borgstelling MKB-kredieten corona" -> "BMKB-C"), else as written ("NOW 2")."""
        return self._labels.get(name_key(written), clean(written))
