"""Download a document over http(s) into a file, within a size cap, a deadline and 5 redirects.

Every hop (the first URL and each redirect) is checked by `index.addresses`: the name is
resolved once, every address it resolves to must be allowed, and the connection then goes to
that checked address (the Host header and TLS certificate still name the host), so a DNS answer
that changes between the check and the connection (DNS rebinding) cannot reach an internal
address. The body is streamed to disk and cut off as soon as it passes the cap or the deadline;
a refused or failed download leaves no file behind.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import logging
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from index.addresses import (
    IPAddress,
    Target,
    UrlPolicy,
    UrlRefused,
    check_address,
    parse_target,
)

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
CHUNK_BYTES = 64 * 1024
REDIRECTS = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "MKB-assistent (documenten ophalen voor de beheerder)"
ACCEPT = "application/pdf, text/html, text/markdown, text/plain;q=0.9, */*;q=0.1"

Resolver = Callable[[str, int], Sequence[IPAddress]]


class DownloadError(Exception):
    """A download that failed or was refused; `reason` is a Dutch sentence for users."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TooLarge(DownloadError):
    """The document is larger than the cap."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How much a download may take: bytes, seconds in all, and redirects."""

    max_bytes: int
    timeout: float
    max_redirects: int = MAX_REDIRECTS


@dataclass(frozen=True, slots=True)
class Downloaded:
    """A document fetched into `path`."""

    path: Path
    url: str  # the URL asked for (kept as source_url)
    final_url: str  # after redirects
    name: str  # file name the server suggests (Content-Disposition or the URL's last segment)
    content_type: str  # media type only, lower case; "" when not given
    size: int
    sha256: str


def system_resolver(host: str, port: int) -> list[IPAddress]:
    """Return every address `host` resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise DownloadError(f"De server {host} is niet gevonden.") from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def too_large(max_bytes: int) -> TooLarge:
    """Return the refusal of a document over `max_bytes`."""
    return TooLarge(f"Het document is groter dan {megabytes(max_bytes)}.")


def megabytes(count: int) -> str:
    """Return a byte count as Dutch megabytes: "100 MB", "0,5 MB"."""
    value = count / (1024 * 1024)
    text = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
    return f"{text.replace('.', ',')} MB"


def download(
    url: str,
    target: Path,
    limits: Limits,
    policy: UrlPolicy,
    resolver: Resolver = system_resolver,
) -> Downloaded:
    """Fetch `url` into the new file `target`; raise DownloadError (or UrlRefused)."""
    deadline = time.monotonic() + limits.timeout
    current = url
    for hop in range(limits.max_redirects + 1):
        try:
            checked = parse_target(current)
            connection = _connect(checked, policy, resolver, deadline, limits.timeout)
        except UrlRefused as exc:
            if hop == 0:
                raise
            # say where the refused address came from: the URL given was a public one
            raise UrlRefused(f"De server stuurt door naar {current}. {exc.reason}") from None
        response: http.client.HTTPResponse | None = None
        try:
            response = _get(connection, checked, deadline, limits.timeout)
            if response.status in REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise DownloadError("De server stuurt door zonder te zeggen waarheen.")
                current = urljoin(current, location.strip())
                continue
            if response.status != 200:
                raise DownloadError(
                    f"De server antwoordde met status {response.status} in plaats van het document."
                )
            return _save(response, connection, url, current, target, limits, deadline)
        finally:
            if response is not None:
                response.close()
            connection.close()
    raise DownloadError(
        f"Meer dan {limits.max_redirects} doorverwijzingen; het document is niet gehaald."
    )


def _connect(
    checked: Target, policy: UrlPolicy, resolver: Resolver, deadline: float, timeout: float
) -> http.client.HTTPConnection:
    addresses = list(resolver(checked.host, checked.port))
    if not addresses:
        raise DownloadError(f"De server {checked.host} is niet gevonden.")
    for address in addresses:  # every one: the connection may not pick the allowed one
        check_address(address, checked.port, checked.host, policy)
    remaining = _remaining(deadline, timeout)
    if checked.scheme == "https":
        return _PinnedHTTPSConnection(checked.host, checked.port, addresses[0], remaining)
    return _PinnedHTTPConnection(checked.host, checked.port, addresses[0], remaining)


def _get(
    connection: http.client.HTTPConnection, checked: Target, deadline: float, timeout: float
) -> http.client.HTTPResponse:
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "identity"}
    try:
        connection.request("GET", checked.path, headers=headers)
        _set_timeout(connection, deadline, timeout)
        return connection.getresponse()
    except TimeoutError as exc:
        raise _too_slow(timeout) from exc
    except ssl.SSLError as exc:
        raise DownloadError(f"De beveiligde verbinding met {checked.host} mislukte.") from exc
    except (OSError, http.client.HTTPException) as exc:
        logger.debug("download of %s failed", checked.url, exc_info=exc)
        raise DownloadError(f"De server {checked.host} is niet bereikbaar.") from exc


def _save(
    response: http.client.HTTPResponse,
    connection: http.client.HTTPConnection,
    url: str,
    final_url: str,
    target: Path,
    limits: Limits,
    deadline: float,
) -> Downloaded:
    declared = response.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > limits.max_bytes:
        raise too_large(limits.max_bytes)
    digest = hashlib.sha256()
    size = 0
    try:
        with target.open("xb") as out:
            while True:
                _set_timeout(connection, deadline, limits.timeout)
                chunk = response.read1(CHUNK_BYTES)  # what has arrived: the deadline holds
                if not chunk:
                    break
                size += len(chunk)
                if size > limits.max_bytes:
                    raise too_large(limits.max_bytes)
                if time.monotonic() > deadline:
                    raise _too_slow(limits.timeout)
                digest.update(chunk)
                out.write(chunk)
    except TimeoutError as exc:
        target.unlink(missing_ok=True)
        raise _too_slow(limits.timeout) from exc
    except (OSError, http.client.HTTPException) as exc:
        target.unlink(missing_ok=True)
        raise DownloadError("De verbinding brak af tijdens het downloaden.") from exc
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return Downloaded(
        path=target,
        url=url,
        final_url=final_url,
        name=_suggested_name(response, final_url),
        content_type=(response.getheader("Content-Type") or "").split(";")[0].strip().lower(),
        size=size,
        sha256=digest.hexdigest(),
    )


def _suggested_name(response: http.client.HTTPResponse, url: str) -> str:
    disposition = response.getheader("Content-Disposition")
    if disposition:
        message = Message()
        message["content-disposition"] = disposition
        name = message.get_filename()
        if name:
            return name.replace("\\", "/").rsplit("/", 1)[-1]
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1])


def _remaining(deadline: float, timeout: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _too_slow(timeout)
    return remaining


def _set_timeout(connection: http.client.HTTPConnection, deadline: float, timeout: float) -> None:
    if connection.sock is not None:
        connection.sock.settimeout(_remaining(deadline, timeout))


def _too_slow(timeout: float) -> DownloadError:
    seconds = f"{timeout:g}".replace(".", ",")
    return DownloadError(f"Het downloaden duurde langer dan {seconds} seconden en is afgebroken.")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address checked beforehand, whatever DNS says now."""

    def __init__(self, host: str, port: int, address: IPAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        """Connect to the checked address."""
        self.sock = socket.create_connection((str(self._address), self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address; the certificate must name the host."""

    def __init__(self, host: str, port: int, address: IPAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        """Connect to the checked address and start TLS for the host's name."""
        sock = socket.create_connection((str(self._address), self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]
