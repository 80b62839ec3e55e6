"""Check a benchmark corpus's question files against its documents, as the index reads them.

    .venv/bin/python bench/verify_questions.py bench/corpora/<name>      # one corpus
    .venv/bin/python bench/verify_questions.py                            # every corpus

Each document is read with the project's own parser (`index.parse.parse_document`: PDF, HTML,
Markdown, text, after cleaning, de-hyphenation and footnote-marker removal), so a gold quote that
passes here can be found by the scorer in the passages. Per question line it checks:
- the keys (`id`, `question`, `answerable`, `gold`, `answer_keywords`, `type`, optional `missing`),
  unique ids, a known `type`, and `answerable` consistent with `type`;
- answerable questions have gold entries and answer keywords; unanswerable ones have neither
  and may say in `missing` what the documents do not give (amount, deadline, ...);
- every gold `doc` exists and every `quote` (20-200 characters) occurs exactly in the parsed text
  (whitespace collapsed), inside one paragraph;
- every answer keyword ("a|b" = either) occurs in one of the gold quotes' sentences or documents;
- the question does not copy 7 or more consecutive words from a document (a warning).
Exit status 1 on any error.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.parse import list_documents, parse_document  # noqa: E402
from index.types import DocumentError, ParsedDocument  # noqa: E402

CORPORA = ROOT / "bench" / "corpora"
TYPES = frozenset(
    "situation keyword factual-number date-compare multi-passage english typo definition "
    "unanswerable".split()
)
MISSING = frozenset("amount deadline edition condition year other".split())
KEYS = frozenset("id question answerable gold answer_keywords type".split())
OPTIONAL = frozenset({"missing"})
NGRAM = 7


def collapse(text: str) -> str:
    """Return `text` with runs of whitespace as one space."""
    return re.sub(r"\s+", " ", text).strip()


def _numnorm(text: str) -> str:
    return re.sub(r"(?<=\d)[.,\s](?=\d)", "", collapse(text).lower())


def load_documents(corpus: Path) -> dict[str, ParsedDocument]:
    """Return the corpus's documents by file name, parsed as the index parses them."""
    folder = corpus / "documents"
    out: dict[str, ParsedDocument] = {}
    for path in list_documents(folder):
        try:
            doc = parse_document(path, folder)
        except DocumentError as exc:
            print(f"ERROR {path}: {exc.reason}")
            continue
        out[path.name] = doc
    return out


def _paragraph_of(doc: ParsedDocument, quote: str) -> str | None:
    """Return the block (paragraph, list, table) that holds `quote`, or None."""
    for block in doc.blocks:
        text = collapse(doc.text[block.start : block.end])
        if quote in text:
            return text
    return None


def check_file(path: Path, docs: dict[str, ParsedDocument], ids: set[str]) -> tuple[int, int]:
    """Check one question file; return (errors, warnings)."""
    errors = warnings = 0
    texts = {name: collapse(doc.text) for name, doc in docs.items()}
    ngrams = set()
    for text in texts.values():
        w = re.findall(r"\w+", text.lower())
        ngrams.update(tuple(w[i : i + NGRAM]) for i in range(len(w) - NGRAM + 1))
    counts: Counter[str] = Counter()
    missing: Counter[str] = Counter()

    def error(qid: object, message: str) -> None:
        nonlocal errors
        errors += 1
        print(f"ERROR {path.name}:{qid}: {message}")

    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for number, line in enumerate(lines, 1):
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            error(f"line {number}", f"invalid JSON: {exc}")
            continue
        qid = rec.get("id", f"line {number}")
        keys = set(rec)
        if not KEYS <= keys or keys - KEYS - OPTIONAL:
            error(qid, f"keys {sorted(keys)}")
        if qid in ids:
            error(qid, "duplicate id")
        ids.add(qid)
        kind = rec.get("type")
        counts[kind] += 1
        if kind not in TYPES:
            error(qid, f"unknown type {kind!r}")
        gold = rec.get("gold") or []
        keywords = rec.get("answer_keywords") or []
        if rec.get("answerable") != (kind != "unanswerable"):
            error(qid, "answerable flag does not match the type")
        if kind == "unanswerable":
            missing[rec.get("missing", "?")] += 1
            if gold or keywords:
                error(qid, "an unanswerable question has gold quotes or keywords")
            if rec.get("missing", "other") not in MISSING:
                error(qid, f"missing must be one of {sorted(MISSING)}")
        else:
            if not gold:
                error(qid, "an answerable question without gold")
            if not keywords:
                error(qid, "an answerable question without answer_keywords")
        if kind == "multi-passage" and len(gold) < 2:
            error(qid, "multi-passage needs two gold entries or more")
        found_text = ""
        for entry in gold:
            doc, quote = entry.get("doc"), collapse(entry.get("quote", ""))
            if doc not in docs:
                error(qid, f"unknown document {doc!r}")
                continue
            if not 20 <= len(quote) <= 200:
                error(qid, f"quote of {len(quote)} characters: {quote!r}")
            if quote not in texts[doc]:
                how = "case-insensitively only" if quote.lower() in texts[doc].lower() else "not"
                error(qid, f"quote found {how} in the parsed text of {doc}: {quote!r}")
                continue
            paragraph = _paragraph_of(docs[doc], quote)
            if paragraph is None:
                error(qid, f"quote crosses a paragraph boundary in {doc}: {quote!r}")
                continue
            found_text += " " + paragraph
        for keyword in keywords:
            alternatives = [_numnorm(a) for a in keyword.split("|")]
            if found_text and not any(a in _numnorm(found_text) for a in alternatives):
                error(qid, f"keyword {keyword!r} is in none of the gold paragraphs")
        words = re.findall(r"\w+", str(rec.get("question", "")).lower())
        for i in range(len(words) - NGRAM + 1):
            if tuple(words[i : i + NGRAM]) in ngrams:
                warnings += 1
                print(f"WARN  {path.name}:{qid}: copies {' '.join(words[i : i + NGRAM])!r}")
                break
    unanswerable = counts["unanswerable"]
    total = sum(counts.values())
    print(
        f"{path}: {total} questions, {unanswerable} unanswerable "
        f"({unanswerable / max(1, total):.0%}); "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )
    if missing:
        print("    missing: " + ", ".join(f"{k} {v}" for k, v in sorted(missing.items())))
    return errors, warnings


def check_corpus(corpus: Path) -> int:
    """Check every question file of a corpus; return the number of errors."""
    docs = load_documents(corpus)
    print(f"== {corpus.name}: {len(docs)} documents")
    errors = 0
    ids: set[str] = set()
    for path in sorted((corpus / "questions").glob("*.jsonl")):
        found, _ = check_file(path, docs, ids)
        errors += found
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", type=Path, help="corpus folders (default: all)")
    args = parser.parse_args()
    corpora = args.corpora or sorted(p for p in CORPORA.iterdir() if (p / "documents").is_dir())
    errors = sum(check_corpus(corpus) for corpus in corpora)
    print("OK" if not errors else f"{errors} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
