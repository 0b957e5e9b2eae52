"""A whole cluster on one machine: the machine's Redis, two web processes (`keyvex serve`) and
two `keyvex worker` processes on one store, shared by one test module. The module runs twice:
on SQLite (one machine: the processes share the file) and on DynamoDB + S3 (moto).

Without Redis or moto the cluster tests skip, unless KEYVEX_REQUIRE_SERVICES=1 (CI): fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import redis

from keyvex.app import App, build_app
from keyvex.settings import Settings
from tests.aws_emulator import REGION, emulator_process
from tests.conftest import need_service
from tests.redis.test_redis_worker_streams import _wait_for_consumers
from tests.web.test_serve_workers import LIMITS, _free_port

REDIS_URL = os.environ.get("KEYVEX_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[2]
LEASE = 2  # seconds: job and scheduler leases, short so a killed worker's job moves soon
CACHE = 60  # publish cache seconds: anything seen sooner on B came through Redis
#: Concurrent leads per backend: moto serves one request at a time and copies its whole
#: table for each transaction (100 leads took about a minute of CI's 15), so on it the count
#: is smaller; KEYVEX_TEST_CLUSTER_LEADS=1000 runs the full count there too.
LEADS = {"sqlite": 1000, "dynamodb": int(os.environ.get("KEYVEX_TEST_CLUSTER_LEADS", "100"))}
T = TypeVar("T")


@dataclass
class Cluster:
    """What the tests need to reach the cluster: its settings, env, URLs and processes."""

    settings: Settings
    env: dict[str, str]
    logs: Path
    leads: int
    web: list[str] = field(default_factory=list)
    webs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def run(self, work: Callable[[App], Awaitable[T]]) -> T:
        """``work`` with an app of this process on the cluster's store, Redis and queue."""

        async def go() -> T:
            app = build_app(self.settings)
            try:
                return await work(app)
            finally:
                await app.jobs.aclose()
                await app.bus.aclose()  # what the work published reaches the cluster
                app.close()

        return asyncio.run(go())

    def start(self, command: list[str], name: str) -> subprocess.Popen[bytes]:
        with (self.logs / f"{name}.log").open("wb") as out:
            data = ["--data-dir", str(self.settings.data_dir)]
            return subprocess.Popen(
                [sys.executable, "-m", "keyvex", *command, *data],
                env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def start_worker(self) -> subprocess.Popen[bytes]:
        name = f"worker-{len(self.workers)}"
        worker = self.start(
            ["worker", "--concurrency", "4", "--grace", "5", "--import", "tests.jobs.queue_tasks"],
            name,
        )
        self.workers.append(worker)
        return worker

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")[-3000:]


def _services() -> None:
    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1) as client:
            client.ping()
    except redis.RedisError as exc:
        need_service(False, f"Redis is not reachable at {REDIS_URL} ({exc})")
    try:
        import moto.server  # noqa: F401
    except ImportError:
        need_service(False, "moto[server] is not installed (pip install -e '.[test]')")


def _env(settings: Settings, aws: dict[str, str], logs: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEYVEX_", "AWS_"))}
    stores = {
        "KEYVEX_STORE_BACKEND": settings.store_backend,
        "KEYVEX_DYNAMODB_TABLE": settings.dynamodb_table,
        "KEYVEX_BLOB_BACKEND": settings.blob_backend,
        "KEYVEX_S3_BUCKET": str(settings.s3_bucket or ""),
    }
    return env | aws | LIMITS | stores | {
        "AWS_CONFIG_FILE": str(logs / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(logs / "no-aws-credentials"),
        "KEYVEX_ENV": "test",
        "KEYVEX_CONFIG": str(logs / "absent.toml"),
        "KEYVEX_REDIS_URL": REDIS_URL,
        "KEYVEX_REDIS_PREFIX": settings.redis_prefix,
        "KEYVEX_JOBS": "queue",
        "KEYVEX_JOB_QUEUE": settings.job_queue,
        "KEYVEX_JOB_LEASE_SECONDS": str(LEASE),
        "KEYVEX_SCHEDULER_LEASE_SECONDS": str(LEASE),
        "KEYVEX_PUBLISH_CACHE_SECONDS": str(CACHE),
        "KEYVEX_OUTBOUND_ALLOW_LOOPBACK": "true",  # the test's webhook receiver is on 127.0.0.1
        "KEYVEX_ACCESS_LOG": "false",
    }  # fmt: skip


def _wait_ready(cluster: Cluster) -> None:
    deadline = time.monotonic() + 60
    for n, base in enumerate(cluster.web):
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            assert cluster.webs[n].poll() is None, cluster.log(f"web-{n}")
            assert time.monotonic() < deadline, f"web {n} did not start: {cluster.log(f'web-{n}')}"
            time.sleep(0.2)
    _wait_for_consumers(cluster.settings, timeout=60)


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextlib.contextmanager
def _aws_environment() -> Iterator[None]:
    """emulator_process sets AWS_* in this process; put them back as they were afterwards."""
    before = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
    try:
        yield
    finally:
        for name in [k for k in os.environ if k.startswith("AWS_")]:
            del os.environ[name]
        os.environ.update(before)


@pytest.fixture(scope="module", params=["sqlite", "dynamodb"])
def cluster(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    _services()
    backend: str = request.param
    logs = tmp_path_factory.mktemp(f"cluster-{backend}")
    name = f"kvcluster-{secrets.token_hex(5)}"
    common = {
        "env": "test", "data_dir": logs / "data", "redis_url": REDIS_URL, "redis_prefix": name,
        "jobs": "queue", "job_queue": f"{name}:jobs", "job_lease_seconds": LEASE,
        "scheduler_lease_seconds": LEASE, "publish_cache_seconds": CACHE,
        "outbound_allow_loopback": True,
    }  # fmt: skip
    try:
        if backend == "sqlite":
            settings = Settings(**common)
            yield from _running(Cluster(settings, _env(settings, {}, logs), logs, LEADS[backend]))
            return
        with _aws_environment(), emulator_process(table=name) as aws:
            import boto3

            boto3.client("s3", region_name=REGION).create_bucket(Bucket=name)
            settings = Settings(
                **common, store_backend="dynamodb", dynamodb_table=name, blob_backend="s3",
                s3_bucket=name,
            )  # fmt: skip
            yield from _running(Cluster(settings, _env(settings, aws, logs), logs, LEADS[backend]))
    finally:
        _forget(name)


def _running(cluster: Cluster) -> Iterator[Cluster]:
    """Two web processes and two workers on the cluster's settings, stopped afterwards."""
    cluster.run(_noop)  # the generated secrets are written once, before anyone else starts
    try:
        for n in range(2):
            port = _free_port()
            cluster.web.append(f"http://127.0.0.1:{port}")
            cluster.webs.append(cluster.start(["serve", "--port", str(port)], f"web-{n}"))
            cluster.start_worker()
        _wait_ready(cluster)
        yield cluster
    finally:
        _stop([*cluster.webs, *cluster.workers])


async def _noop(app: App) -> None:
    return None


def _forget(name: str) -> None:
    with redis.Redis.from_url(REDIS_URL) as client:
        keys = list(client.scan_iter(match=f"{name}*", count=1000))
        if keys:
            client.delete(*keys)


def until(what: str, check: Callable[[], Any], timeout: float = 30, pause: float = 0.05) -> Any:
    """Poll ``check`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(pause)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
