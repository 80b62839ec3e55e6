"""Features of questions and candidate sentences: what they measure, and that corpus size does
not change what they mean."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS, FakeEmbedder

from assistant.analyze import Analyzer
from assistant.assistant import make_extractor
from assistant.features import (
    PASSAGES_READ,
    QUESTION_FEATURES,
    SENTENCE_FEATURES,
    Extracted,
    FeatureExtractor,
    weigh,
)
from assistant.rarity import MAX_INFORMATION, information, typed_forms
from assistant.search import Searcher
from index import store
from index.build import build_index


def test_information_comes_from_general_word_frequencies() -> None:
    assert information("de") < information("subsidie") < information("parkeervergunning")
    assert information("xqzwvk") == MAX_INFORMATION  # never seen in general Dutch
    assert information("employees", english=True) < information("employees")
    assert typed_forms("Financiële steun voor zzp'ers")["financiele"] == "financiële"


def test_coverage_weighs_words_by_their_information() -> None:
    analyzer = Analyzer.from_texts(["De innovatiekrediet subsidie voor ondernemers"])
    terms = analyzer.query_terms("Welke ondernemers krijgen een innovatiekrediet?")
    weighted = weigh("Welke ondernemers krijgen een innovatiekrediet?", terms, english=False)
    rare = frozenset(analyzer.document_terms("het innovatiekrediet"))
    common = frozenset(analyzer.document_terms("alle ondernemers"))
    assert weighted.coverage(rare) > weighted.coverage(common) > 0
    both = rare | common
    assert weighted.coverage(both) < 1.0  # "krijgen" is not in it
    assert weighted.missing(common) == pytest.approx(information("innovatiekrediet") / 9)


def test_local_coverage_discounts_words_every_candidate_has() -> None:
    analyzer = Analyzer.from_texts(["mkb adagium steun"])
    terms = analyzer.query_terms("adagium mkb")
    weighted = weigh("adagium mkb", terms, english=False)
    rows = [frozenset({"mkb"}), frozenset({"mkb"}), frozenset({"mkb", "adagium"})]
    local = weighted.local_coverage(weighted.matches(rows))
    plain = weighted.coverage_of(weighted.matches(rows))
    assert local[2] == pytest.approx(1.0) and plain[2] == pytest.approx(1.0)
    assert local[0] < plain[0]  # "mkb" is in every candidate: it tells them apart less


Small = tuple[Searcher, FeatureExtractor]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Small:
    index_dir = tmp_path_factory.mktemp("features-index")
    embedder = FakeEmbedder()
    build_index(CORPUS, index_dir, embedder, progress=False)
    index = store.load(index_dir)
    metas = {doc_id: doc.meta for doc_id, doc in index.documents.items()}
    searcher = Searcher(index.passages, metas, index.faiss_index, embedder)
    return searcher, make_extractor(index, searcher)


def extract(small: Small, question: str) -> Extracted:
    searcher, extractor = small
    return extractor.extract(question, question, searcher.retrieve(question))


def feature(extracted: Extracted, name: str) -> float:
    return float(extracted.question[QUESTION_FEATURES.index(name)])


def test_candidates_are_the_body_sentences_of_the_best_passages(small: Small) -> None:
    extracted = extract(small, "Hoeveel rente betaal je over de Tozo-lening?")
    assert 0 < len(extracted.rows) <= PASSAGES_READ
    assert extracted.sentence.shape == (len(extracted.candidates), len(SENTENCE_FEATURES))
    assert extracted.question.shape == (len(QUESTION_FEATURES),)
    assert {c.hit_rank for c in extracted.candidates} <= set(range(len(extracted.rows)))
    cos = extracted.sentence[:, SENTENCE_FEATURES.index("sentence_cos")]
    np.testing.assert_allclose(cos, extracted.vectors @ extracted.query_vector, atol=1e-6)
    gaps = extracted.sentence[:, SENTENCE_FEATURES.index("sentence_cos_gap")]
    assert gaps.min() == pytest.approx(0.0) and (gaps >= 0).all()


def test_what_the_question_asks_for_and_names(small: Small) -> None:
    asks = extract(small, "Hoeveel rente betaal je over de Tozo-lening?")
    assert feature(asks, "asks_kind") == 1.0
    kinds = asks.sentence[:, SENTENCE_FEATURES.index("answers_kind")]
    assert kinds.max() == 1.0  # "... tegen 2 procent rente" answers a "hoeveel rente"
    future = extract(small, "Welke voorwaarden gelden voor de TVL in 2031?")
    assert feature(future, "missing_year") == 1.0
    edition = extract(small, "Wat krijg ik uit de NOW 7?")
    assert feature(edition, "missing_edition") == 1.0
    assert feature(extract(small, "Wat krijg ik uit de NOW?"), "missing_edition") == 0.0
    sketch = extract(small, "Ik ben fotograaf en alles is afgezegd. Welke steun is er?")
    assert feature(sketch, "situation") == 1.0


def test_kind_and_topic_needs_what_is_asked_in_a_topical_sentence(small: Small) -> None:
    # the sentence that names the lending terms also gives the rate
    rate = extract(small, "Hoeveel rente betaal je over de Tozo-lening?")
    assert feature(rate, "asks_kind") == 1.0 and feature(rate, "kind_and_topic") > 0.4
    # the sentence about the KVK team gives no telephone number, and no other sentence is on it
    phone = extract(small, "Wat is het telefoonnummer van het KVK-adviesteam?")
    assert feature(phone, "asks_kind") == 1.0
    assert feature(phone, "kind_and_topic") < 0.2 < feature(phone, "top_coverage")
    # a question that asks for no kind has none
    assert feature(extract(small, "Wat is de Tozo?"), "kind_and_topic") == 0.0


def test_a_word_found_only_as_a_compound_part_is_half_missing() -> None:
    analyzer = Analyzer.from_texts(["de regeling voor werkkosten en reiskosten"])
    question = "Wat is de werkkostenregeling?"
    weighted = weigh(question, analyzer.query_terms(question), english=False)
    part = frozenset(analyzer.document_terms("de regeling"))
    whole = frozenset(analyzer.document_terms("de werkkostenregeling"))
    assert weighted.missing(whole) == 0.0
    assert weighted.missing(part) == pytest.approx(
        information("werkkostenregeling") * 0.5 / MAX_INFORMATION, rel=0.05
    )


def test_a_compound_is_covered_by_all_its_parts_written_apart() -> None:
    analyzer = Analyzer.from_texts(
        ["U hoeft de uitkering niet terug te betalen. Betalen kan later."]
    )
    question = "Moet ik de uitkering terugbetalen?"
    terms = analyzer.query_terms(question)
    weighted = weigh(question, terms, english=False)
    apart = frozenset(analyzer.document_terms("U hoeft de uitkering niet terug te betalen."))
    one_part = frozenset(analyzer.document_terms("Betalen van de uitkering kan later."))
    whole = frozenset(analyzer.document_terms("De uitkering terugbetalen."))
    assert weighted.coverage(apart) == pytest.approx(weighted.coverage(whole))
    assert weighted.missing(apart) == 0.0
    assert weighted.coverage(one_part) < weighted.coverage(apart)  # "betalen" alone: half
    assert weighted.missing(one_part) > 0.0


def test_adding_unrelated_documents_does_not_change_the_features(tmp_path: Path) -> None:
    """The features of the same question over the same best passages stay the same when the
    corpus grows tenfold with unrelated text: none depends on the corpus size."""
    small_docs = tmp_path / "small"
    shutil.copytree(CORPUS, small_docs)
    large_docs = tmp_path / "large"
    shutil.copytree(CORPUS, large_docs)
    for n in range(40):
        (large_docs / f"ruis-{n:02d}.md").write_text(
            f"# Verslag {n}\n\nDe roeivereniging hield op dinsdag {n} een zeilwedstrijd op het "
            f"meer; de kantine verkocht {n * 3} broodjes kaas en de penningmeester was tevreden.\n",
            encoding="utf-8",
        )
    question = "Hoeveel rente betaal je over de Tozo-lening voor bedrijfskapitaal?"
    found = []
    for docs in (small_docs, large_docs):
        index_dir = tmp_path / f"index-{docs.name}"
        embedder = FakeEmbedder()
        build_index(docs, index_dir, embedder, progress=False)
        index = store.load(index_dir)
        metas = {doc_id: doc.meta for doc_id, doc in index.documents.items()}
        searcher = Searcher(index.passages, metas, index.faiss_index, embedder)
        extractor = make_extractor(index, searcher)
        found.append(extractor.extract(question, question, searcher.retrieve(question)))
    small_run, large_run = found
    assert [c.start for c in small_run.candidates] == [c.start for c in large_run.candidates]
    np.testing.assert_allclose(small_run.sentence, large_run.sentence, atol=1e-6)
    np.testing.assert_allclose(small_run.question, large_run.question, atol=1e-6)


def extracted_from(tmp_path: Path, file: str, text: str, question: str) -> Extracted:
    """Index one document (fake embedder) and return what the extractor reads for `question`."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / file).write_text(text, encoding="utf-8")
    embedder = FakeEmbedder()
    build_index(docs, tmp_path / "index", embedder, progress=False)
    index = store.load(tmp_path / "index")
    metas = {doc_id: doc.meta for doc_id, doc in index.documents.items()}
    searcher = Searcher(index.passages, metas, index.faiss_index, embedder)
    return extract((searcher, make_extractor(index, searcher)), question)


def sentence_flags(
    tmp_path: Path, file: str, text: str, question: str, name: str
) -> dict[str, float]:
    """Index one document (fake embedder) and return each candidate's value of feature `name`
    for `question`, by sentence text."""
    extracted = extracted_from(tmp_path, file, text, question)
    column = extracted.sentence[:, SENTENCE_FEATURES.index(name)]
    return {t: float(v) for t, v in zip(extracted.texts, column, strict=True)}


def eligibility(tmp_path: Path, file: str, text: str, question: str) -> dict[str, bool]:
    """Index one document and return per candidate sentence whether it may be quoted."""
    extracted = extracted_from(tmp_path, file, text, question)
    return dict(zip(extracted.texts, extracted.eligible.tolist(), strict=True))


def test_a_colon_with_nothing_after_it_in_its_passage_is_no_answer(tmp_path: Path) -> None:
    """A page copied without its list: the sentence that announced it says nothing alone."""
    text = (
        "# KKC\n\n## Waar kunt u terecht?\n\nU meldt zich bij uw bank voor een lening. "
        "De volgende banken doen mee aan de regeling:\n\n## Voorwaarden\n\n"
        "U moet voor 2019 al bij KVK zijn ingeschreven. Dit zijn de banken:\n\n"
        "- de eerste bank met een lange naam\n- de tweede bank met een lange naam\n"
    )
    eligible = eligibility(tmp_path, "kkc.md", text, "Welke banken doen mee?")
    assert not eligible["De volgende banken doen mee aan de regeling:"]
    assert eligible["Dit zijn de banken:"]  # its list follows it
    assert eligible["U meldt zich bij uw bank voor een lening."]


def test_a_dateline_is_no_answer(tmp_path: Path) -> None:
    """A page's dateline is its metadata: it does not answer "wanneer" with its date."""
    text = (
        "Innovatiekrediet aflossen\n\nGepubliceerd op: 29 januari 2018\n\n"
        "Na de eindrapportage vraagt u vaststelling aan en begint u met aflossen. "
        "Op 1 maart 2018 opende de regeling voor nieuwe aanvragen.\n"
    )
    eligible = eligibility(tmp_path, "krediet.txt", text, "Wanneer begin ik met aflossen?")
    assert not eligible["Gepubliceerd op: 29 januari 2018"]
    assert eligible["Op 1 maart 2018 opende de regeling voor nieuwe aanvragen."]


def test_sentences_about_the_document_itself_are_marked(tmp_path: Path) -> None:
    text = (
        "Met de bijgevoegde rapportage laat ik zien wat er is bereikt. Hoofdstuk 1 gaat over de "
        "coronacrisis en het mkb. De TVL vergoedt een deel van de vaste lasten van het mkb.\n"
    )
    flags = sentence_flags(tmp_path, "brief.txt", text, "Wat vergoedt de TVL?", "about_document")
    assert flags["De TVL vergoedt een deel van de vaste lasten van het mkb."] == 0.0
    assert flags["Hoofdstuk 1 gaat over de coronacrisis en het mkb."] == 1.0
    assert flags["Met de bijgevoegde rapportage laat ik zien wat er is bereikt."] == 1.0


def test_a_list_item_without_a_full_stop_is_finished_a_table_row_is_not(tmp_path: Path) -> None:
    text = (
        "# NOW\n\nWat u krijgt van UWV:\n\n"
        "- een voorschot van 80% van de verwachte subsidie\n"
        "- de vaststelling achteraf. Daarna een nabetaling of terugvordering\n\n"
        "| Periode | Voorschot |\n|---|---|\n| NOW 3 tijdvak 1 | 80 procent |\n"
    )
    flags = sentence_flags(tmp_path, "now.md", text, "Hoeveel voorschot geeft UWV?", "unfinished")
    assert flags["een voorschot van 80% van de verwachte subsidie"] == 0.0  # its line closes it
    assert flags["Daarna een nabetaling of terugvordering"] == 0.0  # the item's last sentence
    assert flags["NOW 3 tijdvak 1 | 80 procent"] == 1.0  # a table row: no bullet
