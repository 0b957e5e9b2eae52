"""Background jobs: the JobRunner interface, the in-process runner and job records.

Long work (AI turns, builds, edits) is submitted as a job and never blocks a request. The
embedded mode runs jobs as asyncio tasks in the web process (:class:`LocalJobRunner`); the
scaled-out mode will put the same work behind a distributed task queue with the same
interface. Every job has a record at ``JOB#{id}`` / ``JOB`` (name, status, error, progress),
kept for seven days.
"""

from keyvex.jobs._protocol import JobRunner
from keyvex.jobs.local import LocalJobRunner
from keyvex.jobs.records import (
    JOB_TTL_SECONDS,
    JobRecord,
    JobStatus,
    get_job,
    job_key,
    owner_jobs_index,
)

__all__ = [
    "JOB_TTL_SECONDS",
    "JobRecord",
    "JobRunner",
    "JobStatus",
    "LocalJobRunner",
    "get_job",
    "job_key",
    "owner_jobs_index",
]
