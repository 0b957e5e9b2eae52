"""Admin pages with 1,000,000 AI usage records on SQLite vs a bare page of the same app.

Run: python bench/admin.py [--records 1000000] [--days 90] [--creators 2000] [--rounds 15]

Writes the records and the counters that recording them would have written (the same helpers
``keyvex.ai.usage_counters`` uses: ``counter_updates``, ``call_increments``, ``rank_fields``,
the day's top list) straight into a fresh SQLite item store, in transactions of 20,000 items,
over the last ``--days`` days, from ``--creators`` creators (a few heavy spenders, a long tail)
in co-creation sessions of about ten calls, six processes and four models, 3% failures and 5%
fallbacks. Then times each admin page through the ASGI app (httpx, signed in as the
administrator): median and p95 of ``--rounds`` requests after one warm-up, and the ratio to a
bare page of the same app (``/login``: a template, no store reads), and each page's first
request (cold: closed days not yet cached in the process). Target: every admin page under
300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from keyvex.accounts import find_user, sign_up, start_session
from keyvex.ai.usage_counters import (
    TOP_CALLS_PER_DAY,
    TOP_FIELDS,
    call_increments,
    counter_updates,
    rank_fields,
    top_calls_key,
)
from keyvex.settings import Settings
from keyvex.store import SQLiteItemStore
from keyvex.web.app import create_app

BATCH = 20_000
TARGET_MS = 300.0
PROCESSES = ("conversation", "builder", "editor", "brand", "data_mapping", "ideas")
MODELS = (  # provider, model, $ per million input tokens, output tokens, weight
    ("openai", "gpt-4o-mini", 0.15, 0.6, 5),
    ("anthropic", "claude-3-5-haiku-latest", 0.8, 4.0, 3),
    ("openai", "gpt-4o", 2.5, 10.0, 1),
    ("offline", "planner", 0.0, 0.0, 1),
)
PAGES = ("/admin?days=90", "/admin?days=30", "/admin?days=7", "/admin?days=90&process=builder",
         "/admin/usage.csv?days=90", "/api/v1/admin/usage?days=90", "/admin/users",
         "/admin/health", "/admin/audit")  # fmt: skip


def _call(rng: random.Random, at: str, uid: str, sid: str) -> dict[str, Any]:
    provider, model, price_in, price_out, _ = rng.choices(MODELS, [m[4] for m in MODELS])[0]
    ok = rng.random() > 0.03
    tokens_in, tokens_out = rng.randint(300, 6000), (rng.randint(50, 2500) if ok else 0)
    return {
        "at": at, "process": rng.choice(PROCESSES), "provider": provider, "model": model,
        "input_tokens": tokens_in, "output_tokens": tokens_out,
        "cost_usd": (tokens_in * price_in + tokens_out * price_out) / 1e6,
        "price_source": "bench", "fallback_used": rng.random() < 0.05,
        "user_id": uid, "session_id": sid, "latency_ms": round(rng.lognormvariate(7, 0.8), 2),
        "success": ok, "error_kind": None if ok else rng.choice(("timeout", "rate_limit")),
        "streamed": False,
    }  # fmt: skip


def _record(call: dict[str, Any]) -> dict[str, Any]:
    call_id = uuid.uuid4().hex[:12]
    ts = call["at"]
    return {"PK": f"METRIC#{ts[:10]}", "SK": f"CALL#{ts}#{call_id}",
            "GSI1PK": f"PROCESS#{call['process']}", "GSI1SK": f"{ts}#{call_id}",
            "GSI2PK": f"PROVIDER#{call['provider']}", "GSI2SK": f"{ts}#{call_id}",
            "entity_type": "ai_call", "id": call_id, **call}  # fmt: skip


def _rank(call: dict[str, Any]) -> tuple[float, int]:
    return (float(call["cost_usd"]), call["input_tokens"] + call["output_tokens"])


def generate(store: SQLiteItemStore, args: argparse.Namespace, creators: list[str]) -> float:
    """Write the records and their counters; returns the seconds it took."""
    rng = random.Random(16)
    started = time.perf_counter()
    counters: dict[tuple[str, str], dict[str, Any]] = {}
    tops: dict[str, list[tuple[tuple[float, int], str, dict[str, Any]]]] = {}
    weights = [1 / (n + 1) ** 0.8 for n in range(len(creators))]  # a few heavy spenders
    end = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    per_day = args.records // args.days
    batch: list[dict[str, Any]] = []
    written = 0
    sid, left, uid = "", 0, creators[0]
    for n in range(args.records):
        day = end - timedelta(days=min(n // per_day, args.days - 1))
        at = (day - timedelta(seconds=rng.randint(0, 40000))).isoformat()
        if left == 0:  # a new co-creation session of about ten calls
            sid, left = uuid.uuid4().hex[:16], rng.randint(4, 16)
            uid = rng.choices(creators, weights)[0]
        left -= 1
        call = _call(rng, at, uid, sid)
        record = _record(call)
        batch.append(record)
        for pk, sk, fields in counter_updates(record):
            item = counters.setdefault((pk, sk), {"PK": pk, "SK": sk, **fields})
            adds = call_increments(record, detailed=fields["entity_type"] == "ai_usage")
            for name, value in adds.items():
                item[name] = item.get(name, 0) + value
        heap = tops.setdefault(at[:10], [])
        entry = (_rank(call), record["SK"], {f: record.get(f) for f in TOP_FIELDS})
        if len(heap) < TOP_CALLS_PER_DAY:
            heapq.heappush(heap, entry)
        elif entry[0] > heap[0][0]:
            heapq.heapreplace(heap, entry)
        if len(batch) == BATCH:
            store.batch_write(batch)
            written += len(batch)
            batch = []
            print(f"\r  {written:,} records", end="", file=sys.stderr, flush=True)
    store.batch_write(batch)
    items = [{**item, **rank_fields(item)} for item in counters.values()]
    for day, heap in tops.items():
        calls = [c for _, _, c in sorted(heap, key=lambda e: e[0], reverse=True)]
        pk, sk = top_calls_key(day)
        items.append({"PK": pk, "SK": sk, "entity_type": "ai_top_calls", "day": day,
                      "calls": calls})  # fmt: skip
    for at in range(0, len(items), BATCH):
        store.batch_write(items[at : at + BATCH])
    print(f"\r  {args.records:,} records and {len(items):,} counter items", file=sys.stderr)
    return time.perf_counter() - started


def creators_items(count: int) -> tuple[list[str], list[dict[str, Any]]]:
    uids = [uuid.uuid4().hex for _ in range(count)]
    stamp = datetime.now(UTC).isoformat()
    items = [{"PK": f"USER#{uid}", "SK": "PROFILE", "entity_type": "user", "uid": uid,
              "email": f"creator{n}@example.com", "password_hash": "x", "is_admin": False,
              "GSI1PK": "USERS", "GSI1SK": stamp} for n, uid in enumerate(uids)]  # fmt: skip
    return uids, items


async def time_pages(
    settings: Settings, rounds: int
) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Median-worthy timings of each page, and its first (cold: nothing cached) request."""
    web = create_app(settings)
    app = web.state.keyvex
    found = await find_user(app, "admin@example.com")
    admin = (
        found[0]
        if found
        else await sign_up(app, "admin@example.com", "pw-bench-admin-1", admin=True)
    )
    cookie = await start_session(app, admin)
    timings: dict[str, list[float]] = {}
    cold: dict[str, float] = {}
    transport = httpx.ASGITransport(app=web)
    # Started as a server starts it (its lifespan: caches, the warmed routes), then timed.
    async with (
        web.router.lifespan_context(web),
        httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
    ):
        for path in ("/login", *PAGES):
            headers = {}
            if path != "/login":  # the baseline is the sign-in page, as a visitor sees it
                client.cookies.set("kvx_session", cookie)
            if path.startswith("/api/"):
                from keyvex.accounts import create_token

                secret, _ = await create_token(app, admin, f"bench-{len(timings)}")
                headers = {"Authorization": f"Bearer {secret}"}
            started = time.perf_counter()
            first = await client.get(path, headers=headers)
            cold[path] = (time.perf_counter() - started) * 1000
            assert first.status_code == 200, (path, first.status_code, first.text[:300])
            spent = []
            for _ in range(rounds):
                started = time.perf_counter()
                response = await client.get(path, headers=headers)
                spent.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            timings[path] = spent
    app.close()
    return timings, cold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--creators", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--data-dir", type=Path, default=None,
        help="keep the generated store here and reuse it on the next run (time the pages again)",
    )  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="keyvex-bench-admin-") as tmp:
        data_dir = args.data_dir or Path(tmp)
        settings = Settings(env="test", data_dir=data_dir, access_log=False, log_level="WARNING")
        if args.data_dir is None or not Path(settings.database_path).exists():
            Path(settings.database_path).parent.mkdir(parents=True, exist_ok=True)
            store = SQLiteItemStore(settings.database_path)
            uids, profiles = creators_items(args.creators)
            store.batch_write(profiles)
            seconds = generate(store, args, uids)
            store.close()
            size = Path(settings.database_path).stat().st_size / 1e6
            print(f"generated {args.records:,} usage records in {seconds:.0f} s ({size:,.0f} MB)")
        else:
            print(f"reusing the store in {data_dir}")
        timings, cold = asyncio.run(time_pages(settings, args.rounds))
    base = statistics.median(timings.pop("/login"))
    print(f"\n{'page':<36}{'first ms':>9}{'median ms':>10}{'p95 ms':>9}{'x bare':>9}")
    print(f"{'/login (bare page, baseline)':<36}{'':>9}{base:>10.1f}{'':>9}{1:>9.1f}")
    worst = 0.0
    for path, spent in timings.items():
        median = statistics.median(spent)
        p95 = sorted(spent)[max(0, round(0.95 * len(spent)) - 1)]
        worst = max(worst, median)
        print(f"{path:<36}{cold[path]:>9.1f}{median:>10.1f}{p95:>9.1f}{median / base:>9.1f}")
    verdict = "meets" if worst < TARGET_MS else "MISSES"
    print(
        f"\nslowest admin page: {worst:.0f} ms median ({verdict} the {TARGET_MS:.0f} ms target); "
        "'first' is each page's first request, before closed days are cached"
    )


if __name__ == "__main__":
    main()
