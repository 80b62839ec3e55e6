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


def calendar_year(raw: str) -> int:
    """Return `raw` as a year (a whole number of 1 or more), or raise argparse's error in Dutch.

    argparse would otherwise name the converting function in its message ("ongeldige waarde
    voor int"), which says nothing to a user.
    """
    try:
        return positive_int(raw)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"{raw!r} is geen jaartal (bijvoorbeeld 2020)") from None


MAX_PORT = 65535


def port(raw: str) -> int:
    """Return `raw` as a TCP port (1-65535), or raise argparse's error in Dutch."""
    value = positive_int(raw)
    if value > MAX_PORT:
        raise argparse.ArgumentTypeError(f"{raw!r} is geen poortnummer (1 tot en met {MAX_PORT})")
    return value
