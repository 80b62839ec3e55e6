"""Bring a file into the staging folder: copy a local file or download a URL, within the caps.

Shared by `mkb-assistent add` and the staff page's URL field; uploads stream in through
`web.staff_upload`. Everything here raises IntakeError with a Dutch reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.settings import Settings
from index.addresses import UrlPolicy, UrlRefused
from index.download import (
    CHUNK_BYTES,
    DownloadError,
    Limits,
    Resolver,
    download,
    megabytes,
    system_resolver,
)
from index.intake import Incoming, IntakeError

STAGED_NAME = "binnenkomend"


@dataclass(frozen=True)
class Fetcher:
    """How URLs are fetched: the caps and the address policy (tests inject a resolver)."""

    limits: Limits
    policy: UrlPolicy
    resolver: Resolver = system_resolver

    @classmethod
    def from_settings(cls, settings: Settings, *, allow_private: bool = False) -> Fetcher:
        """Return the fetcher `settings` describe (`allow_private` lifts the address check)."""
        return cls(
            Limits(settings.max_document_bytes, float(settings.download_timeout)),
            UrlPolicy(allow_private=allow_private or settings.allow_private_urls),
        )

    def fetch(self, url: str, folder: Path) -> Incoming:
        """Download `url` into `folder`; raise IntakeError."""
        try:
            got = download(url, folder / STAGED_NAME, self.limits, self.policy, self.resolver)
        except (DownloadError, UrlRefused) as exc:
            raise IntakeError(exc.reason) from None
        return Incoming(
            got.path, got.name or "document", source_url=url, content_type=got.content_type
        )


def is_url(text: str) -> bool:
    """Tell whether a PATH_OR_URL argument is a URL (anything with a scheme)."""
    return "://" in text


def copy_local(source: Path, folder: Path, max_bytes: int) -> Incoming:
    """Copy a local file into `folder`, refusing one over `max_bytes`; raise IntakeError."""
    try:
        if not source.is_file():
            raise IntakeError(f"{source} bestaat niet of is geen bestand.")
        if source.stat().st_size > max_bytes:
            raise IntakeError(f"Het document is groter dan {megabytes(max_bytes)}.")
        target = folder / STAGED_NAME
        copied = 0
        with source.open("rb") as src, target.open("xb") as out:
            while chunk := src.read(CHUNK_BYTES):
                copied += len(chunk)
                if copied > max_bytes:  # it grew while we copied
                    raise IntakeError(f"Het document is groter dan {megabytes(max_bytes)}.")
                out.write(chunk)
    except OSError as exc:
        raise IntakeError(f"{source} kan niet worden gelezen ({exc.strerror}).") from None
    return Incoming(target, source.name)
