"""Public tool pages: every template renders, headers, no cookies, size budget, 404 and 410."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from keyvex.tools import get_template, list_templates

PAYLOAD = re.compile(r'<script type="application/json" id="kvx-tool">(.*?)</script>', re.S)
ASSETS = re.compile(r'(?:src|href)="(/(?:kvx|t)/[^"]+)"')
BUDGET = 60 * 1024


def payload_of(html: str) -> dict[str, Any]:
    match = PAYLOAD.search(html)
    assert match, "no tool payload in the page"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


@pytest.mark.parametrize("template", [t.id for t in list_templates()])
def test_every_template_renders_as_a_public_page(
    client: TestClient, publisher: Any, template: str
) -> None:
    tool = publisher.publish(get_template(template))
    page = client.get(f"/t/{tool.slug}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    definition = get_template(template)
    payload = payload_of(page.text)
    assert payload["kind"] == definition.kind
    assert [i["id"] for i in payload["inputs"]] == [i.id for i in definition.inputs]
    assert "test_cases" not in page.text and "followup" not in page.text
    for item in definition.inputs:
        assert f'for="kvx-in-{item.id}"' in page.text or f'name="{item.id}"' in page.text


def test_payload_keeps_answers_and_points_on_the_server(client: TestClient, publisher: Any) -> None:
    tool = publisher.publish(get_template("email-marketing-quiz"))
    payload = payload_of(client.get(f"/t/{tool.slug}").text)
    options = [o for i in payload["inputs"] for o in i["options"]]
    assert options and all(set(o) == {"value", "label", "na"} for o in options)


def test_public_page_sets_no_cookie_and_refuses_framing(client: TestClient, publisher: Any) -> None:
    tool = publisher.publish(get_template("roi-calculator"))
    page = client.get(f"/t/{tool.slug}")
    assert "set-cookie" not in page.headers
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_embed_can_be_framed_and_sets_no_cookie(client: TestClient, publisher: Any) -> None:
    tool = publisher.publish(get_template("roi-calculator"))
    page = client.get(f"/t/{tool.slug}/embed?transparent=1&origin=https://consultant.example")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors http: https:" in csp and "script-src 'self'" in csp
    assert "x-frame-options" not in page.headers
    assert "set-cookie" not in page.headers
    assert 'data-origin="https://consultant.example"' in page.text
    assert "kvx-transparent" in page.text


def test_embed_may_only_be_framed_by_allowed_origins(client: TestClient, publisher: Any) -> None:
    tool = publisher.publish(get_template("roi-calculator"), origins=["https://consultant.example"])
    page = client.get(f"/t/{tool.slug}/embed?origin=https://consultant.example")
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors https://consultant.example" in csp and "http:" not in csp
    assert 'data-origin="https://consultant.example"' in page.text
    other = client.get(f"/t/{tool.slug}/embed?origin=https://other.example")
    assert 'data-origin=""' in other.text


def test_embed_ignores_an_origin_that_is_not_an_origin(client: TestClient, publisher: Any) -> None:
    tool = publisher.publish(get_template("roi-calculator"))
    for bad in ("javascript:alert(1)", "https://a.example/path", '"><x', "*"):
        page = client.get(f"/t/{tool.slug}/embed", params={"origin": bad})
        assert 'data-origin=""' in page.text


def test_theme_stylesheet_is_cacheable_css(client: TestClient, publisher: Any) -> None:
    tool = publisher.publish(get_template("roi-calculator"))
    css = client.get(f"/t/{tool.slug}/theme.css?v={tool.version}")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "immutable" in css.headers["cache-control"]
    assert css.text.startswith(":root{--kvx-primary:#")


def test_page_and_assets_stay_under_the_size_budget(client: TestClient, publisher: Any) -> None:
    sizes = {}
    for template in list_templates():
        tool = publisher.publish(template)
        page = client.get(f"/t/{tool.slug}")
        total = len(gzip.compress(page.content))
        for url in ASSETS.findall(page.text):
            asset = client.get(url.replace("&amp;", "&"))
            assert asset.status_code == 200, url
            total += len(gzip.compress(asset.content))
        sizes[template.id] = total
    largest = max(sizes, key=lambda k: sizes[k])
    assert sizes[largest] < BUDGET, f"{largest}: {sizes[largest]} bytes gzipped"


def test_assets_are_served_compressed_with_long_cache(client: TestClient) -> None:
    for name in ("runtime.js", "charts.js", "formula.js", "public.css"):
        res = client.get(f"/kvx/{name}?v=1", headers={"Accept-Encoding": "gzip"})
        assert res.status_code == 200
        assert "immutable" in res.headers["cache-control"]
    assert client.get("/kvx/../settings.py").status_code == 404
    assert client.get("/kvx/nothing.js").status_code == 404


def test_embed_script_is_served_for_other_sites(client: TestClient) -> None:
    res = client.get("/embed.js")
    assert res.status_code == 200 and "javascript" in res.headers["content-type"]
    assert "keyvex:height" in res.text


def test_unknown_slug_is_404(client: TestClient) -> None:
    assert client.get("/t/no-such-tool").status_code == 404


def test_unpublished_tool_shows_a_410_page(client: TestClient, publisher: Any) -> None:
    from keyvex.tools.publishing import unpublish

    tool = publisher.publish(get_template("roi-calculator"))
    client.portal.call(unpublish, publisher.app, publisher.user, tool.tool_id)  # type: ignore[union-attr]
    page = client.get(f"/t/{tool.slug}")
    assert page.status_code == 410
    assert page.headers["content-type"].startswith("text/html")
