"""The SSRF guard: resolve first, refuse non-public addresses, connect to the address checked.

Every outbound request to a user-supplied URL goes through :func:`send`:
- only ``http``/``https``, no credentials in the URL;
- the host is resolved once and *every* address must be public: private, loopback,
  link-local, multicast, reserved, unspecified, carrier-grade NAT and cloud metadata
  addresses are refused;
- IPv6 transition addresses are judged by the IPv4 address they embed, so none can smuggle
  an internal IPv4 address past the guard: IPv4-mapped ``::ffff:a.b.c.d`` and NAT64
  ``64:ff9b::a.b.c.d`` (how DNS64 in an IPv6-only network, e.g. an AWS subnet, presents
  IPv4-only hosts) and ISATAP interface ids are allowed when the embedded address is public.
  The deprecated relay and tunnel forms are refused altogether, public embedding or not:
  6to4 ``2002::/16`` (RFC 7526), Teredo ``2001::/32`` (server and client), IPv4-compatible
  ``::a.b.c.d`` (RFC 4291), IPv4-translated ``::ffff:0:a.b.c.d`` and the local-use NAT64
  prefix ``64:ff9b:1::/48`` (its mapping is the operator's choice, so it cannot be checked).
  No real webhook receiver or API is reachable only through them, and where a relay delivers
  such a packet is decided by the network, not by this guard;
- the connection goes to the address that was checked (the URL's host is replaced by it;
  ``Host`` and TLS SNI keep the name, so certificates are still verified), so DNS
  rebinding between check and connect is impossible;
- redirects are never followed; timeouts and a response size limit always apply.
Tests may allow loopback through an explicit test-only setting (``::1``, ``127.0.0.0/8`` and
its IPv4-mapped form only; a loopback address embedded in a transition address stays refused).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from dataclasses import dataclass, field

import httpx

from keyvex.errors import Invalid

METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
MAX_URL = 2000


class OutboundRefused(Invalid):
    """A URL the guard will not connect to; the message says why in one sentence."""

    title = "URL refused"


@dataclass(frozen=True, slots=True)
class Target:
    url: httpx.URL
    host: str
    address: str


@dataclass(frozen=True, slots=True)
class OutboundResponse:
    status: int
    body: bytes
    elapsed_ms: float
    truncated: bool
    #: Response headers, names in lower case (repeated headers joined with ", ").
    headers: dict[str, str] = field(default_factory=dict)


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_COMPATIBLE = ipaddress.IPv6Network("::/96")
_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")
_ISATAP = 0x0000_5EFE  # the interface id's upper half, with the u/l bit cleared


@dataclass(frozen=True, slots=True)
class _Embedding:
    """An IPv6 transition address: what it is, the IPv4 addresses it embeds, and why it is
    refused even when they are public (None: usable then)."""

    kind: str
    embedded: tuple[ipaddress.IPv4Address, ...]
    refused: str | None = None


def _embedding(ip: ipaddress.IPv6Address) -> _Embedding | None:
    low = ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
    deprecated = "a deprecated IPv6 transition mechanism"
    if ip.ipv4_mapped is not None:
        return _Embedding("an IPv4-mapped address", (ip.ipv4_mapped,))
    if ip in _NAT64:
        return _Embedding("a NAT64 address", (low,))
    if ip.sixtofour is not None:
        return _Embedding("a 6to4 address", (ip.sixtofour,), deprecated)
    if ip.teredo is not None:
        return _Embedding("a Teredo address", ip.teredo, deprecated)
    if ip in _NAT64_LOCAL:
        return _Embedding("a local-use NAT64 address", (), "its IPv4 mapping cannot be checked")
    if ip in _TRANSLATED:
        return _Embedding("an IPv4-translated address", (low,), deprecated)
    if ip in _COMPATIBLE and int(ip) > 1:  # :: and ::1 are not IPv4-compatible addresses
        return _Embedding("an IPv4-compatible address", (low,), deprecated)
    if (int(ip) >> 32) & 0xFDFF_FFFF == _ISATAP:
        return _Embedding("an ISATAP address", (low,))
    return None


def refusal(address: str, *, allow_loopback: bool = False) -> str | None:
    """Why ``address`` may not be contacted, or None when it is a public address."""
    ip = ipaddress.ip_address(address)
    embedding = _embedding(ip) if isinstance(ip, ipaddress.IPv6Address) else None
    if embedding is None or not isinstance(ip, ipaddress.IPv6Address):
        return _plain_refusal(ip, allow_loopback=allow_loopback)
    if ip.ipv4_mapped is not None:  # the very socket of the IPv4 address: judged as that
        return _plain_refusal(ip.ipv4_mapped, allow_loopback=allow_loopback)
    for inner in embedding.embedded:
        reason = _plain_refusal(inner)
        if reason:
            return f"{embedding.kind} embedding {inner} ({reason})"
    if embedding.refused:
        return f"{embedding.kind} ({embedding.refused})"
    if ip in _NAT64:  # the well-known prefix is never "global" itself; its IPv4 address is
        return None
    return _plain_refusal(ip)


def _plain_refusal(
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address, *, allow_loopback: bool = False
) -> str | None:
    if allow_loopback and ip.is_loopback:
        return None
    if ip in METADATA:
        return "a cloud metadata address"
    checks = (
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_private, "a private network address"),
        (ip.is_reserved or not ip.is_global, "not a public internet address"),
    )
    for failed, reason in checks:
        if failed:
            return reason
    return None


def _parse(url: str) -> httpx.URL:
    if len(url) > MAX_URL:
        raise OutboundRefused(f"The URL is longer than {MAX_URL} characters.")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise OutboundRefused(f"'{url[:100]}' is not a valid URL.") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise OutboundRefused("Only http:// and https:// URLs with a host name are allowed.")
    if parsed.userinfo:
        raise OutboundRefused("URLs may not carry a user name or password.")
    return parsed


class HostUnresolved(OutboundRefused):
    """The host name has no address (DNS failure)."""


class NonPublicAddress(OutboundRefused):
    """The host resolves to an address the guard refuses; ``address`` and ``reason`` say
    which and why, so callers can word their own sentence."""

    def __init__(self, host: str, address: str, reason: str) -> None:
        super().__init__(f"{host} resolves to {address}, {reason}; refused.")
        self.host, self.address, self.reason = host, address, reason


async def checked_address(host: str, port: int, *, allow_loopback: bool = False) -> str:
    """Resolve ``host`` once; the address to connect to, when every address it has is
    public (HostUnresolved / NonPublicAddress otherwise). Every outbound connection to a
    user-controlled host (HTTP, SMTP, databases) goes through here."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise HostUnresolved(f"The host {host} could not be resolved.") from exc
    addresses = sorted({str(info[4][0]) for info in infos})
    if not addresses:
        raise HostUnresolved(f"The host {host} could not be resolved.")
    for address in addresses:
        reason = refusal(address, allow_loopback=allow_loopback)
        if reason:
            raise NonPublicAddress(host, address, reason)
    return addresses[0]


async def resolve_target(url: str, *, allow_loopback: bool = False) -> Target:
    """Parse and resolve ``url``; raise OutboundRefused unless every address is public."""
    parsed = _parse(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    address = await checked_address(parsed.host, port, allow_loopback=allow_loopback)
    return Target(parsed, parsed.host, address)


async def send(
    method: str,
    url: str,
    *,
    content: bytes = b"",
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
    max_bytes: int = 65_536,
    allow_loopback: bool = False,
) -> OutboundResponse:
    """One request to a checked address; redirects are returned, never followed."""
    target = await resolve_target(url, allow_loopback=allow_loopback)
    # httpx takes a bare address for either family and brackets an IPv6 one itself.
    request_url = target.url.copy_with(host=target.address)
    extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
    sent_headers = {**(headers or {}), "Host": target.url.netloc.decode("ascii")}
    started = time.perf_counter()
    async with httpx.AsyncClient(
        follow_redirects=False, timeout=timeout, trust_env=False
    ) as client:
        async with client.stream(
            method, request_url, content=content, headers=sent_headers, extensions=extensions
        ) as response:
            body, truncated = await _read_limited(response, max_bytes)
    elapsed = (time.perf_counter() - started) * 1000
    headers = {name: ", ".join(response.headers.get_list(name)) for name in response.headers}
    return OutboundResponse(response.status_code, body, round(elapsed, 1), truncated, headers)


async def _read_limited(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            return b"".join(chunks)[:max_bytes], True
    return b"".join(chunks), False
