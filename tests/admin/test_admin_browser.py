"""The admin area in a real browser: the first account signs up, becomes the administrator
and reads the AI usage page (at a glance, charts, tables), at phone and desktop widths."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from keyvex.admin._views import today
from keyvex.ai.usage_counters import count_call
from keyvex.app import build_app
from keyvex.settings import Settings

PASSWORD = "correct horse battery"
PAGES = ("/admin", "/admin/users", "/admin/health", "/admin/audit")


def _record_usage(settings: Settings) -> None:
    """Yesterday's calls, written through the counters in a thread of their own (the
    Playwright API keeps an event loop running on the test's thread)."""
    day = (today() - timedelta(days=1)).isoformat()

    async def write() -> None:
        app = build_app(settings)
        try:
            for n, (model, cost, ok) in enumerate(
                [("gpt-4o-mini", 0.02, True), ("gpt-4o-mini", 0.0, False), ("gpt-4o", 0.4, True)]
            ):
                await count_call(app.store, {
                    "at": f"{day}T0{n}:00:00+00:00", "process": "builder", "provider": "openai",
                    "model": model, "input_tokens": 1200, "output_tokens": 300, "cost_usd": cost,
                    "latency_ms": 900 + 400 * n, "success": ok,
                    "error_kind": None if ok else "timeout",
                })  # fmt: skip
        finally:
            app.close()

    worker = threading.Thread(target=lambda: asyncio.run(write()))
    worker.start()
    worker.join()


def test_an_administrator_reads_the_usage_page(
    live_server: Any, page: Any, page_problems: list[str], settings: Settings, artifacts: Path
) -> None:
    _record_usage(settings)
    page.goto(f"{live_server.url}/signup")
    page.get_by_label("Email").fill("ops@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/dashboard")
    page.get_by_role("link", name="Admin", exact=True).click()
    page.wait_for_url("**/admin")
    assert page.locator("#kpi-yesterday").inner_text() == "$0.42"
    assert page.locator("#kpi-failing").inner_text() == "openai:gpt-4o-mini"
    assert page.locator("svg.adm-bars").count() == 2
    assert page.locator("#by-model tbody tr").count() == 2
    page.get_by_role("link", name="90 days").click()
    page.wait_for_url("**/admin?days=90")
    assert page.locator("#by-day tbody tr").count() == 90
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for path in PAGES:
            page.goto(f"{live_server.url}{path}")
            name = path.strip("/").replace("/", "-") or "admin"
            page.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=True)
            page.screenshot(path=str(artifacts / f"{name}-{width}-top.png"))
            overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            assert not overflow, f"{path} scrolls sideways at {width} px"
    assert page_problems == []
