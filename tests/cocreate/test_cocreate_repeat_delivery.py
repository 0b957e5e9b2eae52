"""A co-creation step runs once even when its job is delivered twice (jobs are at least once:
a run whose lease ran out, or a message the queue handed to a second worker, runs again)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from keyvex.accounts import sign_up
from keyvex.app import App, build_app
from keyvex.cocreate import service
from keyvex.cocreate.events import events_after
from keyvex.jobs import job_key, owner_jobs_index
from keyvex.jobs.records import DUE, due_sk
from keyvex.settings import Settings

BRIEF = "An ROI calculator that shows dental practices what missed recalls cost them"


async def _only_job(app: App, uid: str) -> str:
    page = await app.store.query(owner_jobs_index(uid), index="GSI1")
    assert len(page.items) == 1
    return str(page.items[0]["job_id"])


async def _as_if_its_lease_ran_out(app: App, job_id: str) -> None:
    """The record a stalled first run leaves: running, its lease over, so due again."""
    over = time.time() - 1
    await app.store.update(
        *job_key(job_id),
        set={
            "status": "running",
            "lease_until": over,
            "GSI2PK": DUE,
            "GSI2SK": due_sk(over, job_id),
        },  # fmt: skip
    )


def test_a_turn_delivered_again_after_it_finished_asks_its_question_once(
    tmp_path: Path,
) -> None:
    async def go() -> None:
        app = build_app(Settings(env="test", data_dir=tmp_path / "data"))
        try:
            user = await sign_up(app, "twice@example.com", "correct horse battery")
            sid = (await service.start_session(app, user, BRIEF)).id
            await service.jobs(app).wait_idle(60)
            first = await events_after(app, sid, 0)
            assert [e.type for e in first].count("question") == 1
            job_id = await _only_job(app, user.id)
            await _as_if_its_lease_ran_out(app, job_id)
            assert await service.jobs(app).run_due() == 1  # the sweep hands it out again
            await service.jobs(app).wait_idle(60)
            assert await events_after(app, sid, first[-1].id) == []  # nothing said twice
            session = await service.get_session(app, user, sid)
            assert len(session.asked) == 1 and session.finished_jobs == [job_id]
        finally:
            await app.jobs.aclose()
            app.close()

    asyncio.run(go())


def test_a_turn_cut_off_before_it_finished_runs_again(tmp_path: Path) -> None:
    """The other side of the guard: a run that never finished (a crash) is not dropped."""

    async def go() -> None:
        app = build_app(Settings(env="test", data_dir=tmp_path / "data"))
        try:
            user = await sign_up(app, "cut@example.com", "correct horse battery")
            sid = (await service.start_session(app, user, BRIEF)).id
            await service.jobs(app).wait_idle(60)
            job_id = await _only_job(app, user.id)
            await service._mutate(app, user, sid, lambda s: setattr(s, "finished_jobs", []))
            await _as_if_its_lease_ran_out(app, job_id)
            assert await service.jobs(app).run_due() == 1
            await service.jobs(app).wait_idle(60)
            again = [e.type for e in await events_after(app, sid, 0)]
            assert again.count("done") == 2 and again.count("question") == 2
        finally:
            await app.jobs.aclose()
            app.close()

    asyncio.run(go())


def test_a_second_build_request_with_nothing_new_keeps_the_built_version(
    tmp_path: Path,
) -> None:
    """A "Just build it" queued while the first turn was still building (a quick second click)
    or asked again with the same answers builds nothing new; a changed answer rebuilds."""

    async def go() -> None:
        app = build_app(Settings(env="test", data_dir=tmp_path / "data"))
        try:
            user = await sign_up(app, "again@example.com", "correct horse battery")
            sid = (await service.start_session(app, user, BRIEF)).id
            await service.jobs(app).wait_idle(60)  # the first question is asked
            await service.build_now(app, user, sid)
            await service.build_now(app, user, sid)  # a second click, before the build ran
            await service.jobs(app).wait_idle(60)
            session = await service.get_session(app, user, sid)
            assert [v.version for v in session.versions] == [1]
            assert session.built_answers == session.answers
            assert not [m for m in session.messages if "already has" in m.text]  # answered

            await service.build_now(app, user, sid)  # asked again: nothing has changed
            await service.jobs(app).wait_idle(60)
            session = await service.get_session(app, user, sid)
            assert [v.version for v in session.versions] == [1] and session.status == "ready"
            assert "Version 1 already has every answer" in session.messages[-1].text

            question = session.asked[0]  # which figures visitors fill in: fewer of them
            await service.answer(app, user, sid, question.id, [question.options[0].value])
            await service.jobs(app).wait_idle(60)
            session = await service.get_session(app, user, sid)
            assert [v.version for v in session.versions] == [1, 2]
        finally:
            await app.jobs.aclose()
            app.close()

    asyncio.run(go())
