"""Typo correction against the corpus vocabulary (symmetric-delete lookup, like SymSpell)."""

from __future__ import annotations

from collections import Counter

MIN_LENGTH = 5  # shorter words are too ambiguous to correct
MAX_LENGTH = 40  # longer tokens (codes, glued text) are no typos; `_deletes` is cubic in length


def max_distance(word: str) -> int:
    """Return how many edits we allow for `word`: 1 up to 7 letters, 2 from 8 letters."""
    if len(word) < MIN_LENGTH:
        return 0
    return 1 if len(word) < 8 else 2


def _deletes(word: str, distance: int) -> set[str]:
    """Return every string made by deleting up to `distance` characters from `word`."""
    out = {word}
    if len(word) > MAX_LENGTH:
        return out
    frontier = {word}
    for n in range(1, distance + 1):
        if len(word) - n < 2:
            break
        # deleting n characters is deleting one from a word with n - 1 deleted
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def edit_distance(a: str, b: str) -> int:
    """Return the optimal-string-alignment distance (Levenshtein plus adjacent swaps)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


class TypoCorrector:
    """Finds the most frequent corpus word within a small edit distance of a misspelt word."""

    def __init__(self, vocabulary: Counter[str]) -> None:
        self._vocab = vocabulary
        self._index: dict[str, list[str]] = {}
        for word in vocabulary:
            if len(word) < MIN_LENGTH - 1 or word.isdigit():
                continue
            for deleted in _deletes(word, 2):
                self._index.setdefault(deleted, []).append(word)

    def correct(self, word: str) -> str | None:
        """Return the corpus word closest to `word`, or None if none is close enough."""
        allowed = max_distance(word)
        if allowed == 0 or word in self._vocab or word.isdigit():
            return None
        candidates: set[str] = set()
        for deleted in _deletes(word, allowed):
            candidates.update(self._index.get(deleted, ()))
        best: tuple[int, int, str] | None = None
        for candidate in candidates:
            distance = edit_distance(word, candidate)
            if distance > allowed:
                continue
            key = (distance, -self._vocab[candidate], candidate)
            if best is None or key < best:
                best = key
        return best[2] if best else None
