"""A letter's signature: recognised, a finished sentence, and the answer to who signed."""

from __future__ import annotations

import pytest

from assistant.sentences import shape
from index.signature import is_signature


@pytest.mark.parametrize(
    "text",
    [
        "De Staatssecretaris van Economische Zaken en Klimaat,\nM.C.G. Keijzer",
        "De Minister voor Buitenlandse Handel en Ontwikkelingssamenwerking, J.C. Vlietstra",
        "De Minister-President, Minister van Algemene Zaken, M. Rutte",
        "De Minister van Economische Zaken, mr. drs. A.B. van der Berg-Smit",
        "De minister van Financiën, W.B. Hoekstra",  # office in lower case
        "De Minister van Binnenlandse Zaken, H.G.J. Bruins Slot",  # a surname of two words
        "De Minister van Infrastructuur, drs. C. van Nieuwenhuizen Wijbenga",
        "De Minister van Economische Zaken, Micky Adriaansens",  # a first name
        "De Minister van Economische Zaken en Klimaat, E.D. Wiebes MBA",  # a degree
        "De Minister van Financiën, W.B. Hoekstra.",  # a full stop
    ],
)
def test_signatures_are_an_office_a_comma_and_a_name(text: str) -> None:
    assert is_signature(text)


@pytest.mark.parametrize(
    "text",
    [
        "De Minister van Financiën heeft besloten, dat A. Jansen gaat.",  # a sentence about one
        "Hierbij bied ik uw Kamer, mede namens de Minister van Financiën, het plan aan.",
        "De Staatssecretaris van Economische Zaken en Klimaat,",  # no name
        "De Staatssecretaris van Economische Zaken en Klimaat, M.C.G. Keijzer. Zij zegt dat.",
        "De directeur van de KVK, A. Jansen",  # not a member of the government
        # two signatures run together, and running text with commas
        "De Minister van Financiën, W.B. Hoekstra De Minister van Justitie, F. Grapperhaus",
        "De Minister heeft, zoals gezegd, M. Rutte",
        "De minister, die dit voorstelt, A. Vermeend",
    ],
)
def test_other_text_is_no_signature(text: str) -> None:
    assert not is_signature(text)


def test_a_signature_is_a_finished_sentence() -> None:
    assert not shape("De Minister van Financiën, W.B. Hoekstra").unfinished
    assert shape("De Minister van Financiën").unfinished  # a heading or a fragment
