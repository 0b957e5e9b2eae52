"""Choose the job runner the settings ask for: in-process (inline) or the Redis queue."""

from __future__ import annotations

from keyvex.errors import ConfigError
from keyvex.jobs._protocol import JobRunner
from keyvex.jobs.local import LocalJobRunner
from keyvex.settings import Settings
from keyvex.store import ItemStore


def job_runner(settings: Settings, store: ItemStore) -> JobRunner:
    """``KEYVEX_JOBS=inline``: jobs run in this process; ``queue``: on taskiq's Redis
    broker, run by ``keyvex worker`` (needs ``KEYVEX_REDIS_URL`` and the ``queue`` extra)."""
    if settings.jobs == "inline":
        return LocalJobRunner(store, lease_seconds=settings.job_lease_seconds)
    if not settings.redis_url:
        raise ConfigError(
            "KEYVEX_JOBS=queue needs KEYVEX_REDIS_URL (redis://host:6379/0): "
            "the job queue runs on Redis."
        )
    try:
        from keyvex.jobs.queue import QueueJobRunner
    except ImportError as exc:
        raise ConfigError(
            f"KEYVEX_JOBS=queue needs the queue extra (pip install 'keyvex[queue]'): {exc}."
        ) from None
    return QueueJobRunner(
        store,
        settings.redis_url,
        queue_name=settings.job_queue,
        lease_seconds=settings.job_lease_seconds,
    )
