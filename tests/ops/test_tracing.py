"""Tracing: spans reach a local OTLP/HTTP receiver; with no endpoint nothing is loaded."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from keyvex.settings import Settings
from keyvex.web.app import create_app


class Receiver:
    """An OTLP/HTTP trace receiver on 127.0.0.1: decodes each protobuf export it is sent."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, bytes, bytes, str]] = []  # name, trace id, parent, service
        self.urls: list[str] = []  # of client spans
        self.port = 0

    async def traces(self, request: Request) -> Response:
        assert request.headers["content-type"] == "application/x-protobuf"
        export = ExportTraceServiceRequest.FromString(await request.body())
        for resource in export.resource_spans:
            service = next(
                a.value.string_value
                for a in resource.resource.attributes
                if a.key == "service.name"
            )
            for scope in resource.scope_spans:
                for span in scope.spans:
                    self.spans.append((span.name, span.trace_id, span.parent_span_id, service))
                    self.urls += [
                        a.value.string_value
                        for a in span.attributes
                        if a.key in ("url.full", "http.url")
                    ]
        body = ExportTraceServiceResponse().SerializeToString()
        return Response(body, media_type="application/x-protobuf")

    async def ping(self, request: Request) -> Response:
        return Response("pong")

    def named(self, prefix: str) -> list[tuple[str, bytes, bytes, str]]:
        return [s for s in self.spans if s[0].startswith(prefix)]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    box = Receiver()
    routes = [Route("/v1/traces", box.traces, methods=["POST"]), Route("/ping", box.ping)]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        box.port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(Starlette(routes=routes), host="127.0.0.1", port=box.port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield box
    server.should_exit = True
    thread.join(timeout=10)


def test_requests_store_calls_and_outbound_http_are_exported(
    tmp_path: Path, receiver: Receiver
) -> None:
    endpoint = f"http://127.0.0.1:{receiver.port}"
    settings = Settings(
        env="test", data_dir=tmp_path / "data", otel_endpoint=endpoint, otel_service_name="kvx-t"
    )
    with TestClient(create_app(settings)) as client:
        assert client.get("/t/no-such-tool").status_code == 404
        assert client.get("/healthz").status_code == 200  # left out
        assert httpx.get(f"{endpoint}/ping").text == "pong"  # an outbound call, instrumented
    # Leaving the app flushed the batch: the spans are there without waiting.
    requests = [s for s in receiver.spans if s[0] == "GET /t/{slug}"]
    assert len(requests) == 1, receiver.spans
    trace_id = requests[0][1]
    store_calls = [s for s in receiver.named("store.") if s[1] == trace_id]
    assert store_calls, "the tool lookup's store call is a child of the request's trace"
    assert all(s[2] for s in store_calls)  # each has a parent span
    assert f"{endpoint}/ping" in receiver.urls, "the outbound httpx request has a span"
    assert not [s for s in receiver.spans if "/healthz" in s[0]]
    assert {s[3] for s in receiver.spans} == {"kvx-t"}


def test_without_an_endpoint_no_opentelemetry_sdk_is_loaded(tmp_path: Path) -> None:
    code = (
        "import sys; from keyvex.settings import Settings; from keyvex.web.app import create_app;"
        f"create_app(Settings(env='test', data_dir={str(tmp_path / 'd')!r}));"
        "loaded = [m for m in sys.modules if m.startswith(('opentelemetry.sdk',"
        " 'opentelemetry.instrumentation', 'opentelemetry.exporter'))];"
        "print(loaded); assert not loaded"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
