"""The signature of a letter to parliament: "De Staatssecretaris van Economische Zaken en Klimaat,
M.C.G. Keijzer".

A Dutch government letter ends with the office and the name of each minister or state secretary
who signs it. Read as a sentence, a signature is a fragment without a verb or a full stop that
shares no word with the question it answers ("wie heeft de brief ondertekend?"), so the answer
model ranked it below every sentence of the letter and the no-evidence guard declined the
question. `assistant.asked` answers a question for the signatory with a signature,
`assistant.sentences.shape` counts it as a finished sentence, and `Assistant._no_evidence` lets a
signature read stand as evidence for such a question.
"""

from __future__ import annotations

import re

# An office ("De Minister van ...", "De Minister voor ...", "De Staatssecretaris van ...", "De
# Minister-President, Minister van Algemene Zaken") and a comma, then a name: optional academic
# titles, initials ("M.C.G.") or a first name, a surname with its particles and up to one more
# part ("van der Berg", "Bruins Slot", "Keijzer-Smit"), an optional degree ("MBA") and full stop.
_OFFICE = (
    r"De (?:[Mm]inister|[Ss]taatssecretaris|[Mm]inister-[Pp]resident)\b[^,\n]{0,150}"
    r"(?:, [Mm]inister (?:van|voor) [^,\n]{1,150})?"
)
_TITLES = r"(?:(?:dr|drs|mr|ir|ing|prof|ds)\.?\s+)*"
_GIVEN = r"(?:(?:[A-Z][a-z]?\.\s?){1,5}|[A-Z][a-z]+\s+)"
_PARTICLES = r"(?:(?:van|de|der|den|het|ter|ten|te|in|'t|von|du|la|le)\s+){0,3}"
_SURNAME = rf"{_PARTICLES}[A-Z][\w'’]+(?:[- ][A-Z][\w'’]+)?"
_DEGREE = r"(?:,?\s+(?:MBA|MSc|MA|LLM|BSc|BA|PhD))?"
_SIGNATURE = re.compile(rf"{_OFFICE},\s+{_TITLES}{_GIVEN}\s*{_SURNAME}{_DEGREE}\.?")


def is_signature(text: str) -> bool:
    """Return whether `text` (a sentence or a block) is one signature: an office, a comma and a
    name, and nothing else."""
    return _SIGNATURE.fullmatch(" ".join(text.split())) is not None
