"""The App object: settings and every shared service, built once at start-up."""

from __future__ import annotations

from dataclasses import dataclass, field

from keyvex.caches import Caches
from keyvex.jobs import JobRunner, job_runner
from keyvex.ratelimit import RateLimiter
from keyvex.settings import Settings, prepare_data_dir, resolve_secrets
from keyvex.store import BlobStore, ItemStore, LocalBlobStore, SQLiteItemStore


@dataclass
class App:
    """Reached by routes through dependency aliases; later issues add cache and agents."""

    settings: Settings
    store: ItemStore
    blobs: BlobStore
    limiter: RateLimiter
    jobs: JobRunner
    #: Bounded in-process caches of derived data, each declared by its domain with a
    #: ``CacheSpec`` (``keyvex.caches``); entries are re-validated against the store.
    caches: Caches = field(default_factory=Caches)

    @property
    def secret_key(self) -> str:
        assert self.settings.secret_key is not None  # resolve_secrets guarantees it
        return self.settings.secret_key.get_secret_value()

    def close(self) -> None:
        self.store.close()


def build_app(settings: Settings) -> App:
    """Prepare the data directory and secrets, open the store; raises ConfigError clearly."""
    prepare_data_dir(settings)
    settings = resolve_secrets(settings)
    store = ItemStore(SQLiteItemStore(settings.database_path))
    app = App(
        settings=settings,
        store=store,
        blobs=LocalBlobStore(settings.blob_path),
        limiter=RateLimiter(settings.rate_limit_storage),
        jobs=job_runner(settings, store),
    )
    app.jobs.bind(app)
    return app
