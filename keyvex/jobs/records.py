"""Job records in the item store: ``JOB#{id}`` / ``JOB`` with status, error and progress."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

from keyvex.store import ItemStore

JobStatus = Literal["queued", "running", "done", "failed"]
JOB_TTL_SECONDS = 7 * 86400


def job_key(job_id: str) -> tuple[str, str]:
    return (f"JOB#{job_id}", "JOB")


@dataclass(frozen=True, slots=True)
class JobRecord:
    id: str
    name: str
    status: JobStatus
    error: str
    progress: str
    created_at: str
    updated_at: str

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> JobRecord:
        return cls(
            id=item["job_id"],
            name=item["name"],
            status=item["status"],
            error=item.get("error", ""),
            progress=item.get("progress", ""),
            created_at=item["created_at"],
            updated_at=item["updated_at"],
        )


def owner_jobs_index(uid: str) -> str:
    """The GSI1 partition listing the job records of one user (account deletion reads it)."""
    return f"USER#{uid}#JOBS"


def new_job_item(job_id: str, name: str, owner: str | None = None) -> dict[str, Any]:
    pk, sk = job_key(job_id)
    owned = {} if owner is None else {
        "owner_id": owner, "GSI1PK": owner_jobs_index(owner), "GSI1SK": job_id
    }  # fmt: skip
    return {
        **owned,
        "PK": pk,
        "SK": sk,
        "entity_type": "job",
        "job_id": job_id,
        "name": name[:200],
        "status": "queued",
        "error": "",
        "progress": "",
        "ttl": int(time.time()) + JOB_TTL_SECONDS,
    }


async def get_job(store: ItemStore, job_id: str) -> JobRecord | None:
    item = await store.get(*job_key(job_id))
    return None if item is None else JobRecord.from_item(item)
