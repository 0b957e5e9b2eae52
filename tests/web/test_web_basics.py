"""Site basics: health probes, landing page, security headers, error pages, body limits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def test_health_and_readiness(client: Any) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ok", "store": "ok"}


def test_landing_page_says_what_keyvex_does(client: Any) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "calculators" in page.text and "Sign up" in page.text


def test_every_response_carries_security_headers(client: Any) -> None:
    for path in ("/", "/healthz", "/no-such-page", "/static/css/app.css"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert headers["x-request-id"]


def test_pages_have_no_inline_scripts(client: Any) -> None:
    html = client.get("/").text
    assert "<script>" not in html and "onclick" not in html


def test_unknown_route_gets_a_404_page(client: Any) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "Page not found" in page.text


def test_unknown_api_route_gets_problem_json(client: Any) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Page not found"


def test_oversized_request_body_is_refused_clearly(client: Any) -> None:
    client.get("/login")
    response = client.post(
        "/login",
        content=b"x" * 1_100_000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert "larger than" in response.text


def test_malformed_cookie_header_is_not_a_server_error(client: Any) -> None:
    response = client.get("/", headers={"cookie": 'kvx_session="\\x00; =; bad'})
    assert response.status_code == 200


def test_request_id_is_echoed_when_sane(client: Any) -> None:
    assert (
        client.get("/healthz", headers={"x-request-id": "abc123def456"}).headers["x-request-id"]
        == "abc123def456"
    )
    assert (
        client.get("/healthz", headers={"x-request-id": "<script>"}).headers["x-request-id"]
        != "<script>"
    )


def test_csrf_cookie_is_only_set_by_pages_with_forms(client: Any) -> None:
    assert "set-cookie" not in client.get("/healthz").headers
    assert "set-cookie" not in client.get("/no-such-page").headers
    assert "kvx_csrf=" in client.get("/login").headers["set-cookie"]


def test_a_route_with_its_own_csp_decides_about_framing(client: Any) -> None:
    from starlette.responses import PlainTextResponse

    @client.app.get("/_framing-probe")
    async def probe() -> PlainTextResponse:
        return PlainTextResponse("ok", headers={"Content-Security-Policy": "frame-ancestors *"})

    headers = client.get("/_framing-probe").headers
    assert headers["content-security-policy"] == "frame-ancestors *"
    assert "x-frame-options" not in headers
    assert client.get("/").headers["x-frame-options"] == "DENY"


def test_a_serving_process_leaves_its_start_up_heap_out_of_garbage_collection(
    tmp_path: Path,
) -> None:
    """``factory`` (what ``keyvex serve --workers N`` runs) freezes what start-up built, so a
    full collection later walks only newer objects; checked in a process of its own, since
    freezing this one would keep every test's app alive."""
    script = (
        "import gc\n"
        "from keyvex.web.app import factory\n"
        "factory()\n"
        "print(gc.get_freeze_count(), len(gc.get_objects()))\n"
    )
    env = {**os.environ, "KEYVEX_DATA_DIR": str(tmp_path / "data"), "KEYVEX_ENV": "test"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    frozen, tracked = map(int, done.stdout.split()[-2:])
    assert frozen > 100_000  # modules, templates, validators, the knowledge base
    assert tracked < frozen // 10  # what a collection still walks
