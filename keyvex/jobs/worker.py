"""`keyvex worker`: run jobs from the queue and take part in the cluster's periodic work."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING

from keyvex.errors import ConfigError
from keyvex.jobs.queue import QueueJobRunner
from keyvex.jobs.scheduler import ClusterScheduler, Periodic

if TYPE_CHECKING:
    from keyvex.app import App

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


async def run_worker(
    app: App,
    periodic: list[Periodic],
    *,
    concurrency: int = 10,
    grace: float = 10,
    announce: Callable[[str], object] = print,
) -> None:
    """Consume the queue until SIGTERM or SIGINT; running jobs then get ``grace`` seconds
    and are handed back (queued, due now, re-enqueued for another worker). The worker also
    competes for the scheduler lease, so a cluster of workers alone runs the periodic work."""
    runner = app.jobs
    if not isinstance(runner, QueueJobRunner):
        raise ConfigError(
            "keyvex worker runs queued jobs: set KEYVEX_JOBS=queue and KEYVEX_REDIS_URL."
        )
    await runner.check()
    announce(f"Keyvex worker: up to {concurrency} jobs at a time from {runner.queue_name!r}.")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    scheduler = ClusterScheduler(app, periodic, lease_seconds=app.settings.scheduler_lease_seconds)
    scheduler.start()
    try:
        await runner.consume(stop, concurrency=concurrency, grace=grace)
    finally:
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
        await scheduler.stop()
        await runner.aclose(timeout=0)
        await app.bus.aclose()  # wake-ups and invalidations still queued reach the others
