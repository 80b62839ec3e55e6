"""Which URLs a download may fetch: http(s) only, and never an address inside our own network.

A URL given by a user must not make the server fetch from itself or its neighbours (SSRF):
loopback, the private and link-local ranges, and the cloud metadata addresses. What counts is
the address a name resolves to (and every address it resolves to), not how the URL spells it:
"http://2130706433/", "http://[::ffff:127.0.0.1]/" and a DNS name pointing at 10.0.0.1 are all
refused. Pure functions; resolving and connecting happen in `index.download`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# (network, Dutch name). The ranges, plus the ones that reach the same places:
# "this host" (0.0.0.0/8, ::), shared address space (100.64.0.0/10, where Alibaba Cloud keeps
# its metadata service at 100.100.100.200), multicast and broadcast.
FORBIDDEN_NETWORKS: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.ip_network(network), name)
    for network, name in (
        ("127.0.0.0/8", "de server zelf (loopback)"),
        ("::1/128", "de server zelf (loopback)"),
        ("0.0.0.0/8", "de server zelf"),
        ("::/128", "de server zelf"),
        ("10.0.0.0/8", "een privé-netwerk"),
        ("172.16.0.0/12", "een privé-netwerk"),
        ("192.168.0.0/16", "een privé-netwerk"),
        ("fc00::/7", "een privé-netwerk"),
        ("100.64.0.0/10", "een gedeeld providernetwerk"),
        ("169.254.0.0/16", "een link-local-adres (o.a. de metadatadienst van clouds)"),
        ("fe80::/10", "een link-local-adres"),
        ("224.0.0.0/4", "een multicastadres"),
        ("ff00::/8", "een multicastadres"),
        ("255.255.255.255/32", "een broadcastadres"),
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv6 addresses that carry an IPv4 address
SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}


class UrlRefused(ValueError):
    """A URL or address that may not be fetched; `reason` is a Dutch sentence for users."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Target:
    """Where one request goes: the parts of a checked http(s) URL."""

    url: str
    scheme: str
    host: str  # a name or an IP literal without brackets
    port: int
    path: str  # path and query, at least "/"


@dataclass(frozen=True, slots=True)
class UrlPolicy:
    """Which addresses may be fetched.

    `allow_private` lifts the refusal of internal addresses (an intranet; `--allow-private`).
    `trusted` lets exactly these (address, port) pairs through and nothing else internal: the
    tests' download server on 127.0.0.1 is reachable while a redirect to any other internal
    address, on another port too, is still refused.
    """

    allow_private: bool = False
    trusted: frozenset[tuple[str, int]] = frozenset()


def parse_target(url: str) -> Target:
    """Return the parts of `url`; raise UrlRefused for anything but a plain http(s) URL."""
    if any(ord(char) < 33 or ord(char) == 127 for char in url):
        raise UrlRefused("De URL bevat spaties of stuurtekens.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UrlRefused("Dit is geen geldige URL.") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise UrlRefused(
            "Alleen URL's die met http:// of https:// beginnen, kunnen worden gehaald."
        )
    if parts.username is not None or parts.password is not None:
        raise UrlRefused("Een URL met een gebruikersnaam of wachtwoord wordt niet gehaald.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UrlRefused("De URL noemt geen server.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(url, scheme, host, port or DEFAULT_PORTS[scheme], path)


def forbidden_reason(address: IPAddress) -> str | None:
    """Return why `address` is internal (Dutch), or None for an address on the internet."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return forbidden_reason(embedded)
    for network, name in FORBIDDEN_NETWORKS:
        if address.version == network.version and address in network:
            return name
    return None


def check_address(address: IPAddress, port: int, host: str, policy: UrlPolicy) -> None:
    """Raise UrlRefused when `policy` does not allow fetching from `address`."""
    if policy.allow_private or (str(address), port) in policy.trusted:
        return
    reason = forbidden_reason(address)
    if reason is not None:
        shown = host if host == str(address) else f"{host} ({address})"
        raise UrlRefused(
            f"{shown} is {reason}; zulke adressen worden niet gehaald. "
            "Voor een intranet: start met ASSISTANT_ALLOW_PRIVATE_URLS=1 (op de opdrachtregel "
            "kan ook --allow-private)."
        )
