"""Downloads: http(s) only, no internal addresses (also after a redirect or DNS), 5 redirects,
a size cap checked while downloading, a deadline. Against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from conftest import DownloadServer, Reply

from index.addresses import IPAddress, UrlPolicy, UrlRefused, forbidden_reason, parse_target
from index.download import DownloadError, Limits, download

LIMITS = Limits(max_bytes=1024 * 1024, timeout=5.0)
INTERNAL = ["127.0.0.1", "[::1]", "169.254.169.254", "10.0.0.1"]


def trusting(server: DownloadServer) -> UrlPolicy:
    """Let exactly the test server through; every other internal address stays refused."""
    return UrlPolicy(trusted=frozenset({("127.0.0.1", server.port)}))


def test_a_document_is_downloaded_whole(download_server: DownloadServer, tmp_path: Path) -> None:
    url = download_server.serve(
        "/stukken/rapport.pdf?versie=2", b"%PDF-1.4 inhoud", "application/pdf"
    )
    got = download(url, tmp_path / "x", LIMITS, trusting(download_server))
    assert got.path.read_bytes() == b"%PDF-1.4 inhoud"
    assert (got.name, got.content_type, got.size) == ("rapport.pdf", "application/pdf", 15)
    assert got.url == url


def test_the_servers_file_name_wins_but_never_its_folders(
    download_server: DownloadServer, tmp_path: Path
) -> None:
    url = download_server.serve(
        "/download?id=7",
        b"tekst",
        "text/plain",
        **{"Content-Disposition": 'attachment; filename="../../etc/rapport.txt"'},
    )
    got = download(url, tmp_path / "x", LIMITS, trusting(download_server))
    assert got.name == "rapport.txt"


@pytest.mark.parametrize("host", INTERNAL + ["0.0.0.0", "[::ffff:127.0.0.1]", "2130706433"])
def test_internal_addresses_are_refused_before_connecting(host: str, tmp_path: Path) -> None:
    with pytest.raises(UrlRefused, match="zulke adressen worden niet gehaald"):
        download(f"http://{host}/rapport.pdf", tmp_path / "x", LIMITS, UrlPolicy())
    assert not (tmp_path / "x").exists()


def test_the_local_server_itself_is_refused_without_allow_private(
    download_server: DownloadServer, tmp_path: Path
) -> None:
    url = download_server.serve("/rapport.txt", b"tekst", "text/plain")
    with pytest.raises(UrlRefused, match="de server zelf"):
        download(url, tmp_path / "x", LIMITS, UrlPolicy())
    assert download_server.requested == []  # not even asked


def test_allow_private_lifts_the_refusal(download_server: DownloadServer, tmp_path: Path) -> None:
    url = download_server.serve("/rapport.txt", b"tekst", "text/plain")
    got = download(url, tmp_path / "x", LIMITS, UrlPolicy(allow_private=True))
    assert got.path.read_bytes() == b"tekst"


@pytest.mark.parametrize("host", INTERNAL + ["127.0.0.1:PORT"])
def test_a_redirect_to_an_internal_address_is_refused(
    host: str, download_server: DownloadServer, tmp_path: Path
) -> None:
    other_port = download_server.port + 1 if download_server.port < 65535 else 1024
    target = f"http://{host.replace('PORT', str(other_port))}/geheim"
    url = download_server.redirect("/doorsturen", target)
    with pytest.raises(UrlRefused, match="zulke adressen worden niet gehaald") as refused:
        download(url, tmp_path / "x", LIMITS, trusting(download_server))
    assert refused.value.reason.startswith(f"De server stuurt door naar {target}. ")
    assert download_server.requested == ["/doorsturen"]
    assert not (tmp_path / "x").exists()


def test_a_name_resolving_to_an_internal_address_is_refused(tmp_path: Path) -> None:
    def resolver(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address("93.184.215.14"), ipaddress.ip_address("10.1.2.3")]

    with pytest.raises(UrlRefused, match=r"rapporten\.example \(10\.1\.2\.3\) is een privé"):
        download("https://rapporten.example/r.pdf", tmp_path / "x", LIMITS, UrlPolicy(), resolver)


def test_the_connection_goes_to_the_checked_address(
    download_server: DownloadServer, tmp_path: Path
) -> None:
    """The resolver's answer is used for the connection: no second lookup to rebind."""
    download_server.serve("/r.txt", b"tekst", "text/plain")

    def resolver(host: str, port: int) -> list[IPAddress]:
        assert host == "rapporten.example"
        return [ipaddress.ip_address("127.0.0.1")]

    url = f"http://rapporten.example:{download_server.port}/r.txt"
    got = download(url, tmp_path / "x", LIMITS, trusting(download_server), resolver)
    assert got.path.read_bytes() == b"tekst"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/r.pdf",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://example.org/",
        "http://gebruiker:geheim@example.org/",
        "http:///zonder-server",
        "http://example.org/met spatie",
    ],
)
def test_only_plain_http_and_https_urls(url: str) -> None:
    with pytest.raises(UrlRefused):
        parse_target(url)


def _chain(server: DownloadServer, hops: int) -> str:
    server.serve("/eind.txt", b"eindelijk", "text/plain")
    for n in range(hops, 0, -1):
        server.redirect(f"/stap{n}", f"/stap{n + 1}" if n < hops else "/eind.txt")
    return server.url("/stap1")


def test_five_redirects_are_followed(download_server: DownloadServer, tmp_path: Path) -> None:
    got = download(_chain(download_server, 5), tmp_path / "x", LIMITS, trusting(download_server))
    assert got.path.read_bytes() == b"eindelijk"
    assert got.final_url.endswith("/eind.txt")


def test_a_sixth_redirect_is_refused(download_server: DownloadServer, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="Meer dan 5 doorverwijzingen"):
        download(_chain(download_server, 6), tmp_path / "x", LIMITS, trusting(download_server))
    assert "/eind.txt" not in download_server.requested


def test_a_declared_size_over_the_cap_is_refused_unread(
    download_server: DownloadServer, tmp_path: Path
) -> None:
    url = download_server.serve("/groot.pdf", b"%PDF" + b"a" * (LIMITS.max_bytes + 1), "x/y")
    with pytest.raises(DownloadError, match="groter dan 1 MB"):
        download(url, tmp_path / "x", LIMITS, trusting(download_server))
    assert not (tmp_path / "x").exists()


def test_an_endless_stream_is_cut_off_at_the_cap(
    download_server: DownloadServer, tmp_path: Path
) -> None:
    download_server.replies["/eindeloos"] = Reply(endless=True)
    with pytest.raises(DownloadError, match="groter dan 1 MB"):
        download(
            download_server.url("/eindeloos"), tmp_path / "x", LIMITS, trusting(download_server)
        )
    assert list(tmp_path.iterdir()) == []  # nothing left on disk


def test_a_slow_download_is_cut_off_at_the_deadline(
    download_server: DownloadServer, tmp_path: Path
) -> None:
    download_server.replies["/traag"] = Reply(b"a" * 20_000, drip_seconds=0.1)
    limits = Limits(max_bytes=LIMITS.max_bytes, timeout=0.5)
    with pytest.raises(DownloadError, match="langer dan 0,5 seconden"):
        download(download_server.url("/traag"), tmp_path / "x", limits, trusting(download_server))
    assert list(tmp_path.iterdir()) == []


def test_an_error_status_is_reported(download_server: DownloadServer, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="status 404"):
        download(
            download_server.url("/bestaat-niet"), tmp_path / "x", LIMITS, trusting(download_server)
        )


@pytest.mark.parametrize(
    ("address", "internal"),
    [
        ("8.8.8.8", False),
        ("2a00:1450:4001:80b::200e", False),
        ("172.31.255.255", True),
        ("172.32.0.1", False),
        ("192.168.1.1", True),
        ("fd00:ec2::254", True),
        ("fe80::1", True),
        ("::ffff:10.0.0.1", True),
        ("64:ff9b::a9fe:a9fe", True),  # NAT64 of 169.254.169.254
        ("2002:7f00:1::", True),  # 6to4 of 127.0.0.1
        ("100.100.100.200", True),
    ],
)
def test_address_ranges(address: str, internal: bool) -> None:
    assert (forbidden_reason(ipaddress.ip_address(address)) is not None) is internal
