"""The job queue, in one place: Keyvex's named jobs run on taskiq's Redis stream broker.

`keyvex serve` enqueues (KEYVEX_JOBS=queue) and `keyvex worker` consumes, both on the
ElastiCache Redis of :mod:`keyvex_infra.cache` (KEYVEX_REDIS_URL), so no SQS queue and no
SQS dead-letter queue exist: the dead-letter list is the jobs' own (``GSI2PK=JOB_DEAD`` in the
item store), watched by the job metrics function (:mod:`keyvex_infra.alarms`). Should the
engine move to SQS, this is the construct to change: create the queue and its dead-letter
queue here, grant the task role send/receive, and return the engine's settings from
:meth:`JobQueue.environment`.
"""

from __future__ import annotations

from constructs import Construct

#: The engine the app runs (keyvex.jobs.queue): taskiq + taskiq-redis's RedisStreamBroker.
ENGINE = "taskiq-redis"
#: KEYVEX_JOB_QUEUE: the Redis stream (and consumer group) web and worker share.
STREAM = "keyvex-jobs"


class JobQueue(Construct):
    """Settings that select the queue; with the Redis broker it creates no AWS resource."""

    def __init__(self, scope: Construct, construct_id: str, *, redis_url: str) -> None:
        super().__init__(scope, construct_id)
        self.redis_url = redis_url

    def environment(self) -> dict[str, str]:
        return {"KEYVEX_JOBS": "queue", "KEYVEX_JOB_QUEUE": STREAM}
