"""REST API sources against a local JSON API on 127.0.0.1 (http.server in a thread)."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from keyvex.data import Dataset, SourceContext, SourceError
from keyvex.data.sources import connector
from keyvex.data.sources._records import flatten

pytestmark = pytest.mark.anyio

TOKEN = "Bearer s3cr3t-token-4711"
SECRETS = {"secret_headers": json.dumps({"Authorization": TOKEN})}
PEOPLE = [{"id": n, "name": f"Person {n}", "tags": ["a", "b"][: n % 3]} for n in range(1, 8)]
REST = connector("rest")


class Api(BaseHTTPRequestHandler):
    """Routes of the stand-in API; ``server.calls`` keeps (path, headers, body) of each request."""

    server: ApiServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep tests quiet
        pass

    def do_GET(self) -> None:
        self.route(b"")

    def do_POST(self) -> None:
        self.route(self.rfile.read(int(self.headers.get("Content-Length", "0"))))

    def route(self, body: bytes) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.server.calls.append((self.path, dict(self.headers.items()), body))
        handler = getattr(self, "r_" + parts.path.strip("/").replace("-", "_"), None)
        if handler is None:
            return self.answer(404, {"error": "no such route"})
        handler(query, body)

    def answer(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def r_people(self, query: dict[str, str], body: bytes) -> None:
        self.answer(200, PEOPLE)

    def r_nested(self, query: dict[str, str], body: bytes) -> None:
        items = [{"id": 1, "address": {"city": "Oslo", "geo": {"lat": 59.9}}, "ok": True}]
        items.append({"id": 2, "extra": None, "address": {"city": "Bergen"}})
        self.answer(200, {"meta": {"total": 2}, "data": {"items": items}})

    def r_cursor(self, query: dict[str, str], body: bytes) -> None:
        page = int(query.get("after", "0"))
        nxt = {0: "/cursor?after=1", 1: f"http://{self.headers['Host']}/cursor?after=2"}
        rows = [{"page": page, "n": page * 10 + i} for i in range(2)]
        self.answer(200, {"items": rows, "links": {"next": nxt.get(page)}})

    def r_linked(self, query: dict[str, str], body: bytes) -> None:
        page = int(query.get("p", "1"))
        links = '<https://example.org/docs>; rel="help"'
        if page < 3:
            links += f', </linked?p={page + 1}>; rel="next", </linked?p=1>; rel="first"'
        self.answer(200, [{"p": page}], {"Link": links})

    def r_paged(self, query: dict[str, str], body: bytes) -> None:
        page, size = int(query["page"]), int(query.get("per_page", "2"))
        rows = [{"n": n} for n in range(1, 6)][(page - 1) * size : page * size]
        self.answer(200, {"results": rows})

    def r_private(self, query: dict[str, str], body: bytes) -> None:
        if self.headers.get("Authorization") != TOKEN:
            sent = self.headers.get("Authorization", "")
            return self.answer(401, {"error": f"bad token {sent}"})
        self.answer(200, [{"secret": "granted"}])

    def r_echo_redirect(self, query: dict[str, str], body: bytes) -> None:
        location = f"/people?token={quote(self.headers.get('Authorization', ''))}"
        self.answer(302, b"", {"Location": location})

    def r_busy(self, query: dict[str, str], body: bytes) -> None:
        self.server.busy -= 1
        if self.server.busy >= 0:
            return self.answer(429, {"error": "slow down"}, {"Retry-After": query.get("wait", "0")})
        self.answer(200, [{"finally": "ok"}])

    def r_html(self, query: dict[str, str], body: bytes) -> None:
        self.answer(200, b"<html>login</html>", {"Content-Type": "text/html; charset=utf-8"})

    def r_broken(self, query: dict[str, str], body: bytes) -> None:
        self.answer(503, {"error": "down"})

    def r_search(self, query: dict[str, str], body: bytes) -> None:
        wanted = json.loads(body)["city"]
        self.answer(200, {"hits": [{"city": wanted, "method": self.command}]})

    def r_offsite(self, query: dict[str, str], body: bytes) -> None:
        self.answer(200, {"items": [{"n": 1}], "next": "http://169.254.169.254/latest/meta-data"})

    def r_stuck(self, query: dict[str, str], body: bytes) -> None:
        self.answer(200, [{"same": "page"}])


class ApiServer(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Api)
        self.calls: list[tuple[str, dict[str, str], bytes]] = []
        self.busy = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def api() -> Iterator[ApiServer]:
    server = ApiServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


CTX = SourceContext(allow_loopback=True, timeout=5)


async def fetch(api: ApiServer, path: str, limit: int | None = None, **config: Any) -> Dataset:
    secrets = config.pop("secrets", {})
    ctx = config.pop("ctx", CTX)
    return await REST.fetch({"url": api.base + path, **config}, secrets, ctx, limit=limit)


async def failure(api: ApiServer, path: str, **config: Any) -> SourceError:
    with pytest.raises(SourceError) as caught:
        await fetch(api, path, **config)
    return caught.value


async def test_a_plain_list_becomes_rows_with_lists_of_scalars_joined(api: ApiServer) -> None:
    data = await fetch(api, "/people")
    assert data.columns == ["id", "name", "tags"]
    assert data.rows[:3] == [[1, "Person 1", "a"], [2, "Person 2", "a, b"], [3, "Person 3", None]]
    assert data.row_count == 7 and not data.truncated


async def test_nested_record_path_flattens_objects_into_dotted_columns(api: ApiServer) -> None:
    data = await fetch(api, "/nested", record_path="data.items")
    assert data.columns == ["id", "address.city", "address.geo.lat", "ok", "extra"]
    assert data.rows == [[1, "Oslo", 59.9, True, None], [2, "Bergen", None, None, None]]


async def test_a_wrong_record_path_names_the_keys_found(api: ApiServer) -> None:
    error = await failure(api, "/nested", record_path="data.rows")
    assert error.kind == "format"
    assert str(error) == (
        "The record path 'data.rows' does not match the answer: 'rows' is missing at data, "
        "which has the keys items."
    )
    top = await failure(api, "/nested")
    assert "set the record path to one of: data.items" in str(top)


async def test_next_links_in_the_body_are_followed_relative_and_absolute(api: ApiServer) -> None:
    pagination = {"mode": "next_link", "path": "links.next"}
    data = await fetch(api, "/cursor", record_path="items", pagination=pagination)
    assert [row[1] for row in data.rows] == [0, 1, 10, 11, 20, 21]
    assert [call[0] for call in api.calls] == ["/cursor", "/cursor?after=1", "/cursor?after=2"]


async def test_link_header_next_is_followed_when_no_path_is_given(api: ApiServer) -> None:
    data = await fetch(api, "/linked", pagination={"mode": "next_link"})
    assert data.rows == [[1], [2], [3]] and not data.warnings


async def test_page_numbers_are_counted_up_until_an_empty_page(api: ApiServer) -> None:
    pagination = {"mode": "page", "param": "page", "size_param": "per_page", "size": 2}
    data = await fetch(api, "/paged", record_path="results", pagination=pagination)
    assert data.rows == [[1], [2], [3], [4], [5]]
    assert [c[0] for c in api.calls][-1] == "/paged?page=4&per_page=2"


async def test_max_pages_stops_the_walk_with_a_warning(api: ApiServer) -> None:
    pagination = {"mode": "page", "size_param": "per_page", "size": 1}
    data = await fetch(api, "/paged", record_path="results", pagination=pagination, max_pages=2)
    assert data.rows == [[1], [2]] and data.truncated
    assert data.warnings == [
        "Stopped after 2 pages (the page limit); raise max_pages to read the rest."
    ]


async def test_a_preview_reads_only_the_pages_it_needs(api: ApiServer) -> None:
    pagination = {"mode": "next_link", "path": "links.next"}
    data = await fetch(api, "/cursor", limit=3, record_path="items", pagination=pagination)
    assert len(data.rows) == 3 and data.truncated and len(api.calls) == 2
    assert "total row count is not known" in data.warnings[0]


async def test_an_api_ignoring_the_page_parameter_is_read_once(api: ApiServer) -> None:
    data = await fetch(api, "/stuck", pagination={"mode": "page"})
    assert data.rows == [["page"]] and len(api.calls) == 2
    assert data.warnings == ["The API answered two pages with the same records; stopped."]


async def test_the_secret_header_is_sent_and_never_shown(api: ApiServer) -> None:
    data = await fetch(api, "/private", secrets=SECRETS, headers={"X-Client": "keyvex-test"})
    assert data.rows == [["granted"]]
    assert api.calls[0][1]["Authorization"] == TOKEN
    assert api.calls[0][1]["X-Client"] == "keyvex-test"
    assert TOKEN not in json.dumps(data.to_json())
    redirect = await failure(api, "/echo-redirect", secrets=SECRETS)
    assert redirect.kind == "refused" and "redirects are not followed" in str(redirect)
    assert str(redirect).startswith(
        "The API answered with a redirect (HTTP 302) to /people?token=***"
    )
    assert "s3cr3t" not in str(redirect) and "s3cr3t" not in json.dumps(redirect.to_problem())


async def test_a_refused_token_is_an_auth_failure(api: ApiServer) -> None:
    wrong = {"secret_headers": json.dumps({"Authorization": "Bearer wrong-token"})}
    error = await failure(api, "/private", secrets=wrong)
    assert error.kind == "auth"
    assert str(error) == "The API refused the credentials (HTTP 401); check the secret headers."


async def test_credentials_in_plain_headers_are_refused(api: ApiServer) -> None:
    error = await failure(api, "/people", headers={"Authorization": TOKEN})
    assert error.kind == "config" and "put it in the secret headers" in str(error)
    assert TOKEN not in str(error) and api.calls == []


async def test_malformed_secret_headers_are_a_config_error(api: ApiServer) -> None:
    error = await failure(api, "/people", secrets={"secret_headers": "Authorization: Bearer x"})
    assert error.kind == "config" and "JSON object" in str(error)


async def test_rate_limit_is_retried_after_the_servers_short_wait(api: ApiServer) -> None:
    api.busy = 2
    data = await fetch(api, "/busy?wait=0")
    assert data.rows == [["ok"]] and len(api.calls) == 3


async def test_a_long_retry_after_is_reported_as_rate_limited(api: ApiServer) -> None:
    api.busy = 1
    error = await failure(api, "/busy?wait=60")
    assert error.kind == "rate_limited" and "60 seconds" in str(error)
    assert len(api.calls) == 1


async def test_a_post_sends_the_json_body(api: ApiServer) -> None:
    data = await fetch(api, "/search", method="POST", body={"city": "Oslo"}, record_path="hits")
    assert data.rows == [["Oslo", "POST"]]
    assert api.calls[0][1]["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("path", "kind", "words"),
    [
        ("/html", "format", "did not answer with JSON (content type: text/html)"),
        ("/broken", "unreachable", "failed with HTTP 503"),
        ("/nowhere", "not_found", "/nowhere (HTTP 404)"),
    ],
)
async def test_failing_answers_are_named(api: ApiServer, path: str, kind: str, words: str) -> None:
    error = await failure(api, path)
    assert error.kind == kind and words in str(error)


async def test_a_page_over_the_size_cap_is_too_large(api: ApiServer) -> None:
    error = await failure(api, "/people", ctx=dataclasses.replace(CTX, max_bytes=100))
    assert error.kind == "too_large"


async def test_too_many_records_is_too_large(api: ApiServer) -> None:
    error = await failure(api, "/people", ctx=dataclasses.replace(CTX, max_rows=5))
    assert error.kind == "too_large" and "more than 5 records" in str(error)


async def test_a_next_link_to_another_host_is_refused(api: ApiServer) -> None:
    pagination = {"mode": "next_link", "path": "next"}
    error = await failure(api, "/offsite", record_path="items", pagination=pagination)
    assert error.kind == "refused" and "169.254.169.254" in str(error)
    assert len(api.calls) == 1


async def test_private_addresses_and_unallowed_loopback_are_refused(api: ApiServer) -> None:
    ctx = SourceContext(timeout=2)
    for url, words in [
        ("http://10.0.0.1/data", "10.0.0.1, a private network address"),
        ("http://169.254.169.254/latest", "a cloud metadata address"),
        (api.base + "/people", "127.0.0.1, a loopback address"),
        ("file:///etc/passwd", "Only http:// and https://"),
    ]:
        with pytest.raises(SourceError) as caught:
            await REST.fetch({"url": url}, SECRETS, ctx)
        assert caught.value.kind == "refused" and words in str(caught.value)
    assert api.calls == []


def test_flatten_keeps_deep_objects_and_lists_of_objects_as_json() -> None:
    record = {"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}, "rows": [{"x": 1}], "empty": []}
    assert flatten(record) == {"a.b.c.d.e": '{"f": 1}', "rows": '[{"x": 1}]', "empty": None}
    assert flatten(42) == {"value": 42}
