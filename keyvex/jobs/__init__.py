"""Background work as named jobs: the registry, the JobRunner interface, the in-process runner.

Long or deferred work (AI turns and builds, lead emails, webhook deliveries, data syncs) is a
named job with JSON arguments (see :mod:`keyvex.jobs.registry`). Its ``JOB#{id}`` item is the
truth about it (:mod:`keyvex.jobs.records`): written before the work starts, so a job is never
lost with the process that started it. The embedded mode runs jobs as asyncio tasks in the web
process (:class:`LocalJobRunner`); the scaled-out mode (``KEYVEX_JOBS=queue``) puts the same
jobs on taskiq's Redis stream broker (:class:`keyvex.jobs.queue.QueueJobRunner`, imported only
then: taskiq is the ``queue`` extra) for ``keyvex worker`` processes. Periodic work runs once
per cluster, in the process holding the scheduler lease (:mod:`keyvex.jobs.scheduler`).
"""

from keyvex.jobs._execution import current_job_id
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
from keyvex.jobs.runners import job_runner
from keyvex.jobs.scheduler import ClusterScheduler, Periodic

__all__ = [
    "ClusterScheduler",
    "JOB_TTL_SECONDS",
    "JobRecord",
    "JobRunner",
    "JobStatus",
    "LocalJobRunner",
    "Periodic",
    "PreparedJob",
    "TaskRegistry",
    "TaskSpec",
    "UnknownTask",
    "current_job_id",
    "dead_jobs",
    "get_job",
    "job_runner",
    "job_key",
    "owner_jobs_index",
    "task",
    "tasks",
]
