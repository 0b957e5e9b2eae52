"""/metrics under `keyvex serve --workers 2`: a scrape of either process counts both."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

REQUESTS = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthz_count(text: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = sample.labels
            if (
                sample.name == "keyvex_http_requests_total"
                and labels.get("route") == "/healthz"
                and labels.get("status") == "200"
            ):
                return sample.value
    return 0.0


async def _spread(base: str) -> set[str]:
    """``REQUESTS`` probes, each on a new connection so both processes take some; the
    request-id prefixes seen (one per process)."""
    prefixes: set[str] = set()
    numbers = iter(range(REQUESTS))

    async def connection() -> None:
        fresh = httpx.Limits(max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=base, timeout=10, limits=fresh) as client:
            for _ in numbers:
                response = await client.get("/healthz")
                assert response.status_code == 200
                prefixes.add(response.headers["x-request-id"][:8])

    await asyncio.gather(*(connection() for _ in range(8)))
    return prefixes


def test_a_scrape_of_either_process_sums_both(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEYVEX_", "PROMETHEUS_"))}
    env |= {"KEYVEX_CONFIG": str(tmp_path / "absent.toml"), "KEYVEX_ENV": "development"}
    command = [sys.executable, "-m", "keyvex", "serve", "--workers", "2", "--port", str(port)]
    proc = subprocess.Popen(
        [*command, "--data-dir", str(tmp_path / "data")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/openapi.json", timeout=0.5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        prefixes: set[str] = set()
        rounds = 0
        while len(prefixes) < 2 and time.monotonic() < deadline + 30:  # the second may lag
            prefixes |= asyncio.run(_spread(base))
            rounds += 1
        assert len(prefixes) == 2, f"requests were answered by {len(prefixes)} process(es)"
        answered: set[str] = set()
        counts: list[float] = []
        while len(answered) < 2 and len(counts) < 50:
            fresh = httpx.Limits(max_keepalive_connections=0)
            with httpx.Client(base_url=base, limits=fresh) as scraper:
                scrape = scraper.get("/metrics")
            assert scrape.status_code == 200
            answered.add(scrape.headers["x-request-id"][:8])
            counts.append(_healthz_count(scrape.text))
        assert len(answered) == 2, "both processes answered a scrape"
        # Whichever process answers, the figure is every probe of both.
        assert set(counts) == {rounds * REQUESTS}
    finally:
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=30)[0]
    assert proc.returncode == 0, output
