"""When an account goes: the records of jobs run on its behalf (``USER#{uid}#JOBS`` index).
A job still running finds its record gone and writes nothing back."""

from __future__ import annotations

from keyvex import events
from keyvex.app import App
from keyvex.events import AccountDeleted
from keyvex.jobs.records import owner_jobs_index


@events.on(AccountDeleted, order=80)
async def delete_account_jobs(app: App, event: AccountDeleted) -> None:
    keys = await app.store.partition_keys(owner_jobs_index(event.user_id), index="GSI1")
    await app.store.delete_keys(keys)
