"""The `mkb-assistent ask` and `eval` subcommands: answer questions, score a question set."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.assistant import Assistant
from assistant.benchmark import METHODS, evaluate
from assistant.errors import AssistantError
from assistant.evaluate import KS, Report, parse_questions
from assistant.serialize import answer_to_dict
from assistant.settings import Settings
from assistant.types import UNCERTAIN_TEXT, Answer
from index import oserrors, store
from index.embed import EmbedderError, load_embedder
from web.cli_types import calendar_year

_METHOD_NAMES = {"hybride": "hybride (ons)", "bm25": "alleen BM25", "dense": "alleen dense"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `ask` and `eval` subcommands."""
    ask = subparsers.add_parser(
        "ask",
        help="stel een vraag en krijg een antwoord met bronnen",
        description=(
            "Beantwoordt een vraag uit de geïndexeerde documenten, met een genummerde bron bij "
            "elke zin. Met --json worden vragen van standaardinvoer gelezen (één per regel) en "
            "komt er per vraag één JSON-object per regel terug."
        ),
    )
    ask.add_argument(
        "question", nargs="?", metavar="VRAAG", help="de vraag (tussen aanhalingstekens)"
    )
    _index_dir_option(ask)
    ask.add_argument("--document", metavar="BESTAND", help="zoek alleen in dit document")
    ask.add_argument(
        "--jaar", type=calendar_year, metavar="JAAR", help="zoek alleen in documenten uit dit jaar"
    )
    ask.add_argument(
        "--json", action="store_true", help="lees vragen van standaardinvoer, schrijf JSON-regels"
    )
    ask.set_defaults(handler=run_ask)

    evaluate_parser = subparsers.add_parser(
        "eval",
        help="meet de kwaliteit op een vragenset",
        description=(
            "Stelt alle vragen uit een JSONL-vragenset (formaat: bench/corpora/README.md) en meet "
            "recall@1/3/5/10, MRR@10, trefwoorden in het antwoord, terecht en onterecht "
            "niet-weten en de antwoordtijd, ook per vraagtype; ter vergelijking ook voor BM25 "
            "alleen en dense alleen op dezelfde index."
        ),
    )
    evaluate_parser.add_argument(
        "questions", type=Path, metavar="VRAGEN.jsonl", help="de vragenset"
    )
    _index_dir_option(evaluate_parser)
    evaluate_parser.add_argument("--json", action="store_true", help="schrijf de scores als JSON")
    evaluate_parser.set_defaults(handler=run_eval)


def _index_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--index-dir",
        type=Path,
        metavar="MAP",
        help="map van de index (standaard: ASSISTANT_INDEX_DIR of var/index)",
    )


def load_assistant(args: argparse.Namespace, settings: Settings) -> Assistant:
    """Load the embedder and the current index; raise EmbedderError / IndexStoreError."""
    embedder = load_embedder(settings.embedder, settings.threads)
    index = store.load(args.index_dir or settings.index_dir, embedder.model_id)
    return Assistant(
        index, embedder, top_k=settings.top_k, max_question_chars=settings.max_question_chars
    )


def _fail(command: str, message: str) -> int:
    sys.stderr.write(f"mkb-assistent {command}: {message}\n")
    return 2


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer one question (text) or stdin questions (JSON lines); return the exit status."""
    if not args.json and not args.question:
        return _fail("ask", "geef een vraag op, of gebruik --json en lees vragen van invoer.")
    try:
        assistant = load_assistant(args, settings)
    except (EmbedderError, store.IndexStoreError) as exc:
        return _fail("ask", str(exc))
    if args.json:
        lines = [args.question] if args.question else (line.lstrip("\ufeff") for line in sys.stdin)
        return _ask_json(assistant, lines, args)
    try:
        answer = assistant.ask(args.question, document=args.document, year=args.jaar)
    except AssistantError as exc:
        return _fail("ask", exc.message)
    sys.stdout.write(format_answer(answer))
    if answer.abstained and (args.document or args.jaar is not None):
        searched = [f"document {args.document}"] if args.document else []
        searched += [f"documenten uit {args.jaar}"] if args.jaar is not None else []
        sys.stdout.write(
            f"Gezocht is alleen in: {' en '.join(searched)} (--document/--jaar); "
            "zonder filter vindt de assistent misschien wel iets.\n"
        )
    return 0


def _ask_json(assistant: Assistant, lines: Iterable[str], args: argparse.Namespace) -> int:
    status = 0
    for line in lines:
        question = line.strip()
        if not question:
            continue
        record: dict[str, Any]
        try:
            answer = assistant.ask(question, document=args.document, year=args.jaar)
            record = answer_to_dict(answer)
        except AssistantError as exc:
            record, status = {"question": question, "error": exc.message}, 1
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return status


def format_answer(answer: Answer) -> str:
    """Return the answer and its numbered sources as readable text."""
    lines = [*([UNCERTAIN_TEXT] if answer.uncertain else []), answer.text, ""]
    if answer.abstained:
        if answer.suggestions:
            lines.append("Wat de documenten wel behandelen en er het dichtst bij ligt:")
            lines.extend(f"  - {topic}" for topic in answer.suggestions)
        return "\n".join(lines) + "\n"
    lines.append("Bronnen:")
    for citation in answer.citations:
        meta, passage = citation.document, citation.passage
        pages = f"{passage.page_start}" + (
            f"–{passage.page_end}" if passage.page_end != passage.page_start else ""
        )
        lines.append(f"[{citation.n}] {meta.title} ({dutch_date(meta.date)})")
        lines.append(f"    document: {passage.doc_id}, pagina {pages}")
        if passage.section_path:
            lines.append(f"    paragraaf: {passage.section_path}")
        lines.extend(f"    | {text_line}" for text_line in passage.text.splitlines() if text_line)
        lines.append("")
    return "\n".join(lines)


_MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()


def dutch_date(iso: str | None) -> str:
    """Return "2020-11-16" as "16 november 2020" (or say that the date is unknown)."""
    if not iso:
        return "datum onbekend"
    try:
        year, month, day = (int(part) for part in iso.split("-"))
        return f"{day} {_MONTHS[month - 1]} {year}"
    except (ValueError, IndexError):
        return iso


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Score a question set with the assistant and the two baselines."""
    try:
        # utf-8-sig: a file saved by Windows Notepad starts with a byte-order mark
        questions = parse_questions(args.questions.read_text(encoding="utf-8-sig").splitlines())
    except OSError as exc:
        return _fail(
            "eval", f"kan {args.questions} niet lezen: {oserrors.describe(exc, reading=True)}."
        )
    except ValueError as exc:
        return _fail("eval", f"{args.questions}: {exc}.")
    if not questions:
        return _fail("eval", f"{args.questions} bevat geen vragen (één JSON-object per regel).")
    try:
        assistant = load_assistant(args, settings)
    except (EmbedderError, store.IndexStoreError) as exc:
        return _fail("eval", str(exc))
    missing = sorted({g.doc for q in questions for g in q.gold} - set(assistant.searcher.documents))
    if missing:
        sys.stderr.write(
            f"mkb-assistent eval: let op: {len(missing)} document(en) uit de gouden antwoorden "
            f"staan niet in de index ({', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''}"
            "); hun vragen tellen als niet gevonden.\n"
        )
    reports = evaluate(assistant, questions)
    if args.json:
        data = {method: reports[method].to_dict() for method in METHODS}
        data["index_version"] = assistant.index_version  # type: ignore[assignment]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_reports(reports, assistant.index_version, args.questions.name))
    return 0


def _num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def format_reports(reports: dict[str, Report], version: str, name: str) -> str:
    """Return the evaluation as Dutch text tables: methods, answers, per question type."""
    ours = reports["hybride"]
    lines = [
        f"Evaluatie van {name}: {ours.questions} vragen ({ours.answerable} beantwoordbaar, "
        f"{ours.unanswerable} onbeantwoordbaar), index {version}",
        "",
        f"{'Methode':<16}" + "".join(f"{f'recall@{k}':>11}" for k in KS) + f"{'MRR@10':>9}",
    ]
    for method in METHODS:
        report = reports[method]
        lines.append(
            f"{_METHOD_NAMES[method]:<16}"
            + "".join(f"{_num(report.recall[k]):>11}" for k in KS)
            + f"{_num(report.mrr):>9}"
        )
    lines += [
        "",
        "Antwoorden (hybride)",
        f"  trefwoorden in antwoord correct   {_num(ours.keyword_accuracy)}",
        f"  terecht niet-weten (onbeantw.)    {_num(ours.abstention)}",
        f"  onterecht niet-weten (beantw.)    {_num(ours.false_abstention)}",
        f"  antwoordtijd p50 / p95            {_num(ours.latency_p50_ms, 1)} ms / "
        f"{_num(ours.latency_p95_ms, 1)} ms",
        "",
        f"{'Vraagtype':<16}{'aantal':>7}{'recall@1':>10}{'recall@5':>10}{'MRR@10':>9}"
        f"{'trefw.':>8}{'niet-weten':>12}",
    ]
    for kind, row in ours.by_type.items():
        lines.append(
            f"{kind:<16}{row['questions']:>7}{_num(row['recall@1'], 2):>10}"
            f"{_num(row['recall@5'], 2):>10}{_num(row['mrr'], 2):>9}"
            f"{_num(row['keyword_accuracy'], 2):>8}{_num(row['abstention'], 2):>12}"
        )
    lines.append("(niet-weten: bij onbeantwoordbare vragen terecht, bij de andere onterecht)")
    return "\n".join(lines) + "\n"
