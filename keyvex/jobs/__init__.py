"""Background work as named jobs: the registry, the JobRunner interface, the in-process runner.

Long or deferred work (AI turns and builds, lead emails, webhook deliveries, data syncs) is a
named job with JSON arguments (see :mod:`keyvex.jobs.registry`). Its ``JOB#{id}`` item is the
truth about it (:mod:`keyvex.jobs.records`): written before the work starts, so a job is never
lost with the process that started it. The embedded mode runs jobs as asyncio tasks in the web
process (:class:`LocalJobRunner`); the scaled-out mode will put the same jobs on a distributed
task queue behind the same interface.
"""

from keyvex.jobs._protocol import JobRunner
from keyvex.jobs.local import LocalJobRunner, PreparedJob
from keyvex.jobs.records import (
    JOB_TTL_SECONDS,
    JobRecord,
    JobStatus,
    dead_jobs,
    get_job,
    job_key,
    owner_jobs_index,
)
from keyvex.jobs.registry import TaskRegistry, TaskSpec, UnknownTask, task, tasks

__all__ = [
    "JOB_TTL_SECONDS",
    "JobRecord",
    "JobRunner",
    "JobStatus",
    "LocalJobRunner",
    "PreparedJob",
    "TaskRegistry",
    "TaskSpec",
    "UnknownTask",
    "dead_jobs",
    "get_job",
    "job_key",
    "owner_jobs_index",
    "task",
    "tasks",
]
