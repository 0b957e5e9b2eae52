"""The shapes the data-sources API answers with, as response models for the OpenAPI document.

Nested parts that evolve with the connectors and the analysis (settings, snapshots, column
profiles) are typed loosely here; their own models document them (``keyvex.data.models``,
``keyvex.data.analysis.models``). Every field is optional where stored items may predate it.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from keyvex.web.api_models import ApiModel


class SourceTypeOut(ApiModel):
    type: str
    label: str
    secrets: list[str]
    optional_secrets: list[str]
    config_schema: dict[str, Any] = Field(description="JSON Schema of the settings.")


class SourceTypeListOut(ApiModel):
    types: list[SourceTypeOut]


class UploadOut(ApiModel):
    blob_key: str = Field(description="Use it as a file source's config.blob_key.")
    filename: str
    size: int
    sha256: str


class SourceOut(ApiModel):
    """A data source; secrets are never returned, only which ones are set."""

    id: str
    name: str
    source_type: str
    config: dict[str, Any]
    secrets_set: list[str] = []
    frequency: str = "manual"
    paused: bool = False
    pause_reason: str | None = None
    next_sync_at: str | None = None
    snapshot: dict[str, Any] | None = None
    health: dict[str, Any] = {}
    mappings: list[dict[str, Any]] = []
    created_at: str = ""
    updated_at: str = ""
    version: int = 0


class SourceDetailOut(SourceOut):
    tools: list[str] = Field(description="Ids of the tools that read this source.")


class SourceWithJobOut(SourceOut):
    job_id: str = Field(description="The sync job started for the new file.")


class SourceListOut(ApiModel):
    data_sources: list[SourceOut]


class PreviewOut(ApiModel):
    columns: list[str]
    rows: list[list[Any]] = Field(description="The first 20 rows, cells in column order.")
    row_count: int
    warnings: list[str]
    response_ms: float


class RowsOut(ApiModel):
    columns: list[str]
    rows: list[list[Any]]
    row_count: int
    truncated: bool
    warnings: list[str]


class JobStartedOut(ApiModel):
    job_id: str


class JobOut(ApiModel):
    status: str | None = Field(description="queued, running, done or failed.")
    progress: Any = None
    error: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


class ActivityOut(ApiModel):
    kind: str
    message: str
    at: str


class ActivityListOut(ApiModel):
    activity: list[ActivityOut] = Field(description="Newest first; 30 days are kept.")


class AnalysisOut(ApiModel):
    """The analysis of the latest snapshot (see ``keyvex.data.analysis.models.Analysis``)."""

    row_count: int | None = None
    column_count: int | None = None
    quality: dict[str, Any] | None = None
    columns: list[dict[str, Any]] = []
    suggested_tool_types: list[dict[str, Any]] = []
    field_mappings: list[dict[str, Any]] = []
    suggestions: list[str] = []
