"""The `mkb-assistent` command: one subcommand per task, each defined in its own module."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from assistant.settings import Settings
from web import cli_answer, cli_index, cli_serve


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand registered."""
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
    cli_serve.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        parser.exit(2, f"mkb-assistent: {exc}\n")
    status: int = args.handler(args, settings)
    return status


if __name__ == "__main__":
    sys.exit(main())
