"""A local HTTP server speaking the OpenAI chat-completions and Anthropic messages wire formats.

It answers every request the way the offline planner would, as a tool call on the request's
first tool, streamed as server-sent events when the request asks for a stream.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from keyvex.ai.planner.model import answer

CHUNK = 700
USAGE_IN, USAGE_OUT = 1200, 340


def _payload(messages: list[dict[str, Any]]) -> dict[str, Any]:
    for message in reversed(messages):
        content = message.get("content")
        texts = [content] if isinstance(content, str) else [
            part.get("text", "") for part in content or [] if isinstance(part, dict)
        ]  # fmt: skip
        for text in texts:
            if text.startswith("{") and '"task"' in text:
                return dict(json.loads(text))
    raise ValueError("no Keyvex request in the messages")


class WireServer(ThreadingHTTPServer):
    """Keeps what it received; ``fail_openai`` makes chat completions answer 429. While
    ``gate`` is clear, a request waits (counted in ``stalled``) and then answers 503: a model
    that hangs until its caller is gone."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, Any]] = []
        self.fail_openai = False
        self.gate = threading.Event()
        self.gate.set()
        self.stalled = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: WireServer

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if not self.server.gate.is_set():
            self.server.stalled += 1
            self.server.gate.wait(120)
            self.send_error(503, "stalled until the caller was gone")
            return
        self.server.requests.append(
            {
                "path": self.path,
                "body": body,
                "headers": {k.lower(): v for k, v in self.headers.items()},
            }
        )
        if self.path.endswith("/chat/completions"):
            self._openai(body)
        elif self.path.endswith("/messages"):
            self._anthropic(body)
        else:
            self._json(404, {"error": {"message": "not found"}})

    def _json(self, status: int, data: dict[str, Any]) -> None:
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _sse(self, events: list[tuple[str | None, str]]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        for name, data in events:
            head = f"event: {name}\n" if name else ""
            self.wfile.write(f"{head}data: {data}\n\n".encode())
            self.wfile.flush()
        self.close_connection = True

    def _openai(self, body: dict[str, Any]) -> None:
        if self.server.fail_openai:
            error = {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}}
            return self._json(429, error)
        tool = body["tools"][0]["function"]["name"]
        args = json.dumps(answer(_payload(body["messages"])))
        usage = {"prompt_tokens": USAGE_IN, "completion_tokens": USAGE_OUT,
                 "total_tokens": USAGE_IN + USAGE_OUT}  # fmt: skip
        base = {"id": "chatcmpl-local", "created": 1700000000, "model": body["model"]}
        call = {"id": "call_local", "type": "function", "function": {"name": tool}}
        if not body.get("stream"):
            call["function"]["arguments"] = args
            message = {"role": "assistant", "content": None, "tool_calls": [call]}
            choice = {"index": 0, "message": message, "finish_reason": "tool_calls"}
            return self._json(200, {**base, "object": "chat.completion", "choices": [choice],
                                    "usage": usage})  # fmt: skip
        chunk = {**base, "object": "chat.completion.chunk"}
        first = {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"index": 0, **call, "function": {"name": tool, "arguments": ""}}],
        }
        deltas = [first] + [
            {"tool_calls": [{"index": 0, "function": {"arguments": args[i : i + CHUNK]}}]}
            for i in range(0, len(args), CHUNK)
        ]  # fmt: skip
        choices = [[{"index": 0, "delta": d, "finish_reason": None}] for d in deltas]
        events = [json.dumps({**chunk, "choices": c}) for c in choices]
        events.append(
            json.dumps(
                {**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]}
            )
        )
        events.append(json.dumps({**chunk, "choices": [], "usage": usage}))
        self._sse([(None, e) for e in events] + [(None, "[DONE]")])

    def _anthropic(self, body: dict[str, Any]) -> None:
        tool = body["tools"][0]["name"]
        result = answer(_payload(body["messages"]))
        message = {"id": "msg_local", "type": "message", "role": "assistant",
                   "model": body["model"], "stop_sequence": None}  # fmt: skip
        block = {"type": "tool_use", "id": "toolu_local", "name": tool}
        if not body.get("stream"):
            return self._json(200, {**message, "content": [{**block, "input": result}],
                                    "stop_reason": "tool_use",
                                    "usage": {"input_tokens": USAGE_IN,
                                              "output_tokens": USAGE_OUT}})  # fmt: skip
        args = json.dumps(result)
        start = {**message, "content": [], "stop_reason": None,
                 "usage": {"input_tokens": USAGE_IN, "output_tokens": 1}}  # fmt: skip
        events: list[tuple[str | None, str]] = [
            ("message_start", json.dumps({"type": "message_start", "message": start})),
            ("content_block_start", json.dumps({"type": "content_block_start", "index": 0,
                                                "content_block": {**block, "input": {}}})),
            ("ping", json.dumps({"type": "ping"})),
        ]  # fmt: skip
        for i in range(0, len(args), CHUNK):
            delta = {"type": "input_json_delta", "partial_json": args[i : i + CHUNK]}
            events.append(
                (
                    "content_block_delta",
                    json.dumps({"type": "content_block_delta", "index": 0, "delta": delta}),
                )
            )
        stop = {"stop_reason": "tool_use", "stop_sequence": None}
        events += [
            ("content_block_stop", json.dumps({"type": "content_block_stop", "index": 0})),
            ("message_delta", json.dumps({"type": "message_delta", "delta": stop,
                                          "usage": {"output_tokens": USAGE_OUT}})),
            ("message_stop", json.dumps({"type": "message_stop"})),
        ]  # fmt: skip
        self._sse(events)


@contextmanager
def wire_server() -> Iterator[WireServer]:
    server = WireServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
