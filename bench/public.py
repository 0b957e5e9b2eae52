"""Public page and lead submission vs bare Starlette endpoints, same run.

Run: python bench/public.py [--requests 3000] [--concurrency 16] [--time-cap 120]

Starts two uvicorn servers on 127.0.0.1 with identical settings (one worker each): the real
Keyvex app on a temporary data directory, with a user and a published template tool created
through the services beforehand, and a bare Starlette app with two endpoints: GET /bare (20 KB
of HTML) and POST /bare/insert (parses the same JSON body and commits one row per request to
SQLite in WAL mode with the store's synchronous=NORMAL). A load generator in its own process
(raw asyncio sockets, HTTP/1.1 keep-alive, fixed request count, hard time cap) measures
requests/s and p50/p99 latency of each. Targets: page >= 0.8x bare GET; the app's floor
(/healthz) >= 0.5x bare GET; submissions >= 0.5x bare insert and >= 1,000/s, p99 < 50 ms at 16
connections. Afterwards the stored leads are counted: they must equal the acknowledged
submissions, with no duplicates.

python bench/public.py --backend dynamodb [--requests 300] runs the same with the app's item
store on DynamoDB: the local AWS emulator (moto, its own process; tests/aws_emulator.py) and
the app server get KEYVEX_STORE_BACKEND=dynamodb and the AWS variables. Its figures are
context, not targets: moto serves one request at a time and copies the whole table for every
transaction (measured: 15 ms on an empty table, 220 ms at 2,000 items), nothing like DynamoDB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
TEMPLATE = "roi-calculator"
#: Limits raised for the load run: every request comes from one loopback address.
BENCH_LIMITS = {
    "lead_limit_ip": "1000000/minute",
    "lead_limit_tool": "1000000/minute",
    "event_limit_ip": "1000000/minute",
    # uvicorn runs both servers with access_log=False; the app's own access log is off too.
    "access_log": False,
}
BARE_HTML = (
    "<!doctype html><html><head><title>bare</title></head><body>"
    + "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n" * 330
)[:20_000].ljust(20_000) + "</body></html>"


# --- servers (each runs in its own subprocess) ------------------------------------------


def _settings(data_dir: Path) -> Any:
    from keyvex.settings import load_settings

    settings = load_settings(env="development", data_dir=data_dir)
    return settings.model_copy(update=BENCH_LIMITS)


def _keyvex_app(data_dir: Path) -> Any:
    from keyvex.web.app import create_app, settle_heap

    web = create_app(_settings(data_dir))
    settle_heap()  # as ``keyvex serve`` does
    return web


def _bare_app(data_dir: Path) -> Any:
    import sqlite3

    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse
    from starlette.routing import Route

    db = sqlite3.connect(data_dir.parent / "bare.sqlite", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS leads (id TEXT PRIMARY KEY, body TEXT NOT NULL)")

    async def page(_: Request) -> HTMLResponse:
        return HTMLResponse(BARE_HTML)

    async def insert(request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        key = str(body["idempotency_key"])
        db.execute("BEGIN")
        db.execute("INSERT OR IGNORE INTO leads VALUES (?, ?)", (key, json.dumps(body)))
        db.execute("COMMIT")
        return JSONResponse({"lead_id": key}, status_code=201)

    return Starlette(routes=[Route("/bare", page), Route("/bare/insert", insert, methods=["POST"])])


def serve(kind: str, port: int, data_dir: Path) -> None:
    import uvicorn

    app = _keyvex_app(data_dir) if kind == "app" else _bare_app(data_dir)
    uvicorn.run(app, host=HOST, port=port, workers=1, log_level="warning", access_log=False)


# --- load generator (its own subprocess) -----------------------------------------------


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    length = int(headers.get("content-length", "0"))
    return status, await reader.readexactly(length)


def _request(method: str, path: str, port: int, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
    head += "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0 keyvex-bench\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return (head + "\r\n").encode() + body


def _submission(n: int, run_id: str) -> bytes:
    body = {
        "answers": {"investment": 10_000 + n, "monthly_revenue_gain": 2_000},
        "contact": {"name": "Bench", "email": f"visitor{n}@example.com"},
        "consent": True,
        "idempotency_key": f"bench-{run_id}-{n:08d}",
        "elapsed_ms": 20_000,
    }
    return json.dumps(body).encode()


async def _load(spec: dict[str, Any]) -> dict[str, Any]:
    port, total, method, path = spec["port"], spec["requests"], spec["method"], spec["path"]
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(total):
        queue.put_nowait(n)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    acked: list[str] = []

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while not queue.empty():
                n = queue.get_nowait()
                body = _submission(n, spec["run_id"]) if method == "POST" else b""
                started = time.perf_counter()
                writer.write(_request(method, path, port, body))
                status, payload = await _read_response(reader)
                latencies.append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1
                if method == "POST" and status == 201:
                    acked.append(json.loads(payload)["lead_id"])
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.wait_for(
        asyncio.gather(*(worker() for _ in range(spec["concurrency"]))), spec["time_cap"]
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "statuses": statuses,
        "acked": acked,
    }


def load(spec_json: str) -> None:
    print(json.dumps(asyncio.run(_load(json.loads(spec_json)))))


# --- orchestration ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {process.returncode}")
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"server on port {port} did not start")


async def _prepare(data_dir: Path) -> tuple[str, str]:
    from keyvex.accounts import sign_up
    from keyvex.app import build_app
    from keyvex.tools import get_template
    from keyvex.tools.publishing import publish
    from keyvex.tools.service import create_tool

    app = build_app(_settings(data_dir))
    try:
        user = await sign_up(app, "bench@example.com", "correct horse battery")
        stored = await create_tool(app, user, get_template(TEMPLATE))
        published = await publish(app, user, stored.id)
        return published.slug, published.tool_id
    finally:
        app.close()


async def _stored_leads(data_dir: Path, tool_id: str) -> list[str]:
    from keyvex.app import build_app
    from keyvex.store import SK

    app = build_app(_settings(data_dir))
    try:
        pk = f"TOOL#{tool_id}"
        return [item["lead_id"] async for item in app.store.query_all(pk, SK.begins_with("LEAD#"))]
    finally:
        app.close()


def _run_load(spec: dict[str, Any]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--load", json.dumps(spec)]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=spec["time_cap"] + 30, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"load generator failed: {done.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _line(name: str, r: dict[str, Any]) -> str:
    codes = ",".join(f"{k}x{v}" for k, v in sorted(r["statuses"].items()))
    return (
        f"{name:<28} {r['requests']:>6} {r['rps']:>9.0f} {r['p50_ms']:>8.2f} "
        f"{r['p99_ms']:>8.2f}  {codes}"
    )


def orchestrate(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="keyvex-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        slug, tool_id = asyncio.run(_prepare(data_dir))
        ports = {"app": _free_port(), "bare": _free_port()}
        env = {
            k: v for k, v in os.environ.items() if not k.startswith("KEYVEX_") or k in STORE_VARS
        }
        servers = {
            kind: subprocess.Popen(
                [sys.executable, __file__, "--serve", kind, str(port), str(data_dir)],
                env=env,
                stdout=(Path(tmp) / f"{kind}.log").open("wb"),
                stderr=subprocess.STDOUT,
            )
            for kind, port in ports.items()
        }
        try:
            for kind, process in servers.items():
                _wait_for_port(ports[kind], process, time.monotonic() + 30)
            return _measure(args, slug, tool_id, ports, data_dir)
        finally:
            for process in servers.values():
                process.terminate()
            for process in servers.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
            notes = (Path(tmp) / "app.log").read_text(errors="replace").strip()
            if notes:
                print("app server said:", notes[-1500:])


def _measure(
    args: argparse.Namespace, slug: str, tool_id: str, ports: dict[str, int], data_dir: Path
) -> int:
    base = {"concurrency": args.concurrency, "time_cap": args.time_cap, "run_id": "x"}
    cases = {
        "bare GET (20 KB html)": {"port": ports["bare"], "method": "GET", "path": "/bare"},
        "bare insert": {"port": ports["bare"], "method": "POST", "path": "/bare/insert"},
        "app GET /healthz (floor)": {"port": ports["app"], "method": "GET", "path": "/healthz"},
        "page GET /t/{slug}": {"port": ports["app"], "method": "GET", "path": f"/t/{slug}"},
        "submit POST /t/{slug}/submit": {
            "port": ports["app"],
            "method": "POST",
            "path": f"/t/{slug}/submit",
        },
    }
    warm_acked: list[str] = []
    for name, case in cases.items():  # warm-up: imports, caches, connections
        spec = {**base, **case, "requests": 200, "run_id": "warmup"}
        acked = _run_load(spec)["acked"]
        warm_acked += acked if name.startswith("submit") else []
    results = {
        name: _run_load({**base, **case, "requests": args.requests, "run_id": "measured"})
        for name, case in cases.items()
    }
    page_probe = results["page GET /t/{slug}"]["statuses"]
    print(f"{'endpoint':<28} {'n':>6} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for name, result in results.items():
        print(_line(name, result))
    bare, floor = results["bare GET (20 KB html)"], results["app GET /healthz (floor)"]
    page, submit = results["page GET /t/{slug}"], results["submit POST /t/{slug}/submit"]
    insert = results["bare insert"]
    ok = _target("app stack floor (/healthz) / bare GET", floor["rps"] / bare["rps"], 0.5)
    if set(page_probe) != {"200"}:  # status codes come back as JSON object keys
        print("page part pending: GET /t/{slug} did not answer 200 for every request")
        ok = False
    else:
        ok &= _target("page / bare GET", page["rps"] / bare["rps"], 0.8)
    ok &= _target("submit / bare insert", submit["rps"] / insert["rps"], 0.5)
    ok &= submit["rps"] >= 1000
    print(f"submissions/s: {submit['rps']:.0f} (target >= 1000)")
    ok &= submit["p99_ms"] < 50
    print(f"submit p99: {submit['p99_ms']:.1f} ms at {args.concurrency} connections (target < 50)")
    acked = warm_acked + submit["acked"]  # warm-up submissions are real leads too
    stored = asyncio.run(_stored_leads(data_dir, tool_id))
    unique = len(set(stored)) == len(stored)
    consistent = unique and sorted(stored) == sorted(acked)
    ok &= consistent
    print(
        f"leads stored: {len(stored)}; submissions acknowledged: {len(acked)} "
        f"(incl. 200 warm-up); duplicates: {'none' if unique else 'FOUND'} -> "
        f"{'OK' if consistent else 'MISMATCH'}"
    )
    return 0 if ok else 1


def _target(name: str, ratio: float, target: float) -> bool:
    print(f"{name}: {ratio:.2f}x (target >= {target:.2f}x)")
    return ratio >= target


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--load":
        load(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--time-cap", type=float, default=120.0, help="seconds per endpoint")
    parser.add_argument("--backend", choices=["sqlite", "dynamodb"], default="sqlite")
    args = parser.parse_args()
    sys.exit(on_dynamodb(args) if args.backend == "dynamodb" else orchestrate(args))


#: The item-store settings a --backend dynamodb run hands to the app server.
STORE_VARS = ("KEYVEX_STORE_BACKEND", "KEYVEX_DYNAMODB_TABLE")


def on_dynamodb(args: argparse.Namespace) -> int:
    """``orchestrate`` with the store on the AWS emulator (this process, the app server)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.aws_emulator import emulator_process

    with emulator_process("keyvex-bench") as aws:
        os.environ.update(KEYVEX_STORE_BACKEND="dynamodb", KEYVEX_DYNAMODB_TABLE="keyvex-bench")
        print(f"item store: DynamoDB on moto at {aws['AWS_ENDPOINT_URL']} (an emulator: the")
        print("figures below are context, not targets; the targets are SQLite's. moto serves")
        print("one request at a time and copies the whole table for every transaction, so")
        print("submissions slow down as the table grows)")
        return orchestrate(args)


if __name__ == "__main__":
    main()
