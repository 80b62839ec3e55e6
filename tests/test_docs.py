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


def test_readme_records_the_model_limits_and_the_request_bounds() -> None:
    from assistant.answer import MAX_ANSWER_CHARS
    from index.embed import E5_MAX_TOKENS
    from index.token_budget import QUERY_TOKENS
    from web.conversations import HISTORY_TURNS
    from web.feedback import FEEDBACK_BURST, FEEDBACK_INTERVAL_SECONDS

    assert f"reads at most **{E5_MAX_TOKENS} tokens**" in README
    assert f"only the last **{QUERY_TOKENS} tokens**" in README
    assert f"at most {HISTORY_TURNS} earlier turns" in README
    assert f"each answer at most {MAX_ANSWER_CHARS:,} characters" in README
    assert f"rate {FEEDBACK_BURST} answers at once" in README
    assert f"then one per {FEEDBACK_INTERVAL_SECONDS:.0f} seconds" in README


def test_readme_explains_the_serving_settings_and_the_proxy_in_front() -> None:
    from web.server import LIMIT_CONCURRENCY, READ_TIMEOUT, TIMEOUT_KEEP_ALIVE

    section = README.split("## Behind a reverse proxy")[1].split("\n## ")[0]
    assert f"arrive within {READ_TIMEOUT:.0f} s" in section
    assert f"close after {TIMEOUT_KEEP_ALIVE} s (`timeout_keep_alive`)" in section
    assert f"beyond {LIMIT_CONCURRENCY} connections" in section
    for directive in ("client_header_timeout", "client_body_timeout", "proxy_set_header Host"):
        assert directive in section
