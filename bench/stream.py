"""Streaming overhead of co-creation: the platform's SSE path vs the raw model stream, same run.

Run: python bench/stream.py [--runs 30] [--sessions 10]. Everything stays on 127.0.0.1.

1. A pydantic-ai FunctionModel streams a fixed text (CHUNKS pieces, one every PACE_MS). The
   baseline consumes the agent's text deltas directly. The platform path runs the same agent
   as a job of the real app (uvicorn on loopback) and appends each delta to the session's
   event log; a client on another thread reads them from the SSE endpoint. Reported: first
   event latency and total time for both, and the p50/p90 the platform adds (target: p50
   under 10 ms).
2. With the offline planner: the time from POSTing the last answer to receiving the verified
   tool event on the stream (target: p50 under 1 s).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import statistics
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from keyvex.cocreate._answers import default_answer
from pydantic_ai import Agent
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.function import AgentInfo, FunctionModel

from keyvex.ai import Question
from keyvex.cocreate.events import TextRelay, append_event, hub
from keyvex.cocreate.service import jobs
from keyvex.settings import Settings
from keyvex.web.app import create_app

CHUNKS = 40
PACE_MS = 2.0
TEXT = [f"word{i} " for i in range(CHUNKS)]
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
BRIEFS = [
    "An ROI calculator that shows dental practices what missed recalls cost them",
    "A readiness scorecard for adopting AI in small law firms",
    "A quiz that tells marketers which email style suits them",
    "A break-even calculator for a new bakery",
    "A cyber security scorecard for accounting firms",
]


async def _paced(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
    for piece in TEXT:
        await asyncio.sleep(PACE_MS / 1000)
        yield piece


agent = Agent(FunctionModel(stream_function=_paced))


async def raw_stream() -> tuple[float, float]:
    """First delta and last delta, in ms after the run started, consuming the model directly."""
    started = time.perf_counter()
    first = last = 0.0
    async with agent.run_stream("go") as run:
        async for _ in run.stream_text(delta=True, debounce_by=None):
            last = (time.perf_counter() - started) * 1000
            first = first or last
    return first, last


class Client:
    """A signed-in creator on its own thread-side httpx client."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=30)
        token = CSRF.search(self.http.get("/signup").text)
        assert token
        form = {"csrf_token": token.group(1), "email": "bench@example.com",
                "password": "correct horse battery"}  # fmt: skip
        self.http.post("/signup", data=form)
        token = CSRF.search(self.http.get("/dashboard").text)
        assert token
        self.headers = {"X-CSRF-Token": token.group(1)}

    def post(self, path: str, body: dict[str, Any]) -> Any:
        response = self.http.post(path, json=body, headers=self.headers)
        assert response.status_code in (201, 202), response.text
        return response.json()

    def read(self, sid: str, after: int, stop: Any, on_open: Any = None) -> list[Any]:
        """Events after ``after`` (with their arrival time) until ``stop(events)`` holds."""
        seen: list[Any] = []
        url = f"/create/sessions/{sid}/events"
        with self.http.stream("GET", url, headers={"Last-Event-ID": str(after)}) as response:
            if on_open:
                on_open()
            current: dict[str, str] = {}
            for line in response.iter_lines():
                if line:
                    name, _, value = line.partition(": ")
                    current[name] = value
                    continue
                if "data" in current:
                    seen.append((time.perf_counter(), current["event"], int(current["id"]),
                                 json.loads(current["data"])))  # fmt: skip
                    if stop(seen):
                        return seen
                current = {}
        raise RuntimeError("stream ended early")


def _stream_runs(client: Client, state: Any, loop: Any, runs: int) -> list[tuple[float, float]]:
    """Platform path, measured on the client: (first, last) text event after job submission."""
    sid = client.post("/create/sessions", {"brief": BRIEFS[0]})["session_id"]
    last = client.read(sid, 0, lambda seen: seen[-1][1] == "done")[-1][2]
    results = []
    for _ in range(runs):
        submitted: list[float] = []

        async def relay(sid: str = sid) -> None:
            text = TextRelay(state, sid)  # the production relay, as used by a session turn
            async with agent.run_stream("go") as run:
                async for delta in run.stream_text(delta=True, debounce_by=None):
                    await text.push(delta)
            await text.close()
            await append_event(state, sid, "done", {})

        async def submit(sid: str = sid, submitted: list[float] = submitted) -> None:
            while sid not in hub(state).listeners:  # the client is listening
                await asyncio.sleep(0.0005)
            submitted.append(time.perf_counter())
            jobs(state).submit("bench.relay", relay)

        def start() -> None:
            asyncio.run_coroutine_threadsafe(submit(), loop)

        seen = client.read(sid, last, lambda s: s[-1][1] == "done", on_open=start)
        last = seen[-1][2]
        text = [t for t, kind, _, _ in seen if kind == "text"]
        assert 1 <= len(text) <= CHUNKS, len(text)
        results.append(((text[0] - submitted[0]) * 1000, (text[-1] - submitted[0]) * 1000))
    return results


def _build_runs(client: Client, sessions: int) -> list[float]:
    """ms from POSTing the answer that completes the conversation to the tool event."""
    timings = []
    for n in range(sessions):
        sid = client.post("/create/sessions", {"brief": BRIEFS[n % len(BRIEFS)]})["session_id"]
        turn = client.read(sid, 0, lambda seen: seen[-1][1] == "done")
        for _ in range(12):
            asked = [data["question"] for _, kind, _, data in turn if kind == "question"]
            question = Question.model_validate(asked[-1])
            posted = time.perf_counter()
            body = {"question_id": question.id, "value": default_answer(question)}
            client.post(f"/create/sessions/{sid}/answers", body)
            turn = client.read(sid, turn[-1][2], lambda seen: seen[-1][1] == "done")
            tool = [(t, data) for t, kind, _, data in turn if kind == "tool"]
            if tool:
                assert tool[0][1]["errors"] == 0
                timings.append((tool[0][0] - posted) * 1000)
                break
    return timings


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def main(runs: int, sessions: int) -> None:
    raw = [await raw_stream() for _ in range(runs)]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(env="test", data_dir=Path(tmp), access_log=False, log_level="ERROR")
        web = create_app(settings)
        if not any(getattr(r, "path", "") == "/create/sessions" for r in web.router.routes):
            from keyvex.cocreate.routes import router

            web.include_router(router)
        config = uvicorn.Config(web, host="127.0.0.1", port=0, log_level="error")
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        loop = asyncio.get_running_loop()
        out: dict[str, Any] = {}

        def client_side() -> None:
            client = Client(f"http://127.0.0.1:{port}")
            out["stream"] = _stream_runs(client, web.state.keyvex, loop, runs)
            out["build"] = _build_runs(client, sessions)
            client.http.close()

        worker = threading.Thread(target=client_side)
        worker.start()
        while worker.is_alive():
            await asyncio.sleep(0.01)
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(serving, 15)
    _report(raw, out["stream"], out["build"])


def _report(raw: list[tuple[float, float]], platform: list[tuple[float, float]],
            build: list[float]) -> None:  # fmt: skip
    raw_first, raw_total = (
        statistics.median(r[0] for r in raw),
        statistics.median(r[1] for r in raw),
    )
    added_first = [p[0] - raw_first for p in platform]
    added_total = [p[1] - raw_total for p in platform]
    print(f"model stream: {CHUNKS} deltas, one every {PACE_MS} ms, {len(raw)} runs")
    print(f"  raw      first delta p50 {raw_first:7.2f} ms   all deltas p50 {raw_total:7.2f} ms")
    print(f"  platform first event p50 {statistics.median(p[0] for p in platform):7.2f} ms   "
          f"all events p50 {statistics.median(p[1] for p in platform):7.2f} ms")  # fmt: skip
    first50, first90 = _pct(added_first, 0.5), _pct(added_first, 0.9)
    total50, total90 = _pct(added_total, 0.5), _pct(added_total, 0.9)
    print(f"  added, first event:  p50 {first50:6.2f} ms, p90 {first90:6.2f} ms "
          f"(target p50 < 10 ms: {'ok' if first50 < 10 else 'OVER'})")  # fmt: skip
    print(f"  added, whole stream: p50 {total50:6.2f} ms, p90 {total90:6.2f} ms "
          f"(target p50 < 10 ms: {'ok' if total50 < 10 else 'OVER'})")  # fmt: skip
    print(f"last answer -> verified tool (offline planner, {len(build)} sessions): "
          f"p50 {_pct(build, .5):.1f} ms, p90 {_pct(build, .9):.1f} ms, max {max(build):.1f} ms "
          f"(target p50 < 1000 ms): {'ok' if _pct(build, .5) < 1000 else 'OVER'}")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--sessions", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(max(1, min(args.runs, 500)), max(1, min(args.sessions, 100))))
