"""The App object: settings and every shared service, built once at start-up."""

from __future__ import annotations

from dataclasses import dataclass, field

from keyvex.bus import Bus, follow, open_bus
from keyvex.caches import Caches
from keyvex.errors import ConfigError
from keyvex.jobs import JobRunner, job_runner
from keyvex.ratelimit import RateLimiter, limiter_for
from keyvex.settings import Settings, prepare_data_dir, resolve_secrets
from keyvex.store import BlobStore, ItemStore, LocalBlobStore, SQLiteItemStore
from keyvex.store.dynamodb import DynamoDBItemStore
from keyvex.store.s3 import S3BlobStore


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
    #: Typed messages between the parts of the app and, with KEYVEX_REDIS_URL, across
    #: processes (``keyvex.bus``): cache invalidation, co-creation stream wake-ups.
    bus: Bus = field(default_factory=Bus)

    def __post_init__(self) -> None:
        follow(self.bus, self.caches)  # shared caches drop what the bus says, here and elsewhere

    @property
    def secret_key(self) -> str:
        assert self.settings.secret_key is not None  # resolve_secrets guarantees it
        return self.settings.secret_key.get_secret_value()

    def close(self) -> None:
        self.store.close()


def open_store(settings: Settings) -> ItemStore:
    """The item store ``KEYVEX_STORE_BACKEND`` names: the SQLite file or the DynamoDB table."""
    if settings.store_backend == "dynamodb":
        return ItemStore(DynamoDBItemStore(settings.dynamodb_table))
    return ItemStore(SQLiteItemStore(settings.database_path))


def open_blobs(settings: Settings) -> BlobStore:
    """The blob store ``KEYVEX_BLOB_BACKEND`` names: the local directory or the S3 bucket."""
    if settings.blob_backend == "s3":
        if not settings.s3_bucket:
            raise ConfigError("KEYVEX_S3_BUCKET must name a bucket when KEYVEX_BLOB_BACKEND=s3.")
        return S3BlobStore(settings.s3_bucket)
    return LocalBlobStore(settings.blob_path)


def build_app(settings: Settings) -> App:
    """Prepare the data directory and secrets, open the store; raises ConfigError clearly."""
    prepare_data_dir(settings)
    settings = resolve_secrets(settings)
    bus = open_bus(settings)
    limiter = limiter_for(settings)
    blobs = open_blobs(settings)
    store = open_store(settings)
    app = App(
        settings=settings,
        store=store,
        blobs=blobs,
        limiter=limiter,
        jobs=job_runner(settings, store),
        bus=bus,
    )
    app.jobs.bind(app)
    return app
