"""Co-creation fixtures: the real app on a live loopback server, a signed-in creator, SSE."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from keyvex.settings import Settings
from keyvex.web.app import create_app

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
PASSWORD = "correct horse battery"


def _wired(app: FastAPI) -> FastAPI:
    """Until the app factory includes the co-creation router, add it here."""
    from keyvex.cocreate.routes import router

    if not any(getattr(r, "path", "") == "/create/sessions" for r in app.router.routes):
        app.include_router(router)
    return app


class LiveServer:
    """uvicorn serving the real app in a thread on a free loopback port."""

    def __init__(self, settings: Settings) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = _wired(create_app(settings))
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def state(self) -> Any:
        return self.app.state.keyvex

    def wait_idle(self, timeout: float = 15) -> None:
        """Wait until no co-creation job is running (polled from the test thread)."""
        from keyvex.cocreate.service import jobs

        runner = jobs(self.state)
        deadline = time.monotonic() + timeout
        while getattr(runner, "pending", 0):
            assert time.monotonic() < deadline, "jobs still running"
            time.sleep(0.01)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "the live server did not start within 10 s"
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.wait_idle()
        finally:
            self.server.should_exit = True
            self.thread.join(timeout=10)


class Creator:
    """A signed-in creator's browser: cookies, the CSRF token and the co-creation calls."""

    def __init__(self, server: LiveServer, email: str) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.url, timeout=httpx.Timeout(10.0))
        page = self.http.get("/signup")
        token = CSRF.search(page.text)
        assert token, "sign-up form has a CSRF token"
        self.csrf = token.group(1)
        done = self.http.post(
            "/signup", data={"csrf_token": self.csrf, "email": email, "password": PASSWORD}
        )
        assert done.status_code in (200, 303), done.text[:300]
        self.csrf = self._token()

    def _token(self) -> str:
        match = CSRF.search(self.http.get("/dashboard").text)
        assert match, "dashboard has a CSRF token"
        return match.group(1)

    def post(self, path: str, body: Any = None, *, csrf: bool = True) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf} if csrf else {}
        return self.http.post(path, json={} if body is None else body, headers=headers)

    def start(self, brief: str, **extra: Any) -> str:
        response = self.post("/create/sessions", {"brief": brief, **extra})
        assert response.status_code == 201, response.text
        sid: str = response.json()["session_id"]
        return sid

    def session(self, sid: str) -> dict[str, Any]:
        response = self.http.get(f"/create/sessions/{sid}")
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def events(
        self,
        sid: str,
        *,
        after: int | None = None,
        until: str = "done",
        count: int = 1,
        until_id: int | None = None,
    ) -> list[dict[str, Any]]:
        """Read the stream until ``count`` events of type ``until`` arrived (or the event
        numbered ``until_id``); then hang up."""
        seen: list[dict[str, Any]] = []
        with self.stream(sid, after) as stream:
            for event in stream:
                seen.append(event)
                if until_id is not None:
                    if event["id"] >= until_id:
                        return seen
                    continue
                if sum(e["event"] == until for e in seen) >= count:
                    return seen
        raise AssertionError(f"the stream ended before {count} {until} event(s): {seen}")

    @contextlib.contextmanager
    def stream(self, sid: str, after: int | None = None) -> Iterator[Iterator[dict[str, Any]]]:
        """The session's event stream as parsed events; leaving the block hangs up."""
        headers = {} if after is None else {"Last-Event-ID": str(after)}
        url = f"/create/sessions/{sid}/events"
        with self.http.stream("GET", url, headers=headers) as response:
            assert response.status_code == 200, response.read()
            assert response.headers["content-type"].startswith("text/event-stream")
            yield parse_sse(response.iter_lines())

    def answer_all(self, sid: str, after: int, choose: Any = None) -> list[dict[str, Any]]:
        """Answer each question as it arrives until a tool (or error) ends the conversation."""
        from keyvex.ai import Question
        from keyvex.cocreate.answers import default_answer

        seen: list[dict[str, Any]] = []
        for _ in range(15):
            turn = self.events(sid, after=after)
            seen += turn
            after = turn[-1]["id"]
            kinds = {e["event"] for e in turn}
            if "tool" in kinds or "error" in kinds:
                return seen
            asked = [e["data"]["question"] for e in turn if e["event"] == "question"]
            assert asked, f"a turn without a question, tool or error: {turn}"
            question = Question.model_validate(asked[-1])
            value = (choose and choose(question)) or default_answer(question)
            response = self.post(
                f"/create/sessions/{sid}/answers", {"question_id": question.id, "value": value}
            )
            assert response.status_code == 202, response.text
        raise AssertionError("the conversation did not end in a tool")

    def close(self) -> None:
        self.http.close()


def parse_sse(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    """Events from SSE lines: {"id": int, "event": str, "data": parsed JSON}."""
    current: dict[str, Any] = {}
    for line in lines:
        if not line:
            if "data" in current:
                yield {
                    "id": int(current["id"]),
                    "event": current.get("event", "message"),
                    "data": json.loads(current["data"]),
                }
            current = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(":")
            current[name] = value[1:] if value.startswith(" ") else value


@pytest.fixture
def server(settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(settings) as live:
        yield live


@pytest.fixture
def creator(server: LiveServer) -> Iterator[Creator]:
    person = Creator(server, "carol@example.com")
    yield person
    person.close()


@pytest.fixture
def other_creator(server: LiveServer, creator: Creator) -> Iterator[Creator]:
    person = Creator(server, "dave@example.com")
    yield person
    person.close()
