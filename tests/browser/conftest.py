"""Browser tests: a live uvicorn server on loopback and Debian's Chromium driven by Playwright.

Chromium comes from the system package (``apt-get install chromium``), never from
``playwright install``. Without it the tests skip, unless KEYVEX_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from keyvex.settings import Settings
from keyvex.web.app import create_app

CHROMIUM = os.environ.get("KEYVEX_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One Chromium per test module: Playwright's sync API keeps an event loop running on this
    thread while it is open, which would break later tests that call asyncio.run()."""
    if not _chromium_available():
        if os.environ.get("KEYVEX_REQUIRE_SERVICES") == "1":
            pytest.fail(f"Chromium is not installed at {CHROMIUM} (KEYVEX_REQUIRE_SERVICES=1)")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}; apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


class LiveServer:
    """uvicorn serving the real app in a thread on a free loopback port."""

    def __init__(self, settings: Settings) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the live server did not start within 10 s")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(settings) as server:
        yield server


@pytest.fixture
def page(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context per test; a screenshot is kept as an artifact when it fails."""
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}-failed.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots are written (uploaded by CI as test artifacts)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def page_problems(page: Any) -> list[str]:
    """What went wrong on ``page`` while a test drove it: script errors, console errors and
    server errors (5xx). Tests assert it is empty at the end."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 500 else None
    )
    return problems


@pytest.fixture
def dashboard_site(live_server: LiveServer) -> Iterator[LiveServer]:
    """The live server with the dashboard's wiring of tests/dashboard/_wiring.py (its routes
    are read per request, so wiring after start-up is enough)."""
    from tests.dashboard._wiring import wire_dashboard

    wire_dashboard(live_server.server.config.app)
    yield live_server
