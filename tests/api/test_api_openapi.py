"""The OpenAPI document is complete, and /api/docs is reachable and signed in (issue 13, 4)."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute

from tests.web.test_web_isolation import all_routes

METHODS = ("get", "post", "put", "patch", "delete")
BODILESS = ("202", "204")  # accepted / no content: nothing to describe


def _named(schema: dict[str, Any]) -> bool:
    """A schema a client can generate code from: a component, a list of one, or text."""
    if "$ref" in schema:
        return True
    if schema.get("type") == "array":
        return _named(schema.get("items", {}))
    return schema.get("type") == "string"


def test_every_api_operation_has_a_summary_and_a_response_schema(client: Any) -> None:
    schema = client.app.openapi()
    problems: list[str] = []
    operations = 0
    for path, item in schema["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            operations += 1
            name = f"{method.upper()} {path}"
            if not op.get("summary"):
                problems.append(f"{name}: no summary")
            ok = {code: r for code, r in op.get("responses", {}).items() if code.startswith("2")}
            if not ok:
                problems.append(f"{name}: no 2xx response")
            for code, response in ok.items():
                content = response.get("content", {})
                if not content and code in BODILESS:
                    continue
                if not content:
                    problems.append(f"{name}: {code} has no content schema")
                for media, body in content.items():
                    if not _named(body.get("schema", {})):
                        problems.append(f"{name}: {code} {media} has no named schema")
    assert operations >= 40
    assert not problems, "\n".join(problems)


def test_summaries_are_written_not_generated_from_function_names(client: Any) -> None:
    """FastAPI makes 'Index' or 'Api Me' from a function's name when no summary is given."""
    missing = [
        f"{sorted(route.methods)} {route.path}"
        for route in all_routes(client.app.routes)
        if isinstance(route, APIRoute)
        and route.path.startswith("/api/v1")
        and route.include_in_schema
        and not route.summary
    ]
    assert not missing, missing


def test_api_docs_are_linked_from_the_account_page_and_signed_in(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    account = browser.client.get("/account").text
    assert 'href="/api/docs" id="api-docs-link"' in account
    docs = browser.client.get("/api/docs")
    assert docs.status_code == 200
    assert "ada@example.com" in docs.text and 'href="/login"' not in docs.text
    assert "List leads across all your tools" in docs.text
    assert "Returns 200: LeadListOut." in docs.text
    browser.log_out()
    public = browser.client.get("/api/docs").text
    assert 'href="/login"' in public and "ada@example.com" not in public


def test_stats_answer_keeps_its_from_key(client: Any, browser: Any) -> None:
    schema = client.app.openapi()["components"]["schemas"]["StatsOut"]
    assert "from" in schema["properties"] and "from_" not in schema["properties"]
