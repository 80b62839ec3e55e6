"""The `mkb-assistent` command speaks Dutch, also in argparse's own help and errors."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from web.cli import build_parser, main

COMMANDS = [
    [],
    ["index"],
    ["ask"],
    ["eval"],
    ["regelingen"],
    ["serve"],
    ["feedback"],
    ["add"],
    ["remove"],
    ["documents"],
    ["beheer"],
    ["beheer", "wachtwoord"],
]


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Yield `parser` and every (nested) subcommand's parser."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_dutch_help(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([*command, "--help"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("gebruik: mkb-assistent")
    assert "toon deze hulp en stop" in out
    assert "show this help" not in out


def test_unknown_option_is_refused_in_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["index", "--onzin"])
    assert stopped.value.code == 2
    assert "fout: onbekende argumenten: --onzin" in capsys.readouterr().err


def test_bad_setting_is_named_in_dutch(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSISTANT_TOP_K", "veel")
    with pytest.raises(SystemExit) as stopped:
        main(["ask", "Wat is de Tozo?"])
    assert stopped.value.code == 2
    assert "ASSISTANT_TOP_K heeft waarde 'veel'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("command", "variables"),
    [
        (["index"], ["ASSISTANT_DOCUMENTS_DIR", "ASSISTANT_INDEX_DIR"]),
        (["serve"], ["ASSISTANT_DOCUMENTS_DIR", "ASSISTANT_INDEX_DIR"]),
        (["add"], ["ASSISTANT_DOCUMENTS_DIR", "ASSISTANT_INDEX_DIR"]),
        (["remove"], ["ASSISTANT_DOCUMENTS_DIR", "ASSISTANT_INDEX_DIR"]),
        (["documents"], ["ASSISTANT_DOCUMENTS_DIR", "ASSISTANT_INDEX_DIR"]),
        (["feedback"], ["ASSISTANT_FEEDBACK_DB"]),
    ],
)
def test_help_names_the_setting_behind_each_default_folder(
    command: list[str], variables: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps the help text
    assert all(variable in out for variable in variables), out


def test_every_option_value_has_a_dutch_placeholder() -> None:
    """Without a metavar argparse shows the option's English dest in capitals in the usage
    and help ("--index-dir INDEX_DIR"); a list of choices shows itself."""
    unnamed = [
        f"{parser.prog} {action.option_strings[-1]}"
        for parser in _parsers(build_parser())
        for action in parser._actions
        if action.option_strings
        and action.nargs != 0
        and action.metavar is None
        and action.choices is None
    ]
    assert unnamed == []


def test_log_lines_name_their_level_in_dutch(tmp_path: Path) -> None:
    """The real command in its own process: pytest's own log handlers would keep the CLI's
    logging set-up from running here."""
    (tmp_path / "notitie.txt").write_text("Tekst over de Tozo.\n", encoding="utf-8")
    (tmp_path / "notitie.txt.toml").write_text('onzin = "x"\n', encoding="utf-8")
    command = [sys.executable, "-m", "web.cli", "documents", "--documents", str(tmp_path)]
    command += ["--index-dir", str(tmp_path / "index")]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert done.stderr.startswith("waarschuwing index.metadata: notitie.txt.toml: onbekend")
    assert "WARNING" not in done.stderr
