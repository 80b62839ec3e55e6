"""Numbered steps in plain text: "Stap 1 Meld u aan", "Stap 2 Maak uw plan", ...

A web page numbers the steps of a procedure with a label word and a number ("Stap", "Fase",
"Vraag"), set in a heading or a list item that a copy to plain text turns into a bare line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A capitalised label word, a number, and the step's own text opening with a capital; a date
# ("Op 1 april ...") goes on in lower case and is no step.
_STEP = re.compile(r"^([A-Z][a-z]{1,20}) (\d{1,2})[.:)]?\s+(?=[A-Z])")


def numbered_steps(texts: Sequence[str]) -> list[list[int]]:
    """Return the runs of step lines in `texts`, as indices: lines that open with the same
    label word and the next number each ("Stap 2" after "Stap 1"), whatever stands between
    them. A run has at least two lines: one label and number alone may be a sentence's start."""
    runs: list[list[int]] = []
    last: dict[str, tuple[int, list[int]]] = {}
    for i, text in enumerate(texts):
        match = _STEP.match(text)
        if match is None:
            continue
        word, number = match.group(1), int(match.group(2))
        previous = last.get(word)
        if previous is not None and number == previous[0] + 1:
            run = previous[1]
        else:
            run = []
            runs.append(run)
        run.append(i)
        last[word] = (number, run)
    return [run for run in runs if len(run) >= 2]
