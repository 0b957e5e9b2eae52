"""Embeds, keyboard-only visitors and hostile content in a real browser."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from keyvex.engine import run
from keyvex.tools import ToolDefinition, get_template
from tests.public import _visitor as visitor


@pytest.fixture
def site(live_server: Any) -> Any:
    return visitor.Site(live_server)


@pytest.fixture
def host_page(tmp_path: Path) -> Iterator[Any]:
    """A consultant's site on another loopback port; it writes its page on demand."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def write(html: str) -> str:
        (tmp_path / "index.html").write_text(html, encoding="utf-8")
        return f"http://127.0.0.1:{server.server_address[1]}/index.html"

    yield write
    server.shutdown()
    server.server_close()


def test_script_embed_resizes_to_its_content(site: Any, page: Any, host_page: Any) -> None:
    tool = site.publish(get_template("email-marketing-quiz"), slug="embedded-quiz")
    url = host_page(
        "<!doctype html><title>Consultant</title><h1>Our quiz</h1>"
        f'<script src="{site.url}/embed.js" data-tool="{tool.slug}" async></script>'
        "<p>Footer</p>"
    )
    page.goto(url)
    frame_el = page.locator("iframe")
    frame_el.wait_for()
    frame = page.frame_locator("iframe")
    frame.locator("h1").wait_for()

    def heights() -> tuple[float, float]:
        outer = frame_el.evaluate("f => f.getBoundingClientRect().height")
        inner = frame.locator("html").evaluate("h => h.getBoundingClientRect().height")
        return outer, inner

    page.wait_for_timeout(300)
    outer, inner = heights()
    assert outer != 600 and abs(outer - inner) <= 2, (outer, inner)
    frame.locator("#kvx-step-0 input").first.check()
    frame.locator("#kvx-next").click()
    frame.locator("#kvx-step-1").wait_for()
    page.wait_for_timeout(300)
    outer, inner = heights()
    assert abs(outer - inner) <= 2
    # A message from anyone but the Keyvex iframe is ignored.
    page.evaluate(
        "window.postMessage({type: 'keyvex:height', slug: 'embedded-quiz', height: 55}, '*')"
    )
    page.wait_for_timeout(200)
    assert abs(heights()[0] - outer) <= 2
    assert "/t/embedded-quiz/embed?origin=" in frame_el.get_attribute("src")


def tab_to(page: Any, element_id: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"could not reach #{element_id} with Tab")


def lead_by_keyboard(page: Any) -> None:
    tab_to(page, "kvx-lead-email")
    page.keyboard.type(visitor.EMAIL)
    tab_to(page, "kvx-lead-consent")
    page.keyboard.press("Space")
    page.wait_for_timeout(2000)  # people take longer than the minimum fill time
    tab_to(page, "kvx-lead-submit")
    page.keyboard.press("Enter")
    page.locator("#kvx-lead").wait_for(state="hidden")


def test_calculator_by_keyboard_only(site: Any, page: Any) -> None:
    definition = get_template("roi-calculator")
    tool = site.publish(definition)
    page.goto(f"{site.url}/t/{tool.slug}")
    first = definition.inputs[0]
    tab_to(page, f"kvx-in-{first.id}")
    page.keyboard.press("Control+A")
    page.keyboard.type("12345")
    lead_by_keyboard(page)
    expected = visitor.expected_texts(run(definition, {first.id: "12345"}))
    assert visitor.shown_texts(page) == expected
    assert len(site.leads(tool.tool_id)) == 1


def test_quiz_by_keyboard_only(site: Any, page: Any) -> None:
    definition = get_template("email-marketing-quiz")
    tool = site.publish(definition)
    page.goto(f"{site.url}/t/{tool.slug}")
    for index in range(len(definition.steps)):
        step = page.locator(f"#kvx-step-{index}")
        first = step.locator("input").first
        for _ in range(30):
            page.keyboard.press("Tab")
            inside = (
                "s => s.contains(document.activeElement) && document.activeElement.matches('input')"
            )
            if step.evaluate(inside):
                break
        page.keyboard.press("Space")
        assert first.is_checked() or step.locator("input:checked").count() == 1
        page.keyboard.press("Enter")
        if index + 1 < len(definition.steps):
            page.locator(f"#kvx-step-{index + 1}").wait_for()
            focused = page.evaluate("document.activeElement.closest('.kvx-step').id")
            assert focused == f"kvx-step-{index + 1}"
    page.locator("#kvx-result .kvx-headline").wait_for()
    lead_by_keyboard(page)
    answers = {}
    for item in definition.inputs:
        answers[item.id] = (
            [item.options[0].value]
            if item.type == "multiselect"
            else item.options[0].value
            if item.options
            else "yes"
        )
    assert visitor.shown_texts(page) == visitor.expected_texts(run(definition, answers))


EVIL = (
    '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    "</style><style>*{background:url(//evil.example/a)}</style>"
)


def hostile(template: str) -> ToolDefinition:
    data = get_template(template).model_dump(mode="json")
    data["title"] = EVIL[:200]
    data["description"] = EVIL
    for item in data["inputs"]:
        item["label"], item["help"] = EVIL[:200], EVIL
        for option in item["options"]:
            option["label"] = EVIL[:200]
    for step in data["steps"]:
        step["title"], step["description"] = EVIL[:200], EVIL
    for outcome in data["outcomes"]:
        outcome["title"], outcome["description"] = EVIL[:200], EVIL
        outcome["recommendations"] = [EVIL]
    for block in data["results"]:
        for key in ("text", "subtext", "label", "title", "description"):
            if key in block and isinstance(block[key], str) and block[key]:
                block[key] = EVIL[:200]
    data["lead_capture"]["title"] = EVIL[:200]
    data["lead_capture"]["consent_text"] = EVIL
    return ToolDefinition.model_validate(data)


@pytest.mark.parametrize("template", ["leadership-style-quiz", "roi-calculator"])
def test_hostile_content_stays_text_in_the_browser(site: Any, page: Any, template: str) -> None:
    definition = hostile(template)
    tool = site.publish(definition, slug=f"hostile-{template}")
    dialogs: list[str] = []
    foreign: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(site.url) else foreign.append(r.url))
    page.goto(f"{site.url}/t/{tool.slug}")
    if definition.kind == "calculator":
        visitor.fill_lead(page, definition)
    else:
        for _ in range(len(definition.steps)):
            visitor.answer_step(page, definition)
            page.locator("#kvx-next").click()
        visitor.fill_lead(page, definition)
    page.locator("#kvx-result").wait_for()
    page.wait_for_timeout(300)
    assert dialogs == [] and foreign == []
    assert page.locator("img").count() == 0
    assert page.locator("style").count() == 0
    assert "<script>alert(1)</script>" in page.inner_text("#kvx-result")
    assert page.locator("script:not([src]):not([type='application/json'])").count() == 0
