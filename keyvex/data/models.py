"""A creator's data source as stored and as shown: settings, sync schedule, snapshot, health."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Frequency = Literal["manual", "hourly", "daily", "realtime"]
#: Seconds between syncs; "realtime" keeps data at most 60 s stale (30 s + the 10 s poll).
INTERVALS: dict[str, int] = {"hourly": 3600, "daily": 86400, "realtime": 30}
Status = Literal["never_synced", "connected", "error", "paused"]


class Snapshot(BaseModel):
    """The last good copy of a source's rows, kept in the blob store (never an item)."""

    model_config = ConfigDict(extra="ignore")

    blob_key: str
    sha256: str
    size: int
    row_count: int
    columns: list[str]
    synced_at: str
    analysis_key: str | None = None


class Health(BaseModel):
    model_config = ConfigDict(extra="ignore")

    status: Status = "never_synced"
    last_error: str | None = None
    last_error_kind: str | None = None
    last_error_at: str | None = None
    error_count: int = 0
    consecutive_errors: int = 0
    last_response_ms: float | None = None
    last_sync_at: str | None = None
    last_test_at: str | None = None


class DataSource(BaseModel):
    """What a source is. ``secrets`` are never here: only the names of those that are set."""

    model_config = ConfigDict(extra="ignore")

    id: str
    owner_id: str
    name: str
    source_type: str
    config: dict[str, Any]
    secrets_set: list[str] = Field(default_factory=list)
    frequency: Frequency = "manual"
    paused: bool = False
    #: Why syncing was paused automatically (failed syncs in a row); None if not, or by hand.
    pause_reason: str | None = None
    next_sync_at: str | None = None
    snapshot: Snapshot | None = None
    health: Health = Field(default_factory=Health)
    mappings: list[dict[str, Any]] = Field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""
    version: int = 0

    def public(self) -> dict[str, Any]:
        """The JSON the API returns (no secret, ever: only which ones are set)."""
        return self.model_dump(mode="json", exclude={"owner_id"})
