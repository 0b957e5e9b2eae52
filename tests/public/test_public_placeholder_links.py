"""A button that still links to a placeholder domain is left off the public page."""

from __future__ import annotations

from keyvex.engine import run
from keyvex.public._payload import build_payload
from keyvex.tools import ToolDefinition, get_template, parse_tool


def _with_link(url: str) -> ToolDefinition:
    data = get_template("roi-calculator").model_dump(mode="json")
    for block in data["results"]:
        if block["type"] == "cta":
            block["url"] = url
    return parse_tool(data)


def _cta_links(tool: ToolDefinition) -> tuple[str, str]:
    """(the page's link for runtime.js, the server result's link after a submission)."""
    payload = build_payload(tool, slug="roi", version=1)
    page = next(b["url"] for b in payload["blocks"] if b["type"] == "cta")
    answers = tool.test_cases[0].answers
    result = next(b.url for b in run(tool, answers).blocks if b.type == "cta")
    return page, result


def test_a_placeholder_link_reaches_neither_the_page_nor_the_result() -> None:
    assert _cta_links(_with_link("https://example.com/book-a-call")) == ("", "")
    assert _cta_links(_with_link("mailto:hello@example.org")) == ("", "")


def test_a_real_link_is_kept() -> None:
    real = "https://cal.smiledental.co.uk/recall-review"
    assert _cta_links(_with_link(real)) == (real, real)
    assert _cta_links(_with_link("tel:+441632960001")) == ("tel:+441632960001",) * 2
