"""Named jobs on the Redis queue: `keyvex worker` processes (real subprocesses, the machine's
Redis, one SQLite file shared with the test) run what the web app and the runner enqueue.

Each test uses its own stream name and removes it afterwards. Without Redis the tests skip,
unless KEYVEX_REQUIRE_SERVICES=1 (CI), where they fail.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from keyvex.app import App, build_app
from keyvex.cli import app as cli
from keyvex.errors import ConfigError
from keyvex.jobs import dead_jobs, get_job
from keyvex.settings import Settings
from keyvex.store import Condition, Put
from keyvex.web.app import create_app
from tests.conftest import need_service
from tests.jobs import queue_tasks  # noqa: F401  (registers the test tasks here too)

REDIS_URL = os.environ.get("KEYVEX_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[2]
LEASE = 2  # seconds: job lease and scheduler lease, short so takeovers fit in a test


def _redis_or_skip() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        need_service(False, f"Redis is not reachable at {REDIS_URL} ({exc})")


@pytest.fixture
def queue() -> Iterator[str]:
    _redis_or_skip()
    name = f"keyvex-test-{secrets.token_hex(6)}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(name, *client.scan_iter(f"{name}:*", count=1000))
    client.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "marks"
    made.mkdir()
    return made


def _settings(data_dir: Path, queue: str) -> Settings:
    return Settings(env="test", data_dir=data_dir, jobs="queue", redis_url=REDIS_URL,
                    job_queue=queue, job_lease_seconds=LEASE)  # fmt: skip


class Worker:
    """``python -m keyvex worker`` on the test's data directory and queue."""

    def __init__(
        self, data_dir: Path, queue: str, logs: Path, grace: float = 10, redis_url: str = REDIS_URL
    ) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KEYVEX_")}
        env |= {"KEYVEX_ENV": "test", "KEYVEX_JOBS": "queue", "KEYVEX_REDIS_URL": redis_url,
                "KEYVEX_JOB_QUEUE": queue, "KEYVEX_JOB_LEASE_SECONDS": str(LEASE),
                "KEYVEX_SCHEDULER_LEASE_SECONDS": str(LEASE),
                "KEYVEX_CONFIG": str(logs / "absent.toml")}  # fmt: skip
        self.log = logs / f"worker-{secrets.token_hex(3)}.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "keyvex", "worker", "--data-dir", str(data_dir),
                 "--concurrency", "2", "--grace", str(grace),
                 "--import", "tests.jobs.queue_tasks"],
                env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


async def _until(what: str, check: Callable[[], Awaitable[Any]], timeout: float = 45) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await check()
        if value:
            return value
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _file(path: Path) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return path.exists()

    return check


def _started_in(folder: Path, name: str) -> Callable[[], Awaitable[int]]:
    async def check() -> int:
        found = list(folder.glob(f"{name}.started.*"))
        return int(found[0].name.rsplit(".", 1)[1]) if found else 0

    return check


async def _status(app: App, job_id: str, wanted: str) -> bool:
    record = await get_job(app.store, job_id)
    return record is not None and record.status == wanted


def test_the_web_app_only_enqueues_and_a_worker_process_runs_the_job(
    data_dir: Path, queue: str, folder: Path, workers: list[Worker], tmp_path: Path
) -> None:
    with TestClient(create_app(_settings(data_dir, queue))) as client:
        state: App = client.app.state.keyvex  # type: ignore[attr-defined]
        job_id = client.portal.call(  # type: ignore[union-attr]
            lambda: state.jobs.submit("test.queue.record", folder=str(folder), label="web")
        )
        time.sleep(1.5)
        record = client.portal.call(get_job, state.store, job_id)  # type: ignore[union-attr]
        assert record is not None and record.status == "queued"  # no worker in the web process
        assert not (folder / "web.done").exists()
        workers.append(Worker(data_dir, queue, tmp_path))

        async def done() -> bool:
            return await _status(state, job_id, "done")

        client.portal.call(_until, "the worker to run the job", done)  # type: ignore[union-attr]
    assert (folder / "web.done").read_text() == str(workers[0].pid)


def test_an_outbox_job_is_enqueued_once_its_transaction_has_committed(
    data_dir: Path, queue: str, folder: Path, workers: list[Worker], tmp_path: Path
) -> None:
    async def go() -> None:
        app = build_app(_settings(data_dir, queue))
        try:
            workers.append(Worker(data_dir, queue, tmp_path))
            job = app.jobs.prepare("test.queue.record", folder=str(folder), label="outbox")
            change = {"PK": "THING#1", "SK": "THING", "entity_type": "thing"}
            await app.store.transact_write(
                [Put(change, Condition.not_exists()), Put(job.item, Condition.not_exists())]
            )
            app.jobs.start(job)

            async def done() -> bool:
                return await _status(app, job.id, "done")

            await _until("the outbox job on the worker", done)
        finally:
            await app.jobs.aclose()
            app.close()

    asyncio.run(go())
    assert (folder / "outbox.done").read_text() == str(workers[0].pid)


def test_a_job_whose_worker_is_killed_mid_run_completes_on_another_worker(
    data_dir: Path, queue: str, folder: Path, workers: list[Worker], tmp_path: Path
) -> None:
    async def go() -> float:
        app = build_app(_settings(data_dir, queue))
        try:
            first = Worker(data_dir, queue, tmp_path)
            workers.append(first)
            job_id = await app.jobs.submit("test.queue.block", folder=str(folder), label="slow")
            assert await _until("the job to start", _started_in(folder, "slow")) == first.pid
            first.process.send_signal(signal.SIGKILL)
            first.process.wait(10)
            killed = time.monotonic()
            (folder / "release").write_text("")
            second = Worker(data_dir, queue, tmp_path)
            workers.append(second)
            await _until("the job on the second worker", _file(folder / "slow.done"))
            recovered = time.monotonic() - killed
            assert (folder / "slow.done").read_text() == str(second.pid)
            record = await get_job(app.store, job_id)
            assert record is not None and (record.status, record.attempts) == ("done", 2)
            return recovered
        finally:
            await app.jobs.aclose()
            app.close()

    recovered = asyncio.run(go())
    assert recovered < LEASE * 2 + 15  # lease over, the sweep's next round, a worker's start


def test_a_worker_stopped_with_sigterm_hands_its_running_job_back(
    data_dir: Path, queue: str, folder: Path, workers: list[Worker], tmp_path: Path
) -> None:
    async def go() -> None:
        app = build_app(_settings(data_dir, queue))
        try:
            first = Worker(data_dir, queue, tmp_path, grace=0.5)
            workers.append(first)
            job_id = await app.jobs.submit("test.queue.block", folder=str(folder), label="held")
            await _until("the job to start", _started_in(folder, "held"))
            first.process.send_signal(signal.SIGTERM)
            assert first.process.wait(20) == 0
            record = await get_job(app.store, job_id)
            assert record is not None and (record.status, record.attempts) == ("queued", 1)
            (folder / "release").write_text("")
            second = Worker(data_dir, queue, tmp_path)
            workers.append(second)

            async def done() -> bool:
                return await _status(app, job_id, "done")

            await _until("the handed-back job on the second worker", done)
            assert (folder / "held.done").read_text() == str(second.pid)
        finally:
            await app.jobs.aclose()
            app.close()

    asyncio.run(go())


def test_a_job_that_always_fails_backs_off_and_lands_in_the_dead_letter_list(
    data_dir: Path, queue: str, folder: Path, workers: list[Worker], tmp_path: Path
) -> None:
    async def go() -> None:
        app = build_app(_settings(data_dir, queue))
        try:
            workers.append(Worker(data_dir, queue, tmp_path))
            job_id = await app.jobs.submit("test.queue.fail", folder=str(folder), label="poison")

            async def dead() -> bool:
                return any(job.id == job_id for job in await dead_jobs(app.store))

            await _until("the job in the dead-letter list", dead)
            record = await get_job(app.store, job_id)
            assert record is not None and record.status == "failed"
            assert record.error == "Gave up after 3 attempt(s): poison"
        finally:
            await app.jobs.aclose()
            app.close()

    asyncio.run(go())
    times = [float(line) for line in (folder / "poison.attempts").read_text().split()]
    assert len(times) == 3
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert gaps[0] >= 1 and gaps[1] >= 2  # backoff 1 s, doubling


def test_the_queue_without_a_redis_url_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="KEYVEX_JOBS=queue needs KEYVEX_REDIS_URL"):
        build_app(Settings(env="test", data_dir=tmp_path / "data", jobs="queue"))


def test_keyvex_worker_explains_what_it_needs_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = str(tmp_path / "data")
    inline = CliRunner().invoke(cli, ["worker", "--data-dir", data])
    assert inline.exit_code == 1
    assert "set KEYVEX_JOBS=queue and KEYVEX_REDIS_URL" in inline.output
    monkeypatch.setenv("KEYVEX_JOBS", "queue")
    monkeypatch.setenv("KEYVEX_REDIS_URL", "redis://:hunter2@127.0.0.1:1/0")  # nobody listens
    away = CliRunner().invoke(cli, ["worker", "--data-dir", data])
    assert away.exit_code == 1
    assert "The job queue cannot reach Redis at redis://:***@127.0.0.1:1/0" in away.output
    assert "hunter2" not in away.output and "Traceback" not in away.output


class PrivateRedis:
    """A redis-server of this test's own on a free port, to stop and start at will."""

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise AssertionError("the private redis-server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    need_service(
        shutil.which("redis-server") is not None,
        "redis-server is not installed (a test restarts its own Redis)",
    )
    server = PrivateRedis()
    server.start()
    yield server
    server.kill()


def test_jobs_sent_while_redis_is_down_run_once_it_is_back(
    data_dir: Path, folder: Path, workers: list[Worker], tmp_path: Path,
    private_redis: PrivateRedis,
) -> None:  # fmt: skip
    """A worker outlives a Redis restart (it reconnects), and a job submitted meanwhile is
    stored, then enqueued by the due sweep once Redis answers again."""

    async def go() -> None:
        settings = _settings(data_dir, "restart").model_copy(
            update={"redis_url": private_redis.url}
        )
        app = build_app(settings)
        try:
            workers.append(Worker(data_dir, "restart", tmp_path, redis_url=private_redis.url))
            before = await app.jobs.submit("test.queue.record", folder=str(folder), label="a")
            await _until("the first job", lambda: _status(app, before, "done"))
            private_redis.kill()
            during = await app.jobs.submit("test.queue.record", folder=str(folder), label="b")
            await asyncio.sleep(1.5)
            private_redis.start()  # empty: the stream and its group are gone too
            await _until("the job sent while Redis was down", lambda: _status(app, during, "done"))
        finally:
            await app.jobs.aclose()
            app.close()

    asyncio.run(go())
    assert (folder / "b.done").read_text() == str(workers[0].pid)
