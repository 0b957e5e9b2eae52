"""Presentation: the cover and layout schema, the page markup per layout, and the size budget."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from keyvex.tools import (
    Presentation,
    ToolDefinition,
    ToolValidationError,
    get_template,
    list_templates,
    parse_tool,
)

PAYLOAD = re.compile(r'<script type="application/json" id="kvx-tool">(.*?)</script>', re.S)
ASSETS = re.compile(r'(?:src|href)="(/(?:kvx|t)/[^"]+)"')
SECTION = re.compile(r'<section class="kvx-step" id="kvx-step-(\d+)" data-step="(\d*)"')
BUDGET = 30 * 1024
SCRIPT = "<script>alert(1)</script>"


def with_presentation(template: str, **presentation: Any) -> ToolDefinition:
    data = get_template(template).model_dump(mode="json")
    data["presentation"] = presentation
    return ToolDefinition.model_validate(data)


def page_of(client: TestClient, publisher: Any, tool: ToolDefinition) -> str:
    published = publisher.publish(tool)
    response = client.get(f"/t/{published.slug}")
    assert response.status_code == 200
    return response.text


def sections(html: str) -> list[tuple[str, str]]:
    return SECTION.findall(html)


def errors_of(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ToolValidationError) as caught:
        parse_tool(data)
    return {e["path"]: e["message"] for e in caught.value.errors}


# ---- schema ---------------------------------------------------------------------------


def test_every_template_is_valid_without_a_presentation_and_gets_the_default() -> None:
    for tool in list_templates():
        data = tool.model_dump(mode="json", exclude={"presentation"})
        assert parse_tool(data).presentation == Presentation()
        expected = "all_on_one" if tool.kind == "calculator" else "one_per_screen"
        assert tool.presentation.layout_for(tool.kind) == expected


def test_a_valid_cover_and_layout_are_kept() -> None:
    data = get_template("cyber-security-scorecard").model_dump(mode="json")
    data["presentation"] = {
        "layout": "all_on_one",
        "cover": {
            "title": "  Is your   business safe? ",
            "subtitle": "Nine questions.",
            "image_url": "https://images.example/cover.jpg",
            "image_alt": "A padlock",
            "start_label": "Begin",
        },
    }
    tool = parse_tool(data)
    assert tool.presentation.layout_for("assessment") == "all_on_one"
    assert tool.presentation.cover is not None
    assert tool.presentation.cover.title == "Is your business safe?"
    assert tool.presentation.cover.pattern == "waves"
    assert parse_tool(tool.model_dump(mode="json")) == tool


@pytest.mark.parametrize(
    ("cover", "path", "message"),
    [
        ({"image_url": "http://images.example/a.jpg"}, "image_url", "https"),
        ({"image_url": "javascript:alert(1)"}, "image_url", "https"),
        ({"image_url": "https://"}, "image_url", "https"),
        ({"image_url": "https://a.example/" + "x" * 2000}, "image_url", "at most 2000"),
        ({"image_url": "https://a.example/a b.png"}, "image_url", "spaces"),
        ({"subtitle": "x" * 501}, "subtitle", "at most 500"),
        ({"title": "x" * 201}, "title", "at most 200"),
        ({"start_label": ""}, "start_label", "empty"),
        ({"pattern": "plaid"}, "pattern", "one of"),
        ({"onload": "x"}, "onload", ""),
    ],
)
def test_a_bad_cover_is_refused_with_a_sentence(
    cover: dict[str, Any], path: str, message: str
) -> None:
    data = get_template("roi-calculator").model_dump(mode="json")
    data["presentation"] = {"cover": cover}
    errors = errors_of(data)
    assert f"presentation.cover.{path}" in errors, errors
    assert message in errors[f"presentation.cover.{path}"]


def test_an_unknown_layout_is_refused() -> None:
    data = get_template("roi-calculator").model_dump(mode="json")
    data["presentation"] = {"layout": "carousel"}
    assert "one of" in errors_of(data)["presentation.layout"]


# ---- markup per layout ----------------------------------------------------------------


def test_a_quiz_shows_one_question_per_screen_by_default(
    client: TestClient, publisher: Any
) -> None:
    tool = get_template("marketing-maturity-scorecard")
    html = page_of(client, publisher, tool)
    found = sections(html)
    assert len(found) == len(tool.inputs) == 9
    # Funnel steps stay the declared steps (3 of 3 questions each), as analytics counts them.
    assert [step for _, step in found] == ["1"] * 3 + ["2"] * 3 + ["3"] * 3
    assert html.count('class="kvx-kicker"') == 9
    assert 'class="kvx kvx-one_per_screen' in html
    assert 'id="kvx-progress-text" aria-live="polite"' in html
    assert '<div class="kvx-nav" id="kvx-nav">' in html
    assert json.loads(PAYLOAD.findall(html)[0])["layout"] == "one_per_screen"


def test_a_quiz_can_show_every_question_on_one_page(client: TestClient, publisher: Any) -> None:
    tool = with_presentation("cyber-security-scorecard", layout="all_on_one")
    html = page_of(client, publisher, tool)
    assert sections(html) == [("0", "")]
    assert all(f'data-input="{item.id}"' in html for item in tool.inputs)
    assert 'class="kvx kvx-all_on_one' in html
    assert '<div class="kvx-nav" id="kvx-nav">' in html  # one "See my result" button
    assert json.loads(PAYLOAD.findall(html)[0])["layout"] == "all_on_one"
    stepped = with_presentation("email-marketing-quiz", layout="all_on_one")
    html = page_of(client, publisher, stepped)
    assert len(sections(html)) == len(stepped.steps)  # declared steps stay titled sections
    assert html.count('class="kvx-step-title"') == len(stepped.steps)


def test_a_calculator_is_live_on_one_page_and_keeps_its_steps(
    client: TestClient, publisher: Any
) -> None:
    html = page_of(client, publisher, get_template("roi-calculator"))
    assert sections(html) == [("0", "")]
    assert '<div class="kvx-nav" id="kvx-nav" hidden>' in html
    stepped = get_template("time-savings-calculator")
    html = page_of(client, publisher, stepped)
    assert len(sections(html)) == len(stepped.steps) == 2
    assert html.count('class="kvx-step-title"') == 2


def test_a_calculator_can_go_one_step_per_screen(client: TestClient, publisher: Any) -> None:
    html = page_of(
        client, publisher, with_presentation("ltv-cac-calculator", layout="one_per_screen")
    )
    assert [step for _, step in sections(html)] == ["1", "2"]
    assert '<div class="kvx-nav" id="kvx-nav">' in html
    plain = with_presentation("roi-calculator", layout="one_per_screen")
    html = page_of(client, publisher, plain)
    assert [step for _, step in sections(html)] == [""] * len(plain.inputs)  # not counted


def test_no_cover_means_no_start_button(client: TestClient, publisher: Any) -> None:
    html = page_of(client, publisher, get_template("wellbeing-scorecard"))
    assert 'id="kvx-start"' not in html and "kvx-cover" not in html
    assert '<form class="kvx-form kvx-assessment" id="kvx-form" novalidate>' in html


def test_a_cover_with_a_pattern_hides_the_form_until_started(
    client: TestClient, publisher: Any
) -> None:
    tool = with_presentation(
        "cyber-security-scorecard", cover={"subtitle": "Ten minutes well spent.", "pattern": "dots"}
    )
    html = page_of(client, publisher, tool)
    assert '<header class="kvx-head kvx-cover" id="kvx-head">' in html
    assert 'class="kvx-cover-art kvx-pattern kvx-pattern-dots" aria-hidden="true"' in html
    assert f">{tool.title}</h1>" in html  # an empty cover title is the tool's title
    assert "Ten minutes well spent." in html
    assert '<p class="kvx-cover-meta">9 questions</p>' in html
    assert '<button type="button" class="kvx-btn kvx-start" id="kvx-start">Start</button>' in html
    assert 'id="kvx-form" novalidate hidden>' in html
    assert "<img" not in html


def test_a_cover_image_is_an_https_image_without_referrer(
    client: TestClient, publisher: Any
) -> None:
    cover = {"image_url": "https://img.example/c.jpg?a=1&b=2", "image_alt": "Team at work"}
    html = page_of(client, publisher, with_presentation("roi-calculator", cover=cover))
    assert (
        '<img class="kvx-cover-art kvx-cover-img" src="https://img.example/c.jpg?a=1&amp;b=2" '
        'alt="Team at work" referrerpolicy="no-referrer">'
    ) in html
    assert "kvx-pattern" not in html
    assert "kvx-cover-meta" not in html  # calculators do not count questions


def test_cover_texts_and_step_titles_are_escaped(client: TestClient, publisher: Any) -> None:
    data = get_template("marketing-maturity-scorecard").model_dump(mode="json")
    data["steps"][0]["title"] = f"Strategy {SCRIPT}"
    data["presentation"] = {
        "cover": {
            "title": f"Cover {SCRIPT}",
            "subtitle": '"><img src=x onerror=alert(1)>',
            "image_url": 'https://img.example/"onerror="alert(1)',
            "image_alt": '" onload="alert(1)',
            "start_label": f"Go {SCRIPT}",
        }
    }
    html = page_of(client, publisher, ToolDefinition.model_validate(data))
    page = PAYLOAD.sub("", html)
    assert SCRIPT not in page and "<img src=x" not in page
    assert 'onerror="alert' not in page and 'onload="alert' not in page
    assert "Cover &lt;script&gt;" in page and "Strategy &lt;script&gt;" in page


def test_the_page_has_no_inline_script_or_style(client: TestClient, publisher: Any) -> None:
    for template in ("email-marketing-quiz", "roi-calculator"):
        html = page_of(client, publisher, with_presentation(template, cover={}))
        assert " style=" not in html and "<style" not in html
        scripts = re.findall(r"<script(?P<attrs>[^>]*)>", html)
        assert all("src=" in a or 'type="application/json"' in a for a in scripts)


def test_a_cached_page_keeps_its_cover(client: TestClient, publisher: Any) -> None:
    published = publisher.publish(with_presentation("wellbeing-scorecard", cover={}))
    first = client.get(f"/t/{published.slug}")
    second = client.get(f"/t/{published.slug}")
    assert first.text == second.text and 'id="kvx-start"' in second.text


# ---- size ------------------------------------------------------------------------------


def page_weight(client: TestClient, html: str) -> int:
    total = len(gzip.compress(html.encode()))
    for url in ASSETS.findall(html):
        asset = client.get(url.replace("&amp;", "&"))
        assert asset.status_code == 200, url
        total += len(gzip.compress(asset.content))
    return total


def test_every_template_with_a_cover_stays_under_30_kb_gzipped(
    client: TestClient, publisher: Any
) -> None:
    sizes = {}
    for template in list_templates():
        for cover in (None, {"subtitle": "x" * 500, "pattern": "waves"}):
            tool = with_presentation(template.id, cover=cover)
            sizes[(template.id, cover is not None)] = page_weight(
                client, page_of(client, publisher, tool)
            )
    largest = max(sizes, key=lambda k: sizes[k])
    assert sizes[largest] < BUDGET, f"{largest}: {sizes[largest]} bytes gzipped"


def test_a_step_title_that_only_counts_is_left_to_the_progress_bar(
    client: TestClient, publisher: Any
) -> None:
    data = get_template("email-marketing-quiz").model_dump(mode="json")
    for n, step in enumerate(data["steps"]):
        step["title"] = f"Question {n + 1} of 5"  # stale after a question was added
    html = page_of(client, publisher, ToolDefinition.model_validate(data))
    assert "kvx-kicker" not in html and "of 5" not in PAYLOAD.sub("", html)
