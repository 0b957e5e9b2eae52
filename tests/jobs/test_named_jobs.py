"""Named jobs: the JOB# item is the truth; retries back off, dead jobs are listed, a run cut
off by a crash or a shutdown is run again, and two runners never run one job twice."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from keyvex.app import App, build_app
from keyvex.jobs import (
    LocalJobRunner,
    TaskRegistry,
    UnknownTask,
    dead_jobs,
    get_job,
    job_key,
    owner_jobs_index,
)
from keyvex.jobs.records import due_sk
from keyvex.settings import Settings
from keyvex.store import Condition, Put


class Clock:
    """Moved by hand; starts at the real time, which the store's TTL checks use."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


class Calls:
    """What the test tasks did, and how they behave on the next run."""

    def __init__(self) -> None:
        self.runs: list[dict[str, Any]] = []
        self.fail_times = 0
        self.release = asyncio.Event()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    built = build_app(Settings(env="test", data_dir=tmp_path / "data"))
    yield built
    built.close()


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def registry(calls: Calls) -> TaskRegistry:
    registry = TaskRegistry()

    @registry.register("test.record", max_attempts=3, backoff_seconds=10)
    async def record(app: App, **args: Any) -> None:
        calls.runs.append(args)
        if calls.fail_times > 0:
            calls.fail_times -= 1
            raise RuntimeError("the receiver said no")

    @registry.register("test.block", max_attempts=2)
    async def block(app: App, **args: Any) -> None:
        calls.runs.append(args)
        await calls.release.wait()

    return registry


def runner(app: App, registry: TaskRegistry, clock: Clock) -> LocalJobRunner:
    made = LocalJobRunner(app.store, registry=registry, clock=clock)
    made.bind(app)
    return made


def test_a_job_runs_with_its_json_arguments_and_is_recorded_done(
    app: App, registry: TaskRegistry, calls: Calls
) -> None:
    async def go() -> None:
        jobs = runner(app, registry, Clock())
        job_id = await jobs.submit("test.record", owner="u1", lead_id="abc", count=2)
        await jobs.wait_idle(5)
        record = await get_job(app.store, job_id)
        assert record is not None
        assert (record.status, record.attempts, record.args) == ("done", 1, calls.runs[0])
        assert calls.runs == [{"lead_id": "abc", "count": 2}]
        item = await app.store.get(*job_key(job_id))
        assert item is not None and "GSI2PK" not in item and item["ttl"] > 0
        owned = await app.store.query(owner_jobs_index("u1"), index="GSI1")
        assert [i["job_id"] for i in owned.items] == [job_id]

    asyncio.run(go())


def test_objects_and_unknown_names_are_refused_at_submit(app: App, registry: TaskRegistry) -> None:
    async def go() -> None:
        jobs = runner(app, registry, Clock())
        with pytest.raises(TypeError, match="JSON arguments"):
            await jobs.submit("test.record", lead=object())
        with pytest.raises(UnknownTask):
            await jobs.submit("test.nothing")

    asyncio.run(go())


def test_a_failing_job_backs_off_then_succeeds(
    app: App, registry: TaskRegistry, calls: Calls
) -> None:
    async def go() -> None:
        clock = Clock()
        jobs = runner(app, registry, clock)
        calls.fail_times = 2
        job_id = await jobs.submit("test.record", n=1)
        await jobs.wait_idle(5)
        first = await get_job(app.store, job_id)
        assert first is not None
        assert (first.status, first.error) == ("queued", "the receiver said no")
        assert await jobs.run_due() == 0  # the backoff (10 s) has not passed
        clock.now += 10
        assert await jobs.run_due() == 1
        await jobs.wait_idle(5)
        clock.now += 19  # the second retry waits twice as long: 20 s
        assert await jobs.run_due() == 0
        clock.now += 1
        assert await jobs.run_due() == 1
        await jobs.wait_idle(5)
        done = await get_job(app.store, job_id)
        assert done is not None and (done.status, done.attempts) == ("done", 3)
        assert len(calls.runs) == 3

    asyncio.run(go())


def test_a_job_that_keeps_failing_lands_in_the_dead_letter_list(
    app: App, registry: TaskRegistry, calls: Calls
) -> None:
    async def go() -> None:
        clock = Clock()
        jobs = runner(app, registry, clock)
        calls.fail_times = 99
        job_id = await jobs.submit("test.record")
        for _ in range(5):
            await jobs.wait_idle(5)
            clock.now += 1000
            await jobs.run_due()
        await jobs.wait_idle(5)
        assert len(calls.runs) == 3
        dead = await dead_jobs(app.store)
        assert [(d.id, d.status) for d in dead] == [(job_id, "failed")]
        assert dead[0].error == "Gave up after 3 attempt(s): the receiver said no"

    asyncio.run(go())


async def _crashed(app: App, jobs: LocalJobRunner, clock: Clock, attempts: int) -> str:
    """A job whose runner died during its run: running, its lease already over."""
    job = jobs.prepare("test.record", note="crashed")
    lease = clock.now - 1
    item = {**job.item, "status": "running", "attempts": attempts, "lease_until": lease,
            "GSI2SK": due_sk(lease, job.id)}  # fmt: skip
    await app.store.put(item, Condition.not_exists())
    return job.id


def test_a_run_cut_off_by_a_crash_runs_again_when_its_lease_is_over(
    app: App, registry: TaskRegistry, calls: Calls
) -> None:
    async def go() -> None:
        clock = Clock()
        jobs = runner(app, registry, clock)
        job_id = await _crashed(app, jobs, clock, attempts=1)
        assert await jobs.run_due() == 1
        await jobs.wait_idle(5)
        record = await get_job(app.store, job_id)
        assert record is not None and (record.status, record.attempts) == ("done", 2)
        assert calls.runs == [{"note": "crashed"}]

    asyncio.run(go())


def test_a_job_whose_last_run_never_finished_is_given_up_not_run_again(
    app: App, registry: TaskRegistry, calls: Calls
) -> None:
    """A job that takes its process down must not do so at every start."""

    async def go() -> None:
        clock = Clock()
        jobs = runner(app, registry, clock)
        job_id = await _crashed(app, jobs, clock, attempts=3)
        await jobs.run_due()
        await jobs.wait_idle(5)
        record = await get_job(app.store, job_id)
        assert record is not None and record.status == "failed"
        assert record.error == "Gave up after 3 attempt(s): the last run did not finish."
        assert calls.runs == []

    asyncio.run(go())


def test_a_shutdown_hands_running_jobs_back_for_the_next_start(
    app: App, registry: TaskRegistry, calls: Calls
) -> None:
    async def go() -> None:
        clock = Clock()
        first = runner(app, registry, clock)
        job_id = await first.submit("test.block", step=1)
        while not calls.runs:
            await asyncio.sleep(0.01)
        await first.aclose(timeout=0.05)
        record = await get_job(app.store, job_id)
        assert record is not None and record.status == "queued"
        calls.release.set()
        second = runner(app, registry, clock)
        assert await second.run_due() == 1
        await second.wait_idle(5)
        record = await get_job(app.store, job_id)
        assert record is not None and (record.status, record.attempts) == ("done", 2)

    asyncio.run(go())


def test_two_runners_on_one_store_run_a_due_job_once(
    app: App, registry: TaskRegistry, calls: Calls
) -> None:
    async def go() -> None:
        clock = Clock()
        one, two = runner(app, registry, clock), runner(app, registry, clock)
        ids = []
        for n in range(10):
            job = one.prepare("test.record", n=n)
            await app.store.put(job.item, Condition.not_exists())  # stored, not started
            ids.append(job.id)
        await asyncio.gather(one.run_due(), two.run_due())
        await asyncio.gather(one.wait_idle(5), two.wait_idle(5))
        assert sorted(run["n"] for run in calls.runs) == list(range(10))

    asyncio.run(go())


def test_a_prepared_job_exists_only_if_its_transaction_commits(
    app: App, registry: TaskRegistry, calls: Calls
) -> None:
    """The outbox: the job item is written with the change that causes it, or not at all."""

    async def go() -> None:
        jobs = runner(app, registry, Clock())
        change = {"PK": "THING#1", "SK": "THING", "entity_type": "thing"}
        await app.store.put(change)
        refused = jobs.prepare("test.record", thing="1")
        with pytest.raises(Exception, match="Transaction|condition|changed"):
            await app.store.transact_write(
                [Put(change, Condition.not_exists()), Put(refused.item, Condition.not_exists())]
            )
        assert await get_job(app.store, refused.id) is None
        kept = jobs.prepare("test.record", thing="2")
        other = {"PK": "THING#2", "SK": "THING", "entity_type": "thing"}
        await app.store.transact_write(
            [Put(other, Condition.not_exists()), Put(kept.item, Condition.not_exists())]
        )
        jobs.start(kept)
        await jobs.wait_idle(5)
        assert calls.runs == [{"thing": "2"}]

    asyncio.run(go())
