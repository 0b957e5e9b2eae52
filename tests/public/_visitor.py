"""Browser-test helpers: publish on a live server and play a visitor who completes a tool."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from keyvex.engine import Result
from keyvex.tools import ToolDefinition

EMAIL = "visitor@example.com"
TEXTS = ".kvx-headline, .kvx-subtext, .kvx-metric-value, .kvx-outcome h3"


def in_thread(coro: Any) -> Any:
    """Run a coroutine to the end on its own loop (Playwright keeps this thread's loop busy)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised on the test thread
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(30)
    if "error" in box:
        raise box["error"]
    return box.get("value")


class Site:
    """The live server with the public router, and a creator who publishes tools on it."""

    def __init__(self, live_server: Any) -> None:
        self.url = live_server.url
        self.fastapi = live_server.server.config.app
        self.app = self.fastapi.state.keyvex
        self.user: Any = None
        self.token = ""

    def publish(self, definition: ToolDefinition, slug: str | None = None) -> Any:
        from keyvex.accounts import create_token, sign_up
        from keyvex.tools.publishing import publish
        from keyvex.tools.service import create_tool

        async def go() -> Any:
            if self.user is None:
                self.user = await sign_up(self.app, "creator@example.com", "correct horse battery")
                self.token, _ = await create_token(self.app, self.user, "browser tests")
            stored = await create_tool(self.app, self.user, definition)
            return await publish(self.app, self.user, stored.id, slug=slug)

        return in_thread(go())

    def leads(self, tool_id: str) -> list[dict[str, Any]]:
        """The tool's leads as the creator reads them: through the REST API."""
        import httpx

        response = httpx.get(
            f"{self.url}/api/v1/tools/{tool_id}/leads",
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=10,
        )
        response.raise_for_status()
        return list(response.json()["leads"])


def visitor_answers(tool: ToolDefinition) -> dict[str, Any]:
    """What the scripted visitor ends up answering: defaults, else the first option."""
    answers: dict[str, Any] = {}
    for item in tool.inputs:
        if item.default is not None:
            answers[item.id] = item.default
        elif item.required and item.type == "multiselect":
            answers[item.id] = [item.options[0].value]
        elif item.required and item.options:
            answers[item.id] = item.options[0].value
        elif item.required and item.type == "yes_no":
            answers[item.id] = "yes"
    return answers


def answer_step(page: Any, tool: ToolDefinition) -> None:
    """Choose the first option of every visible, unanswered choice question on screen."""
    for item in tool.inputs:
        box = page.locator(f"#kvx-in-{item.id}-field")
        if not box.is_visible() or item.default is not None or not item.required:
            continue
        if item.type in ("radio", "yes_no", "multiselect"):
            box.locator("input").first.check()
        elif item.type == "select":
            box.locator("select").select_option(item.options[0].value)


def expected_texts(result: Result, teaser: bool = False) -> list[str]:
    texts: list[str] = []
    for block in result.blocks:
        if block.type == "headline":
            texts += [block.text] + ([block.subtext] if block.subtext else [])
        elif block.type == "metric":
            texts.append(block.display or "–")
        elif block.type == "outcome" and block.title:
            texts.append(block.title)
    return texts


def shown_texts(page: Any) -> list[str]:
    return page.eval_on_selector_all(  # type: ignore[no-any-return]
        f"#kvx-result :is({TEXTS})", "nodes => nodes.map(n => n.textContent)"
    )


def fill_lead(page: Any, tool: ToolDefinition) -> None:
    for field in tool.lead_capture.fields:
        value = EMAIL if field.type == "email" else "Ada Lovelace"
        if field.type == "email" or field.required:
            page.locator(f"#kvx-lead-{field.id}").fill(value)
    page.locator("#kvx-lead-consent").check()
    waited = page.evaluate("performance.now()")  # people take longer than MIN_FILL_MS
    if waited < 2500:
        page.wait_for_timeout(2500 - waited)
    page.locator("#kvx-lead-submit").click()
    page.locator("#kvx-lead").wait_for(state="hidden")


def lead_score(item: dict[str, Any]) -> Any:
    """The stored score percent, wherever the leads service keeps it."""
    for holder in (item, item.get("result") or {}):
        if isinstance(holder.get("scores"), dict):
            return holder["scores"].get("percent")
        if "score" in holder:
            score = holder["score"]
            return score.get("percent") if isinstance(score, dict) else score
    return None
