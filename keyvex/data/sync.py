"""Syncing sources: fetch, snapshot, analyse, refresh bound tools; the schedule and its poller.

A sync runs as a job (progress is recorded on the job item). The fetched rows are written as
one blob per distinct content (``data/{source_id}/{sha256}.json``) with its analysis beside
it; an unchanged source only updates its health. Each published tool that reads the source
gets a new data snapshot only when its definition still verifies with the new rows; if it
does not, the previous snapshot stays live and the failure is written to the source's
activity log and the tool's ``data_notice`` (shown on the dashboard).

Sources on a schedule sit in ``GSI1PK=SYNC_DUE`` ordered by their next sync time; the poller
claims each with a conditional update (moving its due time forward by a lease), so two
processes never sync the same source at once.

A failed sync backs the schedule off (the interval doubles after each failure in a row) and
the fifth failure in a row pauses the source with a notice (``service.after_failure``). A sync
marks the source while it runs (``sync_started``): when the lease runs out and the mark is
still there, the sync never finished (the process died during it). That counts as a failure
and is backed off like one, instead of starting the same sync again at once, so a source
that kills its process cannot do so in a loop.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import TYPE_CHECKING, Any

from anyio import to_thread
from typing_extensions import TypeIs

from keyvex import clock, events
from keyvex.app import App
from keyvex.clock import now_iso
from keyvex.data import service
from keyvex.data._types import Dataset, SourceError
from keyvex.data.binding import (
    build_tool_data,
    link_sources,
    store_tool_data,
    with_rows,
)
from keyvex.data.models import Snapshot
from keyvex.data.sources import connector
from keyvex.errors import KeyvexError
from keyvex.jobs import task
from keyvex.logs import get_logger
from keyvex.store import SK, Condition, ConditionFailed, due_key

if TYPE_CHECKING:
    from keyvex.tools import ToolDefinition

log = get_logger("keyvex.data")
LEASE_SECONDS = 300
POLL_SECONDS = 10


async def start_sync(app: App, owner_id: str, source_id: str, reason: str = "manual") -> str:
    """Queue a sync job; returns the job id (its record shows progress)."""
    return await app.jobs.submit(
        "data.sync", owner=owner_id, owner_id=owner_id, source_id=source_id, reason=reason
    )


# One attempt: a failing source has its own backoff and pause (``service.after_failure``), and
# a run that never finished is not started again by the job runner either.
@task("data.sync", max_attempts=1)
async def _sync_job(app: App, owner_id: str, source_id: str, reason: str = "manual") -> None:
    outcome = await sync_source(app, owner_id, source_id, reason=reason)
    await events.publish(app, events.SourceSynced(owner_id, source_id, str(outcome["status"])))


def is_sync_job(item: dict[str, Any] | None, source_id: str) -> TypeIs[dict[str, Any]]:
    """Whether a job item is a sync of this source (job pages check it before answering)."""
    return (
        item is not None
        and item.get("name") == "data.sync"
        and (item.get("args") or {}).get("source_id") == source_id
    )


async def sync_source(
    app: App, owner_id: str, source_id: str, *, reason: str = "manual"
) -> dict[str, Any]:
    """Fetch every row, keep the snapshot, analyse it and refresh the tools that read it."""
    item = await app.store.get(*service.source_key(owner_id, source_id))
    if item is None:
        return {"status": "gone"}
    kind = connector(item["source_type"])
    config = kind.config_model.model_validate(item["config"])
    try:
        await app.store.update(
            item["PK"], item["SK"], set={"sync_started": clock.now()}, condition=Condition.exists()
        )
    except ConditionFailed:  # deleted meanwhile
        return {"status": "gone"}
    await app.jobs.progress(f"Fetching data from '{item['name']}'...")
    started = time.perf_counter()
    try:
        secrets = service.secrets_of(app, item)
        dataset = await service.read_source(kind, config, secrets, service.context(app))
    except SourceError as exc:
        await service.after_failure(app, item, exc, "sync")
        return {"status": "error", "error": exc.message, "kind": exc.kind}
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    body = json.dumps(dataset.to_json(), separators=(",", ":"), ensure_ascii=False)
    sha = hashlib.sha256(body.encode()).hexdigest()
    previous = item.get("snapshot") or {}
    changed = previous.get("sha256") != sha
    if changed:
        await app.jobs.progress(f"Analysing {dataset.row_count:,} rows...")
        snapshot = await _store_snapshot(app, owner_id, source_id, sha, body, dataset)
    else:
        snapshot = Snapshot.model_validate({**previous, "synced_at": now_iso()})
    health = {
        **item.get("health", {}),
        "status": "connected",
        "consecutive_errors": 0,
        "last_response_ms": elapsed,
        "last_sync_at": now_iso(),
    }
    fields: dict[str, Any] = {"snapshot": snapshot.model_dump(mode="json"), "health": health}
    fields |= {"GSI2PK": None, "GSI2SK": None}  # no longer failing (service.FAILING_INDEX)
    fields |= service.schedule_fields(item["frequency"], bool(item.get("paused")))
    set_fields, removed = service.split_update(item, fields)
    try:
        await app.store.update(
            item["PK"],
            item["SK"],
            set=set_fields,
            remove=sorted({*removed, "sync_started"}),
            condition=Condition.exists(),
        )
    except ConditionFailed:  # deleted (or its account) while fetching: leave nothing behind
        await to_thread.run_sync(app.blobs.delete_prefix, f"data/{source_id}/")
        return {"status": "gone"}
    if changed:
        await _drop_old(app, previous, snapshot)
    failures = int((item.get("health") or {}).get("consecutive_errors", 0))
    if (item.get("health") or {}).get("status") == "error":
        await service.log_activity(
            app, source_id, "connection", f"Connection restored after {failures} failure(s)."
        )
    note = "changed" if changed else "unchanged"
    await service.log_activity(
        app, source_id, "sync", f"Synced {dataset.row_count:,} rows and "
        f"{len(dataset.columns)} columns in {elapsed:.0f} ms ({reason}; data {note})."
    )  # fmt: skip
    refreshed = await refresh_bound_tools(app, owner_id, source_id) if changed else []
    return {"status": "ok", "changed": changed, "rows": dataset.row_count, "tools": refreshed}


async def _store_snapshot(
    app: App, owner_id: str, source_id: str, sha: str, body: str, dataset: Dataset
) -> Snapshot:
    key = f"data/{source_id}/{sha}.json"
    ref = await to_thread.run_sync(app.blobs.put, key, body.encode())
    analysis_key = await _store_analysis(app, owner_id, source_id, sha, dataset)
    return Snapshot(
        blob_key=key,
        sha256=sha,
        size=ref.size,
        row_count=dataset.row_count,
        columns=dataset.columns,
        synced_at=now_iso(),
        analysis_key=analysis_key,
    )


async def _store_analysis(
    app: App, owner_id: str, source_id: str, sha: str, dataset: Dataset
) -> str | None:
    """Analyse the rows; mappings are refined by the ``data_mapping`` AI process when a
    model is configured (offline, the heuristics stand and no model is called)."""
    from keyvex.ai.models import AIContext
    from keyvex.data.analysis import analyze, refine_mappings

    analysis = await to_thread.run_sync(analyze, dataset)
    analysis = await refine_mappings(analysis, None, AIContext(app=app, user_id=owner_id))
    key = f"data/{source_id}/analysis-{sha}.json"
    data = analysis.model_dump_json().encode()
    await to_thread.run_sync(app.blobs.put, key, data)
    return key


async def _drop_old(app: App, previous: dict[str, Any], current: Snapshot) -> None:
    for name in ("blob_key", "analysis_key"):
        old = previous.get(name)
        if old and old not in (current.blob_key, current.analysis_key):
            await to_thread.run_sync(app.blobs.delete, old)


async def refresh_bound_tools(app: App, owner_id: str, source_id: str) -> list[dict[str, Any]]:
    """Give each published tool reading this source the new rows, if it still verifies."""
    outcomes = []
    async for link in app.store.query_all(f"DATA_SOURCE#{source_id}", SK.begins_with("TOOL#")):
        await app.jobs.progress(f"Re-verifying tool {link['tool_id']}...")
        outcomes.append(await refresh_tool(app, owner_id, link["tool_id"], source_id))
    return outcomes


async def refresh_tool(
    app: App, owner_id: str, tool_id: str, source_id: str | None = None
) -> dict[str, Any]:
    """Re-snapshot a published tool's data; keep the old snapshot when verification fails."""
    from keyvex.tools import verify
    from keyvex.tools.publishing import drop_cached, slug_key
    from keyvex.tools.service import tool_key

    tool_item = await app.store.get(*tool_key(owner_id, tool_id))
    if tool_item is None or tool_item.get("status") != "published" or not tool_item.get("slug"):
        return {"tool_id": tool_id, "status": "not_published"}
    published = await _published_definition(app, tool_item)
    try:
        tables = await build_tool_data(app, owner_id, published)
        report = await to_thread.run_sync(verify, with_rows(published, tables))
        if report.errors:
            first = report.errors[0]
            raise _Rejected(f"{len(report.errors)} error(s), first: {first.path} {first.message}")
        ref = await store_tool_data(app, tool_id, tables)
    except (_Rejected, KeyvexError) as exc:  # anything else fails the job; nothing changed
        message = f"Tool '{published.title}' keeps its previous data: the new data failed ({exc})."
        await app.store.update(*tool_key(owner_id, tool_id), set={"data_notice": message})
        if source_id:
            await service.log_activity(app, source_id, "error", message)
        log.warning("tool data refresh refused", tool_id=tool_id, error=str(exc))
        return {"tool_id": tool_id, "status": "kept_previous", "error": str(exc)}
    slug = tool_item["slug"]
    slug_item = await app.store.get(*slug_key(slug))
    if slug_item is None:
        return {"tool_id": tool_id, "status": "not_published"}
    try:
        await app.store.update(
            *slug_key(slug), set=ref, condition=Condition.version_is(slug_item["version"])
        )
    except ConditionFailed:  # published again meanwhile: that publish took fresh data
        return {"tool_id": tool_id, "status": "superseded"}
    await app.store.update(*tool_key(owner_id, tool_id), remove=["data_notice"])
    await link_sources(app, owner_id, tool_id, published)
    drop_cached(app, slug)
    if source_id:
        await service.log_activity(
            app, source_id, "sync", f"Tool '{published.title}' now shows the new data."
        )
    return {"tool_id": tool_id, "status": "updated"}


class _Rejected(Exception):
    pass


async def _published_definition(app: App, tool_item: dict[str, Any]) -> ToolDefinition:
    from keyvex.tools import parse_tool
    from keyvex.tools.service import version_key

    number = int(tool_item.get("published_version") or tool_item["current_version"])
    version = await app.store.get(*version_key(tool_item["tool_id"], number))
    assert version is not None
    return parse_tool(version["definition"])


async def sync_due(app: App, now: float | None = None, limit: int = 50) -> int:
    """Start a sync job for every scheduled source whose time has come (see the module for
    a sync that is still running, or never finished, when its lease runs out)."""
    moment = clock.now() if now is None else now
    page = await app.store.query(
        service.SYNC_DUE, SK.le(due_key(moment)), index="GSI1", limit=limit
    )
    started = 0
    for item in page.items:
        lease = due_key(moment + LEASE_SECONDS)
        try:
            claimed = await app.store.update(
                item["PK"], item["SK"], set={"GSI1SK": lease},
                condition=Condition.version_is(item["version"]),
            )  # fmt: skip
        except ConditionFailed:
            continue  # another process claimed it
        running = item.get("sync_started")
        if running is not None and moment - float(running) < LEASE_SECONDS:
            continue  # still running (a manual sync, or a slow one): leased again
        if running is not None:
            await service.after_failure(app, claimed, _unfinished(), "sync")
            continue
        await start_sync(app, item["owner_id"], item["source_id"], reason="scheduled")
        started += 1
    return started


def _unfinished() -> SourceError:
    return SourceError(
        "timeout",
        "The previous sync did not finish: the server stopped while it ran. "
        "It is retried later, with a growing pause.",
    )
