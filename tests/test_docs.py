"""The README is the front door: its commands and configuration table must stay true."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_has_a_row_in_the_configuration_table() -> None:
    rows = set(re.findall(r"^\| `(ASSISTANT_[A-Z_]+)` \|", README, flags=re.MULTILINE))
    expected = {f"ASSISTANT_{f.name.upper()}" for f in fields(Settings)}
    assert rows == expected


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in README
    assert re.search(r"^make test$", ci, flags=re.MULTILINE)


def test_readme_run_command_builds_and_serves() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make run" in README
    assert re.search(r"^run: install index serve", makefile, flags=re.MULTILINE)
