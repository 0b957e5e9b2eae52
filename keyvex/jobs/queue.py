"""Named jobs on a distributed queue: taskiq's Redis stream broker, consumed by `keyvex worker`.

Why taskiq: it is async-native like the app (a job is a coroutine on the worker's event loop,
as in the in-process runner, so the same task functions run unchanged); its Redis broker
uses the Redis the scaled-out mode already runs for rate limits and cache invalidation; and
its stream broker (``RedisStreamBroker``: a consumer group on a Redis stream) acknowledges a
message only once the job has run, so the message of a worker that died is claimed by
another (``XAUTOCLAIM`` after an idle time). Celery is thread/process based and synchronous
at heart; Dramatiq likewise; both would run our coroutines through a loop per call.

The queue carries job ids only; the ``JOB#`` item stays the truth, and running a message is
the shared claim-lease-record cycle (:mod:`keyvex.jobs._execution`): a message for a job that
is not due, already done, or held by a live run is acknowledged and dropped, so duplicate
messages are harmless and delivery is at least once. A worker killed with SIGKILL leaves its
job ``running`` with a lease nobody renews; once the lease is over the job is due again and
the due sweep (or the broker's redelivery of the unacknowledged message) hands it to another
worker. The stream broker has no delayed delivery: a job not yet due (a ``delay``, a retry
after its backoff) is only stored, and the cluster's due sweep (:meth:`run_due`, run by the
scheduler lease holder) enqueues it when its time comes. A short-lived Redis key per job and
due time (``SET NX EX``) keeps the sweep from enqueuing one due job again and again while it
waits in the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any
from urllib.parse import urlsplit

from redis.asyncio import Redis
from taskiq import AcknowledgeType
from taskiq.receiver import Receiver
from taskiq_redis import RedisStreamBroker

from keyvex.errors import Unavailable
from keyvex.jobs._execution import Clock, JobExecutor, PreparedJob, log
from keyvex.jobs.records import due_sk
from keyvex.jobs.registry import TaskRegistry, tasks
from keyvex.store import Condition, ItemStore

#: The one taskiq task: run the stored job with this id.
MESSAGE_TASK = "keyvex.job"


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


class QueueJobRunner(JobExecutor):
    """Stores jobs like the in-process runner and puts their ids on a Redis stream; the
    ``keyvex worker`` processes run them (:meth:`consume`). A web process runs none."""

    def __init__(
        self,
        store: ItemStore,
        redis_url: str,
        *,
        queue_name: str = "keyvex-jobs",
        registry: TaskRegistry = tasks,
        clock: Clock = time.time,
        lease_seconds: float = 60.0,
    ) -> None:
        super().__init__(store, registry=registry, clock=clock, lease_seconds=lease_seconds)
        self.redis_url = redis_url
        self.queue_name = queue_name
        #: A due job enqueued by the sweep is not enqueued again for this long (a message
        #: lost with Redis's memory, or trimmed, is so replaced).
        self.requeue_seconds = max(10, int(lease_seconds))
        self.broker = RedisStreamBroker(
            url=redis_url,
            queue_name=queue_name,
            consumer_group_name=queue_name,
            consumer_id="0",  # a group created after jobs were sent still reads them
            xread_block=1000,
            xread_count=1,  # take one message at a time: the others stay for other workers
            # A message unacknowledged this long (its worker died) goes to another worker;
            # by then the job's lease is over too, so that worker can claim it.
            idle_timeout=int(lease_seconds * 1500),
            unacknowledged_lock_timeout=5,
            maxlen=100_000,
        )

        async def run_message(job_id: str) -> None:
            await self._consume(job_id)

        self._message = self.broker.register_task(run_message, task_name=MESSAGE_TASK)
        self._sends: set[asyncio.Task[None]] = set()

    async def check(self) -> None:
        """Raise Unavailable (one sentence) unless Redis answers."""
        try:
            async with Redis(connection_pool=self.broker.connection_pool) as redis:
                await redis.ping()
        except Exception as exc:
            raise Unavailable(
                f"The job queue cannot reach Redis at {redacted(self.redis_url)} "
                f"({str(exc).rstrip('.')})."
            ) from None

    async def submit(
        self, name: str, *, owner: str | None = None, delay: float = 0.0, **args: Any
    ) -> str:
        job = self.prepare(name, owner=owner, delay=delay, **args)
        await self.store.put(job.item, Condition.not_exists())
        if job.run_at <= self.clock():
            await self._send_quietly(job.id, job.item["GSI2SK"])
        return job.id

    def start(self, job: PreparedJob) -> None:
        """Enqueue a stored job now if it is due (a later one waits for the due sweep)."""
        if job.run_at <= self.clock():
            task = asyncio.get_running_loop().create_task(
                self._send_quietly(job.id, job.item["GSI2SK"])
            )
            self._sends.add(task)
            task.add_done_callback(self._sends.discard)

    async def run_due(self, limit: int = 100) -> int:
        """Enqueue every job that is due and not enqueued lately: queued ones whose time has
        come and running ones whose lease ran out (their worker died). Run once per cluster
        by the scheduler; returns how many were enqueued."""
        sent = 0
        for item in await self.due_items(limit):
            sent += await self._send(item["job_id"], item["GSI2SK"])
        return sent

    async def handed_back(self, job_id: str) -> None:
        """A run cut off by a shutdown goes back on the queue at once, for another worker."""
        await self._send_quietly(job_id, due_sk(self.clock(), job_id))

    async def _send(self, job_id: str, due: str) -> bool:
        """Put the job id on the stream unless it was sent for this due time lately."""
        key = f"{self.queue_name}:sent:{job_id}:{due}"
        async with Redis(connection_pool=self.broker.connection_pool) as redis:
            if not await redis.set(key, b"1", nx=True, ex=self.requeue_seconds):
                return False
            try:
                await self._message.kiq(job_id)
            except BaseException:
                await redis.delete(key)
                raise
        return True

    async def _send_quietly(self, job_id: str, due: str) -> None:
        """Send, or leave the job to the due sweep: it is stored, so it is not lost."""
        try:
            await self._send(job_id, due)
        except Exception as exc:
            log.warning("job not enqueued; the due sweep will", job_id=job_id, error=str(exc))

    async def _consume(self, job_id: str) -> None:
        """The taskiq task: run the stored job (a duplicate already running here is dropped)."""
        current = asyncio.current_task()
        if job_id in self._tasks or current is None:
            return
        self._tasks[job_id] = current
        try:
            await self.run(job_id)
        except asyncio.CancelledError:
            # Only our own shutdown cancels a run here, and the run has handed its job back
            # (queued, re-enqueued): to taskiq the message is done, not a failure to log.
            return
        finally:
            self._tasks.pop(job_id, None)

    async def consume(self, stop: asyncio.Event, concurrency: int = 10, grace: float = 10) -> None:
        """Run jobs from the queue, at most ``concurrency`` at a time, until ``stop`` is set;
        then let running jobs finish within ``grace`` seconds and hand the rest back."""
        self.broker.is_worker_process = True
        while not stop.is_set():
            receiver = Receiver(
                self.broker,
                run_startup=True,  # declares the consumer group (again, after a Redis restart)
                max_async_tasks=concurrency,
                ack_type=AcknowledgeType.WHEN_EXECUTED,  # a killed worker's message stays pending
                wait_tasks_timeout=0,  # the grace is given below, reconnects included
            )
            try:
                await receiver.listen(stop)
            except Exception as exc:  # Redis went away: running jobs go on, we reconnect
                log.warning("job queue unreachable; retrying in 1 s", error=_first(exc))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 1)
        await self._cancel_running(grace)

    async def aclose(self, timeout: float = 10) -> None:
        """Let running jobs finish within ``timeout``, hand the rest back, close Redis."""
        await self._cancel_running(timeout)
        if self._sends:
            await asyncio.wait(set(self._sends), timeout=timeout)
        with contextlib.suppress(Exception):
            await self.broker.shutdown()


def _first(exc: BaseException) -> str:
    """The first real error inside (task) exception groups, as text."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return str(exc) or type(exc).__name__
