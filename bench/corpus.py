"""The benchmark corpora: find them, index them, and turn their questions into labelled data.

Used by `bench/train.py` (fitting the answer model) and `bench/evaluate.py` (in-corpus and
leave-one-corpus-out figures). A corpus is a folder of `bench/corpora/` with `documents/` and
`questions/*.jsonl` (see `bench/corpora/README.md`). Each is indexed once into
`var/bench/<embedder>/<corpus>` and updated incrementally after that.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.assistant import make_extractor  # noqa: E402
from assistant.evaluate import Gold, Question, parse_questions  # noqa: E402
from assistant.features import Extracted, FeatureExtractor  # noqa: E402
from assistant.search import FusionWeights, Retrieval, Searcher  # noqa: E402
from index import store  # noqa: E402
from index.build import build_index  # noqa: E402
from index.cache import safe_model_dir  # noqa: E402
from index.embed import Embedder  # noqa: E402
from index.store import LoadedIndex  # noqa: E402

CORPORA = ROOT / "bench" / "corpora"
INDEXES = ROOT / "var" / "bench"
# Question types whose every gold entry is needed (the others list alternatives).
ALL_NEEDED = frozenset({"date-compare", "multi-passage"})
# A corpus's questions on subjects none of its documents treat: `offtopic.jsonl`, and for the
# fitting corpora `offtopic-2.jsonl` by later writers (held-out ones are `heldout-off.jsonl`).
OFF_TOPIC_FILES = "offtopic*.jsonl"
# Question files whose name starts with this hold held-out questions: never fitted on (not in
# `Corpus.questions`), only answered by the shipped model in `bench/evaluate.py`. They stand for
# the questions users will ask about documents the model was fitted on.
HELD_OUT_PREFIX = "heldout"
MIN_OVERLAP = 0.5  # a sentence holds a gold quote when they share half of the shorter one


@dataclass(frozen=True)
class Corpus:
    """A benchmark corpus folder."""

    name: str
    folder: Path

    @property
    def documents(self) -> Path:
        return self.folder / "documents"

    def questions(self) -> list[Question]:
        """Return the questions a fit may use: every file in `questions/` but the held-out ones
        (`HELD_OUT_PREFIX`), in file and line order."""
        return self._read(held_out=False)

    def held_out(self) -> list[Question]:
        """Return the held-out questions (`questions/heldout*.jsonl`), never fitted on."""
        return self._read(held_out=True)

    def _read(self, *, held_out: bool) -> list[Question]:
        out: list[Question] = []
        for path in sorted((self.folder / "questions").glob("*.jsonl")):
            if path.name.startswith(HELD_OUT_PREFIX) == held_out:
                out.extend(parse_questions(path.read_text(encoding="utf-8").splitlines()))
        return out

    def off_topic(self) -> list[Question]:
        """Return the off-topic questions a fit may use (`OFF_TOPIC_FILES`), in file order."""
        paths = sorted((self.folder / "questions").glob(OFF_TOPIC_FILES))
        return [q for path in paths for q in self.questions_in(path.name)]

    def questions_in(self, file_name: str) -> list[Question]:
        """Return the questions of `questions/<file_name>` (none when it is absent)."""
        path = self.folder / "questions" / file_name
        if not path.exists():
            return []
        return parse_questions(path.read_text(encoding="utf-8").splitlines())


@dataclass(frozen=True)
class Sample:
    """One question of a corpus with its features and labels."""

    corpus: str
    question: Question
    extracted: Extracted
    labels: npt.NDArray[np.bool_]  # per candidate: holds a gold quote
    groups: tuple[frozenset[int], ...]  # per needed gold group: the candidates that hold it
    retrieval: Retrieval
    sources: tuple[str, ...]  # the document of each passage read (extracted.rows)


# Corpora no choice is ever fitted on: `bench/train.py` leaves them out unless named, and
# `bench/evaluate.py` reports them with models fitted on the others only. `gemeente` (municipal
# pages on subjects the other corpora never mention) stands for the reports staff will add: the
# figure on it says how the assistant does on documents and topics nothing was tuned to.
# `kamerbrief` (six stand-in letters to parliament in the shipped letter's layout) does the same
# for the genre of the shipped letter; fitted on, it moved the letter's headline question ("Wanneer
# heeft de staatssecretaris het MKB-actieplan naar de Tweede Kamer gestuurd?") below the
# threshold, mostly through the question's vector (docs/answer-model-history.md, "Since commit
# 8dc3040").
TEST_ONLY = frozenset({"gemeente", "kamerbrief"})


def for_fitting(corpora: Sequence[Corpus]) -> list[Corpus]:
    """Return the corpora of `corpora` that a fit may use (all but TEST_ONLY)."""
    return [c for c in corpora if c.name not in TEST_ONLY]


def discover(root: Path = CORPORA, names: Sequence[str] = ()) -> list[Corpus]:
    """Return the corpora under `root` (those named in `names`, when given), sorted by name."""
    found = [
        Corpus(p.name, p)
        for p in sorted(root.iterdir())
        if (p / "documents").is_dir() and (p / "questions").is_dir()
    ]
    if names:
        unknown = set(names) - {c.name for c in found}
        if unknown:
            raise SystemExit(f"unknown corpus: {', '.join(sorted(unknown))}")
        found = [c for c in found if c.name in names]
    return found


def index_dir_for(corpus: Corpus, model_id: str, root: Path = INDEXES) -> Path:
    """Return the folder of the corpus's index for the model `model_id`."""
    return root / safe_model_dir(model_id) / corpus.name


def index_for(corpus: Corpus, embedder: Embedder, root: Path = INDEXES) -> LoadedIndex:
    """Build (or update) the corpus's index and load it."""
    index_dir = index_dir_for(corpus, embedder.model_id, root)
    build_index(corpus.documents, index_dir, embedder, progress=False)
    return store.load(index_dir, embedder.model_id)


def searcher_for(
    index: LoadedIndex, embedder: Embedder, weights: FusionWeights | None = None
) -> tuple[Searcher, FeatureExtractor]:
    """Return the searcher and feature extractor the assistant would use on `index`."""
    searcher = Searcher.of_index(index, embedder, weights)
    return searcher, make_extractor(index, searcher)


def collapse(text: str) -> str:
    """Return `text` lower-cased with runs of whitespace as one space."""
    return re.sub(r"\s+", " ", text).strip().lower()


def _collapsed_with_offsets(text: str) -> tuple[str, list[int]]:
    """Return `collapse(text)` and, per character of it, its offset in `text`."""
    out: list[str] = []
    offsets: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            space = bool(out)
            continue
        if space:
            out.append(" ")
            offsets.append(i - 1)
            space = False
        out.append(ch.lower())
        offsets.append(i)
    return "".join(out), offsets


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Return the (start, end) spans of `quote` in `text`, whitespace- and case-insensitive."""
    flat, offsets = _collapsed_with_offsets(text)
    needle = collapse(quote)
    spans = []
    start = flat.find(needle)
    while needle and start >= 0:
        spans.append((offsets[start], offsets[start + len(needle) - 1] + 1))
        start = flat.find(needle, start + 1)
    return spans


def overlaps(span: tuple[int, int], other: tuple[int, int]) -> bool:
    """Return whether two spans share at least MIN_OVERLAP of the shorter one."""
    shared = min(span[1], other[1]) - max(span[0], other[0])
    shorter = min(span[1] - span[0], other[1] - other[0])
    return shorter > 0 and shared >= MIN_OVERLAP * shorter


def label(
    question: Question, extracted: Extracted, index: LoadedIndex, rows: Sequence[int]
) -> tuple[npt.NDArray[np.bool_], tuple[frozenset[int], ...]]:
    """Return per candidate whether it holds a gold quote, and the candidates per gold group."""
    per_gold: list[set[int]] = [set() for _ in question.gold]
    for i, c in enumerate(extracted.candidates):
        passage = index.passages[rows[c.hit_rank]]
        for g, gold in enumerate(question.gold):
            if Path(gold.doc).name != Path(passage.doc_id).name:
                continue
            if any(overlaps((c.start, c.end), s) for s in quote_spans(passage.text, gold.quote)):
                per_gold[g].add(i)
    labels = np.zeros(len(extracted.candidates), dtype=np.bool_)
    for found in per_gold:
        labels[list(found)] = True
    if question.type in ALL_NEEDED:
        groups = tuple(frozenset(found) for found in per_gold)
    else:
        groups = (frozenset(i for found in per_gold for i in found),) if question.gold else ()
    return labels, groups


def collect(
    corpus: Corpus,
    index: LoadedIndex,
    embedder: Embedder,
    questions: Sequence[Question] | None = None,
) -> list[Sample]:
    """Return the labelled samples of `questions` (default: every question a fit may use) of
    `corpus`."""
    searcher, extractor = searcher_for(index, embedder)
    samples = []
    for question in corpus.questions() if questions is None else questions:
        retrieval = searcher.retrieve(question.question)
        extracted = extractor.extract(question.question, question.question, retrieval)
        labels, groups = label(question, extracted, index, extracted.rows)
        sources = tuple(index.passages[r].doc_id for r in extracted.rows)
        samples.append(Sample(corpus.name, question, extracted, labels, groups, retrieval, sources))
    return samples


def gold_of(samples: Sequence[Sample]) -> dict[str, tuple[Gold, ...]]:
    """Return the gold entries by question id."""
    return {s.question.id: s.question.gold for s in samples}
