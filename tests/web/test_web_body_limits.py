"""Body limits on every route: 413 past KEYVEX_MAX_BODY_BYTES, 422 for JSON nested too deep."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from keyvex.errors import Invalid
from keyvex.web._nesting import MAX_DEPTH, NestingScanner

NESTED = b'{"a":' * 3000  # the probe's 15 KB body: json.loads raised RecursionError on it
OVERSIZE = b'{"title":"' + b"x" * 1_100_000 + b'"}'  # past the default 1,000,000 bytes
JSON = {"content-type": "application/json"}


def chunked(body: bytes, size: int = 64_000) -> Iterator[bytes]:
    """An iterator body: the client sends it chunked, with no Content-Length."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def assert_problem(response: Any, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert words in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [NESTED, b"[" * 3000 + b"]" * 3000, b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1)],
    ids=["probe", "closed", "just-past-the-limit"],
)
def test_deeply_nested_json_to_the_api_is_a_422_sentence(alice: Any, body: bytes) -> None:
    response = alice.post("/api/v1/tools", content=body, headers=JSON)
    assert_problem(response, 422, f"deeper than {MAX_DEPTH} levels")


def test_nested_json_at_the_limit_reaches_the_route(alice: Any) -> None:
    body = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    response = alice.post("/api/v1/tools", content=body, headers=JSON)
    assert response.status_code == 422  # refused by the route (not an object), not the scan
    assert "deeper than" not in response.text


def test_oversize_json_to_the_api_is_a_413_with_content_length(alice: Any) -> None:
    response = alice.post("/api/v1/tools", content=OVERSIZE, headers=JSON)
    assert_problem(response, 413, "larger than")
    assert response.json()["title"] == "Payload too large"


def test_oversize_json_to_the_api_is_a_413_when_streamed_chunked(alice: Any) -> None:
    response = alice.post("/api/v1/tools", content=chunked(OVERSIZE), headers=JSON)
    assert_problem(response, 413, "larger than")


def test_oversize_form_streamed_chunked_gets_the_413_page(client: Any) -> None:
    client.get("/login")
    body = b"email=" + b"x" * 1_100_000
    form = {"content-type": "application/x-www-form-urlencoded"}
    response = client.post("/login", content=chunked(body), headers=form)
    assert response.status_code == 413
    assert "text/html" in response.headers["content-type"] and "larger than" in response.text


def test_a_json_file_nested_too_deep_in_a_form_is_refused_on_the_page(browser: Any) -> None:
    browser.sign_up("nested@example.com")
    files = {"file": ("tool.json", NESTED, "application/json")}
    data = {"csrf_token": browser.csrf("/dashboard")}
    response = browser.client.post("/dashboard/tools/import", files=files, data=data)
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"] and "deeper than" in response.text


def test_json_not_in_utf8_is_refused_rather_than_scanned(alice: Any) -> None:
    body = ("[" * 3000).encode("utf-16")  # json.loads would decode it; the scan could not
    response = alice.post("/api/v1/tools", content=body, headers=JSON)
    assert_problem(response, 422, "UTF-8")


def scan(body: bytes, chunk: int) -> bool:
    scanner = NestingScanner(limit=3)
    try:
        for start in range(0, len(body), chunk):
            scanner.feed(body[start : start + chunk])
    except Invalid:
        return False
    return True


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1000])
def test_the_scan_ignores_brackets_in_strings_across_any_chunking(chunk: int) -> None:
    flat = json.dumps({'[[[[\\"{{{{': ["]]]]", '\\"[[[[['], "x": {"y": [1]}}).encode()
    assert scan(flat, chunk)
    assert not scan(json.dumps([[[["\\"]]]]).encode(), chunk)
    assert not scan(b'["\\\\"' + b"[[[", chunk)  # an escaped backslash does not escape the quote


def test_stray_closers_earn_no_credit_for_later_openers() -> None:
    assert not scan(b"]]]]]]" + b"[[[[", 1000)
