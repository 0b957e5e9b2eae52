"""IPv6 transition addresses cannot smuggle an internal IPv4 address past the SSRF guard:
6to4, Teredo, IPv4-mapped, -compatible and -translated, NAT64 and ISATAP are judged by the
IPv4 address they embed, and the deprecated relay forms are refused altogether."""

from __future__ import annotations

import asyncio

import pytest

from keyvex.net import NonPublicAddress, resolve_target
from keyvex.net.outbound import refusal
from tests.conftest import ApiUser

# Teredo: 2001:0:<server>:<flags>:<port ^ ffff>:<client ^ ffffffff>.
TEREDO_INTERNAL_CLIENT = "2001:0:4136:e378:8000:63bf:f5ff:fffe"  # server 65.54.227.120, 10.0.0.1
TEREDO_INTERNAL_SERVER = "2001:0:a00:1:8000:63bf:a247:27dd"  # 10.0.0.1, client 93.184.216.34
TEREDO_LOOPBACK_CLIENT = "2001:0:4136:e378:8000:63bf:80ff:fffe"  # client 127.0.0.1


@pytest.mark.parametrize(
    ("address", "embedded", "reason"),
    [
        ("2002:7f00:1::", "127.0.0.1", "loopback"),
        ("2002:a00:1::", "10.0.0.1", "private"),
        ("2002:c0a8:101::", "192.168.1.1", "private"),
        ("2002:ac10:504::1", "172.16.5.4", "private"),
        ("2002:a9fe:a9fe::", "169.254.169.254", "cloud metadata"),
        ("2002:a9fe:a0a::", "169.254.10.10", "link-local"),
        ("2002:6440:1::", "100.64.0.1", "not a public"),
        ("2002::", "0.0.0.0", "unspecified"),
        (TEREDO_INTERNAL_CLIENT, "10.0.0.1", "private"),
        (TEREDO_INTERNAL_SERVER, "10.0.0.1", "private"),
        (TEREDO_LOOPBACK_CLIENT, "127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "", "private"),
        ("::ffff:169.254.169.254", "", "cloud metadata"),
        ("::ffff:7f00:1", "", "loopback"),
        ("::127.0.0.1", "127.0.0.1", "loopback"),
        ("::10.0.0.1", "10.0.0.1", "private"),
        ("::169.254.169.254", "169.254.169.254", "cloud metadata"),
        ("::ffff:0:a00:1", "10.0.0.1", "private"),
        ("64:ff9b::a00:1", "10.0.0.1", "private"),
        ("64:ff9b::7f00:1", "127.0.0.1", "loopback"),
        ("64:ff9b::a9fe:a9fe", "169.254.169.254", "cloud metadata"),
        ("2606:2800:220:1:0:5efe:a00:1", "10.0.0.1", "private"),
        ("2606:2800:220:1:200:5efe:c0a8:101", "192.168.1.1", "private"),
    ],
)
def test_an_embedded_internal_ipv4_address_is_refused(
    address: str, embedded: str, reason: str
) -> None:
    found = refusal(address)
    assert found is not None and reason in found, found
    if embedded:
        assert f"embedding {embedded} (" in found, found


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("2002:5db8:d822::", "6to4"),
        ("2002:5db8:d822:1::5", "6to4"),
        ("2001:0:4136:e378:8000:63bf:a247:27dd", "Teredo"),
        ("::93.184.216.34", "IPv4-compatible"),
        ("::ffff:0:5db8:d822", "IPv4-translated"),
        ("64:ff9b:1::5db8:d822", "local-use NAT64"),
    ],
)
def test_deprecated_relay_forms_are_refused_even_with_a_public_address(
    address: str, kind: str
) -> None:
    found = refusal(address)
    assert found is not None and f"{kind} address (" in found and "embedding" not in found, found


@pytest.mark.parametrize(
    "address",
    [
        "::ffff:93.184.216.34",  # IPv4-mapped: the IPv4 socket itself
        "64:ff9b::5db8:d822",  # what DNS64 answers for an IPv4-only host in IPv6-only networks
        "2606:2800:220:1:200:5efe:5db8:d822",  # ISATAP id with a public address and prefix
    ],
)
def test_transition_addresses_of_public_hosts_pass(address: str) -> None:
    assert refusal(address) is None


def test_the_loopback_allowance_never_extends_to_an_embedded_loopback() -> None:
    assert refusal("::1", allow_loopback=True) is None
    assert refusal("::ffff:127.0.0.1", allow_loopback=True) is None  # the same socket
    for wrapped in ("2002:7f00:1::", "::127.0.0.1", "64:ff9b::7f00:1", TEREDO_LOOPBACK_CLIENT):
        assert refusal(wrapped, allow_loopback=True) is not None, wrapped


@pytest.mark.parametrize("host", ["2002:a00:1::", "2002:a9fe:a9fe::", "::127.0.0.1"])
def test_a_url_with_a_transition_literal_is_refused_before_connecting(host: str) -> None:
    with pytest.raises(NonPublicAddress, match="embedding"):
        asyncio.run(resolve_target(f"http://[{host}]:8080/hook"))


def test_a_webhook_to_a_6to4_address_of_the_metadata_service_is_refused(
    alice: ApiUser,
) -> None:
    url = "http://[2002:a9fe:a9fe::]/latest/meta-data/"
    refused = alice.post("/api/v1/webhooks", json={"url": url, "events": ["lead.created"]})
    assert refused.status_code == 422
    assert "6to4 address embedding 169.254.169.254" in refused.json()["detail"]
    assert refused.json()["errors"][0]["field"] == "url"
