"""REST API v1 for data sources: CRUD, uploads, tests, syncs, activity, analysis, mappings."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from keyvex.data import service, sync
from keyvex.data._api import (
    ActivityListOut,
    AnalysisOut,
    JobOut,
    JobStartedOut,
    PreviewOut,
    RowsOut,
    SourceDetailOut,
    SourceListOut,
    SourceOut,
    SourceTypeListOut,
    SourceWithJobOut,
    UploadOut,
)
from keyvex.data._types import Dataset
from keyvex.data.sources import CONNECTORS, _load
from keyvex.errors import NotFound
from keyvex.jobs.records import job_key
from keyvex.web.deps import ApiUser, AppDep

router = APIRouter(prefix="/api/v1", tags=["data"])


class SourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=120)
    source_type: str = Field(max_length=40)
    config: dict[str, Any] = Field(default_factory=dict)
    secrets: dict[str, str] = Field(default_factory=dict, max_length=20)
    frequency: str = "manual"


class SourcePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=120)
    config: dict[str, Any] | None = None
    secrets: dict[str, str] | None = Field(default=None, max_length=20)
    frequency: str | None = None
    paused: bool | None = None


class TestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source_type: str = Field(max_length=40)
    config: dict[str, Any] = Field(default_factory=dict)
    secrets: dict[str, str] = Field(default_factory=dict, max_length=20)


class MappingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mappings: list[dict[str, Any]] = Field(max_length=200)


def _preview(dataset: Dataset, elapsed_ms: float) -> dict[str, Any]:
    return {
        "columns": dataset.columns,
        "rows": dataset.rows[:20],
        "row_count": dataset.row_count,
        "warnings": dataset.warnings,
        "response_ms": elapsed_ms,
    }


@router.get(
    "/data-source-types", summary="List the data source types", response_model=SourceTypeListOut
)
async def source_types(user: ApiUser) -> dict[str, Any]:
    """The source types and the secret fields each needs."""
    _load()
    return {
        "types": [
            {
                "type": c.source_type,
                "label": c.label,
                "secrets": list(c.secret_fields),
                "optional_secrets": list(c.optional_secrets),
                "config_schema": c.config_model.model_json_schema(),
            }
            for c in CONNECTORS.values()
        ]
    }


@router.post(
    "/data-sources/uploads",
    status_code=201,
    summary="Upload a file for a file source",
    response_model=UploadOut,
)
async def upload(
    request: Request, app: AppDep, user: ApiUser, filename: str = Query(max_length=200)
) -> dict[str, Any]:
    """Stream a file (the raw request body) to the blob store; use its ``blob_key`` in a
    file source's config. Larger than ``KEYVEX_DATA_MAX_UPLOAD_BYTES`` is refused."""
    return await service.store_upload(app, user, filename, request.stream())


@router.get("/data-sources", summary="List your data sources", response_model=SourceListOut)
async def index(app: AppDep, user: ApiUser) -> dict[str, Any]:
    return {"data_sources": [s.public() for s in await service.list_sources(app, user)]}


@router.post(
    "/data-sources", status_code=201, summary="Create a data source", response_model=SourceOut
)
async def create(body: SourceIn, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """Create a source (secrets are stored encrypted and never returned)."""
    source = await service.create_source(app, user, **body.model_dump())
    return source.public()


@router.post("/data-sources/test", summary="Test settings before saving", response_model=PreviewOut)
async def test_settings(body: TestIn, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """Test settings before saving them: a preview of the first rows."""
    dataset, elapsed = await service.fetch_preview(
        app, user, body.source_type, body.config, body.secrets
    )
    return _preview(dataset, elapsed)


@router.get(
    "/data-sources/{source_id}", summary="Get a data source", response_model=SourceDetailOut
)
async def detail(source_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    source = await service.get_source(app, user, source_id)
    return {**source.public(), "tools": await service.bound_tools(app, source_id)}


@router.patch("/data-sources/{source_id}", summary="Change a data source", response_model=SourceOut)
async def patch(source_id: str, body: SourcePatch, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """Change name, settings, secrets (blank keeps them), frequency or pause."""
    fields = body.model_dump(exclude_none=True)
    return (await service.update_source(app, user, source_id, **fields)).public()


@router.delete(
    "/data-sources/{source_id}",
    status_code=204,
    summary="Delete a data source",
)
async def delete(source_id: str, app: AppDep, user: ApiUser) -> None:
    await service.delete_source(app, user, source_id)


@router.post(
    "/data-sources/{source_id}/test", summary="Test a data source", response_model=PreviewOut
)
async def test(source_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    dataset, elapsed = await service.test_source(app, user, source_id)
    return _preview(dataset, elapsed)


@router.put(
    "/data-sources/{source_id}/file",
    summary="Replace a file source's file",
    response_model=SourceWithJobOut,
)
async def replace_file(
    source_id: str,
    request: Request,
    app: AppDep,
    user: ApiUser,
    filename: str = Query(max_length=200),
) -> dict[str, Any]:
    """Upload a new version of a file source's file and start a sync (202-like: job id)."""
    await service.get_source(app, user, source_id)
    upload_info = await service.store_upload(app, user, filename, request.stream())
    source = await service.replace_file(app, user, source_id, upload_info)
    job_id = await sync.start_sync(app, user.id, source_id, reason="new file")
    return {**source.public(), "job_id": job_id}


@router.post(
    "/data-sources/{source_id}/sync",
    status_code=202,
    summary="Start a sync",
    response_model=JobStartedOut,
)
async def start_sync(source_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """Start a sync job; poll ``/data-sources/{id}/jobs/{job_id}`` for its progress."""
    await service.get_source(app, user, source_id)
    return {"job_id": await sync.start_sync(app, user.id, source_id)}


@router.get(
    "/data-sources/{source_id}/jobs/{job_id}", summary="Get a sync job", response_model=JobOut
)
async def job(source_id: str, job_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """A sync job of this source: status (queued, running, done, failed) and progress."""
    await service.get_source(app, user, source_id)
    item = await app.store.get(*job_key(job_id)) if job_id.isalnum() else None
    if not sync.is_sync_job(item, source_id):
        raise NotFound("There is no such job for this source.")
    return {k: item.get(k) for k in ("status", "progress", "error", "created_at", "updated_at")}


@router.get(
    "/data-sources/{source_id}/activity",
    summary="A data source's activity log",
    response_model=ActivityListOut,
)
async def activity_log(source_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    return {"activity": await service.activity(app, user, source_id)}


@router.get(
    "/data-sources/{source_id}/analysis",
    summary="A data source's analysis",
    response_model=AnalysisOut,
)
async def analysis(source_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    found = await service.get_analysis(app, user, source_id)
    if found is None:
        raise NotFound("The source has no analysis yet: sync it first.")
    return found


@router.get(
    "/data-sources/{source_id}/rows", summary="A data source's first rows", response_model=RowsOut
)
async def rows(
    source_id: str, app: AppDep, user: ApiUser, limit: int = Query(20, ge=1, le=200)
) -> dict[str, Any]:
    dataset = await service.preview_rows(app, user, source_id, limit)
    if dataset is None:
        raise NotFound("The source has no data yet: sync it first.")
    return dataset.to_json()


@router.put(
    "/data-sources/{source_id}/mappings",
    summary="Save column mappings",
    response_model=SourceOut,
)
async def mappings(source_id: str, body: MappingsIn, app: AppDep, user: ApiUser) -> dict[str, Any]:
    return (await service.save_mappings(app, user, source_id, body.mappings)).public()
