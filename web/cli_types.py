"""Argument types shared by the subcommands, with their errors in Dutch."""

from __future__ import annotations

import argparse


def positive_int(raw: str) -> int:
    """Return `raw` as a whole number of 1 or more, or raise argparse's error in Dutch."""
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{raw!r} is geen geheel getal van 1 of meer")
    return value
