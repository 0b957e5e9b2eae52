"""Job records in the item store: ``JOB#{id}`` / ``JOB``, the truth about one named job.

Fields: ``name`` and ``args`` (what to run), ``status`` (queued, running, done, failed),
``attempts`` / ``max_attempts``, ``next_run_at`` (queued: when it may run), ``lease_until``
(running: when the run is presumed dead if no heartbeat renewed it), ``error``, ``progress``.

Indexes:
- ``GSI2PK=JOB_DUE``, ``GSI2SK`` = the time the job is next due (a queued job's run time, a
  running job's lease end): one key query finds work to start or to rescue after a crash;
- ``GSI2PK=JOB_DEAD`` for jobs given up after their last attempt (the dead-letter list);
- ``GSI1PK=USER#{uid}#JOBS`` for jobs submitted on behalf of a user (account deletion).

Pending and running jobs never expire; finished ones are kept seven days, dead ones thirty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from keyvex.store import ItemStore, due_key

JobStatus = Literal["queued", "running", "done", "failed"]
JOB_TTL_SECONDS = 7 * 86400
DEAD_TTL_SECONDS = 30 * 86400
DUE = "JOB_DUE"
DEAD = "JOB_DEAD"


def job_key(job_id: str) -> tuple[str, str]:
    return (f"JOB#{job_id}", "JOB")


def due_sk(when: float, job_id: str) -> str:
    return due_key(when, job_id)


@dataclass(frozen=True, slots=True)
class JobRecord:
    id: str
    name: str
    status: JobStatus
    error: str
    progress: str
    created_at: str
    updated_at: str
    args: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0
    max_attempts: int = 1
    owner_id: str | None = None

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
            args=dict(item.get("args") or {}),
            attempts=int(item.get("attempts", 0)),
            max_attempts=int(item.get("max_attempts", 1)),
            owner_id=item.get("owner_id"),
        )


def owner_jobs_index(uid: str) -> str:
    """The GSI1 partition listing the job records of one user (account deletion reads it)."""
    return f"USER#{uid}#JOBS"


def new_job_item(
    job_id: str,
    name: str,
    args: dict[str, Any],
    *,
    owner: str | None,
    run_at: float,
    max_attempts: int,
) -> dict[str, Any]:
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
        "args": args,
        "status": "queued",
        "attempts": 0,
        "max_attempts": max_attempts,
        "next_run_at": run_at,
        "error": "",
        "progress": "",
        "GSI2PK": DUE,
        "GSI2SK": due_sk(run_at, job_id),
    }


async def get_job(store: ItemStore, job_id: str) -> JobRecord | None:
    item = await store.get(*job_key(job_id))
    return None if item is None else JobRecord.from_item(item)


async def dead_jobs(store: ItemStore, limit: int = 100) -> list[JobRecord]:
    """The most recently given-up jobs first (the dead-letter list)."""
    page = await store.query(DEAD, index="GSI2", ascending=False, limit=limit)
    return [JobRecord.from_item(item) for item in page.items]
