"""Hostile tool content renders inert: in the server HTML, the JSON payload and the theme CSS."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from keyvex.tools import ToolDefinition, get_template

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
STYLE = "</style><style>body{background:url(//evil.example/x)}</style>"
CSS_URL = "x{background:url(//evil.example/y)}"
EVIL = f"{SCRIPT} {IMG} {STYLE} {CSS_URL}"
PAYLOAD = re.compile(r'<script type="application/json" id="kvx-tool">(.*?)</script>', re.S)


def hostile_tool() -> ToolDefinition:
    """The quiz and calculator text fields all carrying markup, quotes and CSS tricks."""
    data = get_template("leadership-style-quiz").model_dump(mode="json")
    data["title"] = f"Quiz {SCRIPT}"[:200]
    data["description"] = EVIL
    for item in data["inputs"]:
        item["label"] = f"Q {IMG}"
        item["help"] = EVIL
        for option in item["options"]:
            option["label"] = f"{option['label']} {SCRIPT}"[:200]
    for step in data["steps"]:
        step["title"], step["description"] = f"Step {STYLE}"[:200], EVIL
    for outcome in data["outcomes"]:
        outcome["title"] = f"Outcome {IMG}"
        outcome["description"] = EVIL
        outcome["recommendations"] = [EVIL, "javascript:alert(1)"]
    data["lead_capture"]["title"] = f"Lead {SCRIPT}"
    data["lead_capture"]["consent_text"] = EVIL
    for block in data["results"]:
        if block["type"] == "cta":  # a real link: a placeholder one is left off the page
            block["label"], block["text"] = f"Book {IMG}", EVIL
            block["url"] = "https://bookings.hostile-test.co.uk/call"
    data["theme"]["font"] = "system"
    return ToolDefinition.model_validate(data)


def test_the_model_refuses_javascript_urls_and_css_in_the_theme() -> None:
    data = get_template("roi-calculator").model_dump(mode="json")
    for block in data["results"]:
        if block["type"] == "cta":
            block["url"] = "javascript:alert(1)"
    with pytest.raises(ValidationError):
        ToolDefinition.model_validate(data)
    for field, value in [
        ("font", "x;}body{background:url(//evil)}"),
        ("font", "Arial</style>"),
        ("primary", "red;background:url(//evil)"),
        ("logo_url", "javascript:alert(1)"),
    ]:
        data = get_template("roi-calculator").model_dump(mode="json")
        data["theme"][field] = value
        with pytest.raises(ValidationError):
            ToolDefinition.model_validate(data)


def test_hostile_text_is_escaped_in_the_page(client: TestClient, publisher: Any) -> None:
    tool = publisher.publish(hostile_tool(), slug="hostile")
    html = client.get("/t/hostile").text
    body = PAYLOAD.sub("", html)
    assert "<script>alert" not in html
    assert "<img" not in html and "<style" not in body and "</style>" not in html
    assert "onerror=alert(1)>" not in body.replace("&gt;", "")  # only escaped forms remain
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    # Every script element is one of ours: external, same-origin, or the JSON payload.
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all('src="/kvx/' in s or 'type="application/json"' in s for s in scripts)
    assert html.count("</script>") == len(scripts)
    assert tool.slug == "hostile"


def test_hostile_text_cannot_leave_the_json_payload(client: TestClient, publisher: Any) -> None:
    publisher.publish(hostile_tool(), slug="hostile")
    html = client.get("/t/hostile").text
    raw = PAYLOAD.search(html)
    assert raw is not None
    text = raw.group(1)
    assert "<" not in text and ">" not in text and "&" not in text
    data = json.loads(text)
    assert SCRIPT in data["inputs"][0]["options"][0]["label"]
    assert "test_cases" not in data and "followup_questions" not in data


def test_theme_css_only_carries_checked_values(client: TestClient, publisher: Any) -> None:
    publisher.publish(hostile_tool(), slug="hostile")
    css = client.get("/t/hostile/theme.css").text
    assert "url(" not in css and "<" not in css and "}" not in css[:-2]
    assert re.fullmatch(r":root\{(--kvx-[a-z-]+:[^;{}<>]+;)+\}\n", css)
