"""Answer composition: chosen sentences, context, citation numbering, what questions ask."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answer import (
    MAX_ANSWER_CHARS,
    MAX_ANSWER_SENTENCES,
    MAX_SENTENCES,
    choose,
    choose_over_time,
    compose,
    with_context,
)
from assistant.asked import (
    MAX_PARTS,
    answers_type,
    asked_parts,
    asked_types,
    question_part,
    what_is_asked,
)
from assistant.citations import Quote, number_citations, suggest_topics, within_chars
from assistant.features import Candidate
from assistant.model import Selection
from assistant.types import Hit
from index.sentences import split_sentences
from index.types import DocumentMeta, Passage

DOCS = {
    "brief.md": DocumentMeta("brief.md", "Steunmaatregelen", "2020-06-02"),
    "rapport.md": DocumentMeta("rapport.md", "Voortgangsrapportage", "2020-10-30"),
}
TEXTS: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "brief.md": [
        (
            ("Tozo",),
            "Zelfstandigen kunnen de Tozo aanvragen bij hun gemeente. Deze regeling biedt een "
            "aanvulling tot het sociaal minimum. Ook is er een lening voor bedrijfskapitaal van "
            "maximaal 10.157 euro tegen 2 procent rente.",
        ),
        (
            ("Belasting",),
            "Ondernemers kunnen uitstel van betaling aanvragen bij de Belastingdienst.",
        ),
    ],
    "rapport.md": [
        (
            ("Financiering", "KKC"),
            "De KKC is bedoeld voor kleine kredieten. De looptijd is maximaal vijf jaar, de rente "
            "bedraagt ten hoogste 4 procent. Het kabinet evalueert de regeling in 2021.",
        ),
        (
            ("Tozo",),
            "Zelfstandigen kunnen de Tozo aanvragen bij hun gemeente. Voor de Tozo 2 telt ook het "
            "inkomen van de partner mee.",
        ),
    ],
}


def make_passages() -> list[Passage]:
    passages = []
    for doc_id, items in TEXTS.items():
        for n, (section, text) in enumerate(items, 1):
            passages.append(Passage(f"{doc_id}/p{n}", doc_id, text, 0, len(text), n, n, section))
    return passages


def hits_and_candidates() -> tuple[list[Hit], list[Candidate]]:
    """Return a hit per passage and a candidate per sentence, in passage order."""
    hits = [Hit(p, DOCS[p.doc_id], 1.0) for p in make_passages()]
    candidates: list[Candidate] = []
    for rank, hit in enumerate(hits):
        for position, (start, end) in enumerate(split_sentences(hit.passage.text)):
            stems = frozenset(hit.passage.text[start:end].lower().rstrip(".").split())
            candidates.append(Candidate(rank, len(candidates), position, start, end, stems))
    return hits, candidates


def texts(quotes: list[Quote]) -> list[str]:
    return [q.text for q in quotes]


SELECTION = Selection(min_probability=0.3, ratio=0.5, max_sentences=3)


def test_the_best_sentence_comes_first_and_weak_ones_stay_out() -> None:
    hits, candidates = hits_and_candidates()
    p = np.full(len(candidates), 0.05)
    p[5] = 0.9  # "De looptijd is maximaal vijf jaar, ..."
    p[6] = 0.5  # "Het kabinet evalueert de regeling in 2021." (same passage)
    p[0] = 0.4  # under half of the best: left out
    quotes = compose(p, candidates, hits, SELECTION)
    assert texts(quotes) == [
        "De looptijd is maximaal vijf jaar, de rente bedraagt ten hoogste 4 procent.",
        "Het kabinet evalueert de regeling in 2021.",
    ]
    assert all(q.text in q.hit.passage.text for q in quotes)


def test_at_most_max_sentences_are_chosen_for_their_content() -> None:
    hits, candidates = hits_and_candidates()
    p = np.linspace(0.99, 0.9, len(candidates))
    assert len(choose(p, candidates, SELECTION)) == 3
    assert len(choose(p, candidates, Selection(0.0, 0.0, 1))) == 1


def test_a_question_asking_two_things_gets_room_for_both() -> None:
    hits, candidates = hits_and_candidates()
    p = np.linspace(0.99, 0.9, len(candidates))
    assert len(choose(p, candidates, SELECTION, parts=2)) == 6
    assert len(choose(p, candidates, Selection(0.0, 0.0, 1), parts=2)) == 2
    assert len(choose(p, candidates, SELECTION, parts=5)) == 3 * MAX_PARTS  # at most MAX_PARTS
    assert MAX_SENTENCES == 3 * MAX_PARTS + 1  # and one sentence of context
    # the weak ones stay out all the same
    weak = np.full(len(candidates), 0.05)
    weak[5] = 0.9
    assert choose(weak, candidates, SELECTION, parts=2) == [5]


def test_the_second_thing_asked_is_answered_from_another_passage() -> None:
    hits, candidates = hits_and_candidates()
    p = np.full(len(candidates), 0.05)
    p[[5, 6, 4]] = [0.9, 0.8, 0.7]  # the KKC passage: looptijd, evaluatie, "De KKC is ..."
    p[2] = 0.6  # "Ook is er een lening ... tegen 2 procent rente." (the Tozo passage)
    selection = Selection(0.3, 0.5, 3)
    assert 2 not in choose(p, candidates, selection)
    quotes = compose(p, candidates, hits, selection, parts=2)
    assert any("2 procent rente" in q.text for q in quotes)


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("Wat is de TVL?", 1),
        ("hoeveel rente betaal je voor een kkc lening", 1),
        ("Hoeveel ondernemers kregen de TOGS, en hoeveel geld was dat bij elkaar?", 2),
        ("Hoeveel ondernemers kregen de TOGS en hoeveel geld was dat?", 2),
        ("hoelang mag ik stoppen met aflossen? wat word de rente dan?", 2),
        ("Hoe lang krijg ik voor de terugbetaling en vanaf wanneer?", 2),
        ("Loopt de NOW vanzelf door, of moet ik opnieuw iets indienen?", 2),
        ("Which ministry is behind the DTIF, and who actually runs it?", 2),
        # alternatives inside one question, and a situation before it, ask one thing
        ("Is lenen duurder of goedkoper geworden sinds 2019?", 1),
        ("Ik heb een bakkerij en twee leerlingen. Is er geld voor de begeleiding?", 1),
        ("Ik heb een winkel en wat personeel", 1),  # no question mark: only a comma joins
        ("looptijd van een kkc lening, en hoeveel rente betaal je", 2),
        ("Wat kost het, en wanneer, en waar vraag ik het aan?", MAX_PARTS),
        # two things named to compare or to cover
        ("Wat is het verschil tussen de KKC en de BMKB-C qua garantie?", 2),
        ("Ik zoek zowel het actieplan als de eerste rapportage. Welke nummers horen erbij?", 2),
        ("Is de rente hoger vergeleken met 2019?", 2),
        ("What is the difference between the Tozo loan and the COL?", 2),
    ],
)
def test_asked_parts_counts_the_things_a_question_asks(question: str, parts: int) -> None:
    assert asked_parts(question) == parts


def test_a_sentence_saying_the_same_is_left_out() -> None:
    hits, candidates = hits_and_candidates()
    same = [i for i, c in enumerate(candidates) if "tozo" in c.stems and c.position == 0]
    assert len(same) == 2  # "Zelfstandigen kunnen de Tozo aanvragen ..." in both documents
    p = np.full(len(candidates), 0.05)
    p[same] = [0.9, 0.8]
    assert choose(p, candidates, SELECTION) == [same[0]]


def test_sentence_that_refers_back_brings_its_antecedent() -> None:
    hits, candidates = hits_and_candidates()
    p = np.full(len(candidates), 0.05)
    p[1] = 0.9  # "Deze regeling biedt een aanvulling tot het sociaal minimum."
    quotes = compose(p, candidates, hits, SELECTION)
    assert texts(quotes) == [
        "Zelfstandigen kunnen de Tozo aanvragen bij hun gemeente.",
        "Deze regeling biedt een aanvulling tot het sociaal minimum.",
    ]
    assert with_context([0], candidates, hits) == [0]  # the first sentence leans on nothing


def list_hits() -> tuple[list[Hit], list[Candidate]]:
    """A passage whose second sentence announces a list, after another passage."""
    meta = DOCS["brief.md"]
    texts_ = (
        "Het voorschot wordt betaald door UWV.",
        "De NOW kent twee stappen. U krijgt van UWV:\n- een voorschot van 80%\n- de vaststelling",
    )
    hits = [
        Hit(Passage(f"brief.md/p{n}", "brief.md", t, 0, len(t), n, n, ("NOW",)), meta, 1.0)
        for n, t in enumerate(texts_, 1)
    ]
    candidates: list[Candidate] = []
    for rank, hit in enumerate(hits):
        for position, (start, end) in enumerate(split_sentences(hit.passage.text)):
            candidates.append(Candidate(rank, len(candidates), position, start, end, frozenset()))
    return hits, candidates


def test_a_chosen_sentence_announcing_a_list_brings_its_items() -> None:
    hits, candidates = list_hits()
    assert [hits[c.hit_rank].passage.text[c.start : c.end] for c in candidates][2:] == [
        "U krijgt van UWV:", "een voorschot van 80%", "de vaststelling",
    ]  # fmt: skip
    p = np.full(len(candidates), 0.05)
    p[[0, 2]] = [0.9, 0.8]  # the best sentence, then the one announcing the list
    assert texts(compose(p, candidates, hits, SELECTION)) == [
        "Het voorschot wordt betaald door UWV.",
        "U krijgt van UWV:",
        "een voorschot van 80%",
        "de vaststelling",
    ]
    p[[0, 2]] = [0.3, 0.9]  # the announcing sentence is the best one
    assert texts(compose(p, candidates, hits, SELECTION))[:3] == [
        "U krijgt van UWV:", "een voorschot van 80%", "de vaststelling",
    ]  # fmt: skip


def test_over_time_takes_one_sentence_per_document_oldest_first() -> None:
    hits, candidates = hits_and_candidates()
    tozo = [i for i, c in enumerate(candidates) if "tozo" in c.stems and c.position == 0]
    p = np.full(len(candidates), 0.05)
    p[tozo] = [0.6, 0.9]  # the best one is in the newer report
    chosen = choose_over_time(p, candidates, [h.passage.doc_id for h in hits], SELECTION)
    assert sorted(chosen) == sorted(tozo)
    quotes = compose(p, candidates, hits, SELECTION, over_time=True)
    assert [q.hit.document.date for q in quotes] == ["2020-06-02", "2020-10-30"]
    p[tozo[0]] = 0.1  # only one document qualifies: answered as usual
    assert choose_over_time(p, candidates, [h.passage.doc_id for h in hits], SELECTION) == []


def test_over_time_stays_in_one_document_that_names_every_year() -> None:
    hits, candidates = hits_and_candidates()
    sources = [h.passage.doc_id for h in hits]
    tozo = [i for i, c in enumerate(candidates) if "tozo" in c.stems and c.position == 0]
    p = np.full(len(candidates), 0.05)
    p[tozo] = [0.6, 0.9]  # the best one is in the newer report
    newer = [i for i, c in enumerate(candidates) if sources[c.hit_rank] == "rapport.md"]
    texts = ["Een zin zonder jaartal."] * len(candidates)
    texts[newer[0]], texts[newer[1]] = "In 2020 was het 16,5 procent.", "In 2021 is het 15."
    years = frozenset({"2020", "2021"})
    assert choose_over_time(p, candidates, sources, SELECTION, years=years, texts=texts) == []
    texts[newer[1]] = "In 20210 is het 15."  # not the year 2021: the older report is needed
    chosen = choose_over_time(p, candidates, sources, SELECTION, years=years, texts=texts)
    assert sorted(chosen) == sorted(tozo)
    # one year and "now" ("in 2020 en nu"): the newest statement is in another document
    texts[newer[1]] = "In 2021 is het 15."
    one = frozenset({"2020"})
    assert sorted(choose_over_time(p, candidates, sources, SELECTION, years=one, texts=texts)) == (
        sorted(tozo)
    )


def test_over_time_compares_two_documents_and_gives_the_rest_to_the_best() -> None:
    hits, candidates = hits_and_candidates()
    sources = ["oud", "oud", "midden", "nieuw"]  # the document of each hit rank
    at = {(c.hit_rank, c.position): i for i, c in enumerate(candidates)}
    p = np.full(len(candidates), 0.05)
    p[[at[3, 1], at[3, 0], at[2, 1], at[0, 2]]] = [0.9, 0.85, 0.8, 0.7]
    chosen = choose_over_time(p, candidates, sources, SELECTION)
    # the best of the two best documents, then the best left: not a third document's best
    assert chosen == [at[3, 1], at[2, 1], at[3, 0]]


def test_repeated_sentences_are_dropped_and_sources_numbered_by_first_use() -> None:
    passages = make_passages()
    hits = [Hit(p, DOCS[p.doc_id], 1.0) for p in passages]
    same = "Zelfstandigen kunnen de Tozo aanvragen bij hun gemeente."
    quotes = [
        Quote(same, hits[3]),
        Quote(same, hits[0]),
        Quote("De KKC is bedoeld voor kleine kredieten.", hits[2]),
        Quote("Ondernemers kunnen uitstel van betaling aanvragen bij de Belastingdienst.", hits[1]),
        Quote("Voor de Tozo 2 telt ook het inkomen van de partner mee.", hits[3]),
    ]
    sentences, citations = number_citations(quotes)
    assert [s.n for s in sentences] == [1, 2, 3, 1]
    assert [c.passage.id for c in citations] == ["rapport.md/p2", "rapport.md/p1", "brief.md/p2"]
    assert [c.n for c in citations] == [1, 2, 3]


def test_an_answer_is_cut_to_the_longest_text_the_chat_sends_back() -> None:
    hits, _ = hits_and_candidates()
    long = Quote("x" * 1194 + ".", hits[0])  # with its marker, 1,201 characters: a passage
    assert [len(q.text) for q in within_chars([long] * MAX_ANSWER_SENTENCES, 2500)] == [1195] * 2
    assert len(within_chars([long] * MAX_ANSWER_SENTENCES, MAX_ANSWER_CHARS)) == 8
    assert within_chars([long], 10) == [long]  # the first is always kept
    short = [Quote("Kort.", hits[0])] * MAX_ANSWER_SENTENCES
    assert within_chars(short, MAX_ANSWER_CHARS) == short


def test_suggestions_name_title_and_section_once() -> None:
    passages = make_passages()
    hits = [Hit(p, DOCS[p.doc_id], 1.0) for p in (passages[0], passages[0], passages[2])]
    assert suggest_topics(hits) == (
        "Steunmaatregelen › Tozo",
        "Voortgangsrapportage › Financiering › KKC",
    )


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("Hoeveel rente betaal ik?", ["percent"]),
        ("Tot wanneer kan ik de TVL aanvragen?", ["date", "place"]),
        ("Waar kan ik aankloppen voor hulp?", ["place"]),
        ("How much is the TOGS?", ["number"]),
        ("Wat is de TVL?", []),
        ("Hoe lang duurt het uitstel?", ["duration"]),
        ("Hoeveel geld is er in totaal beschikbaar?", ["amount"]),
        ("Hoeveel voorstellen kwamen er binnen?", ["count"]),
        ("Welke regeling past bij mij?", ["name"]),
        ("Wat moet ik regelen voor de export?", ["duty"]),
        # a charge is an amount or a share; "-nummer" and "drempel" ask for a number
        ("Wat is de borgstellingsprovisie?", ["amount", "percent"]),
        ("What guarantee fee does the state charge?", ["amount", "percent"]),
        ("Wat kost eHerkenning per jaar?", ["amount"]),
        ("Wat is het telefoonnummer van de BelastingTelefoon?", ["phone"]),
        # who signed: a name and an office, not a desk to turn to ("wie" alone asks "place")
        ("wie heeft dit ondertekend?", ["signatory"]),
        ("Wie is de afzender van de brief?", ["signatory"]),
        ("Who signed this letter?", ["signatory"]),
        ("Wie heeft de brief getekend?", ["signatory"]),
        ("Wie kan de TVL aanvragen?", ["place"]),
        ("Op welke dag zijn de deals getekend?", ["day"]),
        # signing without asking who signed: no name is asked for
        ("Moet ik het aanvraagformulier ondertekenen?", []),
        ("Wat is het adres van de afzender?", []),
        ("Bij wie moet ik de verklaring laten ondertekenen?", ["place"]),
        ("Where do I send the signed form?", ["place"]),
        ("Welk kvk-nummer heeft de uitvoerder?", ["number"]),
        ("Welke drempel voor omzetverlies geldt er?", ["number"]),
        # a year, a day, a number of weeks: a date or a duration, not a count
        ("Vanaf welk jaar wordt e-factureren verplicht?", ["date"]),
        ("Op welke dag is de brief verstuurd?", ["day"]),
        ("Tot welke datum loopt de regeling?", ["day"]),
        ("Binnen hoeveel weken moet de gemeente beslissen?", ["duration"]),
        # only the question itself counts, not the situation sketched before it
        ("Het bedrag is voor de bank te klein. Welke opties heb ik?", ["name"]),
    ],
)
def test_question_types(question: str, kinds: list[str]) -> None:
    assert asked_types(question) == kinds


def test_question_part_is_the_interrogative_sentence_unless_it_points_back() -> None:
    assert question_part("Ik heb een bakkerij. Welke steun is er?") == "Welke steun is er?"
    pointing_back = "Ik wil een webwinkel. Is daar subsidie voor?"
    assert question_part(pointing_back) == pointing_back
    assert question_part("bmkb voorwaarden") == "bmkb voorwaarden"
    assert question_part("Het gaat om 4.000 euro. Krijg ik 4.000 euro?") == "Krijg ik 4.000 euro?"


def test_counted_things_need_a_number_and_the_thing() -> None:
    asked = what_is_asked("Hoeveel voorstellen kwamen er binnen?")
    assert asked.answered_by("Er zijn 34 voorstellen ontvangen.") == ("count",)
    assert asked.answered_by("Eind 2019 zijn negen deals geselecteerd.") == ()
    assert asked.answered_by("De voorstellen konden tot 20 november 2019 worden ingediend.") == ()


def test_a_hyphenated_thing_is_counted_by_its_last_part_too() -> None:
    asked = what_is_asked("Hoeveel BMKB-borgstellingen zijn er afgegeven?")
    assert asked.answered_by("Er zijn 2.751 borgstellingen afgegeven.") == ("count",)
    assert asked.answered_by("Er zijn 2.751 leningen verstrekt.") == ()


_DAY = "Op welke dag in de zomer van 2019 is de rapportage verstuurd?"
_PHONE = "Wat is het telefoonnummer van het Digital Trust Center?"
_SIGNED = "Wie heeft de brief over de afbouw van de steun ondertekend?"


@pytest.mark.parametrize(
    ("question", "sentence", "kinds"),
    [
        # a day needs a day of the month, not a season or a month
        (_DAY, "In de zomer van 2019 heb ik u de rapportage toegestuurd.", ()),
        (_DAY, "In juli 2019 heb ik u de rapportage toegestuurd.", ()),
        (_DAY, "Op 3 juli 2019 heb ik u de rapportage toegestuurd.", ("day",)),
        (_DAY, "Verstuurd op 03-07-2019.", ("day",)),
        # a phone number is no other number: not a year, a rate or a date
        (_PHONE, "Het DTC lanceerde in juni 2018 zijn website.", ()),
        (_PHONE, "De rente is 0,01 procent tot 01-03-2021.", ()),
        (_PHONE, "Bel gratis 0800-0646 of 088 042 42 42.", ("phone",)),
        (_PHONE, "Bel +31 20 123 4567.", ("phone",)),
        # a signatory is answered by a signature, not by a sentence that names an office
        (
            _SIGNED,
            "De Staatssecretaris van Economische Zaken en Klimaat, M.C.G. Keijzer",
            ("signatory",),
        ),
        (_SIGNED, "De Minister van Financiën, W.B. Hoekstra", ("signatory",)),
        (
            _SIGNED,
            "Hierbij bied ik uw Kamer, mede namens de Minister van Financiën, het plan aan.",
            (),
        ),
    ],
)
def test_days_phone_numbers_and_signatories_are_answered_only_by_themselves(
    question: str, sentence: str, kinds: tuple[str, ...]
) -> None:
    assert what_is_asked(question).answered_by(sentence) == kinds


def test_numbers_the_question_names_are_no_answer() -> None:
    asked = what_is_asked("Hoeveel geld ging er naar die eenmalige 4000 euro?")
    assert asked.answered_by("Het ging om een eenmalige tegemoetkoming van 4.000 euro.") == ()
    assert asked.answered_by("In totaal is circa 800 miljoen euro uitgekeerd.") == ("amount",)


def test_units_decide_amounts_durations_and_percentages() -> None:
    assert what_is_asked("Hoe snel moet een groot bedrijf betalen?").answered_by(
        "De termijn is 60 dagen."
    ) == ("duration",)
    assert not what_is_asked("Hoe lang loopt de lening?").answered_by("De rente is 60 procent.")
    assert what_is_asked("Welk percentage garandeert de overheid?").answered_by(
        "De overheid staat voor 95% garant."
    ) == ("percent",)


def test_scheme_names_answer_which_scheme_questions() -> None:
    asked = what_is_asked("Welke regeling is er voor vaste lasten?")
    assert asked.answered_by("Vraag de TVL aan bij RVO.") == ("name",)
    assert asked.answered_by("Mkb-bedrijven en MKB-ondernemers krijgen steun.") == ()


def test_sentence_types() -> None:
    assert answers_type("U vraagt de NOW aan bij UWV.", ["place"])
    assert answers_type("Aanvragen kan via de gemeente.", ["place"])
    assert answers_type("De rente is 4 procent.", ["number"])
    assert answers_type("Het loket opent in het najaar.", ["date"])
    assert not answers_type("De regeling is eenvoudig.", ["number", "date", "place"])
