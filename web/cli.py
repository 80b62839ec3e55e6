"""The `mkb-assistent` command: one subcommand per task, each defined in its own module."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from assistant.settings import Settings
from web import cli_answer, cli_index, cli_regelingen, cli_serve, cli_staff
from web.log_format import dutch_handler

# argparse's own texts, in Dutch: users see them in every --help and usage error.
_DUTCH = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "the following arguments are required: %s": "deze argumenten ontbreken: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ongeldige keuze: %(value)r (kies uit %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ongeldige waarde voor %(type)s: %(value)r",
    "expected one argument": "verwacht één waarde",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "dubbelzinnige optie: %(option)s past bij %(matches)s"
    ),
}


def _dutch(message: str) -> str:
    return _DUTCH.get(message, message)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand registered."""
    # argparse looks its texts up through the module-level name `_` at call time.
    argparse._ = _dutch  # type: ignore[attr-defined]
    parser = argparse.ArgumentParser(
        prog="mkb-assistent",
        description=(
            "MKB-assistent: beantwoordt vragen van ondernemers uit het MKB-actieplan en de "
            "voortgangsrapportages, met een bron bij elke uitspraak."
        ),
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="toon ook details (logniveau DEBUG)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT")
    cli_index.register(commands)
    cli_answer.register(commands)
    cli_regelingen.register(commands)
    cli_serve.register(commands)
    cli_staff.register(commands)
    return parser


# The packages whose log messages are written for users, in Dutch ("tekst afgekapt na ...").
_OWN_PACKAGES = frozenset({"index", "assistant", "web"})


def _written_for_users(record: logging.LogRecord) -> bool:
    """Whether a log record is shown without --verbose: our own, or an error of any library.

    A library's warnings are English diagnostics for developers (pypdf's "EOF marker not
    found" on a damaged PDF); the command already says in Dutch what came of them ("PDF is
    beschadigd"). --verbose shows them all.
    """
    return record.name.partition(".")[0] in _OWN_PACKAGES or record.levelno >= logging.ERROR


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING, handlers=[dutch_handler()]
    )
    if not verbose:
        for handler in logging.getLogger().handlers:
            handler.addFilter(_written_for_users)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        parser.exit(2, f"mkb-assistent: {exc}\n")
    status: int = args.handler(args, settings)
    return status


if __name__ == "__main__":
    sys.exit(main())
