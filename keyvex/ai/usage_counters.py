"""AI usage counters, written with each usage record: per day and (process, provider,
model), per creator and day, per co-creation session and day, and each day's most expensive
calls. A leaf module (no pydantic-ai), so readers such as ``keyvex.admin`` load fast.

Keys (see the README's item store table):

- ``AI_USAGE`` / ``DAY#{day}#{process}#{provider}#{model}``, also under
  ``GSI1PK=PROCESS#{process}`` and ``GSI2PK=PROVIDER#{provider}`` (``GSI*SK=DAY#{day}#...``,
  apart from the call records' timestamps): requests, errors, ``err_{kind}``, fallbacks,
  tokens in and out, cost, latency sum and ``lat_{n}`` histogram buckets. No user in them:
  they stay when an account goes.
- ``USER#{uid}`` / ``USAGE#{day}`` and ``USER#{uid}`` / ``USAGE_SESSION#{sid}#{day}``: the
  same counters per creator and per co-creation session, ranked per day by cost in
  ``GSI1PK=AI_CREATORS#{day}`` / ``AI_SESSIONS#{day}`` (see ``rank_fields``); they go with
  the account.
- ``AI_USAGE`` / ``TOP#{day}``: the day's ``TOP_CALLS_PER_DAY`` most expensive calls.
"""

from __future__ import annotations

from typing import Any

from keyvex.store import Condition, ConditionFailed, ItemStore


async def count_call(store: ItemStore, call: dict[str, Any]) -> None:
    """Add one recorded call to its day's counters: per (process, provider, model), per
    creator, per co-creation session, and the day's most expensive calls. Atomic adds, no
    reads (but the bounded top list's), so concurrent calls never conflict."""
    day = str(call["at"])[:10]
    for pk, sk, fields in counter_updates(call):
        adds = call_increments(call, detailed=fields["entity_type"] == "ai_usage")
        item = await store.update(pk, sk, set=fields, add=adds)
        ranked = rank_fields(item)
        if ranked:
            await store.update(pk, sk, set=ranked)
    await _keep_if_expensive(store, day, call)


def rank_fields(item: dict[str, Any]) -> dict[str, str]:
    """A creator's or session's day, indexed by what it has cost so far (then tokens):
    ``GSI1PK=AI_CREATORS#{day}`` / ``AI_SESSIONS#{day}``, so a day's biggest spenders are one
    index query (descending, limited). Set after the atomic add, from the total it returned;
    two calls racing may leave the older total for a moment, the next call puts it right."""
    kind = item.get("entity_type")
    if kind not in ("ai_usage_day", "ai_usage_session"):
        return {}
    index = CREATORS_INDEX if kind == "ai_usage_day" else SESSIONS_INDEX
    who = item["uid"] if kind == "ai_usage_day" else item["session_id"]
    micros = round(float(item.get("cost_usd", 0)) * 1_000_000)
    tokens = int(item.get("input_tokens", 0)) + int(item.get("output_tokens", 0))
    return {"GSI1PK": f"{index}#{item['day']}", "GSI1SK": f"{micros:016d}#{tokens:012d}#{who}"}


def call_increments(call: dict[str, Any], *, detailed: bool = True) -> dict[str, float]:
    """What one call adds to a counter: requests, errors, fallbacks, tokens and cost; with
    ``detailed`` (the per-model counters) also the latency histogram and error kinds, which
    per-creator and per-session counters leave out to stay small (they are read by the
    dozen to rank spenders)."""
    ok = bool(call.get("success", True))
    adds: dict[str, float] = {
        "requests": 1,
        "errors": 0 if ok else 1,
        "fallbacks": 1 if call.get("fallback_used") else 0,
        "input_tokens": int(call.get("input_tokens") or 0),
        "output_tokens": int(call.get("output_tokens") or 0),
        "cost_usd": float(call.get("cost_usd") or 0),
    }
    if not detailed:
        return adds
    latency = float(call.get("latency_ms") or 0)
    adds |= {"latency_ms": latency, f"lat_{latency_bucket(latency)}": 1}
    if not ok:
        adds[f"err_{call.get('error_kind') or 'error'}"] = 1
    return adds


def counter_updates(call: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(PK, SK, fields set) of every counter item one call is added to."""
    day, process, provider, model = (
        str(call["at"])[:10], str(call["process"]), str(call["provider"]), str(call["model"])
    )  # fmt: skip
    updates = [
        (
            *model_usage_key(day, process, provider, model),
            {"entity_type": "ai_usage", "day": day, "process": process,
             "provider": provider, "model": model,
             "GSI1PK": f"PROCESS#{process}", "GSI1SK": f"DAY#{day}#{provider}#{model}",
             "GSI2PK": f"PROVIDER#{provider}", "GSI2SK": f"DAY#{day}#{process}#{model}"},
        )
    ]  # fmt: skip
    uid, sid = call.get("user_id"), call.get("session_id")
    if uid:
        updates.append(
            (
                *user_usage_key(str(uid), day),
                {"entity_type": "ai_usage_day", "day": day, "uid": uid},
            )
        )  # fmt: skip
        if sid:
            updates.append(
                (
                    *session_usage_key(str(uid), str(sid), day),
                    {"entity_type": "ai_usage_session", "day": day, "uid": uid,
                     "session_id": sid},
                )
            )  # fmt: skip
    return updates


#: Upper bounds (ms) of the latency histogram's buckets; the last bucket is open.
LATENCY_BUCKETS_MS: tuple[float, ...] = (
    10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 20000, 40000, 60000
)  # fmt: skip
#: Calls kept per day in the most-expensive list.
TOP_CALLS_PER_DAY = 25
USAGE_PK = "AI_USAGE"
CREATORS_INDEX = "AI_CREATORS"
SESSIONS_INDEX = "AI_SESSIONS"


def latency_bucket(ms: float) -> int:
    """The histogram bucket (0..len(LATENCY_BUCKETS_MS)) a latency falls in."""
    return next((i for i, bound in enumerate(LATENCY_BUCKETS_MS) if ms <= bound),
                len(LATENCY_BUCKETS_MS))  # fmt: skip


def model_usage_key(day: str, process: str, provider: str, model: str) -> tuple[str, str]:
    """System-wide counters of one day and (process, provider, model): no user in them."""
    return (USAGE_PK, f"DAY#{day}#{process}#{provider}#{model}")


def top_calls_key(day: str) -> tuple[str, str]:
    """The day's most expensive calls (at most ``TOP_CALLS_PER_DAY``)."""
    return (USAGE_PK, f"TOP#{day}")


def leaders_key(index: str, day: str) -> tuple[str, str]:
    """A closed day's biggest spenders (``index`` is ``AI_CREATORS`` or ``AI_SESSIONS``), kept
    by the admin area once read; they name creators, so account deletion drops them."""
    return (USAGE_PK, f"LEADERS#{index}#{day}")


def user_usage_key(uid: str, day: str) -> tuple[str, str]:
    """A creator's usage of one day, counted as calls are recorded (``USER#{uid}``)."""
    return (f"USER#{uid}", f"USAGE#{day}")


def session_usage_key(uid: str, sid: str, day: str) -> tuple[str, str]:
    """A co-creation session's usage of one day, in its creator's partition."""
    return (f"USER#{uid}", f"USAGE_SESSION#{sid}#{day}")


def _rank(call: dict[str, Any]) -> tuple[float, int]:
    tokens = int(call.get("input_tokens") or 0) + int(call.get("output_tokens") or 0)
    return (float(call.get("cost_usd") or 0), tokens)


TOP_FIELDS = ("SK", "at", "process", "provider", "model", "input_tokens", "output_tokens",
              "cost_usd", "latency_ms", "success", "error_kind", "fallback_used", "user_id",
              "session_id")  # fmt: skip


async def _keep_if_expensive(store: ItemStore, day: str, call: dict[str, Any]) -> None:
    """Put the call in the day's bounded top list if it ranks there (a versioned write,
    tried again when another call changed the list meanwhile)."""
    pk, sk = top_calls_key(day)
    for _ in range(5):
        item = await store.get(pk, sk, consistent=True)
        calls: list[dict[str, Any]] = list(item["calls"]) if item else []
        if len(calls) >= TOP_CALLS_PER_DAY and _rank(call) <= _rank(calls[-1]):
            return
        entry = {name: call.get(name) for name in TOP_FIELDS}
        calls = sorted([*calls, entry], key=_rank, reverse=True)[:TOP_CALLS_PER_DAY]
        new = {"PK": pk, "SK": sk, "entity_type": "ai_top_calls", "day": day, "calls": calls}
        condition = (
            Condition.not_exists() if item is None else Condition.version_is(item["version"])
        )
        try:
            await store.put(new, condition)
            return
        except ConditionFailed:
            continue


async def strip_user_from_top(store: ItemStore, day: str, uid: str) -> None:
    pk, sk = top_calls_key(day)
    for _ in range(5):
        item = await store.get(pk, sk, consistent=True)
        if item is None or not any(c.get("user_id") == uid for c in item["calls"]):
            return
        calls = [
            {**c, "user_id": "", "session_id": ""} if c.get("user_id") == uid else c
            for c in item["calls"]
        ]
        try:
            await store.put({**item, "calls": calls}, Condition.version_is(item["version"]))
            return
        except ConditionFailed:
            continue
