"""What the Tool data pages need beyond the service: wizard fields built from a connector's
config model, form parsing, status cards, sheet listing of uploads and job status."""

from __future__ import annotations

import json
import tempfile
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from anyio import to_thread
from fastapi import Request
from pydantic.fields import FieldInfo

from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.data import service, sync
from keyvex.data._types import Connector, SourceError
from keyvex.data.models import DataSource
from keyvex.data.sources import CONNECTORS, _load, connector
from keyvex.errors import KeyvexError, NotFound
from keyvex.jobs.records import job_key

Widget = Literal["text", "textarea", "number", "select", "json", "upload", "hidden"]
STATUS_LABELS = {
    "connected": "Connected",
    "error": "Error",
    "paused": "Paused",
    "never_synced": "Never synced",
}
FREQUENCY_LABELS = {
    "manual": "Manual (sync when I say)",
    "hourly": "Every hour",
    "daily": "Every day",
    "realtime": "Near real time (at most 60 s stale)",
}
MAPPING_LABELS = {
    "input": "Tool input",
    "lookup_key": "Lookup key",
    "lookup_value": "Lookup value",
    "filter": "Filter visitors choose",
    "ignore": "Ignore",
}
#: The form fields a failure of each kind is most likely about, most likely first.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "unreachable": ("url", "my_domain_url", "spreadsheet_id", "base_id"),
    "timeout": ("query", "url"),
    "not_found": ("table", "sheet", "range", "spreadsheet_id", "base_id", "url", "query"),
    "format": ("record_path", "blob_key", "query", "url"),
    "refused": ("query", "url"),
    "too_large": ("query", "blob_key", "url"),
}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One form field of a source's settings (``config.<name>`` or ``secrets.<name>``).

    ``choices`` are (value, label) pairs of a select; ``accept`` the file suffixes an upload
    takes; ``shown_for`` the suffixes of the uploaded file the field applies to (empty: any).
    Label and hint come from the connector (field titles and descriptions of its config
    model, ``secret_help`` for secrets), so the API schema and the form say the same.
    """

    name: str
    label: str
    widget: Widget
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    secret: bool = False
    default: Any = None
    accept: str = ""
    shown_for: str = ""
    key: str = field(init=False, default="")

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", ("secrets." if self.secret else "config.") + self.name)


def _extra(info: FieldInfo) -> dict[str, Any]:
    extra = info.json_schema_extra
    return extra if isinstance(extra, dict) else {}


def _widget(name: str, info: FieldInfo) -> tuple[Widget, tuple[tuple[str, str], ...]]:
    annotation = info.annotation
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) in (Union, types.UnionType) and len(args) == 1:
        annotation = args[0]
    extra = _extra(info)
    if extra.get("widget") == "upload":
        return "upload", ()
    if name == "filename":
        return "hidden", ()
    if get_origin(annotation) is Literal:
        labels = extra.get("choice_labels", {})
        values = [str(a) for a in get_args(annotation)]
        return "select", tuple((v, str(labels.get(v, v))) for v in values)
    if annotation is int:
        return "number", ()
    if annotation is str:
        return ("textarea" if name in ("query", "formula") else "text"), ()
    return "json", ()


def config_fields(kind: Connector) -> list[FieldSpec]:
    """The settings form of a source type, from its config model, then its secrets.

    A field without a title reads as its name in words ("Record path"): every connector
    shipped here titles its fields, this only keeps a new one usable.
    """
    specs = []
    for name, info in kind.config_model.model_fields.items():
        widget, choices = _widget(name, info)
        specs.append(
            FieldSpec(
                name=name,
                label=info.title or name.replace("_", " ").capitalize(),
                widget=widget,
                required=info.is_required(),
                choices=choices,
                hint=info.description or "",
                default=None if info.is_required() else info.get_default(call_default_factory=True),
                accept=",".join(_extra(info).get("accept", ())),
                shown_for=",".join(_extra(info).get("shown_for", ())),
            )
        )
    for name in kind.secret_fields:
        help_ = kind.secret_help.get(name)
        label = help_.label if help_ else name.replace("_", " ").capitalize()
        hint = help_.hint if help_ else ""
        specs.append(
            FieldSpec(name, label, "text", name not in kind.optional_secrets, (), hint, True)
        )
    return specs


def editable_fields(kind: Connector, config: Mapping[str, Any]) -> list[FieldSpec]:
    """A saved source's settings form: no upload widgets (a file is replaced on its own), and
    for a file only the sheet or table choice its format has."""
    from keyvex.data.sources.files import FORMATS

    fmt = FORMATS.get(Path(str(config.get("filename", ""))).suffix.lower())
    wanted = {"sheet": fmt in ("xlsx", "xls", "ods"), "table": fmt == "access"}
    return [
        spec
        for spec in config_fields(kind)
        if spec.widget not in ("upload", "hidden")
        and (kind.source_type != "file" or wanted.get(spec.name, True))
    ]


def form_values(specs: list[FieldSpec], config: Mapping[str, Any]) -> dict[str, str]:
    """Stored settings as form text (secrets are never filled in)."""
    values: dict[str, str] = {}
    for spec in specs:
        if spec.secret or spec.name not in config:
            continue
        value = config[spec.name]
        if spec.widget == "json":
            values[spec.key] = "" if value == spec.default else json.dumps(value)
        else:
            values[spec.key] = "" if value is None else str(value)
    return values


async def form_dict(request: Request) -> dict[str, str]:
    """Every text field of a posted form (files and repeats ignored)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def parse_settings(
    specs: list[FieldSpec], form: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """(config, secrets, problems) from a settings form; only fields present are read, so
    the caller can lay ``config`` over the stored settings. Blank secrets are left out."""
    config: dict[str, Any] = {}
    secrets: dict[str, str] = {}
    problems: dict[str, str] = {}
    for spec in specs:
        raw = form.get(spec.key)
        if raw is None:
            continue
        text = raw.strip()
        if spec.secret:
            if text:
                secrets[spec.name] = text
        elif not text:
            if not spec.required:
                config[spec.name] = spec.default
        elif spec.widget == "json":
            try:
                config[spec.name] = json.loads(text)
            except json.JSONDecodeError as exc:
                problems[spec.key] = f"is not valid JSON ({exc.msg}, column {exc.colno})."
        elif spec.widget == "number":
            try:
                config[spec.name] = int(text)
            except ValueError:
                problems[spec.key] = "Use a whole number."
        else:
            config[spec.name] = text
    return config, secrets, problems


def error_fields(exc: KeyvexError, specs: list[FieldSpec]) -> dict[str, str]:
    """The form fields to mark for an error: its own, or the likeliest for its kind."""
    if exc.fields:
        marked: dict[str, str] = {}
        for path, message in exc.fields.items():
            head, _, rest = path.partition(".")
            name = rest.split(".")[0].split("[")[0] if head in ("config", "secrets") else path
            marked[f"{head}.{name}" if rest else path] = message
        return marked
    if not isinstance(exc, SourceError):
        return {}
    keys = {spec.name: spec.key for spec in specs if not spec.secret}
    if exc.kind == "auth":
        secret = next((s.key for s in specs if s.secret), None)
        return {secret: exc.message} if secret else {}
    for name in KIND_FIELDS.get(exc.kind, ()):
        if name in keys:
            return {keys[name]: exc.message}
    return {}


def source_types() -> list[Connector]:
    _load()
    order = ["file", "google_sheets", "airtable", "sql", "salesforce", "rest"]
    return sorted(CONNECTORS.values(), key=lambda c: (order + [c.source_type]).index(c.source_type))


def kind_or_404(source_type: str) -> Connector:
    try:
        return connector(source_type)
    except SourceError:
        raise NotFound("There is no such source type.") from None


def status_of(source: DataSource) -> str:
    return "paused" if source.paused else source.health.status


async def source_cards(app: App, user: User) -> list[dict[str, Any]]:
    """One card per source: the source, its status, its label and how many tools read it."""
    cards = []
    for source in await service.list_sources(app, user):
        kind = CONNECTORS.get(source.source_type)
        cards.append(
            {
                "source": source,
                "status": status_of(source),
                "type_label": kind.label if kind else source.source_type,
                "tools": len(await service.bound_tools(app, source.id)),
            }
        )
    return cards


def totals(cards: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "sources": len(cards),
        "connected": sum(c["status"] == "connected" for c in cards),
        "errors": sum(c["status"] == "error" for c in cards),
        "rows": sum(c["source"].snapshot.row_count for c in cards if c["source"].snapshot),
        "tools": sum(c["tools"] for c in cards),
    }


async def bound_tool_rows(app: App, user: User, source_id: str) -> list[dict[str, str]]:
    """The creator's tools reading this source, with their titles (deleted ones left out)."""
    from keyvex.tools.service import get_tool

    rows = []
    for tool_id in await service.bound_tools(app, source_id):
        try:
            tool = await get_tool(app, user, tool_id)
        except NotFound:
            continue
        rows.append({"id": tool.id, "title": tool.definition.title, "status": tool.status})
    return rows


def _sheets(app: App, blob_key: str, filename: str) -> list[str]:
    from keyvex.data.sources.files import FORMATS, list_sheets

    if FORMATS.get(Path(filename).suffix.lower()) in (None, "csv", "tsv"):
        return []
    with tempfile.TemporaryDirectory(prefix="keyvex-sheets-") as tmp:
        local = Path(tmp) / ("upload" + Path(filename).suffix.lower())
        with app.blobs.open(blob_key) as source, local.open("wb") as out:
            while chunk := source.read(1 << 20):
                out.write(chunk)
        return list_sheets(
            local,
            filename=filename,
            timeout=app.settings.data_timeout_seconds,
            memory=app.settings.data_reader_memory_bytes,
        )


async def upload_answer(app: App, info: Mapping[str, Any]) -> dict[str, Any]:
    """The upload's reference plus its worksheets or tables (or why they cannot be read)."""
    answer = {k: info[k] for k in ("blob_key", "filename", "size", "sha256")}
    try:
        answer["sheets"] = await to_thread.run_sync(
            _sheets, app, info["blob_key"], info["filename"]
        )
    except SourceError as exc:
        answer |= {"sheets": [], "problem": exc.message}
    return answer


async def job_status(app: App, source_id: str, job_id: str) -> dict[str, Any]:
    """A sync job of this source (the caller has checked the source is the user's)."""
    item = await app.store.get(*job_key(job_id)) if job_id.isalnum() else None
    if not sync.is_sync_job(item, source_id):
        raise NotFound("There is no such job for this source.")
    return {k: item.get(k) for k in ("status", "progress", "error")}


def mapping_rows(source: DataSource, analysis: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Per column: the accepted mapping, else the suggested one, else 'ignore'."""
    columns = source.snapshot.columns if source.snapshot else []
    accepted = {m["column"]: m for m in source.mappings}
    suggested = {m["column"]: m for m in (analysis or {}).get("field_mappings", [])}
    rows = []
    for column in columns:
        chosen = accepted.get(column) or suggested.get(column) or {}
        hint = suggested.get(column, {})
        rows.append(
            {
                "column": column,
                "kind": chosen.get("target_kind", "ignore"),
                "target": chosen.get("target", ""),
                "confidence": hint.get("confidence"),
                "reason": hint.get("reason", ""),
                "accepted": column in accepted,
            }
        )
    return rows


def parse_mappings(form: Mapping[str, str]) -> list[dict[str, str]]:
    """The mappings form: ``m-{n}-column``, ``m-{n}-kind``, ``m-{n}-target`` per row."""
    mappings = []
    for n in range(200):
        column = form.get(f"m-{n}-column")
        if column is None:
            break
        mappings.append(
            {
                "column": column,
                "target_kind": form.get(f"m-{n}-kind", "ignore"),
                "target": form.get(f"m-{n}-target", "").strip(),
            }
        )
    return mappings


def short_time(iso: str | None) -> str:
    """'2025-01-31T09:05:00+00:00' -> '2025-01-31 09:05 UTC'."""
    return f"{iso[:10]} {iso[11:16]} UTC" if iso else "–"
