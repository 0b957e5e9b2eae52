"""The SSRF guard refuses every non-public destination, after DNS resolution."""

from __future__ import annotations

import asyncio

import pytest

from keyvex.net import OutboundRefused, resolve_target
from keyvex.net.outbound import refusal


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.0.0.1", "private"),
        ("192.168.1.20", "private"),
        ("172.16.5.4", "private"),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("169.254.10.10", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.251", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "not a public"),
        ("::ffff:127.0.0.1", "loopback"),
        ("fc00::5", "private"),
    ],
)
def test_non_public_addresses_are_refused(address: str, reason: str) -> None:
    found = refusal(address)
    assert found is not None and reason in found


def test_public_addresses_pass() -> None:
    assert refusal("93.184.216.34") is None
    assert refusal("2606:2800:220:1:248:1893:25c8:1946") is None


def test_loopback_allowance_is_explicit() -> None:
    assert refusal("127.0.0.1", allow_loopback=True) is None
    assert refusal("10.0.0.1", allow_loopback=True) is not None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://localhost:8080/hook", "resolves to 127.0.0.1, a loopback address"),
        ("http://10.0.0.1/hook", "private network"),
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("http://[::1]:9000/", "loopback"),
        ("ftp://example.com/x", "Only http:// and https://"),
        ("http://user:pw@example.com/", "user name or password"),
        ("not a url", "Only http:// and https://"),
    ],
)
def test_urls_are_refused_with_a_clear_message(url: str, message: str) -> None:
    with pytest.raises(OutboundRefused, match=message):
        asyncio.run(resolve_target(url))


def test_a_hostname_resolving_to_loopback_passes_only_with_the_test_allowance() -> None:
    target = asyncio.run(resolve_target("http://localhost:8080/x", allow_loopback=True))
    assert target.address in ("127.0.0.1", "::1")
    assert target.host == "localhost"
