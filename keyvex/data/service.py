"""A creator's data sources: create, read, update, delete, test, uploads and activity.

Items (see README, "Item store"):
- ``USER#{uid}`` / ``DATA_SOURCE#{id}``: name, type, validated config, secrets as one Fernet
  token (``secrets_enc``), schedule, snapshot reference, health, accepted mappings; while a
  schedule is active it also sits in ``GSI1PK=SYNC_DUE`` ordered by the next sync time.
  ``sync_started`` (epoch seconds) is set while a sync runs; ``pause_reason`` says why the
  source was paused after ``MAX_FAILED_SYNCS`` failed syncs in a row (see ``after_failure``).
- ``DATA_SOURCE#{id}`` / ``ACTIVITY#{ts}#{n}``: the activity log, kept 30 days (``ttl``).
- ``DATA_SOURCE#{id}`` / ``TOOL#{tool_id}`` and ``TOOL#{tool_id}`` / ``DATA_SOURCE#{id}``:
  which tools read which sources (written when a bound tool is published or synced).
Uploaded files live in the blob store under ``uploads/{uid}/...``; snapshots under
``data/{source_id}/...``. The owner always comes from the signed-in user, so one creator can
never reach another's source: a foreign id is simply not found.
"""

from __future__ import annotations

import json
import re
import secrets as random
import time
from collections.abc import Mapping, Sequence
from typing import Any

from anyio import to_thread
from pydantic import ValidationError

from keyvex import clock
from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.clock import now_iso
from keyvex.crypto import decrypt, encrypt
from keyvex.data._types import Connector, Dataset, SourceContext, SourceError
from keyvex.data._uploads import store_upload as store_upload  # routes and pages use it here
from keyvex.data.models import INTERVALS, DataSource, Frequency
from keyvex.data.sources import connector
from keyvex.errors import Conflict, Invalid, KeyvexError, NotFound
from keyvex.logs import get_logger
from keyvex.store import SK, Condition, due_key
from keyvex.tools import readable_errors

log = get_logger("keyvex.data")
SYNC_DUE = "SYNC_DUE"
ACTIVITY_DAYS = 30
MAX_SOURCES = 50
MAX_FAILED_SYNCS = 5
MAX_BACKOFF_SECONDS = 86_400
FREQUENCIES = ("manual", "hourly", "daily", "realtime")


def source_key(uid: str, source_id: str) -> tuple[str, str]:
    return (f"USER#{uid}", f"DATA_SOURCE#{source_id}")


def context(app: App) -> SourceContext:
    return SourceContext.from_settings(app.settings, app.blobs)


def _check_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > 120:
        raise Invalid("The source needs a name.", fields={"name": "Use 1-120 characters."})
    return cleaned


def _check_frequency(frequency: str) -> Frequency:
    if frequency not in FREQUENCIES:
        raise Invalid(
            "That sync frequency is not known.",
            fields={"frequency": f"Choose one of: {', '.join(FREQUENCIES)}."},
        )
    return frequency  # type: ignore[return-value]


def validate_config(
    kind: Connector, config: Mapping[str, Any], owner_id: str | None = None
) -> dict[str, Any]:
    """The connector's settings, validated; every problem named as ``config.<field>``.

    A ``blob_key`` (an uploaded file) must be one of the owner's own uploads.
    """
    if not isinstance(config, Mapping):
        raise Invalid("The source settings must be an object.", fields={"config": "not an object"})
    try:
        model = kind.config_model.model_validate(dict(config))
    except ValidationError as exc:
        raise _settings_invalid(kind, exc) from None
    clean: dict[str, Any] = model.model_dump(mode="json")
    blob_key = clean.get("blob_key")
    if blob_key is not None and not str(blob_key).startswith(f"uploads/{owner_id}/"):
        raise Invalid(
            "That file is not one of your uploads.",
            fields={"config.blob_key": "Upload the file first and use the key it returns."},
        )
    return clean


def _settings_invalid(kind: Connector, exc: ValidationError) -> Invalid:
    """One sentence per field, led by the field's label when the message is a predicate
    ("File is required."); a problem of the settings as a whole ends the headline."""
    problems: dict[str, str] = {}
    general: list[str] = []
    fields = kind.config_model.model_fields
    for error in readable_errors(exc):
        path, message = error["path"], error["message"]
        info = fields.get(path.split(".")[0].split("[")[0])
        if info is None:
            general.append(message[:1].upper() + message[1:])
            continue
        label = info.title or path.replace("_", " ").capitalize()
        problems[f"config.{path}"] = f"{label} {message}" if message[:1].islower() else message
    headline = " ".join(["The source settings are not valid.", *general])
    return Invalid(headline, fields=problems)


def _check_secrets(
    kind: Connector, given: Mapping[str, Any], existing: Mapping[str, str]
) -> dict[str, str]:
    """Known secrets only; a blank value keeps the stored one; required ones must be set."""
    unknown = sorted(set(given) - set(kind.secret_fields))
    if unknown:
        raise Invalid(
            "Unknown secret fields.",
            fields={f"secrets.{name}": "is not a secret of this source type." for name in unknown},
        )
    merged = dict(existing)
    for name, value in given.items():
        if value is None or value == "":
            continue
        if not isinstance(value, str) or len(value) > 20_000:
            raise Invalid("A secret is not valid.", fields={f"secrets.{name}": "Use text."})
        merged[name] = value
    missing = [
        n for n in kind.secret_fields if n not in kind.optional_secrets and not merged.get(n)
    ]
    if missing:
        raise Invalid(
            "A secret is missing.", fields={f"secrets.{n}": "is required." for n in missing}
        )
    return merged


def secrets_of(app: App, item: Mapping[str, Any]) -> dict[str, str]:
    """Decrypted secrets of a stored source (for fetching only; never returned or logged)."""
    token = item.get("secrets_enc")
    return json.loads(decrypt(app, token)) if token else {}


def _to_model(item: Mapping[str, Any]) -> DataSource:
    return DataSource.model_validate(
        {**item, "id": item["source_id"], "owner_id": item["owner_id"]}
    )


def schedule_fields(
    frequency: str, paused: bool, after: float | None = None, delay: float | None = None
) -> dict[str, Any]:
    """The due-index attributes for an active schedule (None values are removed): due one
    interval (or ``delay`` seconds) after ``after`` (default now)."""
    if frequency == "manual" or paused:
        return {"next_sync_at": None, "GSI1PK": None, "GSI1SK": None}
    wait = INTERVALS[frequency] if delay is None else delay
    due = (clock.now() if after is None else after) + wait
    return {"next_sync_at": _iso(due), "GSI1PK": SYNC_DUE, "GSI1SK": due_key(due)}


def backoff_seconds(frequency: str, failures: int) -> float:
    """The wait before the next scheduled sync after ``failures`` failed syncs in a row: the
    interval, doubled after each failure, at most a day (or the interval if longer)."""
    interval = INTERVALS[frequency]
    return float(min(interval * 2 ** max(failures - 1, 0), max(interval, MAX_BACKOFF_SECONDS)))


async def after_failure(app: App, item: Mapping[str, Any], exc: SourceError, kind: str) -> None:
    """Record a failed sync; back the schedule off, or pause it after ``MAX_FAILED_SYNCS``
    failures in a row with a notice (``pause_reason``) on the source and in its activity.
    A paused source syncs again once the creator resumes it (or syncs it by hand)."""
    await record_failure(app, item, exc, activity=kind)
    failures = int((item.get("health") or {}).get("consecutive_errors", 0)) + 1
    frequency, paused = item["frequency"], bool(item.get("paused"))
    fields: dict[str, Any] = {"sync_started": None}
    if frequency != "manual" and not paused and failures >= MAX_FAILED_SYNCS:
        reason = (
            f"Syncing was paused after {failures} failed syncs in a row. The last error: "
            f"{exc.message} Fix the source, then resume it."
        )
        fields |= {"paused": True, "pause_reason": reason} | schedule_fields(frequency, True)
        await log_activity(app, item["source_id"], "error", reason)
    elif frequency != "manual" and not paused:
        fields |= schedule_fields(frequency, False, delay=backoff_seconds(frequency, failures))
    set_fields, removed = split_update(dict(item), fields)
    await app.store.update(
        item["PK"], item["SK"], set=set_fields, remove=sorted({*removed, "sync_started"}),
        condition=Condition.exists(),
    )  # fmt: skip


def _iso(epoch: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


#: Sources whose last sync or test failed sit in this GSI2 partition (by the failure's time)
#: until one succeeds: the operators' health page reads it.
FAILING_INDEX = "DATA_FAILING"


def split_update(
    item: dict[str, Any], fields: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Split fields into a `set` and a `remove` list (None means remove)."""
    set_fields = {k: v for k, v in fields.items() if v is not None}
    removed = [k for k, v in fields.items() if v is None and k in item]
    return set_fields, removed


async def create_source(
    app: App,
    user: User,
    *,
    name: str,
    source_type: str,
    config: Mapping[str, Any],
    secrets: Mapping[str, Any] | None = None,
    frequency: str = "manual",
) -> DataSource:
    kind = connector(source_type)
    clean = validate_config(kind, config, user.id)
    merged = _check_secrets(kind, secrets or {}, {})
    existing = await app.store.query(f"USER#{user.id}", SK.begins_with("DATA_SOURCE#"))
    if len(existing.items) >= MAX_SOURCES:
        raise Conflict(f"An account can have at most {MAX_SOURCES} data sources.")
    source_id = random.token_hex(8)
    pk, sk = source_key(user.id, source_id)
    item: dict[str, Any] = {
        "PK": pk,
        "SK": sk,
        "entity_type": "data_source",
        "source_id": source_id,
        "owner_id": user.id,
        "name": _check_name(name),
        "source_type": source_type,
        "config": clean,
        "secrets_set": sorted(k for k, v in merged.items() if v),
        "frequency": _check_frequency(frequency),
        "paused": False,
        "health": {"status": "never_synced", "error_count": 0, "consecutive_errors": 0},
        "mappings": [],
    }
    if merged:
        item["secrets_enc"] = encrypt(app, json.dumps(merged))
    item |= {k: v for k, v in schedule_fields(frequency, False, after=0).items() if v}
    await app.store.put(item, Condition.not_exists())
    await log_activity(app, source_id, "configuration", f"Source '{item['name']}' created.")
    return _to_model(await _item(app, user, source_id))


async def _item(app: App, user: User, source_id: str) -> dict[str, Any]:
    if not re.fullmatch(r"[0-9a-f]{16}", source_id):
        raise NotFound("There is no such data source.")
    item = await app.store.get(*source_key(user.id, source_id))
    if item is None:
        raise NotFound("There is no such data source.")
    return item


async def get_source(app: App, user: User, source_id: str) -> DataSource:
    return _to_model(await _item(app, user, source_id))


async def list_sources(app: App, user: User) -> list[DataSource]:
    items = [
        item
        async for item in app.store.query_all(f"USER#{user.id}", SK.begins_with("DATA_SOURCE#"))
    ]
    return sorted((_to_model(i) for i in items), key=lambda s: s.name.lower())


async def update_source(
    app: App,
    user: User,
    source_id: str,
    *,
    name: str | None = None,
    config: Mapping[str, Any] | None = None,
    secrets: Mapping[str, Any] | None = None,
    frequency: str | None = None,
    paused: bool | None = None,
) -> DataSource:
    """Change what is given; secrets left blank keep their stored values."""
    item = await _item(app, user, source_id)
    kind = connector(item["source_type"])
    fields: dict[str, Any] = {}
    changed: list[str] = []
    if name is not None:
        fields["name"] = _check_name(name)
        changed.append("name")
    if config is not None:
        fields["config"] = validate_config(kind, config, user.id)
        changed.append("settings")
    if secrets:
        merged = _check_secrets(kind, secrets, secrets_of(app, item))
        fields["secrets_enc"] = encrypt(app, json.dumps(merged))
        fields["secrets_set"] = sorted(k for k, v in merged.items() if v)
        changed.append("secrets")
    new_frequency = item["frequency"] if frequency is None else _check_frequency(frequency)
    new_paused = bool(item.get("paused")) if paused is None else paused
    if frequency is not None or paused is not None:
        fields |= {"frequency": new_frequency, "paused": new_paused}
        fields |= schedule_fields(new_frequency, new_paused)
        changed.append("paused" if paused else "schedule")
    if paused is False and item.get("pause_reason"):  # resumed after failures: start afresh
        fields |= {"pause_reason": None, "health": {**item["health"], "consecutive_errors": 0}}
    if not fields:
        return _to_model(item)
    set_fields, removed = split_update(item, fields)
    await app.store.update(
        item["PK"], item["SK"], set=set_fields, remove=removed,
        condition=Condition.version_is(item["version"]),
    )  # fmt: skip
    await log_activity(app, source_id, "configuration", f"Changed: {', '.join(changed)}.")
    return await get_source(app, user, source_id)


async def delete_source(app: App, user: User, source_id: str) -> None:
    """Delete a source, its activity, its snapshots and its upload; tools keep their data."""
    item = await _item(app, user, source_id)
    tools = await bound_tools(app, source_id)
    if tools:
        raise Conflict(
            f"The source is used by {len(tools)} tool(s); remove the binding from them first.",
            fields={"source": ", ".join(sorted(tools))},
        )
    async for entry in app.store.query_all(f"DATA_SOURCE#{source_id}"):
        await app.store.delete(entry["PK"], entry["SK"])
    for key in _blob_keys(item):
        await to_thread.run_sync(app.blobs.delete, key)
    await app.store.delete(item["PK"], item["SK"])


def _blob_keys(item: Mapping[str, Any]) -> list[str]:
    keys = []
    snapshot = item.get("snapshot") or {}
    keys += [k for k in (snapshot.get("blob_key"), snapshot.get("analysis_key")) if k]
    blob_key = (item.get("config") or {}).get("blob_key")
    if blob_key and str(blob_key).startswith(f"uploads/{item['owner_id']}/"):
        keys.append(blob_key)  # an uploaded file (CSV, workbook, SQLite database)
    return keys


async def bound_tools(app: App, source_id: str) -> list[str]:
    """Ids of the tools that read this source."""
    page = app.store.query_all(f"DATA_SOURCE#{source_id}", SK.begins_with("TOOL#"))
    return [item["tool_id"] async for item in page]


async def read_source(
    kind: Connector,
    config: Any,
    secrets: Mapping[str, str],
    ctx: SourceContext,
    *,
    preview: bool = False,
) -> Dataset:
    """A connector's fetch (or test) where every failure is a SourceError: a connector that
    raises anything else (a driver or SDK surprise) becomes one sentence, logged in full."""
    try:
        if preview:
            return await kind.test(config, secrets, ctx)
        return await kind.fetch(config, secrets, ctx)
    except SourceError:
        raise
    except KeyvexError as exc:
        raise SourceError("format", exc.message) from None
    except Exception as exc:
        log.error("data source failed unexpectedly", source_type=kind.source_type, exc_info=exc)
        raise SourceError(
            "format", f"The {kind.label} source answered in a way Keyvex could not read."
        ) from None


async def fetch_preview(
    app: App,
    user: User,
    source_type: str,
    config: Mapping[str, Any],
    secrets: Mapping[str, Any],
) -> tuple[Dataset, float]:
    """Test settings before they are saved: a small preview and the response time (ms)."""
    kind = connector(source_type)
    clean = kind.config_model.model_validate(validate_config(kind, config, user.id))
    merged = _check_secrets(kind, secrets, {})
    started = time.perf_counter()
    dataset = await read_source(kind, clean, merged, context(app), preview=True)
    return dataset, round((time.perf_counter() - started) * 1000, 1)


async def test_source(app: App, user: User, source_id: str) -> tuple[Dataset, float]:
    """Test a saved source; the result lands in its health and activity log."""
    item = await _item(app, user, source_id)
    kind = connector(item["source_type"])
    config = kind.config_model.model_validate(item["config"])
    started = time.perf_counter()
    try:
        dataset = await read_source(kind, config, secrets_of(app, item), context(app), preview=True)
    except SourceError as exc:
        await record_failure(app, item, exc, activity="test")
        raise
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    health = {**item.get("health", {}), "last_test_at": now_iso(), "last_response_ms": elapsed}
    if health.get("status") in (None, "never_synced", "error"):
        health["status"] = "connected" if item.get("snapshot") else "never_synced"
        health["consecutive_errors"] = 0
    gone = [k for k in ("GSI2PK", "GSI2SK") if health["status"] != "error" and k in item]
    await app.store.update(item["PK"], item["SK"], set={"health": health}, remove=gone)
    await log_activity(
        app, source_id, "test", f"Connection test passed in {elapsed:.0f} ms "
        f"({dataset.row_count} rows, {len(dataset.columns)} columns)."
    )  # fmt: skip
    return dataset, elapsed


async def record_failure(
    app: App, item: Mapping[str, Any], exc: SourceError, *, activity: str
) -> None:
    health = dict(item.get("health", {}))
    health |= {
        "status": "error",
        "last_error": exc.message,
        "last_error_kind": exc.kind,
        "last_error_at": now_iso(),
        "error_count": int(health.get("error_count", 0)) + 1,
        "consecutive_errors": int(health.get("consecutive_errors", 0)) + 1,
    }
    failing = {"GSI2PK": FAILING_INDEX, "GSI2SK": health["last_error_at"]}
    await app.store.update(item["PK"], item["SK"], set={"health": health, **failing})
    if (item.get("health") or {}).get("status") == "connected":
        await log_activity(app, item["source_id"], "connection", "Connection lost.")
    await log_activity(app, item["source_id"], "error", f"{activity.capitalize()}: {exc.message}")


async def log_activity(app: App, source_id: str, kind: str, message: str) -> None:
    """One line in the source's activity log (sync, test, error, connection, configuration)."""
    stamp = now_iso()
    await app.store.put(
        {
            "PK": f"DATA_SOURCE#{source_id}",
            "SK": f"ACTIVITY#{stamp}#{random.token_hex(3)}",
            "entity_type": "data_activity",
            "kind": kind,
            "message": message[:1000],
            "at": stamp,
            "ttl": int(app.store.now()) + ACTIVITY_DAYS * 86400,
        }
    )


async def activity(app: App, user: User, source_id: str, limit: int = 100) -> list[dict[str, Any]]:
    """The newest activity first (30 days are kept)."""
    await _item(app, user, source_id)
    page = await app.store.query(
        f"DATA_SOURCE#{source_id}", SK.begins_with("ACTIVITY#"), ascending=False, limit=limit
    )
    return [{"kind": i["kind"], "message": i["message"], "at": i["at"]} for i in page.items]


async def replace_file(
    app: App, user: User, source_id: str, upload: Mapping[str, Any]
) -> DataSource:
    """Point a file source at a new upload (the old file is deleted); sync it afterwards."""
    item = await _item(app, user, source_id)
    if item["source_type"] != "file":
        raise Invalid("Only file sources take a new file.", fields={"file": "not a file source"})
    old = item["config"].get("blob_key")
    config = {**item["config"], "blob_key": upload["blob_key"], "filename": upload["filename"]}
    source = await update_source(app, user, source_id, config=config)
    if old and old != upload["blob_key"]:
        await to_thread.run_sync(app.blobs.delete, old)
    await log_activity(app, source_id, "configuration", f"New file: {upload['filename']}.")
    return source


async def get_analysis(app: App, user: User, source_id: str) -> dict[str, Any] | None:
    """The analysis of the latest snapshot, or None before the first sync."""
    source = await get_source(app, user, source_id)
    if source.snapshot is None or not source.snapshot.analysis_key:
        return None
    raw = await to_thread.run_sync(app.blobs.get, source.snapshot.analysis_key)
    data: dict[str, Any] = json.loads(raw)
    return data


async def preview_rows(app: App, user: User, source_id: str, limit: int = 20) -> Dataset | None:
    """The first rows of the latest snapshot."""
    from keyvex.data.binding import load_dataset

    source = await get_source(app, user, source_id)
    if source.snapshot is None:
        return None
    dataset = await load_dataset(app, source.snapshot)
    return Dataset(
        columns=dataset.columns,
        rows=dataset.rows[: max(1, min(limit, 200))],
        row_count=dataset.row_count,
        truncated=len(dataset.rows) > limit,
    )


MAPPING_KINDS = ("input", "lookup_key", "lookup_value", "filter", "ignore")


async def save_mappings(
    app: App, user: User, source_id: str, mappings: Sequence[Mapping[str, Any]]
) -> DataSource:
    """Keep the mappings the creator accepted or edited (columns must exist in the data)."""
    item = await _item(app, user, source_id)
    columns = set((item.get("snapshot") or {}).get("columns", []))
    clean: list[dict[str, Any]] = []
    problems: dict[str, str] = {}
    for n, mapping in enumerate(mappings[:200]):
        column, target = mapping.get("column"), mapping.get("target", "")
        kind = mapping.get("target_kind", "input")
        if not isinstance(column, str) or column not in columns:
            problems[f"mappings[{n}].column"] = f"'{column}' is not a column of the data."
        elif kind not in MAPPING_KINDS:
            problems[f"mappings[{n}].target_kind"] = f"Choose one of {', '.join(MAPPING_KINDS)}."
        elif not isinstance(target, str) or len(target) > 64:
            problems[f"mappings[{n}].target"] = "Use at most 64 characters."
        else:
            clean.append({"column": column, "target": target, "target_kind": kind})
    if problems:
        raise Invalid("Some mappings are not valid.", fields=problems)
    await app.store.update(item["PK"], item["SK"], set={"mappings": clean})
    await log_activity(app, source_id, "configuration", f"{len(clean)} mapping(s) accepted.")
    return await get_source(app, user, source_id)
